// CRD validation rules (`x-kubernetes-validations`): compiled once per schema node when the CRD is served (and
// checked when it is written), evaluated against custom resources with `self` (and `oldSelf` on updates),
// reported with upstream apiextensions-apiserver's messages, reasons and field paths.

import { duplicate, forbidden, invalid, required, type FieldError } from '../../apimachinery/field-error.js';
import { compileCEL } from '../../apimachinery/cel/compile.js';
import { estimateCost } from '../../apimachinery/cel/cost.js';
import { CELEvalError, evaluateCEL, type CostBudget } from '../../apimachinery/cel/evaluate.js';
import type { Node } from '../../apimachinery/cel/parser.js';
import { optionalOf, type CELType } from '../../apimachinery/cel/types.js';
import { CELOptional, CELEvalError as ValueError, fromJSON, parseDuration, parseTimestamp } from '../../apimachinery/cel/values.js';
import { schemaCELType, unboundedCardinality } from './cel-schema-type.js';
import type { JSONSchemaProps } from './crd-types.js';

/** One entry of `x-kubernetes-validations`. */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

interface CompiledRule {
  rule: ValidationRule;
  program?: Node;
  messageProgram?: Node;
  usesOldSelf: boolean;
  /** `fieldPath` as a suffix in upstream's notation (`.foo`, `[key]`). */
  pathSuffix: string;
}

/**
 * The runtime cost budget of one object's rules, in evaluation steps (a node or a macro iteration each).
 * Upstream bounds the same thing statically plus a per-request runtime limit; this is the runtime half.
 */
export const perObjectCostBudget = 1_000_000;

/** The rules a schema node declares. */
export function rulesOf(schema: JSONSchemaProps): ValidationRule[] {
  return (schema as { 'x-kubernetes-validations'?: ValidationRule[] })['x-kubernetes-validations'] ?? [];
}

const variables = ['self', 'oldSelf'];
const compiledBySchema = new WeakMap<JSONSchemaProps, CompiledRule[]>();

/** Converts a rule's `fieldPath` (`.spec.foo`, `['a.b']`) to a path suffix; undefined when it is not valid. */
function fieldPathSuffix(fieldPath: string): string | undefined {
  let out = '';
  const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\['((?:[^'\\]|\\.)*)'\]/y;
  let i = 0;
  while (i < fieldPath.length) {
    re.lastIndex = i;
    const m = re.exec(fieldPath);
    if (!m) return undefined;
    out += m[1] !== undefined ? `.${m[1]}` : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(m[2]) ? `.${m[2]}` : `[${m[2].replace(/\\(.)/g, '$1')}]`;
    i = re.lastIndex;
  }
  return out;
}

/**
 * Compiles one rule. With `selfType` (at CRD write time) the rule and messageExpression are type checked: the rule
 * must be a bool, the message a string (a dyn result passes: only a definite other type is refused).
 */
function compileRule(
  rule: ValidationRule,
  selfType?: CELType,
): { compiled: CompiledRule; errors: Array<{ field: string; value: string; detail: string }>; costs: Array<{ field: 'rule' | 'messageExpression'; cost: number }> } {
  const errors: Array<{ field: string; value: string; detail: string }> = [];
  const costs: Array<{ field: 'rule' | 'messageExpression'; cost: number }> = [];
  const types = selfType && { self: selfType, oldSelf: rule.optionalOldSelf ? optionalOf(selfType) : selfType };
  const result = compileCEL(rule.rule ?? '', { variables, types });
  if (result.error) errors.push({ field: 'rule', value: rule.rule, detail: `compilation failed: ${result.error}` });
  else if (result.type && result.type.kind !== 'bool' && result.type.kind !== 'dyn') {
    errors.push({ field: 'rule', value: rule.rule, detail: 'cel expression must evaluate to a bool' });
  } else if (result.program && result.nodeTypes) costs.push({ field: 'rule', cost: estimateCost(result.program, result.nodeTypes) });
  let messageProgram: Node | undefined;
  if (rule.messageExpression) {
    const m = compileCEL(rule.messageExpression, { variables, types });
    if (m.error) errors.push({ field: 'messageExpression', value: rule.messageExpression, detail: `messageExpression compilation failed: ${m.error}` });
    else if (m.type && m.type.kind !== 'string' && m.type.kind !== 'dyn') {
      errors.push({ field: 'messageExpression', value: rule.messageExpression, detail: 'messageExpression must evaluate to a string' });
    } else if (m.program && m.nodeTypes) costs.push({ field: 'messageExpression', cost: estimateCost(m.program, m.nodeTypes) });
    messageProgram = m.program;
  }
  let pathSuffix = '';
  if (rule.fieldPath) {
    const suffix = fieldPathSuffix(rule.fieldPath);
    if (suffix === undefined) errors.push({ field: 'fieldPath', value: rule.fieldPath, detail: 'fieldPath must be a valid path' });
    else pathSuffix = suffix;
  }
  if (rule.optionalOldSelf && !result.uses.has('oldSelf')) errors.push({ field: 'optionalOldSelf', value: 'true', detail: 'may not be set if rule does not use oldSelf' });
  return { compiled: { rule, program: result.program, messageProgram, usesOldSelf: result.uses.has('oldSelf'), pathSuffix }, errors, costs };
}

function compiledRules(schema: JSONSchemaProps): CompiledRule[] {
  let out = compiledBySchema.get(schema);
  if (!out) {
    out = rulesOf(schema).map((r) => compileRule(r).compiled);
    compiledBySchema.set(schema, out);
  }
  return out;
}

/** The most a single rule's (or messageExpression's) estimated cost may be (upstream StaticEstimatedCostLimit). */
export const staticEstimatedCostLimit = 10_000_000;
/** The most all rules of a schema may cost together, each times how often it can run (StaticEstimatedCRDCostLimit). */
export const staticEstimatedCRDCostLimit = 100_000_000;
/** How many of the costliest rules are named when the schema's total is over its limit. */
const mostExpensiveReported = 4;

/** Upstream's wording for an estimate over its limit, with the factor as Go prints it. */
export function costErrorMessage(costName: string, cost: number, limit: number): string {
  const factor = cost / limit;
  const shown = factor > 100 ? 'more than 100x' : factor < 1.5 ? `${factor.toFixed(6)}x` : `${factor.toFixed(1)}x`;
  return `${costName} exceeds budget by factor of ${shown} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)`;
}

/**
 * Compile errors and static cost errors of every rule in a CRD version's schema, for CRD create/update (422 on
 * the CRD). `path` is the schema's own path, e.g. `spec.versions[0].schema.openAPIV3Schema`. Rules are type
 * checked against their node's CEL type; each estimate is limited on its own, and the sum of estimates times
 * how many times each node can occur in one object (maxItems/maxProperties, else what fits in a request) is
 * limited for the whole schema.
 */
export function validateSchemaRules(schema: JSONSchemaProps | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const costErrs: FieldError[] = [];
  let total = 0;
  const contributions: Array<{ field: string; cost: number }> = [];
  const walk = (s: JSONSchemaProps | undefined, p: string, cardinality: number | undefined): void => {
    if (!s || typeof s !== 'object') return;
    const occurrences = cardinality ?? unboundedCardinality(s);
    const rules = rulesOf(s);
    const selfType = rules.length > 0 ? schemaCELType(s, { root: s === schema }) : undefined;
    rules.forEach((rule, i) => {
      const compiled = compileRule(rule, selfType);
      for (const e of compiled.errors) errs.push(invalid(`${p}.x-kubernetes-validations[${i}].${e.field}`, e.value, e.detail));
      for (const c of compiled.costs) {
        const field = `${p}.x-kubernetes-validations[${i}].${c.field}`;
        const name = c.field === 'rule' ? 'estimated rule cost' : 'estimated messageExpression cost';
        if (c.cost > staticEstimatedCostLimit) costErrs.push(forbidden(field, costErrorMessage(name, c.cost, staticEstimatedCostLimit)));
        const contribution = Math.min(c.cost * occurrences, Number.MAX_SAFE_INTEGER);
        total = Math.min(total + contribution, Number.MAX_SAFE_INTEGER);
        contributions.push({ field, cost: contribution });
      }
    });
    for (const [k, v] of Object.entries(s.properties ?? {})) walk(v, `${p}.properties[${k}]`, cardinality);
    // Under bounded lists and maps a node occurs the product of their bounds times; under any unbounded one
    // (cardinality undefined), as often as its smallest JSON fits in a request.
    const times = (bound: number | undefined) => (cardinality !== undefined && bound !== undefined ? cardinality * bound : undefined);
    if (typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${p}.additionalProperties`, times(s.maxProperties));
    if (s.items && !Array.isArray(s.items)) walk(s.items as JSONSchemaProps, `${p}.items`, times(s.maxItems));
  };
  walk(schema, path, 1);
  errs.push(...costErrs);
  if (total > staticEstimatedCRDCostLimit) {
    const costliest = [...contributions].sort((a, b) => b.cost - a.cost).slice(0, mostExpensiveReported);
    for (const c of costliest) errs.push(forbidden(c.field, 'contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema'));
    errs.push(forbidden(path, costErrorMessage('x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema', total, staticEstimatedCRDCostLimit)));
  }
  return errs;
}

/**
 * The CEL value of JSON data typed by its schema, as upstream's UnstructuredToVal: integer → int, number →
 * double (also when whole), `format: date-time` → timestamp, `format: duration` → duration, int-or-string and
 * untyped (preserve-unknown-fields) data as the JSON says.
 */
export function typedValue(value: unknown, schema: JSONSchemaProps | undefined): unknown {
  if (value === null || value === undefined) return value;
  if (!schema) return deepFromJSON(value);
  if (Array.isArray(value)) return value.map((x) => typedValue(x, schema.items as JSONSchemaProps | undefined));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    const additional = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    for (const [k, v] of Object.entries(value)) {
      const p = schema.properties?.[k] ?? additional;
      out[k] = p ? typedValue(v, p) : deepFromJSON(v);
    }
    return out;
  }
  if (typeof value === 'number') return schema.type === 'number' ? value : fromJSON(value);
  if (typeof value === 'string' && (schema.format === 'date-time' || schema.format === 'duration')) {
    try {
      return schema.format === 'date-time' ? parseTimestamp(value) : parseDuration(value);
    } catch (e) {
      if (e instanceof ValueError) return value;
      throw e;
    }
  }
  return value;
}

function deepFromJSON(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(deepFromJSON);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepFromJSON(v)]));
  return fromJSON(value);
}

/** How a failed rule is reported (upstream fieldErrorForReason): the value shown is the schema's type name. */
function errorForReason(field: string, typeName: string, detail: string, reason: ValidationRule['reason']): FieldError {
  switch (reason) {
    case 'FieldValueForbidden':
      return forbidden(field, detail);
    case 'FieldValueRequired':
      return required(field, detail);
    case 'FieldValueDuplicate':
      return duplicate(field, typeName);
    default:
      return invalid(field, typeName, detail);
  }
}

/** The text a rule's failure shows without (a working) messageExpression. */
function ruleMessage(rule: ValidationRule): string {
  return rule.message?.trim() ? rule.message.trim() : `failed rule: ${rule.rule.trim()}`;
}

function ruleName(rule: ValidationRule): string {
  return rule.message?.trim() ? rule.message.trim() : rule.rule.trim();
}

export interface RuleEvaluation {
  schema: JSONSchemaProps;
  /** Field path of `self` in upstream notation (`spec`, `spec.items[0]`). */
  path: string;
  self: unknown;
  /** The same field in the old object on update; undefined on create or when the old object lacks it. */
  oldSelf: unknown;
  budget: CostBudget;
}

/**
 * Evaluates the rules of one schema node. Rules using `oldSelf` run only when an old value exists (unless
 * `optionalOldSelf`, where oldSelf is then null). Running out of budget adds upstream's error and zeroes it, so
 * no further rule of the object runs.
 */
export function evaluateSchemaRules(ev: RuleEvaluation): FieldError[] {
  const errs: FieldError[] = [];
  if (ev.self === null || ev.self === undefined) return errs;
  const typeName = ev.schema.type ?? (ev.schema['x-kubernetes-int-or-string'] ? 'integer-or-string' : 'object');
  const where = ev.path;
  let vars: { self: unknown; oldSelf: unknown } | undefined;
  for (const c of compiledRules(ev.schema)) {
    if (ev.budget.remaining <= 0) {
      errs.push(invalid(where, typeName, 'validation failed due to running out of cost budget, no further validation rules will be run'));
      return errs;
    }
    if (!c.program) {
      errs.push(invalid(where, typeName, `rule compile error: ${compileRule(c.rule).errors[0]?.detail ?? 'invalid rule'}`));
      continue;
    }
    const hasOld = ev.oldSelf !== undefined;
    if (c.usesOldSelf && !hasOld && !c.rule.optionalOldSelf) continue;
    vars ??= { self: typedValue(ev.self, ev.schema), oldSelf: hasOld ? typedValue(ev.oldSelf, ev.schema) : null };
    // With optionalOldSelf, oldSelf is an optional: none on create, of(old value) on update.
    const ruleVars = c.rule.optionalOldSelf ? { self: vars.self, oldSelf: hasOld ? CELOptional.of(vars.oldSelf) : CELOptional.none } : vars;
    let result: unknown;
    try {
      result = evaluateCEL(c.program, ruleVars, { budget: ev.budget, typed: true });
    } catch (e) {
      if (!(e instanceof CELEvalError)) throw e;
      if (e.message.startsWith('operation cancelled: actual cost limit exceeded')) {
        errs.push(invalid(where, typeName, `'${e.message}': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleName(c.rule)}`));
        ev.budget.remaining = 0;
        return errs;
      }
      if (e.message.startsWith('no such overload')) {
        errs.push(invalid(where, typeName, `'${e.message}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleName(c.rule)}`));
      } else {
        errs.push(invalid(where, typeName, `${e.message} evaluating rule: ${ruleName(c.rule)}`));
      }
      continue;
    }
    if (result === true) continue;
    let detail = ruleMessage(c.rule);
    if (c.messageProgram) {
      try {
        const m = evaluateCEL(c.messageProgram, ruleVars, { budget: ev.budget, typed: true });
        if (typeof m === 'string' && m.trim() !== '' && !m.includes('\n')) detail = m.trim();
      } catch (e) {
        if (!(e instanceof CELEvalError)) throw e;
      }
    }
    errs.push(errorForReason(`${where}${c.pathSuffix}`, typeName, detail, c.rule.reason));
  }
  return errs;
}
