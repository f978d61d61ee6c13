/**
 * How the system-wide managed file (deployed by an IT department) overrides the
 * kiosk's local configuration: key by key. Objects merge recursively; arrays and
 * plain values replace the local ones whole, so a managed `services` list is the
 * list, not an addition to it. Every field the managed file sets is "locked": the
 * staff screen shows it as set by the IT department and does not let staff change it.
 *
 * Both inputs come straight from JSON files anyone with access to the PC may have
 * edited, so nothing here trusts their shape: keys that could reach an object's
 * prototype are dropped, and nesting depth is bounded so a hostile file cannot
 * exhaust the stack.
 */
import { CONFIG_SCHEMA_VERSION, KioskConfigSchema, formatFieldPath, type ConfigProblem } from './schema';

export interface ManagedMergeResult {
  /** The local configuration with the managed values applied; still to be validated. */
  readonly merged: unknown;
  /** Field paths set by the managed file, for example "kiosk.name", "languages.offered", "services". */
  readonly lockedKeys: string[];
  /** What was wrong with the managed file; the parts named here were not applied. */
  readonly problems: ConfigProblem[];
}

/** Keys that, assigned on a plain object, would change its prototype or shadow its constructor. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Far deeper than any configuration needs; deep enough to refuse a hostile file before the stack runs out. */
const MAX_DEPTH = 32;

/** The version marker belongs to the file format, not to the settings: it is checked, never locked. */
const VERSION_KEY = 'schemaVersion';

type PlainObject = Record<string, unknown>;

function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Defines an own, enumerable property without ever going through a setter such as `__proto__`'s. */
function setOwn(target: PlainObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

interface Walk {
  readonly problems: ConfigProblem[] | null;
}

function pollutionProblem(path: readonly (string | number)[]): ConfigProblem {
  return {
    field: formatFieldPath(path),
    message: 'is a name the kiosk never reads and refuses for safety: remove this key',
  };
}

function depthProblem(path: readonly (string | number)[]): ConfigProblem {
  return {
    field: formatFieldPath(path),
    message: `is nested more than ${MAX_DEPTH} levels deep: a configuration never needs this, check the file`,
  };
}

/**
 * A deep copy of JSON-like data with prototype keys dropped. Returns `undefined` (and
 * records a problem when asked) for data nested too deeply to be a configuration.
 */
function sanitizedCopy(value: unknown, path: (string | number)[], walk: Walk): unknown {
  if (path.length > MAX_DEPTH) {
    walk.problems?.push(depthProblem(path));
    return undefined;
  }
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    for (let index = 0; index < value.length; index += 1) {
      const item = sanitizedCopy(value[index], [...path, index], walk);
      if (item === undefined && value[index] !== undefined) return undefined;
      copy.push(item);
    }
    return copy;
  }
  if (isPlainObject(value)) {
    const copy: PlainObject = {};
    for (const key of Object.keys(value)) {
      if (PROTOTYPE_KEYS.has(key)) {
        walk.problems?.push(pollutionProblem([...path, key]));
        continue;
      }
      const item = sanitizedCopy(value[key], [...path, key], walk);
      if (item === undefined && value[key] !== undefined) return undefined;
      setOwn(copy, key, item);
    }
    return copy;
  }
  return value;
}

/** Applies `managed` over `base` (both already sanitized copies), recording each leaf it sets. */
function overlay(base: PlainObject, managed: PlainObject, path: string[], lockedKeys: string[]): void {
  for (const key of Object.keys(managed)) {
    const managedValue = managed[key];
    const baseValue = base[key];
    const fieldPath = [...path, key];
    if (isPlainObject(managedValue)) {
      const target: PlainObject = isPlainObject(baseValue) ? baseValue : {};
      overlay(target, managedValue, fieldPath, lockedKeys);
      setOwn(base, key, target);
    } else {
      setOwn(base, key, managedValue);
      lockedKeys.push(formatFieldPath(fieldPath));
    }
  }
}

export function mergeManagedConfig(local: unknown, managed: unknown): ManagedMergeResult {
  const problems: ConfigProblem[] = [];
  // Local problems are the schema's to report once the merge is validated; here local data is only cleaned.
  const localCopy = sanitizedCopy(local, [], { problems: null });
  const unchanged = (): ManagedMergeResult => ({ merged: localCopy, lockedKeys: [], problems });

  if (!isPlainObject(managed)) {
    problems.push({
      field: '',
      message: `must be an object holding the settings to impose, for example {"kiosk": {"site": "EPN de Namur"}}; this file holds ${describeKind(managed)}`,
    });
    return unchanged();
  }

  const knownKeys = new Set(Object.keys(KioskConfigSchema.shape));
  const accepted: PlainObject = {};
  for (const key of Object.keys(managed)) {
    if (PROTOTYPE_KEYS.has(key)) {
      problems.push(pollutionProblem([key]));
    } else if (key === VERSION_KEY) {
      if (managed[key] !== CONFIG_SCHEMA_VERSION) {
        problems.push({
          field: VERSION_KEY,
          message: `must be ${CONFIG_SCHEMA_VERSION} (or left out): this kiosk reads version ${CONFIG_SCHEMA_VERSION} of the configuration format, so the whole managed file was ignored`,
        });
        return unchanged();
      }
    } else if (!knownKeys.has(key)) {
      const settable = [...knownKeys].filter((known) => known !== VERSION_KEY).join(', ');
      problems.push({
        field: key,
        message: `is not a setting of the kiosk and was ignored: remove it or check its spelling (settings: ${settable})`,
      });
    } else {
      const copy = sanitizedCopy(managed[key], [key], { problems });
      if (copy !== undefined) setOwn(accepted, key, copy);
    }
  }

  const base: PlainObject = isPlainObject(localCopy) ? localCopy : {};
  const lockedKeys: string[] = [];
  overlay(base, accepted, [], lockedKeys);
  return { merged: base, lockedKeys, problems };
}
