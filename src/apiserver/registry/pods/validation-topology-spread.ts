// spec.topologySpreadConstraints (upstream validateTopologySpreadConstraints): maxSkew and minDomains positive,
// topologyKey set, whenUnsatisfiable and node inclusion policies enums, no repeated {topologyKey,
// whenUnsatisfiable} pair, matchLabelKeys only beside a labelSelector that does not name them.

import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../../apimachinery/field-error.js';
import { validateLabelSelector, type LabelSelector } from '../../../apimachinery/labels/label-selector.js';
import { asObject, asObjectList, type JSONObject } from '../object-paths.js';
import { validateLabelName } from './validation-affinity.js';

const notPositive = 'must be greater than zero';
const scheduleActions = ['DoNotSchedule', 'ScheduleAnyway'];
const nodeInclusionPolicies = ['Honor', 'Ignore'];

function validateMatchLabelKeys(keys: unknown, selector: JSONObject | undefined, path: string): FieldError[] {
  if (!Array.isArray(keys) || keys.length === 0) return [];
  const errs: FieldError[] = [];
  const selectorKeys = new Set<string>();
  if (selector) {
    for (const k of Object.keys(asObject(selector.matchLabels) ?? {})) selectorKeys.add(k);
    for (const e of asObjectList(selector.matchExpressions)) selectorKeys.add(String(e.key ?? ''));
  } else {
    errs.push(forbidden(path, 'must not be specified when labelSelector is not set'));
  }
  keys.forEach((k, i) => {
    const key = typeof k === 'string' ? k : '';
    errs.push(...validateLabelName(key, `${path}[${i}]`));
    if (selectorKeys.has(key)) errs.push(invalid(`${path}[${i}]`, key, 'exists in both matchLabelKeys and labelSelector'));
  });
  return errs;
}

/** spec.topologySpreadConstraints at `path`. */
export function validateTopologySpreadConstraints(constraints: unknown, path: string): FieldError[] {
  const list = asObjectList(constraints);
  const errs: FieldError[] = [];
  list.forEach((c, i) => {
    const p = `${path}[${i}]`;
    const maxSkew = typeof c.maxSkew === 'number' ? c.maxSkew : 0;
    if (maxSkew <= 0) errs.push(invalid(`${p}.maxSkew`, maxSkew, notPositive));
    const topologyKey = typeof c.topologyKey === 'string' ? c.topologyKey : '';
    if (topologyKey === '') errs.push(required(`${p}.topologyKey`, 'can not be empty'));
    const action = typeof c.whenUnsatisfiable === 'string' ? c.whenUnsatisfiable : '';
    if (!scheduleActions.includes(action)) errs.push(notSupported(`${p}.whenUnsatisfiable`, action, scheduleActions));
    // Each {topologyKey, whenUnsatisfiable} pair is one kind of constraint; only later repeats are compared.
    if (list.slice(i + 1).some((o) => o.topologyKey === c.topologyKey && (o.whenUnsatisfiable ?? '') === action)) {
      errs.push(duplicate(`${p}.{topologyKey, whenUnsatisfiable}`, `{${topologyKey}, ${action}}`));
    }
    if (typeof c.minDomains === 'number') {
      if (c.minDomains <= 0) errs.push(invalid(`${p}.minDomains`, c.minDomains, notPositive));
      if (action !== 'DoNotSchedule') {
        errs.push(invalid(`${p}.minDomains`, c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${action}`));
      }
    }
    for (const policy of ['nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      const v = c[policy];
      if (v !== undefined && v !== null && !nodeInclusionPolicies.includes(v as string)) errs.push(notSupported(`${p}.${policy}`, v, nodeInclusionPolicies));
    }
    const selector = asObject(c.labelSelector);
    errs.push(...validateMatchLabelKeys(c.matchLabelKeys, selector, `${p}.matchLabelKeys`));
    errs.push(...validateLabelSelector(selector as LabelSelector | undefined, `${p}.labelSelector`));
  });
  return errs;
}
