// A CRD version's structural schema (openAPIV3Schema) applied to custom resources, as upstream's
// apiextensions-apiserver does: pruning of undeclared fields, `default:` values, and validation with
// upstream's field paths and messages, anyOf/allOf/oneOf/not, and CEL rules (x-kubernetes-validations, cel-validation.ts).

import { duplicate, invalid, notSupported, required, tooLong, type FieldError } from '../../apimachinery/field-error.js';
import type { APIObject } from '../registry/strategy.js';
import type { CostBudget } from '../../apimachinery/cel/evaluate.js';
import { evaluateSchemaRules, perObjectCostBudget, rulesOf } from './cel-validation.js';
import type { JSONSchemaProps } from './crd-types.js';
import { re2 } from '../../apimachinery/regexp/re2.js';

export interface SchemaValidator {
  /** Removes fields the schema does not declare, in place; returns their paths (`spec.foo`) in document order. */
  prune(obj: APIObject): string[];
  /** Drops nulls the schema does not allow and fills `default:` values of absent fields, in place. */
  applyDefaults(obj: APIObject): void;
  /**
   * Schema violations of the object (metadata is validated generically and skipped here). With `old` (updates),
   * CEL transition rules see `oldSelf` where the old object has the same field.
   */
  validate(obj: APIObject, old?: APIObject): FieldError[];
}

type JSONMap = Record<string, unknown>;

function isMap(v: unknown): v is JSONMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function child(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** The fields every object (and every embedded resource) keeps whatever its schema says. */
const objectRootFields = ['apiVersion', 'kind', 'metadata'];

/** The JSON type name upstream reports for a value ("integer" for whole numbers). */
function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

function hasType(v: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isMap(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    default:
      return true;
  }
}

/** Formats upstream checks (kube-openapi strfmt); unknown formats accept anything. */
const formats: Record<string, RegExp | ((s: string) => boolean)> = {
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  email: /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
  uuid: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
  ipv4: /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/,
  ipv6: (s) => s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s),
  byte: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
  hostname: /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/,
  duration: /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/,
};

function formatOK(format: string, s: string): boolean {
  const f = formats[format];
  if (!f) return true;
  return typeof f === 'function' ? f(s) : f.test(s);
}

/** Go's %v-like rendering of a list-map item's keys, for Duplicate errors. */
function keyValues(item: JSONMap, keys: readonly string[]): JSONMap {
  const out: JSONMap = {};
  for (const k of keys) if (k in item) out[k] = item[k];
  return out;
}

/**
 * Removes the fields of `value` that `schema` does not declare, in place, appending their paths to `out`.
 * `isResource`: value is an object root or an embedded resource, whose apiVersion, kind and metadata stay.
 */
export function pruneValue(value: unknown, schema: JSONSchemaProps, path: string, isResource: boolean, out: string[]): void {
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => pruneValue(item, schema.items as JSONSchemaProps, `${path}[${i}]`, !!schema.items?.['x-kubernetes-embedded-resource'], out));
    return;
  }
  if (!isMap(value)) return;
  const props = schema.properties ?? {};
  const additional = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  const preserve = !!schema['x-kubernetes-preserve-unknown-fields'] || schema.additionalProperties === true;
  for (const key of Object.keys(value)) {
    // apiVersion, kind and metadata of a resource (the root, or an embedded one) are not the schema's to prune:
    // ObjectMeta is checked on its own, whatever the schema says of it (controller-gen writes `metadata: {type: object}`).
    if (isResource && objectRootFields.includes(key)) continue;
    const p = props[key];
    if (p) pruneValue(value[key], p, child(path, key), !!p['x-kubernetes-embedded-resource'], out);
    else if (additional) pruneValue(value[key], additional, `${path}[${key}]`, !!additional['x-kubernetes-embedded-resource'], out);
    else if (!preserve) {
      out.push(child(path, key));
      delete value[key];
    }
  }
}

/**
 * Validates `value` against `schema`, appending upstream's errors to `errs`. `path` is the value's field path
 * (`spec.items[0]`), also the name upstream's messages start with (`spec.size in body must be …`); a value
 * validated on its own (a default) has path '' and messages starting ` in body`, as upstream's. `budget` absent
 * means CEL rules are skipped (inside anyOf/oneOf/not); `old` is the same field of the old object on update.
 */
export function validateValue(value: unknown, schema: JSONSchemaProps, path: string, errs: FieldError[], old?: unknown, budget?: CostBudget): void {
  const where = path;
  if (value === null) {
    if (!schema.nullable && schema.type) errs.push(invalid(path, 'null', `${where} in body must be of type ${schema.type}: "null"`));
    return;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (!(typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))) {
      errs.push(invalid(path, typeName(value), `${where} in body must be of type integer,string: "${typeName(value)}"`));
      return;
    }
  } else if (schema.type && !hasType(value, schema.type)) {
    errs.push(invalid(path, typeName(value), `${where} in body must be of type ${schema.type}: "${typeName(value)}"`));
    return;
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    errs.push(notSupported(path, value, schema.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)))));
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (schema.maxLength !== undefined && length > schema.maxLength) errs.push(tooLong(path, schema.maxLength));
    if (schema.minLength !== undefined && length < schema.minLength) errs.push(invalid(path, value, `${where} in body should be at least ${schema.minLength} chars long`));
    if (schema.pattern !== undefined && !safeRegExp(schema.pattern)?.test(value)) errs.push(invalid(path, value, `${where} in body should match '${schema.pattern}'`));
    if (schema.format && !formatOK(schema.format, value)) errs.push(invalid(path, value, `${where} in body must be of type ${schema.format}: ${JSON.stringify(value)}`));
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined) {
      if (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum) {
        errs.push(invalid(path, value, `${where} in body should be greater than ${schema.exclusiveMinimum ? '' : 'or equal to '}${schema.minimum}`));
      }
    }
    if (schema.maximum !== undefined) {
      if (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum) {
        errs.push(invalid(path, value, `${where} in body should be less than ${schema.exclusiveMaximum ? '' : 'or equal to '}${schema.maximum}`));
      }
    }
    if (schema.multipleOf !== undefined && schema.multipleOf !== 0 && !Number.isInteger(value / schema.multipleOf)) {
      errs.push(invalid(path, value, `${where} in body should be a multiple of ${schema.multipleOf}`));
    }
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      errs.push({ type: 'FieldValueTooMany', field: path, detail: `Too many: ${value.length}: must have at most ${schema.maxItems} items` });
    }
    if (schema.minItems !== undefined && value.length < schema.minItems) errs.push(invalid(path, value.length, `${where} in body should have at least ${schema.minItems} items`));
    const listType = schema['x-kubernetes-list-type'];
    if (listType === 'set') {
      const seen = new Set<string>();
      value.forEach((item, i) => {
        const k = JSON.stringify(item);
        if (seen.has(k)) errs.push(duplicate(`${path}[${i}]`, item));
        seen.add(k);
      });
    } else if (listType === 'map') {
      const keys = schema['x-kubernetes-list-map-keys'] ?? [];
      const seen = new Set<string>();
      value.forEach((item, i) => {
        if (!isMap(item)) return;
        const k = JSON.stringify(keys.map((key) => item[key]));
        if (seen.has(k)) errs.push(duplicate(`${path}[${i}]`, keyValues(item, keys)));
        seen.add(k);
      });
    }
    const oldItem = listItemCorrelation(schema, old);
    if (schema.items) value.forEach((item, i) => validateValue(item, schema.items as JSONSchemaProps, `${path}[${i}]`, errs, oldItem(item), budget));
  }
  if (isMap(value)) {
    for (const key of schema.required ?? []) if (value[key] === undefined) errs.push(required(child(path, key)));
    const count = Object.keys(value).length;
    if (schema.maxProperties !== undefined && count > schema.maxProperties) {
      errs.push({ type: 'FieldValueTooMany', field: path, detail: `Too many: ${count}: must have at most ${schema.maxProperties} items` });
    }
    if (schema.minProperties !== undefined && count < schema.minProperties) errs.push(invalid(path, count, `${where} in body should have at least ${schema.minProperties} properties`));
    if (schema['x-kubernetes-embedded-resource']) {
      if (typeof value.apiVersion !== 'string' || value.apiVersion === '') errs.push(required(child(path, 'apiVersion'), 'must not be empty'));
      if (typeof value.kind !== 'string' || value.kind === '') errs.push(required(child(path, 'kind'), 'must not be empty'));
    }
    const additional = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    for (const [key, v] of Object.entries(value)) {
      const p = schema.properties?.[key];
      const oldValue = isMap(old) ? old[key] : undefined;
      if (p) validateValue(v, p, child(path, key), errs, oldValue, budget);
      else if (additional) validateValue(v, additional, `${path}[${key}]`, errs, oldValue, budget);
    }
  }
  for (const sub of schema.allOf ?? []) validateValue(value, sub, path, errs);
  const passes = (sub: JSONSchemaProps) => {
    const subErrs: FieldError[] = [];
    validateValue(value, sub, path, subErrs);
    return subErrs.length === 0;
  };
  if (schema.anyOf && !schema.anyOf.some(passes)) errs.push(invalid(path, value, `${where} in body must validate at least one schema (anyOf)`));
  if (schema.oneOf) {
    const n = schema.oneOf.filter(passes).length;
    if (n !== 1) errs.push(invalid(path, value, `${where} in body must validate one and only one schema (oneOf). ${n === 0 ? 'Found none valid' : `Found ${n} valid alternatives`}`));
  }
  if (schema.not && passes(schema.not)) errs.push(invalid(path, value, `${where} in body must not validate the schema (not)`));
  // CEL rules run on values of the declared type (a type error above returned early), whatever else failed.
  if (budget && rulesOf(schema).length > 0) errs.push(...evaluateSchemaRules({ schema, path, self: value, oldSelf: old, budget }));
}

/** Builds the pruning, defaulting and validation of one CRD version's schema (none: only root fields checked). */
export function newSchemaValidator(opts: { schema: JSONSchemaProps | undefined; kind: string; apiVersion: string }): SchemaValidator {
  const root = opts.schema;

  const applyDefaults = (value: unknown, schema: JSONSchemaProps): void => {
    if (Array.isArray(value)) {
      if (schema.items) for (const item of value) applyDefaults(item, schema.items);
      return;
    }
    if (!isMap(value)) return;
    for (const [key, p] of Object.entries(schema.properties ?? {})) {
      // null where the schema does not allow it is dropped (then defaulted), as upstream does before defaulting.
      if (value[key] === null && !p.nullable) delete value[key];
      if (p.default !== undefined && value[key] === undefined) value[key] = structuredClone(p.default);
      if (value[key] !== undefined) applyDefaults(value[key], p);
    }
    const additional = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    if (additional) for (const [key, v] of Object.entries(value)) if (!(schema.properties && key in schema.properties)) applyDefaults(v, additional);
  };

  return {
    prune(obj) {
      const out: string[] = [];
      if (root) pruneValue(obj, root, '', true, out);
      return out;
    },
    applyDefaults(obj) {
      if (root) applyDefaults(obj, root);
    },
    validate(obj, old) {
      const errs: FieldError[] = [];
      if (!root) return errs;
      const budget: CostBudget = { remaining: perObjectCostBudget };
      // metadata, apiVersion and kind are checked by the registry; the rest against the schema.
      const props = root.properties ?? {};
      for (const key of root.required ?? []) {
        if (!objectRootFields.includes(key) && obj[key] === undefined) errs.push(required(key));
      }
      for (const [key, v] of Object.entries(obj)) {
        if (objectRootFields.includes(key)) continue;
        const p = props[key];
        if (p) validateValue(v, p, key, errs, old?.[key], budget);
      }
      if (rulesOf(root).length > 0) errs.push(...evaluateSchemaRules({ schema: root, path: '', self: obj, oldSelf: old, budget }));
      return errs;
    },
  };
}

/**
 * Which old list item a new one is compared with for transition rules: map lists by their keys, set lists by
 * value; atomic lists have no correlation (upstream's ratcheting rules).
 */
function listItemCorrelation(schema: JSONSchemaProps, old: unknown): (item: unknown) => unknown {
  const listType = schema['x-kubernetes-list-type'];
  if (!Array.isArray(old) || (listType !== 'map' && listType !== 'set')) return () => undefined;
  if (listType === 'set') {
    const values = new Set(old.map((x) => JSON.stringify(x)));
    return (item) => (values.has(JSON.stringify(item)) ? item : undefined);
  }
  const keys = schema['x-kubernetes-list-map-keys'] ?? [];
  const keyOf = (x: unknown) => (isMap(x) ? JSON.stringify(keys.map((k) => x[k])) : '');
  const byKey = new Map(old.map((x) => [keyOf(x), x]));
  return (item) => byKey.get(keyOf(item));
}

/** A CRD pattern (RE2 syntax) as a RegExp (cached); undefined when it does not compile (then nothing matches). */
function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return re2(pattern);
  } catch {
    return undefined;
  }
}
