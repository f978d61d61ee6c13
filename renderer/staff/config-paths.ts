/**
 * Dotted paths of the configuration ("kiosk.site", "services[2].label.fr"), as the
 * main side names locked keys and the schema names problems: which fields are locked,
 * which problems belong to a field, and putting the managed values back over a draft.
 */
import type { KioskConfig } from '../../shared/config/schema';

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

type PathKey = string | number;

/** "services[2].label.fr" → ["services", 2, "label", "fr"]. */
export function splitPath(path: string): PathKey[] {
  const keys: PathKey[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (match === null) {
      keys.push(part);
      continue;
    }
    if (match[1] !== '') keys.push(match[1]!);
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) keys.push(Number(index[1]));
  }
  return keys;
}

/** Whether `inner` is `outer` or lies inside it ("help.hub.url" inside "help", "services[1]" inside "services"). */
export function isWithin(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
}

/** A field is locked when the managed file sets it, something around it, or something inside it. */
export function isLocked(path: string, lockedKeys: readonly string[]): boolean {
  return lockedKeys.some((key) => isWithin(path, key) || isWithin(key, path));
}

/** The problems that belong to a field (the field itself or anything inside it). */
export function problemsOf(path: string, problems: readonly FieldProblem[]): FieldProblem[] {
  return problems.filter((problem) => problem.field !== '' && isWithin(problem.field, path));
}

function getAt(root: unknown, keys: readonly PathKey[]): { found: boolean; value: unknown } {
  let node = root;
  for (const key of keys) {
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, key)) return { found: false, value: undefined };
    node = (node as Record<PathKey, unknown>)[key];
  }
  return { found: true, value: node };
}

/** A copy of `root` with the value at `keys` replaced (or removed when `found` is false). */
function setAt(root: unknown, keys: readonly PathKey[], found: boolean, value: unknown): unknown {
  const [key, ...rest] = keys;
  if (key === undefined) return value;
  const container: Record<PathKey, unknown> = Array.isArray(root) ? ([...root] as unknown as Record<PathKey, unknown>) : typeof root === 'object' && root !== null ? { ...(root as Record<PathKey, unknown>) } : {};
  if (rest.length === 0 && !found) {
    delete container[key];
    return container;
  }
  container[key] = setAt(container[key], rest, found, value);
  return container;
}

/** The draft with every locked key's value taken from the configuration in force: an imported file cannot change them. */
export function withLockedValues(draft: KioskConfig, inForce: KioskConfig, lockedKeys: readonly string[]): KioskConfig {
  let result: unknown = draft;
  for (const key of lockedKeys) {
    const keys = splitPath(key);
    if (keys.length === 0) continue;
    const { found, value } = getAt(inForce, keys);
    result = setAt(result, keys, found, value);
  }
  return result as KioskConfig;
}

/** The same settings, whatever the order of an object's keys. */
export function sameConfig(a: unknown, b: unknown): boolean {
  return stableText(a) === stableText(b);
}

function stableText(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'object' && item !== null && !Array.isArray(item)
      ? Object.fromEntries(
          Object.entries(item as Record<string, unknown>)
            .filter(([, inner]) => inner !== undefined)
            .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0)),
        )
      : item,
  );
}
