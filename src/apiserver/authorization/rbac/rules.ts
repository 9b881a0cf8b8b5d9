// Whether one PolicyRule grants one request (upstream rbac RuleAllows and the rbacv1 helpers): verbs,
// API groups, resources with `*` and `*/<subresource>`, resourceNames, and nonResourceURLs with a trailing `*`.

import type { Attributes } from '../interface.js';
import type { PolicyRule } from './types.js';

export const verbAll = '*';
export const apiGroupAll = '*';
export const resourceAll = '*';
export const nonResourceAll = '*';

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  for (const v of rule.verbs) if (v === verbAll || v === verb) return true;
  return false;
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  for (const g of rule.apiGroups ?? []) if (g === apiGroupAll || g === group) return true;
  return false;
}

/**
 * `combined` is "resource" or "resource/subresource". `*` matches everything (subresources included);
 * `*\/scale` matches the scale subresource of any resource. A rule for "pods" does not cover "pods/log".
 */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === resourceAll || r === combined) return true;
    if (subresource && r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

/** No resourceNames in the rule: every name (also none, as for list and create). */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  if (!rule.resourceNames?.length) return true;
  return rule.resourceNames.includes(name);
}

/** Exact paths, `*`, or a prefix ending in `*` ("/healthz/*" covers "/healthz/etcd", not "/healthz"). */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === nonResourceAll || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.slice(0, -1))) return true;
  }
  return false;
}

export function ruleAllows(attrs: Attributes, rule: PolicyRule): boolean {
  if (attrs.isResourceRequest) {
    const combined = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
    return (
      verbMatches(rule, attrs.verb) &&
      apiGroupMatches(rule, attrs.apiGroup) &&
      resourceMatches(rule, combined, attrs.subresource) &&
      resourceNameMatches(rule, attrs.name)
    );
  }
  return verbMatches(rule, attrs.verb) && nonResourceURLMatches(rule, attrs.path);
}

export function rulesAllow(attrs: Attributes, rules: readonly PolicyRule[]): boolean {
  for (const r of rules) if (ruleAllows(attrs, r)) return true;
  return false;
}
