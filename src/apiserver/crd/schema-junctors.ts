// The structural-schema rule for anyOf/allOf/oneOf/not in a CRD's openAPIV3Schema: inside them only value
// validations may appear (no type, default, nullable or x-kubernetes-* extensions), as upstream requires; the
// one exception is int-or-string's `anyOf: [{type: integer}, {type: string}]`.

import { forbidden, type FieldError } from '../../apimachinery/field-error.js';
import type { JSONSchemaProps } from './crd-types.js';

const mustBeUndefined = [
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
] as const;

/** int-or-string's sanctioned anyOf (also as allOf[0].anyOf). */
function isIntOrStringAnyOf(anyOf: JSONSchemaProps[] | undefined): boolean {
  return anyOf?.length === 2 && anyOf[0]?.type === 'integer' && anyOf[1]?.type === 'string';
}

/** Forbidden generics and extensions inside one junctor branch (and below it). */
function nestedErrors(s: JSONSchemaProps, path: string, allowType: boolean, errs: FieldError[]): void {
  if (!s || typeof s !== 'object') return;
  if (s.type && !allowType) errs.push(forbidden(`${path}.type`, 'must be empty to be structural'));
  if (s.default !== undefined) errs.push(forbidden(`${path}.default`, 'must be undefined to be structural'));
  if (s.nullable) errs.push(forbidden(`${path}.nullable`, 'must be false to be structural'));
  if (s['x-kubernetes-embedded-resource']) errs.push(forbidden(`${path}.x-kubernetes-embedded-resource`, 'must be false to be structural'));
  if (s['x-kubernetes-int-or-string']) errs.push(forbidden(`${path}.x-kubernetes-int-or-string`, 'must be false to be structural'));
  for (const ext of mustBeUndefined) if ((s as Record<string, unknown>)[ext] !== undefined) errs.push(forbidden(`${path}.${ext}`, 'must be undefined to be structural'));
  for (const [k, v] of Object.entries(s.properties ?? {})) nestedErrors(v, `${path}.properties[${k}]`, false, errs);
  if (s.items && !Array.isArray(s.items)) nestedErrors(s.items as JSONSchemaProps, `${path}.items`, false, errs);
  if (typeof s.additionalProperties === 'object') nestedErrors(s.additionalProperties, `${path}.additionalProperties`, false, errs);
  junctorErrors(s, path, errs, false);
}

function junctorErrors(s: JSONSchemaProps, path: string, errs: FieldError[], intOrString: boolean): void {
  const skipAnyOfTypes = intOrString && isIntOrStringAnyOf(s.anyOf);
  (s.anyOf ?? []).forEach((b, i) => nestedErrors(b, `${path}.anyOf[${i}]`, skipAnyOfTypes, errs));
  (s.oneOf ?? []).forEach((b, i) => nestedErrors(b, `${path}.oneOf[${i}]`, false, errs));
  (s.allOf ?? []).forEach((b, i) => {
    // allOf[0] may carry int-or-string's anyOf.
    if (i === 0 && intOrString && isIntOrStringAnyOf(b.anyOf)) {
      const { anyOf: _anyOf, ...rest } = b;
      nestedErrors(rest, `${path}.allOf[${i}]`, false, errs);
    } else {
      nestedErrors(b, `${path}.allOf[${i}]`, false, errs);
    }
  });
  if (s.not) nestedErrors(s.not, `${path}.not`, false, errs);
}

/** Structural errors of junctors anywhere in a version's schema; `path` is the schema's own path. */
export function validateSchemaJunctors(schema: JSONSchemaProps | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const walk = (s: JSONSchemaProps | undefined, p: string): void => {
    if (!s || typeof s !== 'object') return;
    junctorErrors(s, p, errs, !!s['x-kubernetes-int-or-string']);
    for (const [k, v] of Object.entries(s.properties ?? {})) walk(v, `${p}.properties[${k}]`);
    if (typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${p}.additionalProperties`);
    if (s.items && !Array.isArray(s.items)) walk(s.items as JSONSchemaProps, `${p}.items`);
  };
  walk(schema, path);
  return errs;
}
