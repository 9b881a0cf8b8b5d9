// The structural-schema rule for anyOf/allOf/oneOf/not in a CRD's openAPIV3Schema: inside them only value
// validations may appear (no type, additionalProperties, default, title, description, nullable or x-kubernetes-*
// extensions), as upstream requires; the one exception is int-or-string's `anyOf: [{type: integer}, {type: string}]`.

import { forbidden, type FieldError } from '../../apimachinery/field-error.js';
import type { JSONSchemaProps } from './crd-types.js';

/** int-or-string's sanctioned anyOf (also as allOf[0].anyOf). */
function isIntOrStringAnyOf(anyOf: JSONSchemaProps[] | undefined): boolean {
  return anyOf?.length === 2 && anyOf[0]?.type === 'integer' && anyOf[1]?.type === 'string';
}

/** Forbidden generics and extensions inside one junctor branch (and below it), in upstream's order. */
function nestedErrors(s: JSONSchemaProps, path: string, allowType: boolean, errs: FieldError[]): void {
  if (!s || typeof s !== 'object') return;
  junctorErrors(s, path, errs, false);
  if (s.items && !Array.isArray(s.items)) nestedErrors(s.items as JSONSchemaProps, `${path}.items`, false, errs);
  for (const [k, v] of Object.entries(s.properties ?? {})) nestedErrors(v, `${path}.properties[${k}]`, false, errs);
  const x = s as JSONSchemaProps & { title?: string; description?: string; 'x-kubernetes-validations'?: unknown[] };
  const checks: Array<[boolean, string, string]> = [
    [!!s.type && !allowType, 'type', 'must be empty to be structural'],
    [s.additionalProperties !== undefined, 'additionalProperties', 'must be undefined to be structural'],
    [s.default !== undefined, 'default', 'must be undefined to be structural'],
    [!!x.title, 'title', 'must be empty to be structural'],
    [!!x.description, 'description', 'must be empty to be structural'],
    [!!s.nullable, 'nullable', 'must be false to be structural'],
    [!!s['x-kubernetes-preserve-unknown-fields'], 'x-kubernetes-preserve-unknown-fields', 'must be false to be structural'],
    [!!s['x-kubernetes-embedded-resource'], 'x-kubernetes-embedded-resource', 'must be false to be structural'],
    [!!s['x-kubernetes-int-or-string'], 'x-kubernetes-int-or-string', 'must be false to be structural'],
    [(s['x-kubernetes-list-map-keys'] ?? []).length > 0, 'x-kubernetes-list-map-keys', 'must be empty to be structural'],
    [s['x-kubernetes-list-type'] !== undefined, 'x-kubernetes-list-type', 'must be undefined to be structural'],
    [s['x-kubernetes-map-type'] !== undefined, 'x-kubernetes-map-type', 'must be undefined to be structural'],
    [(x['x-kubernetes-validations'] ?? []).length > 0, 'x-kubernetes-validations', 'must be empty to be structural'],
  ];
  for (const [bad, field, detail] of checks) if (bad) errs.push(forbidden(`${path}.${field}`, detail));
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
