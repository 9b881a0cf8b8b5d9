// CRD selectableFields (upstream CustomResourceFieldSelectors, GA in 1.32): a CRD version names up to eight
// string, boolean or integer fields of its schema by JSON path; its custom resources can then be listed and
// watched with field selectors on them (`kubectl get crontabs --field-selector spec.color=blue`).

import { duplicate, invalid, required, type FieldError } from '../../apimachinery/field-error.js';
import type { APIObject } from '../registry/strategy.js';
import type { JSONSchemaProps } from './crd-types.js';
import { resolveFieldPath, valueAt } from './field-path.js';

/** Upstream's MaxSelectableFields per CRD version. */
export const maxSelectableFields = 8;

export interface SelectableField {
  jsonPath: string;
}

/** upstream ValidateCustomResourceSelectableFields for one version, under `path` (spec.versions[i].selectableFields). */
export function validateSelectableFields(fields: readonly SelectableField[] | undefined, schema: JSONSchemaProps | undefined, path: string): FieldError[] {
  if (!fields || fields.length === 0) return [];
  if (!schema) return [invalid(path, '', 'may only be set when `version.schema.openAPIV3Schema` is not included')];
  const errs: FieldError[] = [];
  const unique = new Set<string>();
  fields.forEach((f, i) => {
    const at = `${path}[${i}].jsonPath`;
    if (!f.jsonPath) {
      errs.push(required(at));
      return;
    }
    const resolved = resolveFieldPath(f.jsonPath, schema, { allowArrayNotation: false });
    if ('error' in resolved) {
      errs.push(invalid(at, f.jsonPath, `is an invalid path: ${resolved.error}`));
      return;
    }
    if (resolved.steps[0]?.name === 'metadata') errs.push(invalid(at, f.jsonPath, 'must not point to fields in metadata'));
    if (!['string', 'boolean', 'integer'].includes(resolved.schema.type ?? '')) {
      errs.push(invalid(at, f.jsonPath, 'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.'));
    }
    const key = resolved.steps.map((s) => s.name).join('\u0000');
    if (unique.has(key)) errs.push(duplicate(at, f.jsonPath));
    else unique.add(key);
  });
  if (unique.size > maxSelectableFields) {
    errs.push({ type: 'FieldValueTooMany', field: path, detail: `Too many: ${unique.size}: must have at most ${maxSelectableFields} items` });
  }
  return errs;
}

/** Go's fmt.Sprint of a JSON value, as upstream renders a selectable field's value. */
function sprint(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * The field selector names (the JSON path without its leading dot, e.g. `spec.color`) and value getters of a
 * version's selectable fields, for its ResourceStrategy. A missing field selects as "".
 */
export function selectableFieldGetters(fields: readonly SelectableField[] | undefined, schema: JSONSchemaProps | undefined): Record<string, (obj: APIObject) => string> {
  const out: Record<string, (obj: APIObject) => string> = {};
  for (const f of fields ?? []) {
    const resolved = schema ? resolveFieldPath(f.jsonPath, schema, { allowArrayNotation: false }) : undefined;
    if (!resolved || 'error' in resolved) continue;
    const steps = resolved.steps;
    out[f.jsonPath.replace(/^\./, '')] = (obj) => sprint(valueAt(obj, steps));
  }
  return out;
}
