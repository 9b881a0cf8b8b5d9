// The ResourceHandler's pluggable steps wired to the built-in implementations: JSON and merge patches
// (src/apimachinery/patch) and fieldValidation against the generated schema tables.

import { newBadRequest } from '../../apimachinery/errors.js';
import { applyJSONPatch, decodeJSONPatch } from '../../apimachinery/patch/json-patch.js';
import { applyMergePatch } from '../../apimachinery/patch/merge-patch.js';
import type { JSONObject, JSONValue } from '../../apimachinery/patch/json-value.js';
import { applyStrategicMergePatch } from '../../apimachinery/patch/strategic/strategic-merge-patch.js';
import { applyDefaults } from '../../api/defaults/registry.js';
import { strategicMergePatchSchema } from '../../api/strategic-schema.js';
import { newUnsupportedMediaTypeFor } from '../negotiation/media-type.js';
import { applyFieldValidation, warningHeaderValue } from '../field-validation/field-validation.js';
import { findTypeError } from '../field-validation/type-errors.js';
import { zeroNullElements } from '../field-validation/null-values.js';
import { checkUnknownFields } from '../field-validation/unknown-fields.js';
import type { APIObject } from '../registry/strategy.js';
import type { FieldValidator, PatchApplier } from './resource-handler.js';

/** The group, version and kind an object names in apiVersion/kind. */
function gvkOf(obj: APIObject): { group: string; version: string; kind: string } {
  const apiVersion = String(obj.apiVersion ?? '');
  const slash = apiVersion.indexOf('/');
  return { group: slash < 0 ? '' : apiVersion.slice(0, slash), version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1), kind: String(obj.kind ?? '') };
}

/**
 * JSON patch, merge patch, and strategic merge patch for kinds the schema tables describe (upstream
 * answers 415 for strategic merge patches of kinds without Go struct tags, i.e. custom resources).
 */
export const applyBuiltinPatch: PatchApplier = (type, original, patch) => {
  let out: JSONValue;
  if (type === 'json') out = applyJSONPatch(original as JSONValue, decodeJSONPatch(patch));
  else if (type === 'merge') out = applyMergePatch(original as JSONValue, patch as JSONValue);
  else if (type === 'strategic') {
    const { group, version, kind } = gvkOf(original);
    const schema = strategicMergePatchSchema(group, version, kind);
    if (!schema) throw newUnsupportedMediaTypeFor('application/strategic-merge-patch+json', ['application/json-patch+json', 'application/merge-patch+json']);
    out = applyStrategicMergePatch({ original: original as JSONObject, patch: patch as JSONValue, schema });
  } else throw newBadRequest(`patch type ${type} is not supported`);
  if (out === null || typeof out !== 'object' || Array.isArray(out)) throw newBadRequest('the patched object is not an object');
  return out as APIObject;
};

/** Splits an upstream field path ("spec.containers[0].bogus") into keys and indices. */
function pathSegments(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return [];
    if (m[1]) out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** Removes the field at `path` from `obj` when the path resolves; leaves everything else alone. */
export function pruneField(obj: unknown, path: string): void {
  const segs = pathSegments(path);
  let cur: unknown = obj;
  for (let i = 0; i < segs.length - 1; i++) {
    if (cur === null || typeof cur !== 'object') return;
    cur = (cur as Record<string | number, unknown>)[segs[i]];
  }
  const last = segs[segs.length - 1];
  if (cur !== null && typeof cur === 'object' && !Array.isArray(cur) && typeof last === 'string') delete (cur as Record<string, unknown>)[last];
}

/**
 * Strict/Warn/Ignore per the request's fieldValidation, with warnings ready for the Warning header. Unknown
 * fields that are let through are dropped from the object, as upstream's decoder drops them before storing.
 */
export const builtinFieldValidator: FieldValidator = ({ query, obj, optionsKind, registry, decoderErrors }) => {
  const r = registry.resource;
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  // A value the Go type cannot hold fails decoding before any validation, whatever fieldValidation says.
  const typeError = findTypeError(obj, gvk);
  if (typeError) {
    throw newBadRequest(optionsKind === 'PatchOptions' ? typeError.message : `${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: ${typeError.message}`);
  }
  zeroNullElements(obj, gvk);
  const fieldValidation = query.get('fieldValidation');
  const { warnings } = applyFieldValidation({ object: obj, gvk, fieldValidation, optionsKind, decoderErrors });
  if (warnings.length > 0 || fieldValidation === 'Ignore') {
    for (const u of checkUnknownFields(obj, gvk)) pruneField(obj, u.path);
  }
  return { warnings: warnings.map(warningHeaderValue) };
};

/**
 * Upstream's defaulting of the served version (src/api/defaults), applied to a decoded body or patch result.
 * A body naming another apiVersion/kind is left alone: the registry rejects it with 400 right after.
 */
export function builtinDefaulter(registry: { resource: { group: string; version: string; kind: string }; apiVersion: string }, obj: APIObject): void {
  const r = registry.resource;
  if ((obj.apiVersion !== undefined && obj.apiVersion !== registry.apiVersion) || (obj.kind !== undefined && obj.kind !== r.kind)) return;
  applyDefaults(r.group, r.version, r.kind, obj as JSONObject);
}
