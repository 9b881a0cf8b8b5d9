// Schema-driven validation of built-in kinds: required fields and enum values from the generated schema tables,
// corrected by the exception table (schema-rules.ts) where upstream's hand-written Go validation differs.

import { invalid, notSupported, required, type FieldError } from '../../apimachinery/field-error.js';
import type { DefinitionSchema, FieldSchema } from '../definition.js';
import { definitionFor, definitionNamed } from '../schema.js';
import { enumRules, optionalValueStructs, requiredRules, type RequiredRule } from './schema-rules.js';

/** Top-level fields not walked: metadata has its own validation, status is the controllers' and the kubelet's. */
const skippedTopLevel = new Set(['apiVersion', 'kind', 'metadata', 'status']);

const objectMetaDefinition = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

type JSONObject = Record<string, unknown>;

const shortName = (definition: string): string => definition.slice(definition.lastIndexOf('.') + 1);

function isObject(value: unknown): value is JSONObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Go's zero values the upstream checks treat as "not given": absent, null, "" and empty lists. */
function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** The definition of an object-valued ref field (one with named fields), or undefined. */
function structOf(field: FieldSchema): DefinitionSchema | undefined {
  if (field.type !== 'ref' || !field.ref) return undefined;
  const def = definitionNamed(field.ref);
  return def && def.type === 'object' && def.fields ? def : undefined;
}

/** The rule for a field the schema requires: the exception table, else Required for strings and lists, a value
 * struct for required structs, and nothing for numbers and booleans (upstream checks their ranges instead). */
function requiredRuleFor(definition: DefinitionSchema, field: string, schema: FieldSchema | undefined): RequiredRule {
  const rule = requiredRules[`${shortName(definition.name)}.${field}`];
  if (rule) return rule;
  if (!schema) return { rule: 'skip' };
  if (structOf(schema)) return { rule: 'value' };
  if (schema.type === 'string' || schema.type === 'array') return { rule: 'required' };
  return { rule: 'skip' };
}

function checkEnum(key: string, allowed: readonly string[], value: unknown, path: string, errs: FieldError[]): void {
  if (typeof value !== 'string' || value === '') return;
  if (allowed.includes(value)) return;
  const rule = enumRules[key];
  if (rule?.skip) return;
  if (rule?.invalid) errs.push(invalid(path, value, rule.invalid));
  else errs.push(notSupported(path, value, [...(rule?.order ?? allowed)]));
}

/** What the walk needs to know about one field of a definition, worked out once. */
interface FieldPlan {
  name: string;
  schema: FieldSchema;
  /** "PodSpec.containers": the key of the exception tables. */
  key: string;
  /** The object definition of a ref field, if any. */
  struct?: DefinitionSchema;
  /** Missing → `Required value` (with this detail, '' for none). */
  requiredDetail?: string;
  /** Missing → validate the zero struct. */
  zeroStruct: boolean;
  /** Whether anything below this field can produce an error (else present values are not walked). */
  checked: boolean;
}

interface DefinitionPlan {
  fields: FieldPlan[];
}

const plans = new Map<string, DefinitionPlan>();

/** Whether values of `schema` can hold anything the walk reports (a required field or an enum, at any depth). */
function schemaChecks(schema: FieldSchema, seen: Set<string>): boolean {
  if (schema.preserveUnknownFields) return false;
  if (schema.enum) return true;
  if (schema.type === 'array' && schema.items) return schemaChecks(schema.items, seen);
  if (schema.type === 'map' && schema.values) return schemaChecks(schema.values, seen);
  if (schema.type === 'object') return (schema.required?.length ?? 0) > 0 || Object.values(schema.fields ?? {}).some((f) => schemaChecks(f, seen));
  if (schema.type !== 'ref' || !schema.ref) return false;
  const def = definitionNamed(schema.ref);
  if (!def) return false;
  if (def.enum) return true;
  if (!def.fields || def.name === objectMetaDefinition) return false;
  if (seen.has(def.name)) return true; // recursive definitions (JSONSchemaProps): assume yes
  seen.add(def.name);
  return (def.required?.length ?? 0) > 0 || Object.values(def.fields).some((f) => schemaChecks(f, seen));
}

function planOf(def: DefinitionSchema): DefinitionPlan {
  const cached = plans.get(def.name);
  if (cached) return cached;
  const short = shortName(def.name);
  const required = new Set(def.required ?? []);
  const fields: FieldPlan[] = [];
  for (const [name, schema] of Object.entries(def.fields ?? {})) {
    const plan: FieldPlan = { name, schema, key: `${short}.${name}`, struct: structOf(schema), zeroStruct: false, checked: false };
    if (required.has(name)) {
      const rule = requiredRuleFor(def, name, schema);
      if (rule.rule === 'required') plan.requiredDetail = rule.detail ?? '';
      else if (rule.rule === 'value') plan.zeroStruct = true;
    }
    if (optionalValueStructs.has(plan.key)) plan.zeroStruct = true;
    plan.checked = schemaChecks(schema, new Set([def.name]));
    fields.push(plan);
  }
  const out = { fields };
  plans.set(def.name, out);
  return out;
}

/** Walks a value of field `key` ("PodSpec.containers") against its schema. */
function walkValue(value: unknown, schema: FieldSchema, key: string, path: string, errs: FieldError[]): void {
  if (value === undefined || value === null || schema.preserveUnknownFields) return;
  switch (schema.type) {
    case 'ref': {
      const def = structOf(schema);
      if (def && isObject(value) && def.name !== objectMetaDefinition) walkStruct(value, def, path, errs);
      else if (!def && schema.ref) {
        const scalar = definitionNamed(schema.ref);
        if (scalar?.enum) checkEnum(key, scalar.enum, value, path, errs);
      }
      return;
    }
    case 'string':
      if (schema.enum) checkEnum(key, schema.enum, value, path, errs);
      return;
    case 'array':
      if (Array.isArray(value) && schema.items) {
        const items = schema.items;
        for (let i = 0; i < value.length; i++) walkValue(value[i], items, key, `${path}[${i}]`, errs);
      }
      return;
    case 'map':
      if (isObject(value) && schema.values) {
        const values = schema.values;
        for (const [k, v] of Object.entries(value)) walkValue(v, values, key, `${path}[${k}]`, errs);
      }
      return;
    case 'object':
      if (isObject(value) && schema.fields) walkInline(value, schema, key, path, errs);
      return;
    default:
      return;
  }
}

/** Inline objects (rare in the generated tables, which use refs) are checked for their required fields only. */
function walkInline(value: JSONObject, schema: FieldSchema, key: string, path: string, errs: FieldError[]): void {
  for (const name of schema.required ?? []) {
    if (isEmpty(value[name])) errs.push(required(join(path, name)));
  }
  for (const [name, field] of Object.entries(schema.fields ?? {})) walkValue(value[name], field, `${key}.${name}`, join(path, name), errs);
}

const join = (path: string, field: string): string => (path === '' ? field : `${path}.${field}`);

function walkStruct(value: JSONObject, def: DefinitionSchema, path: string, errs: FieldError[]): void {
  const root = path === '';
  for (const f of planOf(def).fields) {
    if (root && skippedTopLevel.has(f.name)) continue;
    const present = value[f.name];
    if (f.requiredDetail !== undefined && isEmpty(present)) {
      errs.push(required(join(path, f.name), f.requiredDetail));
      continue;
    }
    if (present === undefined || present === null) {
      if ((f.zeroStruct || (root && f.name === 'spec')) && f.struct) walkStruct({}, f.struct, join(path, f.name), errs);
      continue;
    }
    if (f.checked) walkValue(present, f.schema, f.key, join(path, f.name), errs);
  }
}

/** The kind a body names in apiVersion/kind, as the schema tables key it. */
function definitionOf(obj: JSONObject): DefinitionSchema | undefined {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  return definitionFor(group, version, typeof obj.kind === 'string' ? obj.kind : '');
}

/**
 * Required fields and enum values of a built-in object (after defaulting), as upstream's validation reports
 * them: `spec.template.spec.containers[0].name: Required value`, `spec.strategy.type: Unsupported value: "Foo":
 * supported values: "Recreate", "RollingUpdate"`. metadata and status are not walked. Objects of kinds the
 * schema tables do not describe (custom resources) yield no errors.
 */
export function validateBuiltinSchema(obj: JSONObject): FieldError[] {
  const def = definitionOf(obj);
  if (!def || !def.fields) return [];
  const errs: FieldError[] = [];
  walkStruct(obj, def, '', errs);
  return errs;
}
