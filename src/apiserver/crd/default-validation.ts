// The `default:` values of a CRD schema are checked when the CRD is written, as upstream's ValidateDefaults
// does: a default must already be pruned (no field its own schema would drop), must pass its own schema's
// validation, and must satisfy the x-kubernetes-validations rules of its node and the nodes below it.
//
// A default is validated on its own, not inside an object: upstream's messages then name no field, so a
// boolean default of a string field reads
//   spec.validation.openAPIV3Schema.properties[spec].properties[mode].default: Invalid value: "boolean":  in body must be of type string: "boolean"
// (two spaces: the empty name), and a rule failing on `default: {}` reads
//   ….properties[worker].default: Invalid value: "object": no such key: min evaluating rule: self.min <= self.max
// Defaults of nested fields are not filled into a default first, as upstream: a default is the value stored.

import { invalid, type FieldError } from '../../apimachinery/field-error.js';
import type { CostBudget } from '../../apimachinery/cel/evaluate.js';
import { perObjectCostBudget } from './cel-validation.js';
import type { JSONSchemaProps } from './crd-types.js';
import { pruneValue, validateValue } from './schema-validation.js';

/**
 * Where an error about a default lands: `path` is `<schema path>.default`, `err.field` relative to the default.
 * Upstream appends a schema error's name as one path element, so an item of a list default is `default.[1]`;
 * rule errors carry real paths (`default[1]`).
 */
function atDefault(path: string, err: FieldError, from: 'schema' | 'rules'): FieldError {
  if (err.field === '') return { ...err, field: path };
  const joint = from === 'rules' && err.field.startsWith('[') ? '' : '.';
  return { ...err, field: `${path}${joint}${err.field}` };
}

function isEmbedded(s: JSONSchemaProps): boolean {
  return !!s['x-kubernetes-embedded-resource'];
}

/** True when pruning a copy of the default against its own schema would drop a field. */
function prunesFields(value: unknown, s: JSONSchemaProps): boolean {
  const dropped: string[] = [];
  pruneValue(structuredClone(value), s, '', isEmbedded(s), dropped);
  return dropped.length > 0;
}

interface Walk {
  errs: FieldError[];
  requirePruned: boolean;
  /** One runtime CEL budget for every default of the schema, as upstream threads its remaining cost. */
  budget: CostBudget;
}

/** The checks of one node's default, in upstream's order; later checks run only when earlier ones pass. */
function validateDefault(s: JSONSchemaProps, path: string, insideMeta: boolean, w: Walk): void {
  const value = s.default;
  const at = `${path}.default`;
  // Inside an embedded resource's apiVersion/kind/metadata upstream checks the surrounding object's metadata,
  // not pruning; k8ts checks those defaults against their schema and rules only.
  if (!insideMeta && w.requirePruned && prunesFields(value, s)) w.errs.push(invalid(at, value, 'must not have unknown fields'));
  const schemaErrs: FieldError[] = [];
  validateValue(value, s, '', schemaErrs);
  if (schemaErrs.length > 0) {
    w.errs.push(...schemaErrs.map((e) => atDefault(at, e, 'schema')));
    return;
  }
  // The rules see the default as both self and oldSelf (an update that keeps it), then with no old value at
  // all (a create, for optionalOldSelf rules that ratcheting would otherwise let through).
  const celErrs: FieldError[] = [];
  validateValue(value, s, '', celErrs, value, w.budget);
  if (celErrs.length === 0 && w.budget.remaining > 0) validateValue(value, s, '', celErrs, undefined, w.budget);
  w.errs.push(...celErrs.map((e) => atDefault(at, e, 'rules')));
}

function walk(s: JSONSchemaProps, path: string, insideMeta: boolean, w: Walk): void {
  if (w.budget.remaining <= 0) return;
  // An embedded resource starts a new object: its own apiVersion/kind/metadata are "meta" again.
  if (isEmbedded(s)) insideMeta = false;
  if (s.default !== undefined && s.default !== null) validateDefault(s, path, insideMeta, w);
  // additionalProperties are not followed: defaults are forbidden there (structural-schema.ts).
  if (s.items && typeof s.items === 'object' && !Array.isArray(s.items)) walk(s.items as JSONSchemaProps, `${path}.items`, insideMeta, w);
  for (const [key, sub] of Object.entries(s.properties ?? {})) {
    const meta = insideMeta || (isEmbedded(s) && (key === 'metadata' || key === 'apiVersion' || key === 'kind'));
    walk(sub, `${path}.properties[${key}]`, meta, w);
  }
}

/**
 * Problems with the defaults of a structural schema, at `path` (the schema's own path, e.g.
 * `spec.validation.openAPIV3Schema`). `requirePruned` is false only for updates of a CRD that already had
 * unpruned defaults (upstream ratchets that rule).
 */
export function validateDefaults(schema: JSONSchemaProps, path: string, opts: { requirePruned: boolean }): FieldError[] {
  const w: Walk = { errs: [], requirePruned: opts.requirePruned, budget: { remaining: perObjectCostBudget } };
  // The root is a resource: its apiVersion, kind and metadata are never pruned.
  walk({ ...schema, 'x-kubernetes-embedded-resource': true }, path, false, w);
  return w.errs;
}

/** Whether any default of the schema would lose fields to pruning (upstream schemaHasUnprunedDefaults). */
export function hasUnprunedDefaults(schema: JSONSchemaProps | undefined): boolean {
  if (!schema) return false;
  const visit = (s: JSONSchemaProps, isRoot: boolean): boolean => {
    const own = isRoot ? { ...s, 'x-kubernetes-embedded-resource': true } : s;
    if (s.default !== undefined && s.default !== null && prunesFields(s.default, own)) return true;
    if (s.items && typeof s.items === 'object' && !Array.isArray(s.items) && visit(s.items as JSONSchemaProps, false)) return true;
    return Object.values(s.properties ?? {}).some((sub) => visit(sub, false));
  };
  return visit(schema, true);
}
