// Computing strategic merge patches the way kubectl does: the two-way diff (`kubectl edit`) and the three-way
// diff of client-side `kubectl apply` (last-applied, new config, live object). Upstream's diffMaps family.
import { deepCopy, deepEqual, isJSONObject, setMember, type JSONObject, type JSONValue } from '../json-value.js';
import { compareGoStrings, formatGoValue, goScalarEqual, kindOf } from './go-value.js';
import { resolveField, type ResolvedField } from './field-lookup.js';
import {
  deduplicateScalars,
  deleteFromPrimitiveListDirectivePrefix,
  directiveMarker,
  deleteDirective,
  mergeDirective,
  normalizeSliceOrder,
  replaceDirective,
  retainKeysDirective,
  setElementOrderDirectivePrefix,
  sliceElementType,
  sortByGoText,
  sortScalars,
} from './list-order.js';
import type { LookupPatchMeta } from './patch-meta.js';
import { errBadArgType, errNoMergeKey, mapTypeName, unconvertedError } from './patch-errors.js';
import { mergeMap } from './strategic-merge-patch.js';
import { findConflicts } from './conflicts.js';

/** Upstream's DiffOptions: which parts of the difference a diff keeps. */
interface DiffOptions {
  /** Emit `$setElementOrder/<field>` lists for merged lists whose content or order changed. */
  setElementOrder?: boolean;
  ignoreChangesAndAdditions?: boolean;
  ignoreDeletions?: boolean;
  /** Emit `$retainKeys` for this map (its field has the retainKeys strategy). */
  buildRetainKeysDirective?: boolean;
}

export interface TwoWayMergePatchOptions {
  original: JSONObject;
  modified: JSONObject;
  schema: LookupPatchMeta;
}

/**
 * The strategic merge patch that turns `original` into `modified` (upstream's CreateTwoWayMergePatch):
 * changed and added fields, null for removed map fields, `{$patch: delete}` items and
 * `$deleteFromPrimitiveList` for merged lists, `$setElementOrder` and `$retainKeys` where they apply.
 * `{}` when they are equal. Inputs are not modified; the result shares nothing with them.
 */
export function createTwoWayMergePatch({ original, modified, schema }: TwoWayMergePatchOptions): JSONObject {
  return deepCopy(diffMaps(original, modified, schema, { setElementOrder: true }));
}

export interface ThreeWayMergePatchOptions {
  /** The configuration applied last time (kubectl's last-applied-configuration annotation); may be {}. */
  original: JSONObject;
  /** The configuration being applied now. */
  modified: JSONObject;
  /** The live object. */
  current: JSONObject;
  schema: LookupPatchMeta;
  /**
   * kubectl apply passes true (the default): the new configuration wins. With false, a patch that changes
   * a field differently from how it changed between `original` and `current` is a 409 Conflict.
   */
  overwrite?: boolean;
}

/**
 * The patch client-side `kubectl apply` sends (upstream's CreateThreeWayMergePatch): every difference from
 * `current` to `modified` except deletions, plus the deletions from `original` to `modified` — so fields
 * other writers set are kept unless the last applied configuration owned them. Inputs are not modified.
 */
export function createThreeWayMergePatch({ original, modified, current, schema, overwrite = true }: ThreeWayMergePatchOptions): JSONObject {
  const delta = diffMaps(current, modified, schema, { ignoreDeletions: true, setElementOrder: true });
  const deletions = diffMaps(original, modified, schema, { setElementOrder: true, ignoreChangesAndAdditions: true });
  // The delta shares subtrees with `modified` and `current`, and merging consumes its patch argument.
  const patch = mergeMap(deletions, deepCopy(delta), schema, { mergeParallelList: false, ignoreUnmatchedNulls: false });
  if (!overwrite) {
    const changed = diffMaps(original, current, schema, {});
    const conflict = findConflicts(patch, changed, schema);
    if (conflict) throw conflict;
  }
  return deepCopy(patch);
}

function diffMaps(original: JSONObject, modified: JSONObject, schema: LookupPatchMeta, options: DiffOptions): JSONObject {
  const patch: JSONObject = {};
  const retainKeys: JSONValue[] = [];
  for (const [key, modifiedValue] of Object.entries(modified)) {
    if (options.buildRetainKeysDirective && modifiedValue !== null) retainKeys.push(key);
    if (!Object.hasOwn(original, key)) {
      if (!options.ignoreChangesAndAdditions) setMember(patch, key, modifiedValue);
      continue;
    }
    const originalValue = original[key]!;
    if (key === directiveMarker) {
      if (typeof originalValue !== 'string' || typeof modifiedValue !== 'string') {
        throw unconvertedError(`invalid value for special key: ${directiveMarker}`);
      }
      if (originalValue !== modifiedValue) setMember(patch, key, modifiedValue);
      continue;
    }
    if (kindOf(originalValue) !== kindOf(modifiedValue)) {
      if (!options.ignoreChangesAndAdditions) setMember(patch, key, modifiedValue);
      continue;
    }
    if (isJSONObject(originalValue)) handleMapDiff(key, originalValue, modifiedValue as JSONObject, patch, schema, options);
    else if (Array.isArray(originalValue)) handleSliceDiff(key, originalValue, modifiedValue as JSONValue[], patch, schema, options);
    else replacePatchFieldIfNotEqual(key, originalValue, modifiedValue, patch, options);
  }
  if (!options.ignoreDeletions) {
    for (const key of Object.keys(original)) if (!Object.hasOwn(modified, key)) setMember(patch, key, null);
  }
  if (retainKeys.length > 0 && (Object.keys(patch).length > 0 || hasAdditionalNewField(original, modified))) {
    setMember(patch, retainKeysDirective, sortScalars(retainKeys));
  }
  return patch;
}

/** A lookup failure only matters when the values differ (upstream diffs unknown but equal fields silently). */
function lookupForDiff(lookup: ReturnType<typeof resolveField>, same: () => boolean): ResolvedField | undefined {
  if (!('error' in lookup)) return lookup;
  if (same()) return undefined;
  throw unconvertedError(lookup.error);
}

function handleMapDiff(key: string, original: JSONObject, modified: JSONObject, patch: JSONObject, schema: LookupPatchMeta, options: DiffOptions): void {
  const field = lookupForDiff(resolveField(schema.lookupPatchMetadataForStruct(key)), () => deepEqual(original, modified));
  if (!field) return;
  if (field.strategy === replaceDirective) {
    if (!options.ignoreChangesAndAdditions) setMember(patch, key, modified);
    return;
  }
  const sub = diffMaps(original, modified, field.schema, { ...options, buildRetainKeysDirective: field.retainKeys });
  if (Object.keys(sub).length > 0) setMember(patch, key, sub);
}

function handleSliceDiff(key: string, original: JSONValue[], modified: JSONValue[], patch: JSONObject, schema: LookupPatchMeta, options: DiffOptions): void {
  const field = lookupForDiff(resolveField(schema.lookupPatchMetadataForSlice(key)), () => deepEqual(original, modified));
  if (!field) return;
  if (field.strategy !== mergeDirective) {
    replacePatchFieldIfNotEqual(key, original, modified, patch, options);
    return;
  }
  const lists = diffLists(original, modified, field.schema, field.mergeKey, { ...options, buildRetainKeysDirective: field.retainKeys });
  if (lists.add.length > 0) setMember(patch, key, lists.add);
  if (lists.remove.length > 0) setMember(patch, `${deleteFromPrimitiveListDirectivePrefix}/${key}`, lists.remove);
  if (lists.order.length > 0) setMember(patch, `${setElementOrderDirectivePrefix}/${key}`, lists.order);
}

function replacePatchFieldIfNotEqual(key: string, original: JSONValue, modified: JSONValue, patch: JSONObject, options: DiffOptions): void {
  if (options.ignoreChangesAndAdditions || deepEqual(original, modified)) return;
  setMember(patch, key, modified);
}

function hasAdditionalNewField(original: JSONObject, modified: JSONObject): boolean {
  return Object.entries(original).some(([k, v]) => v !== null && !Object.hasOwn(modified, k));
}

/**
 * The patch list of a merged list (changes, additions, then `{$patch: delete}` items), the parallel deletion
 * list of a primitive list, and the `$setElementOrder` list.
 */
function diffLists(
  original: JSONValue[],
  modified: JSONValue[],
  schema: LookupPatchMeta,
  mergeKey: string,
  options: DiffOptions,
): { add: JSONValue[]; remove: JSONValue[]; order: JSONValue[] } {
  if (original.length === 0) {
    if (modified.length === 0 || options.ignoreChangesAndAdditions) return { add: [], remove: [], order: [] };
    return { add: modified, remove: [], order: [] };
  }
  const kind = sliceElementType(original, modified);
  if (kind === 'map') {
    const maps = diffListsOfMaps(original, modified, schema, mergeKey, options);
    const add = [...normalizeSliceOrder(maps.patch, modified, mergeKey, kind), ...maps.deletions];
    const orderSame = isOrderSame(original, modified, mergeKey);
    let order: JSONValue[] = [];
    if (
      options.setElementOrder &&
      ((!options.ignoreChangesAndAdditions && (add.length > 0 || !orderSame)) || (!options.ignoreDeletions && add.length > 0))
    ) {
      order = modified.map((v) => {
        const entry: JSONObject = {};
        setMember(entry, mergeKey, (v as JSONObject)[mergeKey] ?? null);
        return entry;
      });
    }
    return { add, remove: [], order };
  }
  const scalars = diffListsOfScalars(original, modified, options);
  const add = normalizeSliceOrder(scalars.add, modified, mergeKey, kind);
  // Upstream sorts the original list in place while diffing and compares that sorted list with `modified`,
  // so an unchanged but unsorted primitive list still gets a $setElementOrder.
  const changed =
    (!options.ignoreDeletions && scalars.remove.length > 0) || (!options.ignoreChangesAndAdditions && !deepEqual(sortScalars(original), modified));
  return { add, remove: scalars.remove, order: options.setElementOrder && changed ? modified : [] };
}

function isOrderSame(original: JSONValue[], modified: JSONValue[], mergeKey: string): boolean {
  if (original.length !== modified.length) return false;
  for (let i = 0; i < modified.length; i++) {
    const left = original[i]!;
    const right = modified[i]!;
    if (!mergeKey) {
      if (!goScalarEqual(left, right)) return false;
      continue;
    }
    if (!isJSONObject(left)) throw errBadArgType(mapTypeName, left);
    if (!isJSONObject(right)) throw errBadArgType(mapTypeName, right);
    if (!Object.hasOwn(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
    if (!Object.hasOwn(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
    if (!goScalarEqual(left[mergeKey], right[mergeKey])) return false;
  }
  return true;
}

/** Walks both lists sorted by `%v` text: values only in `modified` are added, values only in `original` removed. */
function diffListsOfScalars(original: JSONValue[], modified: JSONValue[], options: DiffOptions): { add: JSONValue[]; remove: JSONValue[] } {
  const o = sortScalars(original);
  const m = sortScalars(modified);
  const add: JSONValue[] = [];
  const remove: JSONValue[] = [];
  let i = 0;
  let j = 0;
  while (i < o.length || j < m.length) {
    const os = i < o.length ? formatGoValue(o[i]) : undefined;
    const ms = j < m.length ? formatGoValue(m[j]) : undefined;
    if (os !== undefined && ms !== undefined && os === ms) {
      i++;
      j++;
    } else if (os === undefined || (ms !== undefined && compareGoStrings(os, ms) > 0)) {
      if (!options.ignoreChangesAndAdditions) add.push(m[j]!);
      j++;
    } else {
      if (!options.ignoreDeletions) remove.push(o[i]!);
      i++;
    }
  }
  return { add, remove: deduplicateScalars(remove) };
}

/** A list-of-maps item and the text of its merge-key value, checked as upstream's getMapAndMergeKeyValueByIndex. */
function keyed(item: JSONValue, mergeKey: string): { map: JSONObject; key: JSONValue; text: string } {
  if (!isJSONObject(item)) throw errBadArgType(mapTypeName, item);
  if (!Object.hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
  const key = item[mergeKey]!;
  return { map: item, key, text: formatGoValue(key) };
}

/**
 * Pairs the items of two lists of maps by merge key (both sorted by its `%v` text): matched items are diffed
 * recursively, new items added whole, missing items become `{<key>: v, $patch: delete}`.
 */
function diffListsOfMaps(
  original: JSONValue[],
  modified: JSONValue[],
  schema: LookupPatchMeta,
  mergeKey: string,
  options: DiffOptions,
): { patch: JSONValue[]; deletions: JSONValue[] } {
  const byKey = (v: JSONValue) => (isJSONObject(v) ? v[mergeKey] : undefined);
  const o = sortByGoText(original, byKey);
  const m = sortByGoText(modified, byKey);
  const patch: JSONValue[] = [];
  const deletions: JSONValue[] = [];
  let i = 0;
  let j = 0;
  while (i < o.length || j < m.length) {
    const oe = i < o.length ? keyed(o[i]!, mergeKey) : undefined;
    const me = j < m.length ? keyed(m[j]!, mergeKey) : undefined;
    if (oe && me && oe.text === me.text) {
      const sub = diffMaps(oe.map, me.map, schema, options);
      if (Object.keys(sub).length > 0) {
        setMember(sub, mergeKey, me.key);
        patch.push(sub);
      }
      i++;
      j++;
    } else if (!oe || (me && compareGoStrings(oe.text, me.text) > 0)) {
      if (!options.ignoreChangesAndAdditions) patch.push(me!.map);
      j++;
    } else {
      if (!options.ignoreDeletions) {
        const directive: JSONObject = {};
        setMember(directive, mergeKey, oe.key);
        directive[directiveMarker] = deleteDirective;
        deletions.push(directive);
      }
      i++;
    }
  }
  return { patch, deletions };
}

