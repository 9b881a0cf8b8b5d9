// JSON Merge Patch (RFC 7386, `application/merge-patch+json`, what `kubectl label`, `scale` and
// `patch --type merge` send): objects merge recursively, null deletes, anything else replaces.

import { newBadRequest } from '../errors.js';
import { deepEqual, isJSONObject, setMember, type JSONObject, type JSONValue } from './json-value.js';

/** Drops null members from objects, at any depth (inside arrays too; null array elements stay). */
function pruneNulls(v: JSONValue): JSONValue {
  if (Array.isArray(v)) return v.map((x) => (x === null ? null : pruneNulls(x)));
  if (!isJSONObject(v)) return v;
  const out: JSONObject = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) setMember(out, k, pruneNulls(x));
  return out;
}

function mergeInto(target: JSONValue | undefined, patch: JSONObject): JSONObject {
  const out: JSONObject = isJSONObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (isJSONObject(v) && Object.hasOwn(out, k) && isJSONObject(out[k])) setMember(out, k, mergeInto(out[k], v));
    else setMember(out, k, pruneNulls(v));
  }
  return out;
}

/**
 * Applies a merge patch to `doc` and returns the result; `doc` is not modified (unchanged subtrees are
 * shared with it). A patch that is not an object replaces the document, except that null, strings,
 * numbers and booleans are rejected with upstream's 400 `Invalid JSON Patch`.
 */
export function applyMergePatch(doc: JSONValue, patch: JSONValue): JSONValue {
  if (isJSONObject(patch)) return mergeInto(doc, patch);
  if (Array.isArray(patch)) return pruneNulls(patch);
  throw newBadRequest('Invalid JSON Patch');
}

/**
 * The 2-way merge patch that turns `original` into `modified`: removed members become null, objects are
 * diffed recursively, everything else (arrays included) is replaced whole. `{}` when they are equal.
 * Null values inside `modified` cannot be expressed (null means delete) and are treated as absent.
 */
export function createMergePatch(original: JSONObject, modified: JSONObject): JSONObject {
  const patch: JSONObject = {};
  for (const k of Object.keys(original)) {
    if (!Object.hasOwn(modified, k) || modified[k] === null) {
      if (original[k] !== null) setMember(patch, k, null);
    }
  }
  for (const [k, v] of Object.entries(modified)) {
    if (v === null) continue;
    const before = Object.hasOwn(original, k) ? original[k] : undefined;
    if (isJSONObject(v) && isJSONObject(before)) {
      const sub = createMergePatch(before, v);
      if (Object.keys(sub).length > 0) setMember(patch, k, sub);
    } else if (before === undefined || before === null || !deepEqual(before, v)) {
      setMember(patch, k, v);
    }
  }
  return patch;
}
