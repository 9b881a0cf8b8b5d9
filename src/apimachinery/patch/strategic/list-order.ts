// List mechanics shared by applying and creating strategic merge patches: element kinds, lookups by merge
// key, and the ordering rules ($setElementOrder > order in the patch > order in the live list).
import { isJSONObject, type JSONObject, type JSONValue } from '../json-value.js';
import { compareGoStrings, formatGoValue, goScalarEqual, kindOf, type ValueKind } from './go-value.js';
import { errBadArgType, errNoListOfLists, errNoMergeKey, mapTypeName, unconvertedError } from './patch-errors.js';

export const directiveMarker = '$patch';
export const deleteDirective = 'delete';
export const replaceDirective = 'replace';
export const mergeDirective = 'merge';
export const retainKeysStrategy = 'retainKeys';
export const retainKeysDirective = '$retainKeys';
export const deleteFromPrimitiveListDirectivePrefix = '$deleteFromPrimitiveList';
export const setElementOrderDirectivePrefix = '$setElementOrder';

/**
 * The one element kind shared by every item of the given lists. Throws upstream's errors for a list of
 * lists (422), mixed kinds, or no items at all (500).
 */
export function sliceElementType(...slices: ReadonlyArray<readonly JSONValue[] | undefined>): ValueKind {
  let kind: ValueKind | undefined;
  for (const s of slices) {
    for (const v of s ?? []) {
      const k = kindOf(v);
      if (kind === undefined) {
        if (k === 'slice') throw errNoListOfLists();
        kind = k;
      } else if (k !== kind) {
        throw unconvertedError(`list element types are not identical: ${formatGoValue(slices.map((x) => (x ?? []) as JSONValue))}`);
      }
    }
  }
  if (kind === undefined) throw unconvertedError('no elements in any of the given slices');
  return kind;
}

/** The merge-key value of a list-of-maps item, or the item itself for primitive lists (upstream's index key). */
function itemKey(item: JSONValue | undefined, mergeKey: string, kind: ValueKind): JSONValue | undefined {
  if (kind !== 'map') return item;
  return isJSONObject(item) ? item[mergeKey] : undefined;
}

export type ScalarKey = string | number | boolean | null;

/** The Map key equivalent to Go `==` on a scalar (nil and absent are one key); undefined for maps and lists. */
export function scalarKey(v: JSONValue | undefined): ScalarKey | undefined {
  if (v === undefined || v === null) return null;
  return typeof v === 'object' ? undefined : v;
}

/**
 * Positions in a list by merge key (maps; a missing key counts as nil) or by value (primitives), as upstream's
 * linear index() finds them: the first match, -1 for none. Built once, because lists with hundreds of
 * containers would make the linear scans quadratic.
 */
class ItemPositions {
  private readonly first = new Map<ScalarKey, number>();
  constructor(
    list: readonly JSONValue[],
    private readonly mergeKey: string,
    private readonly kind: ValueKind,
  ) {
    for (let i = 0; i < list.length; i++) {
      const k = scalarKey(itemKey(list[i], mergeKey, kind));
      if (k !== undefined && !this.first.has(k)) this.first.set(k, i);
    }
  }
  indexOf(value: JSONValue): number {
    const k = scalarKey(itemKey(value, this.mergeKey, this.kind));
    return k === undefined ? -1 : (this.first.get(k) ?? -1);
  }
}

/**
 * The merge-key values present in a list of maps, for membership tests; undefined when some item is not a
 * map (callers then take upstream's item-by-item path, which reports that item as upstream does).
 */
function mergeKeySet(list: readonly JSONValue[], mergeKey: string): Set<ScalarKey> | undefined {
  const keys = new Set<ScalarKey>();
  for (const item of list) {
    if (!isJSONObject(item)) return undefined;
    if (!Object.hasOwn(item, mergeKey)) continue;
    const k = scalarKey(item[mergeKey]);
    if (k !== undefined) keys.add(k);
  }
  return keys;
}

/** Whether `set` (from mergeKeySet) holds `value` under Go `==`. */
function hasMergeKey(set: Set<ScalarKey>, value: JSONValue | undefined): boolean {
  const k = scalarKey(value);
  return k !== undefined && set.has(k);
}

/** The first map in `list` whose `key` equals `value`, with its index. Throws when an item is not a map. */
export function findMapInSliceBasedOnKeyValue(
  list: readonly JSONValue[],
  key: string,
  value: JSONValue | undefined,
): { map: JSONObject; index: number } | undefined {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isJSONObject(item)) throw unconvertedError(`value for key ${i} is not a map`);
    if (Object.hasOwn(item, key) && goScalarEqual(item[key], value)) return { map: item, index: i };
  }
  return undefined;
}

/** Every item of every list must be a map holding `mergeKey`. */
export function validateMergeKeyInLists(mergeKey: string, ...lists: ReadonlyArray<readonly JSONValue[]>): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isJSONObject(item)) throw errBadArgType(mapTypeName, item);
      if (!Object.hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
  }
}

/** Splits list-of-maps patch items into those that stay and the `{$patch: delete}` ones. */
export function extractToDeleteItems(list: readonly JSONValue[]): { keep: JSONValue[]; toDelete: JSONValue[] } {
  const keep: JSONValue[] = [];
  const toDelete: JSONValue[] = [];
  for (const v of list) {
    if (!isJSONObject(v)) throw errBadArgType(mapTypeName, v);
    if (Object.hasOwn(v, directiveMarker) && v[directiveMarker] === deleteDirective) toDelete.push(v);
    else keep.push(v);
  }
  return { keep, toDelete };
}

/**
 * Sorts `toSort` by the positions of its items in `order`; `{$patch: delete}` items go last. Items that
 * `order` lacks follow Go's sort.SliceStable with upstream's comparator (which calls them "less" than
 * anything), reproduced exactly for lists of up to 20 items.
 */
export function normalizeSliceOrder(toSort: JSONValue[], order: readonly JSONValue[], mergeKey: string, kind: ValueKind): JSONValue[] {
  let items = toSort;
  let toDelete: JSONValue[] = [];
  if (kind === 'map') {
    validateMergeKeyInLists(mergeKey, toSort, order);
    ({ keep: items, toDelete } = extractToDeleteItems(toSort));
  }
  const index = new ItemPositions(order, mergeKey, kind);
  const positions = items.map((item) => index.indexOf(item));
  const pairs = items.map((item, i) => ({ item, at: positions[i]! }));
  if (positions.every((p) => p >= 0)) {
    pairs.sort((a, b) => a.at - b.at);
  } else {
    // Insertion sort with less(i, j) = both found ? i before j : true, as Go's SliceStable runs it.
    for (let i = 1; i < pairs.length; i++) {
      for (let j = i; j > 0; j--) {
        const a = pairs[j]!;
        const b = pairs[j - 1]!;
        const less = a.at >= 0 && b.at >= 0 ? a.at < b.at : true;
        if (!less) break;
        pairs[j] = b;
        pairs[j - 1] = a;
      }
    }
  }
  return [...pairs.map((p) => p.item), ...toDelete];
}

/**
 * Interleaves two already ordered, disjoint lists: each `left` item is placed before the first `right`
 * item it precedes in `serverOrder`; items `serverOrder` lacks keep their relative order.
 */
export function mergeSortedSlice(
  left: readonly JSONValue[],
  right: readonly JSONValue[],
  serverOrder: readonly JSONValue[],
  mergeKey: string,
  kind: ValueKind,
): JSONValue[] {
  const out: JSONValue[] = [];
  const index = new ItemPositions(serverOrder, mergeKey, kind);
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]!);
    else if (j >= right.length) out.push(left[i++]!);
    else {
      const li = index.indexOf(left[i]!);
      const ri = index.indexOf(right[j]!);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]!);
      else out.push(right[j++]!);
    }
  }
  return out;
}

/**
 * The final order of a merged list: patch items ordered by `patchOrder`, server-only items by
 * `serverOrder`, then the server-only items slotted in among the patch items.
 */
export function normalizeElementOrder(
  patch: JSONValue[],
  serverOnly: JSONValue[],
  patchOrder: readonly JSONValue[],
  serverOrder: readonly JSONValue[],
  mergeKey: string,
  kind: ValueKind,
): JSONValue[] {
  const sortedPatch = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const sortedServerOnly = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(sortedServerOnly, sortedPatch, serverOrder, mergeKey, kind);
}

/** Splits primitive `list` into the values `partitionBy` holds and the others, keeping order. */
export function partitionPrimitivesByPresentInList(list: readonly JSONValue[], partitionBy: readonly JSONValue[]): { present: JSONValue[]; absent: JSONValue[] } {
  const inPatch = new Set<JSONValue>(partitionBy);
  const present: JSONValue[] = [];
  const absent: JSONValue[] = [];
  for (const v of list) (inPatch.has(v) ? present : absent).push(v);
  return { present, absent };
}

/** Splits list-of-maps `list` into the items whose merge key `partitionBy` holds and the others, keeping order. */
export function partitionMapsByPresentInList(
  list: readonly JSONValue[],
  partitionBy: readonly JSONValue[],
  mergeKey: string,
): { present: JSONValue[]; absent: JSONValue[] } {
  const present: JSONValue[] = [];
  const absent: JSONValue[] = [];
  const keys = mergeKeySet(partitionBy, mergeKey);
  for (const v of list) {
    if (!isJSONObject(v)) throw errBadArgType(mapTypeName, v);
    if (!Object.hasOwn(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    const found = keys ? hasMergeKey(keys, v[mergeKey]) : findMapInSliceBasedOnKeyValue(partitionBy, mergeKey, v[mergeKey]) !== undefined;
    (found ? present : absent).push(v);
  }
  return { present, absent };
}

/**
 * Removes later duplicates the way upstream does (Go `==`), in place: each duplicate is overwritten by the
 * current last item, so the survivors' order can change. Returns the new length; items past it are stale
 * (as in the Go slice's backing array) and the array keeps its length.
 */
export function deduplicateInPlace(s: JSONValue[]): number {
  let last = s.length - 1;
  for (let i = 0; i < last; i++) {
    for (let j = i + 1; j <= last; j++) {
      if (goScalarEqual(s[i], s[j])) {
        s[j] = s[last]!;
        last--;
        j--;
      }
    }
  }
  return last + 1;
}

/** deduplicateInPlace on a copy: the deduplicated list. */
export function deduplicateScalars(list: readonly JSONValue[]): JSONValue[] {
  const s = [...list];
  return s.slice(0, deduplicateInPlace(s));
}

/**
 * Sorts by the `%v` text of `keyOf(item)`, as upstream's sort.Sort with a `<=` comparator does for short
 * lists: ascending, and equal keys end up in reverse order of appearance. Returns a new list.
 */
export function sortByGoText<T>(list: readonly T[], keyOf: (item: T) => JSONValue | undefined): T[] {
  const keyed = list.map((item) => ({ item, text: formatGoValue(keyOf(item)) })).reverse();
  keyed.sort((a, b) => compareGoStrings(a.text, b.text));
  return keyed.map((k) => k.item);
}

export function sortScalars(list: readonly JSONValue[]): JSONValue[] {
  return sortByGoText(list, (v) => v);
}
