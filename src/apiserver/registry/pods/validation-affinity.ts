// spec.affinity of a pod (upstream validateAffinity and what it calls): node selector terms and their
// requirements, preferred weights 1–100, pod (anti-)affinity terms with selectors, namespaces and topology keys.

import { forbidden, invalid, required, type FieldError } from '../../../apimachinery/field-error.js';
import { validateLabelSelector, type LabelSelector } from '../../../apimachinery/labels/label-selector.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../../../apimachinery/validation/names.js';
import { asObject, asObjectList, type JSONObject } from '../object-paths.js';

const stringList = (v: unknown): string[] => (Array.isArray(v) ? v.map((s) => (typeof s === 'string' ? s : '')) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** upstream ValidateLabelName: a label key at `path`. */
export function validateLabelName(key: string, path: string): FieldError[] {
  return isQualifiedName(key).map((msg) => invalid(path, key, msg));
}

/** One matchExpressions entry of a node selector term; `checkValues` checks values as label values. */
function validateNodeSelectorRequirement(rq: JSONObject, checkValues: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = stringList(rq.values);
  switch (rq.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) errs.push(required(`${path}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(invalid(`${path}.operator`, str(rq.operator), 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(str(rq.key), `${path}.key`));
  if (checkValues) {
    values.forEach((v, i) => {
      for (const msg of isValidLabelValue(v)) errs.push(invalid(`${path}.values[${i}]`, v, msg));
    });
  }
  return errs;
}

/** One matchFields entry: only metadata.name, with In/NotIn and exactly one node name. */
function validateNodeFieldSelectorRequirement(rq: JSONObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = stringList(rq.values);
  if (rq.operator === 'In' || rq.operator === 'NotIn') {
    if (values.length !== 1) errs.push(required(`${path}.values`, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  } else {
    errs.push(invalid(`${path}.operator`, str(rq.operator), 'not a valid selector operator'));
  }
  if (rq.key !== 'metadata.name') errs.push(invalid(`${path}.key`, str(rq.key), 'not a valid field selector key'));
  else values.forEach((v, i) => {
    for (const msg of isDNS1123Subdomain(v)) errs.push(invalid(`${path}.values[${i}]`, v, msg));
  });
  return errs;
}

function validateNodeSelectorTerm(term: JSONObject, checkValues: boolean, path: string): FieldError[] {
  return [
    ...asObjectList(term.matchExpressions).flatMap((rq, j) => validateNodeSelectorRequirement(rq, checkValues, `${path}.matchExpressions[${j}]`)),
    ...asObjectList(term.matchFields).flatMap((rq, j) => validateNodeFieldSelectorRequirement(rq, `${path}.matchFields[${j}]`)),
  ];
}

const weightMessage = 'must be in the range 1-100';
const validWeight = (w: unknown): boolean => typeof w === 'number' && w > 0 && w <= 100;

function validateNodeAffinity(na: JSONObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const requiredTerms = asObject(na.requiredDuringSchedulingIgnoredDuringExecution);
  if (requiredTerms) {
    const p = `${path}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
    const terms = asObjectList(requiredTerms.nodeSelectorTerms);
    if (terms.length === 0) errs.push(required(p, 'must have at least one node selector term'));
    terms.forEach((t, i) => errs.push(...validateNodeSelectorTerm(t, true, `${p}[${i}]`)));
  }
  asObjectList(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
    const p = `${path}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    if (!validWeight(t.weight)) errs.push(invalid(`${p}.weight`, t.weight ?? 0, weightMessage));
    // Preferred terms may hold values that are not label values: they can still match on a single node.
    errs.push(...validateNodeSelectorTerm(asObject(t.preference) ?? {}, false, `${p}.preference`));
  });
  return errs;
}

/**
 * matchLabelKeys / mismatchLabelKeys of a pod affinity term (upstream validateMatchLabelKeysAndMismatchLabelKeys),
 * including its path quirk: a key repeated in the selector is reported at `<term>[i]`.
 */
function validateMatchAndMismatchLabelKeys(term: JSONObject, selector: JSONObject | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const matchKeys = stringList(term.matchLabelKeys);
  const mismatchKeys = stringList(term.mismatchLabelKeys);
  for (const [field, keys] of [['matchLabelKeys', matchKeys], ['mismatchLabelKeys', mismatchKeys]] as const) {
    if (keys.length === 0) continue;
    if (!selector) errs.push(forbidden(`${path}.${field}`, 'must not be specified when labelSelector is not set'));
    else keys.forEach((k, i) => errs.push(...validateLabelName(k, `${path}.${field}[${i}]`)));
  }
  if (selector) {
    const index = new Map(matchKeys.map((k, i) => [k, i]));
    const seen = new Set(Object.keys(asObject(selector.matchLabels) ?? {}));
    for (const expr of asObjectList(selector.matchExpressions)) {
      const key = str(expr.key);
      const i = index.get(key);
      if (i !== undefined && seen.has(key)) errs.push(invalid(`${path}[${i}]`, key, 'exists in both matchLabelKeys and labelSelector'));
      seen.add(key);
    }
  }
  const mismatch = new Set(mismatchKeys);
  matchKeys.forEach((k, i) => {
    if (mismatch.has(k)) errs.push(invalid(`${path}.matchLabelKeys[${i}]`, k, 'exists in both matchLabelKeys and mismatchLabelKeys'));
  });
  return errs;
}

function validatePodAffinityTerm(term: JSONObject, path: string): FieldError[] {
  const selector = asObject(term.labelSelector);
  const errs = [
    ...validateLabelSelector(selector as LabelSelector | undefined, `${path}.labelSelector`),
    ...validateLabelSelector(asObject(term.namespaceSelector) as LabelSelector | undefined, `${path}.namespaceSelector`),
  ];
  // upstream reports every bad entry of `namespaces` at `namespace`.
  for (const ns of stringList(term.namespaces)) for (const msg of isDNS1123Label(ns)) errs.push(invalid(`${path}.namespace`, ns, msg));
  errs.push(...validateMatchAndMismatchLabelKeys(term, selector, path));
  const topologyKey = str(term.topologyKey);
  if (topologyKey === '') errs.push(required(`${path}.topologyKey`, 'can not be empty'));
  errs.push(...validateLabelName(topologyKey, `${path}.topologyKey`));
  return errs;
}

function validatePodAffinity(pa: JSONObject, path: string): FieldError[] {
  const errs = asObjectList(pa.requiredDuringSchedulingIgnoredDuringExecution).flatMap((t, i) =>
    validatePodAffinityTerm(t, `${path}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`),
  );
  asObjectList(pa.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
    const p = `${path}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    if (!validWeight(t.weight)) errs.push(invalid(`${p}.weight`, t.weight ?? 0, weightMessage));
    errs.push(...validatePodAffinityTerm(asObject(t.podAffinityTerm) ?? {}, `${p}.podAffinityTerm`));
  });
  return errs;
}

/** spec.affinity (at `path`). */
export function validateAffinity(affinity: unknown, path: string): FieldError[] {
  const a = asObject(affinity);
  if (!a) return [];
  const errs: FieldError[] = [];
  const na = asObject(a.nodeAffinity);
  if (na) errs.push(...validateNodeAffinity(na, `${path}.nodeAffinity`));
  const pa = asObject(a.podAffinity);
  if (pa) errs.push(...validatePodAffinity(pa, `${path}.podAffinity`));
  const anti = asObject(a.podAntiAffinity);
  if (anti) errs.push(...validatePodAffinity(anti, `${path}.podAntiAffinity`));
  return errs;
}
