// Applying a strategic merge patch (`application/strategic-merge-patch+json`, what `kubectl patch`, client-side
// `apply` and `edit` send for built-in kinds): upstream's StrategicMergeMapPatch, directive for directive.
import { StatusError } from '../../errors.js';
import { deepCopy, deepEqual, isJSONObject, setMember, type JSONObject, type JSONValue } from '../json-value.js';
import { mustResolveField } from './field-lookup.js';
import { formatGoValue, goScalarEqual, kindOf } from './go-value.js';
import {
  deduplicateInPlace,
  deleteDirective,
  deleteFromPrimitiveListDirectivePrefix,
  directiveMarker,
  extractToDeleteItems,
  findMapInSliceBasedOnKeyValue,
  mergeDirective,
  normalizeElementOrder,
  partitionMapsByPresentInList,
  partitionPrimitivesByPresentInList,
  replaceDirective,
  retainKeysDirective,
  scalarKey,
  setElementOrderDirectivePrefix,
  sliceElementType,
  type ScalarKey,
} from './list-order.js';
import type { LookupPatchMeta } from './patch-meta.js';
import {
  errBadArgType,
  errBadPatchFormatForPrimitiveList,
  errBadPatchFormatForRetainKeys,
  errBadPatchFormatForSetElementOrderList,
  errBadPatchType,
  errNoMergeKey,
  mapTypeName,
  sliceTypeName,
  unconvertedError,
} from './patch-errors.js';

/**
 * How mergeMap treats directives. The apiserver applies patches with both true; combining two patches into
 * one (the three-way patch) uses both false, so directives and nulls survive into the combined patch.
 */
export interface MergeOptions {
  /** Apply `$deleteFromPrimitiveList`, `$retainKeys` and `$setElementOrder` rather than carry them over. */
  mergeParallelList: boolean;
  /** Drop nulls that have nothing to delete rather than keep them. */
  ignoreUnmatchedNulls: boolean;
}

export interface StrategicMergePatchOptions {
  /** The object as stored (JSON form). Not modified. */
  original: JSONObject;
  /** The decoded request body. `null` is an empty patch; anything but an object is a 400. */
  patch: JSONValue;
  /** Patch metadata of the object's kind, e.g. from src/api/strategic-schema.ts. */
  schema: LookupPatchMeta;
}

/**
 * Applies a strategic merge patch as the apiserver does and returns the patched object. Neither input is
 * modified; unchanged subtrees of `original` are shared with the result (as applyMergePatch does), so copy
 * before mutating the result in place. Throws StatusError with upstream's status and message: 400 for malformed
 * directives, 422 for lists of lists, 500 (reason "") for the errors upstream leaves unconverted, such as a
 * list item without its merge key or a `$setElementOrder` list that contradicts the patch.
 */
export function applyStrategicMergePatch({ original, patch, schema }: StrategicMergePatchOptions): JSONObject {
  if (patch === null) return deepCopy(original);
  if (!isJSONObject(patch)) {
    const what = Array.isArray(patch) ? 'array' : typeof patch === 'boolean' ? 'bool' : typeof patch;
    throw new StatusError({ code: 400, reason: 'BadRequest', message: `json: cannot unmarshal ${what} into Go value of type map[string]interface {}` });
  }
  return mergeMap(original, deepCopy(patch), schema, { mergeParallelList: true, ignoreUnmatchedNulls: true });
}

/** Go's strings.SplitN(s, "/", 2) check: the field name after `prefix/`, or undefined when `s` is not that shape. */
function extractKey(s: string, prefix: string): string | undefined {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) return undefined;
  return s.slice(slash + 1);
}

/**
 * Merges `patch` into `original` and returns the result. `original` is not modified: each map on the way
 * down is copied before it changes (upstream mutates in place; the outcome is the same). `patch` is consumed
 * (callers pass a copy). `original` null stands for an empty map.
 */
export function mergeMap(original: JSONObject | null, patch: JSONObject, schema: LookupPatchMeta, options: MergeOptions): JSONObject {
  if (Object.hasOwn(patch, directiveMarker)) return handleDirectiveInMergeMap(patch[directiveMarker], patch);
  const target: JSONObject = original ? { ...original } : {};
  applyRetainKeysDirective(target, patch, options);
  mergePatchIntoOriginal(target, patch, schema, options);

  for (const patchKey of Object.keys(patch)) {
    const patchV = patch[patchKey]!;
    let key = patchKey;
    let isDeleteList = false;
    if (patchKey.startsWith(deleteFromPrimitiveListDirectivePrefix)) {
      if (!options.mergeParallelList) {
        setMember(target, patchKey, patchV);
        continue;
      }
      const field = extractKey(patchKey, deleteFromPrimitiveListDirectivePrefix);
      if (field === undefined) throw errBadPatchFormatForPrimitiveList();
      isDeleteList = true;
      if (field.length > 0) key = field;
    }

    if (patchV === null) {
      delete target[key];
      if (options.ignoreUnmatchedNulls) continue;
    }

    if (!Object.hasOwn(target, key) || kindOf(target[key]) !== kindOf(patchV)) {
      if (!isDeleteList) takePatchValue(target, key, patchV, options);
      continue;
    }

    const originalV = target[key]!;
    if (isJSONObject(originalV)) {
      const field = mustResolveField(schema.lookupPatchMetadataForStruct(key));
      const patchMap = patchV as JSONObject;
      setMember(target, key, field.strategy === replaceDirective ? patchMap : mergeMap(originalV, patchMap, field.schema, options));
    } else if (Array.isArray(originalV)) {
      const field = mustResolveField(schema.lookupPatchMetadataForSlice(key));
      setMember(target, key, mergeSliceHandler(originalV, patchV as JSONValue[], field.schema, field.strategy, field.mergeKey, isDeleteList, options).merged);
    } else {
      takePatchValue(target, key, patchV, { ...options, ignoreUnmatchedNulls: false });
    }
  }
  return target;
}

/** Sets `target[key]` to the patch value without its directives (and, if asked, without its nulls). */
function takePatchValue(target: JSONObject, key: string, patchV: JSONValue, options: MergeOptions): void {
  if (options.ignoreUnmatchedNulls) discardNullValuesFromPatch(patchV);
  const cleaned = removeDirectives(patchV);
  if (cleaned.keep) setMember(target, key, cleaned.value);
  else delete target[key];
}

function handleDirectiveInMergeMap(directive: JSONValue | undefined, patch: JSONObject): JSONObject {
  if (directive === replaceDirective) {
    delete patch[directiveMarker];
    return patch;
  }
  if (directive === deleteDirective) return {};
  throw errBadPatchType(directive, patch);
}

/** Removes null members from maps at any depth (list items themselves stay). */
function discardNullValuesFromPatch(v: JSONValue): void {
  if (Array.isArray(v)) {
    for (const item of v) discardNullValuesFromPatch(item);
  } else if (isJSONObject(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k];
      else discardNullValuesFromPatch(v[k]!);
    }
  }
}

/**
 * Strips `$patch` maps from a value taken verbatim from a patch: a map carrying `$patch` disappears (from its
 * parent map or list). Other directive keys stay, as upstream leaves them. Modifies maps in place.
 */
function removeDirectives(v: JSONValue): { value: JSONValue; keep: boolean } {
  if (Array.isArray(v)) {
    const out: JSONValue[] = [];
    for (const item of v) {
      const r = removeDirectives(item);
      if (r.keep) out.push(r.value);
    }
    return { value: out, keep: true };
  }
  if (isJSONObject(v)) {
    if (Object.hasOwn(v, directiveMarker)) return { value: null, keep: false };
    for (const k of Object.keys(v)) {
      const r = removeDirectives(v[k]!);
      if (r.keep) setMember(v, k, r.value);
      else delete v[k];
    }
    return { value: v, keep: true };
  }
  return { value: v, keep: true };
}

/**
 * `$retainKeys: [...]` clears every field of `original` the list does not name, after checking that the
 * patch sets no field outside it. When combining patches it is carried over instead (and must agree).
 */
function applyRetainKeysDirective(original: JSONObject, patch: JSONObject, options: MergeOptions): void {
  if (!Object.hasOwn(patch, retainKeysDirective)) return;
  const retainKeys = patch[retainKeysDirective]!;
  delete patch[retainKeysDirective];

  if (!options.mergeParallelList) {
    if (Object.hasOwn(original, retainKeysDirective)) {
      const inOriginal = original[retainKeysDirective]!;
      if (!deepEqual(inOriginal, retainKeys)) {
        throw unconvertedError(`${formatGoValue(inOriginal)} and ${formatGoValue(retainKeys)} are not deep equal: this may happen when calculating the 3-way diff patch`);
      }
    } else {
      setMember(original, retainKeysDirective, retainKeys);
    }
    return;
  }

  if (!Array.isArray(retainKeys)) throw errBadPatchFormatForRetainKeys();
  const keep = new Set<JSONValue>(retainKeys);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(deleteFromPrimitiveListDirectivePrefix) || k.startsWith(setElementOrderDirectivePrefix)) continue;
    if (!keep.has(k)) throw errBadPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/**
 * Handles every `$setElementOrder/<field>` of `patch`: merges `<field>` (if patched) and orders the result
 * by the directive, server-only items slotted in by their live order. Consumes both keys from `patch`.
 */
function mergePatchIntoOriginal(original: JSONObject, patch: JSONObject, schema: LookupPatchMeta, options: MergeOptions): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(setElementOrderDirectivePrefix)) continue;
    const setOrder = patch[key]!;
    if (!options.mergeParallelList) {
      if (Object.hasOwn(original, key)) {
        if (!deepEqual(original[key], setOrder)) throw errBadPatchFormatForSetElementOrderList();
      } else {
        setMember(original, key, setOrder);
      }
    }
    delete patch[key];

    if (!Array.isArray(setOrder)) throw errBadArgType(sliceTypeName, setOrder);
    const field = extractKey(key, setElementOrderDirectivePrefix);
    if (field === undefined) throw errBadPatchFormatForSetElementOrderList();

    const foundOriginal = Object.hasOwn(original, field);
    const foundPatch = Object.hasOwn(patch, field);
    let originalList: JSONValue[] | undefined;
    let patchList: JSONValue[] | undefined;
    if (foundOriginal) {
      const v = original[field]!;
      if (!Array.isArray(v)) throw errBadArgType(sliceTypeName, v);
      originalList = v;
    }
    if (foundPatch) {
      const v = patch[field]!;
      if (!Array.isArray(v)) throw errBadArgType(sliceTypeName, v);
      patchList = v;
    }
    const meta = mustResolveField(schema.lookupPatchMetadataForSlice(field));
    validatePatchWithSetOrderList(patchList, setOrder, meta.mergeKey);

    let merged: JSONValue[];
    let serverOrder = originalList ?? [];
    if (originalList && !patchList) merged = originalList;
    else if (!originalList && patchList) merged = removeDirectives(patchList).value as JSONValue[];
    else if (originalList && patchList) {
      ({ merged, originalView: serverOrder } = mergeSliceHandler(originalList, patchList, meta.schema, meta.strategy, meta.mergeKey, false, options));
    } else continue;

    const { present, absent } = meta.mergeKey
      ? partitionMapsByPresentInList(merged, setOrder, meta.mergeKey)
      : partitionPrimitivesByPresentInList(merged, setOrder);
    const kind = sliceElementType(originalList, patchList);
    setMember(original, field, normalizeElementOrder(present, absent, setOrder, serverOrder, meta.mergeKey, kind));
    delete patch[field];
  }
}

/** Upstream's mergeKeyValueEqual: same merge-key value (maps) or same value (primitives, no merge key). */
function mergeKeyValueEqual(left: JSONValue, right: JSONValue, mergeKey: string): boolean {
  if (!mergeKey) return goScalarEqual(left, right);
  if (!isJSONObject(left)) throw errBadArgType(mapTypeName, left);
  if (!isJSONObject(right)) throw errBadArgType(mapTypeName, right);
  if (!Object.hasOwn(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!Object.hasOwn(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return goScalarEqual(left[mergeKey], right[mergeKey]);
}

/**
 * The patch list's items (deletions and other directive items aside) must appear in the `$setElementOrder`
 * list in the same relative order.
 */
function validatePatchWithSetOrderList(patchList: JSONValue[] | undefined, setOrder: JSONValue[], mergeKey: string): void {
  if (setOrder.length === 0 || !patchList || patchList.length === 0) return;
  const items = mergeKey ? extractToDeleteItems(patchList).keep : patchList;
  let p = 0;
  let s = 0;
  while (p < items.length && s < setOrder.length) {
    const item = items[p]!;
    if (isJSONObject(item) && Object.hasOwn(item, directiveMarker)) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(item, setOrder[s]!, mergeKey)) p++;
    s++;
  }
  if (p < items.length && s >= setOrder.length) {
    throw unconvertedError(
      `The order in patch list:\n${formatGoValue(patchList)}\n doesn't match ${setElementOrderDirectivePrefix} list:\n${formatGoValue(setOrder)}\n`,
    );
  }
}

/**
 * The outcome of merging a list: the merged list, and what the caller's view of the original list shows
 * afterwards. Upstream merges in place on Go slices, so deleting items shifts the original's backing array
 * and appending reuses its spare capacity; `$setElementOrder` then orders server-only items by that view.
 */
interface SliceMerge {
  merged: JSONValue[];
  originalView: JSONValue[];
}

function mergeSliceHandler(
  original: JSONValue[],
  patch: JSONValue[],
  schema: LookupPatchMeta,
  strategy: string,
  mergeKey: string,
  isDeleteList: boolean,
  options: MergeOptions,
): SliceMerge {
  if (strategy === mergeDirective || isDeleteList) return mergeSlice(original, patch, schema, mergeKey, options, isDeleteList);
  return { merged: patch, originalView: original };
}

/**
 * The capacity Go's JSON decoder leaves on a list of `length` items (it appends one by one). The apiserver's
 * real capacity depends on how it decoded the stored object; k8ts stores JSON, so this is the model.
 */
function goAppendCapacity(length: number): number {
  let cap = 0;
  while (cap < length) cap = cap === 0 ? 1 : cap < 256 ? cap * 2 : cap + ((cap + 3 * 256) >> 2);
  return cap;
}

/**
 * Merges a list with patch strategy "merge": primitives are united (or, for a `$deleteFromPrimitiveList`,
 * removed); maps are matched by merge key, with `$patch: delete|replace` items handled first.
 */
function mergeSlice(
  original: JSONValue[],
  patch: JSONValue[],
  schema: LookupPatchMeta,
  mergeKey: string,
  options: MergeOptions,
  isDeleteList: boolean,
): SliceMerge {
  if (original.length === 0 && patch.length === 0) return { merged: original, originalView: original };
  const kind = sliceElementType(original, patch);
  let merged: JSONValue[];
  let originalView = original;
  let serverOrder = original;
  let patchItems = patch;
  if (kind !== 'map') {
    if (options.mergeParallelList && isDeleteList) return { merged: deleteFromSlice(original, patch), originalView: original };
    const both = [...original, ...patch];
    const length = deduplicateInPlace(both);
    merged = both.slice(0, length);
    // The concatenation reuses the original's array when it fits, so deduplication rewrote it.
    if (original.length + patch.length <= goAppendCapacity(original.length)) originalView = both.slice(0, original.length);
  } else {
    if (mergeKey === '') throw unconvertedError(`cannot merge lists without merge key for ${schema.name()}`);
    const special = mergeSliceWithSpecialElements(original, patch, mergeKey);
    serverOrder = special.original;
    patchItems = special.patch;
    const plain = mergeSliceWithoutSpecialElements(serverOrder, patchItems, mergeKey, schema, options);
    merged = plain.merged;
    originalView = special.backing;
    if (!special.replace) {
      // Appends land in the original array while its capacity lasts.
      let length = special.length;
      const capacity = goAppendCapacity(original.length);
      for (const item of plain.appended) {
        if (length >= capacity) break;
        if (length < original.length) originalView[length] = item;
        length++;
      }
    }
  }
  const { present, absent } = mergeKey
    ? partitionMapsByPresentInList(merged, patchItems, mergeKey)
    : partitionPrimitivesByPresentInList(merged, patchItems);
  return { merged: normalizeElementOrder(present, absent, patchItems, serverOrder, mergeKey, kind), originalView };
}

/**
 * Applies the directive items of a list-of-maps patch: `{$patch: delete, key: v}` removes every item with
 * that key; `{$patch: replace}` makes the other patch items the whole list. Returns the list to merge into,
 * the patch items left to merge, and the original's array after the deletions shifted it (`backing`, whose
 * first `length` items are the survivors).
 */
function mergeSliceWithSpecialElements(
  original: JSONValue[],
  patch: JSONValue[],
  mergeKey: string,
): { original: JSONValue[]; patch: JSONValue[]; replace: boolean; backing: JSONValue[]; length: number } {
  const plain: JSONValue[] = [];
  let replace = false;
  const backing = [...original];
  let length = backing.length;
  for (const v of patch) {
    const item = v as JSONObject;
    if (!Object.hasOwn(item, directiveMarker)) {
      plain.push(v);
      continue;
    }
    const directive = item[directiveMarker];
    if (directive === deleteDirective) {
      if (!Object.hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
      for (;;) {
        const found = findMapInSliceBasedOnKeyValue(backing.slice(0, length), mergeKey, item[mergeKey]!);
        if (!found) break;
        backing.copyWithin(found.index, found.index + 1, length);
        length--;
      }
    } else if (directive === replaceDirective) {
      replace = true;
    } else if (directive === mergeDirective) {
      throw unconvertedError('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(directive, item);
    }
  }
  const remaining = backing.slice(0, length);
  return { original: replace ? plain : remaining, patch: replace ? [] : plain, replace, backing, length };
}

/**
 * Merges each patch item into the item with the same merge key (appending it when there is none). Returns
 * the merged list and the items appended, in order.
 */
function mergeSliceWithoutSpecialElements(
  original: JSONValue[],
  patch: JSONValue[],
  mergeKey: string,
  schema: LookupPatchMeta,
  options: MergeOptions,
): { merged: JSONValue[]; appended: JSONValue[] } {
  // Every item is a map here (sliceElementType checked), so an index of the items holding the merge key
  // finds what upstream's scan (first item whose key is present and equal) finds.
  const out = [...original];
  const appended: JSONValue[] = [];
  const first = new Map<ScalarKey, number>();
  const remember = (item: JSONObject, at: number) => {
    const k = Object.hasOwn(item, mergeKey) ? scalarKey(item[mergeKey]) : undefined;
    if (k !== undefined && !first.has(k)) first.set(k, at);
  };
  out.forEach((item, i) => remember(item as JSONObject, i));
  for (const v of patch) {
    const item = v as JSONObject;
    if (!Object.hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    const k = scalarKey(item[mergeKey]);
    const at = k === undefined ? undefined : first.get(k);
    if (at !== undefined) {
      out[at] = mergeMap(out[at] as JSONObject, item, schema, options);
    } else {
      remember(item, out.length);
      out.push(v);
      appended.push(v);
    }
  }
  return { merged: out, appended };
}

function deleteFromSlice(current: JSONValue[], toDelete: JSONValue[]): JSONValue[] {
  const drop = new Set<JSONValue>(toDelete);
  return current.filter((v) => !drop.has(v));
}
