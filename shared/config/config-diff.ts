/**
 * Which settings differ between two configurations, named by path and never by value:
 * the staff change log records these names, and values (a webhook token, a phone
 * number) must not end up in it.
 *
 * Paths are meant to be read by staff. Lists of items with an `id` (services, themes)
 * are followed by id rather than by position, so moving a tile is one entry
 * ("services (order)") instead of a change to every tile after it, and a change to one
 * tile reads "services.myminfin.startUrl". Other lists of objects (or of lists) are
 * followed by position while their length is unchanged ("help.webhooks[0].format"); a list of plain
 * values, or one that grew or shrank, is named whole ("languages.offered").
 *
 * Both inputs may be anything (a configuration staff are about to save has not always
 * been validated yet), so nothing here trusts their shape.
 */

type PlainObject = Record<string, unknown>;

/** Far deeper than a configuration goes; a bound so hostile data cannot exhaust the stack. */
const MAX_DEPTH = 32;

export const ORDER_SUFFIX = ' (order)';

function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ownValue(object: PlainObject, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

/** Deep equality of JSON-like data; a key holding `undefined` counts as absent, as in JSON. */
export function sameValue(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => sameValue(item, b[index], depth + 1));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      if (!sameValue(ownValue(a, key), ownValue(b, key), depth + 1)) return false;
    }
    return true;
  }
  return false;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** The ids of a list whose items are all objects with a distinct text `id`; null for any other list. */
function idsOf(list: readonly unknown[]): string[] | null {
  const ids: string[] = [];
  for (const item of list) {
    if (!isPlainObject(item)) return null;
    const id = ownValue(item, 'id');
    if (typeof id !== 'string' || id === '' || ids.includes(id)) return null;
    ids.push(id);
  }
  return ids;
}

function diffInto(before: unknown, after: unknown, path: string, depth: number, out: string[]): void {
  if (sameValue(before, after)) return;
  if (depth > MAX_DEPTH) {
    out.push(path);
    return;
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    for (const key of keys) diffInto(ownValue(before, key), ownValue(after, key), join(path, key), depth + 1, out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    diffList(before, after, path, depth, out);
    return;
  }
  out.push(path);
}

function diffList(before: readonly unknown[], after: readonly unknown[], path: string, depth: number, out: string[]): void {
  const beforeIds = idsOf(before);
  const afterIds = idsOf(after);
  if (beforeIds !== null && afterIds !== null && (beforeIds.length > 0 || afterIds.length > 0)) {
    for (const [index, id] of beforeIds.entries()) {
      const afterIndex = afterIds.indexOf(id);
      // A removed item is named like an added one: staff see which tile came or went, not its content.
      if (afterIndex === -1) out.push(join(path, id));
      else diffInto(before[index], after[afterIndex], join(path, id), depth + 1, out);
    }
    for (const id of afterIds) {
      if (!beforeIds.includes(id)) out.push(join(path, id));
    }
    const keptBefore = beforeIds.filter((id) => afterIds.includes(id));
    const keptAfter = afterIds.filter((id) => beforeIds.includes(id));
    if (keptBefore.some((id, index) => keptAfter[index] !== id)) out.push(`${path}${ORDER_SUFFIX}`);
    return;
  }
  const isContainer = (item: unknown) => isPlainObject(item) || Array.isArray(item);
  if (before.length === after.length && before.every(isContainer) && after.every(isContainer)) {
    before.forEach((item, index) => diffInto(item, after[index], `${path}[${index}]`, depth + 1, out));
    return;
  }
  out.push(path);
}

/**
 * The paths of the settings that differ between `before` and `after`, in the order
 * they appear in the configuration; empty when nothing changed.
 */
export function configDiff(before: unknown, after: unknown): string[] {
  const out: string[] = [];
  diffInto(before, after, '', 0, out);
  return out.map((path) => (path === '' ? '(whole configuration)' : path));
}

/** The segments of a field path such as "help.fallback.message.fr" or "services[2].label". */
export function fieldPathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (match === null) {
      segments.push(part);
      continue;
    }
    if (match[1] !== '') segments.push(match[1] ?? '');
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments;
}

/** The value at a field path; `undefined` when any step of it is missing. */
export function valueAtPath(root: unknown, path: string): unknown {
  let current = root;
  for (const segment of fieldPathSegments(path)) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (!isPlainObject(current)) return undefined;
      current = ownValue(current, segment);
    }
  }
  return current;
}

/** The locked paths (from the managed file) whose value a change from `before` to `after` would alter. */
export function changesLockedKey(lockedKeys: readonly string[], before: unknown, after: unknown): string[] {
  return lockedKeys.filter((path) => !sameValue(valueAtPath(before, path), valueAtPath(after, path)));
}
