// The policy fields of a Job's spec as upstream's batch validation checks them: per-index backoff
// (backoffLimitPerIndex, maxFailedIndexes), podFailurePolicy rules, successPolicy rules (Indexed Jobs only, with
// their succeededIndexes parsed as `1,3-5` intervals) and podReplacementPolicy — upstream's paths and messages.

import { duplicate, invalid, notSupported, required, tooLong, tooMany, type FieldError } from '../../../apimachinery/field-error.js';
import { isQualifiedName } from '../../../apimachinery/validation/names.js';
import { asObject, type JSONObject } from '../object-paths.js';
import { nonNegative } from './validation-apps.js';

const maxFailedIndexesForIndexedJob = 100_000;
const completionsSoftLimit = 100_000;
const parallelismLimitForHighCompletions = 10_000;
const maxFailedIndexesLimitForHighCompletions = 10_000;
const maxPodFailurePolicyRules = 20;
const maxPodFailurePolicyOnExitCodesValues = 255;
const maxPodFailurePolicyOnPodConditionsPatterns = 20;
const maxSuccessPolicyRules = 20;
const maxSucceededIndexesLength = 64 * 1024;
const podFailurePolicyActions = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const exitCodeOperators = ['In', 'NotIn'];
const conditionStatuses = ['False', 'True', 'Unknown'];
const podReplacementPolicies = ['Failed', 'TerminatingOrFailed'];

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * upstream parseIndexInterval + validateIndexesFormat: `indexes` (`1,3-5`) as intervals below `completions`,
 * strictly increasing; the number of indexes, or the error upstream words.
 */
export function indexesFormat(indexes: string, completions: number): { total: number } | { error: string } {
  if (indexes === '') return { total: 0 };
  let last: number | undefined;
  let total = 0;
  const integer = (s: string) => (/^[+-]?\d+$/.test(s) ? Number(s) : undefined);
  for (const interval of indexes.split(',')) {
    const limits = interval.split('-');
    if (limits.length > 2) return { error: `the fragment ${JSON.stringify(interval)} violates the requirement that an index interval can have at most two parts separated by '-'` };
    const x = integer(limits[0]!);
    if (x === undefined) return { error: `cannot convert string to integer for index: ${JSON.stringify(limits[0])}` };
    if (x >= completions) return { error: `too large index: ${JSON.stringify(limits[0])}` };
    let y = x;
    if (limits.length > 1) {
      const upper = integer(limits[1]!);
      if (upper === undefined) return { error: `cannot convert string to integer for index: ${JSON.stringify(limits[1])}` };
      if (upper >= completions) return { error: `too large index: ${JSON.stringify(limits[1])}` };
      if (x >= upper) return { error: `non-increasing order, previous: ${x}, current: ${upper}` };
      y = upper;
    }
    if (last !== undefined && last >= x) return { error: `non-increasing order, previous: ${last}, current: ${x}` };
    total += y - x + 1;
    last = y;
  }
  return { total };
}

/** backoffLimitPerIndex and maxFailedIndexes (upstream validateJobSpec's per-index part). */
function validatePerIndex(spec: JSONObject, path: string, indexed: boolean): FieldError[] {
  const errs = nonNegative(spec, ['backoffLimitPerIndex', 'maxFailedIndexes'], path);
  const perIndex = num(spec.backoffLimitPerIndex);
  const maxFailed = num(spec.maxFailedIndexes);
  const completions = num(spec.completions);
  const parallelism = num(spec.parallelism);
  if (spec.maxFailedIndexes !== undefined && spec.maxFailedIndexes !== null && (spec.backoffLimitPerIndex === undefined || spec.backoffLimitPerIndex === null)) {
    errs.push(required(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  }
  if (indexed) {
    if (completions !== undefined && maxFailed !== undefined && maxFailed > completions) errs.push(invalid(`${path}.maxFailedIndexes`, maxFailed, 'must be less than or equal to completions'));
    if (maxFailed !== undefined && maxFailed > maxFailedIndexesForIndexedJob) errs.push(invalid(`${path}.maxFailedIndexes`, maxFailed, `must be less than or equal to ${maxFailedIndexesForIndexedJob}`));
    if (completions !== undefined && completions > completionsSoftLimit && perIndex !== undefined) {
      const above = `when completions are above ${completionsSoftLimit} and used with backoff limit per index`;
      if (maxFailed === undefined) errs.push(required(`${path}.maxFailedIndexes`, `must be specified when completions is above ${completionsSoftLimit}`));
      if (parallelism !== undefined && parallelism > parallelismLimitForHighCompletions) errs.push(invalid(`${path}.parallelism`, parallelism, `must be less than or equal to ${parallelismLimitForHighCompletions} ${above}`));
      if (maxFailed !== undefined && maxFailed > maxFailedIndexesLimitForHighCompletions) errs.push(invalid(`${path}.maxFailedIndexes`, maxFailed, `must be less than or equal to ${maxFailedIndexesLimitForHighCompletions} ${above}`));
    }
  } else {
    if (perIndex !== undefined) errs.push(invalid(`${path}.backoffLimitPerIndex`, perIndex, 'requires indexed completion mode'));
    if (maxFailed !== undefined) errs.push(invalid(`${path}.maxFailedIndexes`, maxFailed, 'requires indexed completion mode'));
  }
  return errs;
}

/** The container and init container names of the pod template (for onExitCodes.containerName). */
function containerNames(spec: JSONObject): Set<string> {
  const podSpec = asObject(asObject(spec.template)?.spec) ?? {};
  const names = new Set<string>();
  for (const c of [...list(podSpec.containers), ...list(podSpec.initContainers)]) {
    const name = asObject(c)?.name;
    if (typeof name === 'string') names.add(name);
  }
  return names;
}

function validateOnExitCodes(req: JSONObject, path: string, names: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const op = req.operator;
  if (op === undefined || op === null || op === '') errs.push(required(`${path}.operator`, `valid values: ${JSON.stringify(exitCodeOperators).replace(/,/g, ' ')}`));
  else if (!exitCodeOperators.includes(String(op))) errs.push(notSupported(`${path}.operator`, op, exitCodeOperators));
  if (typeof req.containerName === 'string' && !names.has(req.containerName)) {
    errs.push(invalid(`${path}.containerName`, req.containerName, 'must be one of the container or initContainer names in the pod template'));
  }
  const values = list(req.values);
  if (values.length === 0) errs.push(invalid(`${path}.values`, values, 'at least one value is required'));
  else if (values.length > maxPodFailurePolicyOnExitCodesValues) errs.push(tooMany(`${path}.values`, values.length, maxPodFailurePolicyOnExitCodesValues));
  const seen = new Set<unknown>();
  let ordered = true;
  values.forEach((v, j) => {
    if (op === 'In' && v === 0) errs.push(invalid(`${path}.values[${j}]`, v, 'must not be 0 for the In operator'));
    if (seen.has(v)) errs.push(duplicate(`${path}.values[${j}]`, v));
    else seen.add(v);
    if (j > 0 && typeof v === 'number' && typeof values[j - 1] === 'number' && (values[j - 1] as number) > v) ordered = false;
  });
  if (!ordered) errs.push(invalid(`${path}.values`, values, 'must be ordered'));
  return errs;
}

function validateOnPodConditions(patterns: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (patterns.length > maxPodFailurePolicyOnPodConditionsPatterns) errs.push(tooMany(path, patterns.length, maxPodFailurePolicyOnPodConditionsPatterns));
  patterns.forEach((p, j) => {
    const pattern = asObject(p) ?? {};
    const at = `${path}[${j}]`;
    const type = typeof pattern.type === 'string' ? pattern.type : '';
    for (const msg of isQualifiedName(type)) errs.push(invalid(`${at}.type`, type, msg));
    const status = pattern.status;
    if (status === undefined || status === null || status === '') errs.push(required(`${at}.status`, `valid values: ${JSON.stringify(conditionStatuses).replace(/,/g, ' ')}`));
    else if (!conditionStatuses.includes(String(status))) errs.push(notSupported(`${at}.status`, status, conditionStatuses));
  });
  return errs;
}

/** upstream validatePodFailurePolicy: at most 20 rules, each with a known action and exactly one kind of requirement. */
function validatePodFailurePolicy(spec: JSONObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const rules = list(asObject(spec.podFailurePolicy)?.rules);
  const rulesPath = `${path}.rules`;
  if (rules.length > maxPodFailurePolicyRules) errs.push(tooMany(rulesPath, rules.length, maxPodFailurePolicyRules));
  const names = containerNames(spec);
  rules.forEach((r, i) => {
    const rule = asObject(r) ?? {};
    const at = `${rulesPath}[${i}]`;
    const action = rule.action;
    if (action === undefined || action === null || action === '') errs.push(required(`${at}.action`, `valid values: ${JSON.stringify(podFailurePolicyActions).replace(/,/g, ' ')}`));
    else if (action === 'FailIndex') {
      if (spec.backoffLimitPerIndex === undefined || spec.backoffLimitPerIndex === null) errs.push(invalid(`${at}.action`, action, 'requires the backoffLimitPerIndex to be set'));
    } else if (!podFailurePolicyActions.includes(String(action))) errs.push(notSupported(`${at}.action`, action, podFailurePolicyActions));
    const onExitCodes = asObject(rule.onExitCodes);
    const onPodConditions = list(rule.onPodConditions);
    if (onExitCodes) errs.push(...validateOnExitCodes(onExitCodes, `${at}.onExitCodes`, names));
    if (onPodConditions.length > 0) errs.push(...validateOnPodConditions(onPodConditions, `${at}.onPodConditions`));
    // upstream renders these with field.OmitValueType: no value after "Invalid value".
    if (onExitCodes && onPodConditions.length > 0) errs.push({ type: 'FieldValueInvalid', field: at, detail: 'Invalid value: specifying both OnExitCodes and OnPodConditions is not supported' });
    if (!onExitCodes && onPodConditions.length === 0) errs.push({ type: 'FieldValueInvalid', field: at, detail: 'Invalid value: specifying one of OnExitCodes and OnPodConditions is required' });
  });
  return errs;
}

/** upstream validateSuccessPolicy (for an Indexed Job): 1–20 rules, each naming succeededIndexes or succeededCount. */
function validateSuccessPolicy(spec: JSONObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const rules = list(asObject(spec.successPolicy)?.rules);
  const rulesPath = `${path}.rules`;
  const completions = num(spec.completions) ?? 0;
  if (rules.length === 0) errs.push(required(rulesPath, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > maxSuccessPolicyRules) errs.push(tooMany(rulesPath, rules.length, maxSuccessPolicyRules));
  rules.forEach((r, i) => {
    const rule = asObject(r) ?? {};
    const at = `${rulesPath}[${i}]`;
    const count = num(rule.succeededCount);
    const indexes = typeof rule.succeededIndexes === 'string' ? rule.succeededIndexes : undefined;
    if (count === undefined && indexes === undefined) errs.push(required(at, 'at least one of succeededCount or succeededIndexes must be specified'));
    let total = 0;
    if (indexes !== undefined) {
      if (indexes.length > maxSucceededIndexesLength) errs.push(tooLong(`${at}.succeededIndexes`, maxSucceededIndexesLength));
      const parsed = indexesFormat(indexes, completions);
      if ('error' in parsed) errs.push(invalid(`${at}.succeededIndexes`, indexes, `error parsing succeededIndexes: ${parsed.error}`));
      else total = parsed.total;
    }
    if (count !== undefined) {
      errs.push(...nonNegative(rule, ['succeededCount'], at));
      if (count > completions) errs.push(invalid(`${at}.succeededCount`, count, `must be less than or equal to ${completions} (the number of specified completions)`));
      if (indexes !== undefined && count > total) errs.push(invalid(`${at}.succeededCount`, count, `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`));
    }
  });
  return errs;
}

/** The policy fields of a Job spec at `path`. */
export function validateJobPolicies(spec: JSONObject, path: string): FieldError[] {
  const indexed = spec.completionMode === 'Indexed';
  const errs = validatePerIndex(spec, path, indexed);
  if (asObject(spec.podFailurePolicy)) errs.push(...validatePodFailurePolicy(spec, `${path}.podFailurePolicy`));
  const successPolicy = asObject(spec.successPolicy);
  if (successPolicy) {
    if (!indexed) errs.push(invalid(`${path}.successPolicy`, successPolicy, 'requires indexed completion mode'));
    else errs.push(...validateSuccessPolicy(spec, `${path}.successPolicy`));
  }
  const replacement = spec.podReplacementPolicy;
  if (typeof replacement === 'string') {
    if (asObject(spec.podFailurePolicy)) {
      if (replacement !== 'Failed') errs.push(notSupported(`${path}.podReplacementPolicy`, replacement, ['Failed']));
    } else if (!podReplacementPolicies.includes(replacement)) errs.push(notSupported(`${path}.podReplacementPolicy`, replacement, podReplacementPolicies));
  }
  return errs;
}
