// Conflict detection for three-way patches created without overwrite (upstream's MergingMapsHaveConflicts):
// does the patch change some key differently from how it changed between the original and the live object?
import { stringify } from 'yaml';
import { StatusError } from '../../errors.js';
import { deepEqual, isJSONObject, type JSONObject, type JSONValue } from '../json-value.js';
import { formatGoValue, goTypeName } from './go-value.js';
import { mustResolveField } from './field-lookup.js';
import { deduplicateScalars, directiveMarker, mergeDirective, replaceDirective, retainKeysDirective, sliceElementType, sortScalars } from './list-order.js';
import type { LookupPatchMeta } from './patch-meta.js';
import { unconvertedError } from './patch-errors.js';

/** A 409 carrying upstream's conflict text (both patches as YAML) when `patch` and `changed` overlap differently. */
export function findConflicts(patch: JSONObject, changed: JSONObject, schema: LookupPatchMeta): StatusError | undefined {
  if (!fieldsHaveConflicts(patch, changed, schema, '', '')) return undefined;
  const yaml = (v: JSONObject) => stringify(v, { sortMapEntries: true, indentSeq: false });
  return new StatusError({
    code: 409,
    reason: 'Conflict',
    message: `patch:\n${yaml(patch)}\nconflicts with changes made from original to current:\n${yaml(changed)}\n`,
  });
}

/** True when the two patches overlap on some key with different effects. */
export function fieldsHaveConflicts(left: JSONValue, right: JSONValue, schema: LookupPatchMeta, strategy: string, mergeKey: string): boolean {
  if (isJSONObject(left)) {
    if (!isJSONObject(right)) return true;
    const leftHas = Object.hasOwn(left, directiveMarker);
    const rightHas = Object.hasOwn(right, directiveMarker);
    // A directive acts on the whole map: one side deleting or replacing it conflicts with any other change.
    if (leftHas || rightHas) {
      if (leftHas !== rightHas) return true;
      if (left[directiveMarker] !== right[directiveMarker]) return true;
    }
    if (strategy === replaceDirective) return false;
    return mapsHaveConflicts(left, right, schema);
  }
  if (Array.isArray(left)) {
    if (!Array.isArray(right)) return true;
    return slicesHaveConflicts(left, right, schema, strategy, mergeKey);
  }
  return !deepEqual(left, right);
}

function mapsHaveConflicts(left: JSONObject, right: JSONObject, schema: LookupPatchMeta): boolean {
  for (const [key, leftValue] of Object.entries(left)) {
    if (key === directiveMarker || key === retainKeysDirective || !Object.hasOwn(right, key)) continue;
    let sub = schema;
    let strategy = '';
    let mergeKey = '';
    if (Array.isArray(leftValue) || isJSONObject(leftValue)) {
      const lookup = Array.isArray(leftValue) ? schema.lookupPatchMetadataForSlice(key) : schema.lookupPatchMetadataForStruct(key);
      ({ schema: sub, strategy, mergeKey } = mustResolveField(lookup));
    }
    if (fieldsHaveConflicts(leftValue, right[key]!, sub, strategy, mergeKey)) return true;
  }
  return false;
}

function slicesHaveConflicts(left: JSONValue[], right: JSONValue[], schema: LookupPatchMeta, strategy: string, mergeKey: string): boolean {
  const kind = sliceElementType(left, right);
  if (strategy === mergeDirective) {
    // Merged primitive lists never conflict; merged maps conflict item by item.
    if (kind !== 'map') return false;
    const l = byMergeKey(left, mergeKey);
    const r = byMergeKey(right, mergeKey);
    for (const [key, v] of l) if (r.has(key) && fieldsHaveConflicts(v, r.get(key)!, schema, '', '')) return true;
    return false;
  }
  if (left.length !== right.length) return true;
  const l = kind === 'map' ? left : sortScalars(deduplicateScalars(left));
  const r = kind === 'map' ? right : sortScalars(deduplicateScalars(right));
  for (let i = 0; i < l.length; i++) if (fieldsHaveConflicts(l[i]!, r[i]!, schema, '', '')) return true;
  return false;
}

/** Go's `%s` of a merge-key value, the key upstream indexes merged items by. */
function percentS(v: JSONValue): string {
  return typeof v === 'string' ? v : `%!s(${goTypeName(v)}=${formatGoValue(v)})`;
}

function byMergeKey(list: JSONValue[], mergeKey: string): Map<string, JSONObject> {
  const out = new Map<string, JSONObject>();
  for (const item of list) {
    if (!isJSONObject(item)) throw unconvertedError(`invalid element type in merging list:${formatGoValue(list)}`);
    if (!Object.hasOwn(item, mergeKey)) throw unconvertedError(`cannot find merge key \`${mergeKey}\` in merging list element:${formatGoValue(item)}`);
    out.set(percentS(item[mergeKey]!), item);
  }
  return out;
}
