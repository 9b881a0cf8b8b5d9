// The ResourceHandler's pluggable steps wired to the built-in implementations: JSON and merge patches
// (src/apimachinery/patch) and fieldValidation against the generated schema tables.

import { newBadRequest } from '../../apimachinery/errors.js';
import { applyJSONPatch, decodeJSONPatch } from '../../apimachinery/patch/json-patch.js';
import { applyMergePatch } from '../../apimachinery/patch/merge-patch.js';
import type { JSONValue } from '../../apimachinery/patch/json-value.js';
import { applyFieldValidation, warningHeaderValue } from '../field-validation/field-validation.js';
import type { APIObject } from '../registry/strategy.js';
import type { FieldValidator, PatchApplier } from './resource-handler.js';

export const applyBuiltinPatch: PatchApplier = (type, original, patch) => {
  let out: JSONValue;
  if (type === 'json') out = applyJSONPatch(original as JSONValue, decodeJSONPatch(patch));
  else if (type === 'merge') out = applyMergePatch(original as JSONValue, patch as JSONValue);
  else throw newBadRequest(`patch type ${type} is not supported`);
  if (out === null || typeof out !== 'object' || Array.isArray(out)) throw newBadRequest('the patched object is not an object');
  return out as APIObject;
};

/** Strict/Warn/Ignore per the request's fieldValidation, with warnings ready for the Warning header. */
export const builtinFieldValidator: FieldValidator = ({ query, obj, optionsKind, registry }) => {
  const r = registry.resource;
  const { warnings } = applyFieldValidation({
    object: obj,
    gvk: { group: r.group, version: r.version, kind: r.kind },
    fieldValidation: query.get('fieldValidation'),
    optionsKind,
  });
  return { warnings: warnings.map(warningHeaderValue) };
};
