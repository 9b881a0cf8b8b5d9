// Whether one set of rules covers another (upstream rbac/validation Covers, BreakdownRule, CompactString):
// the basis of escalation prevention — nobody grants a permission they do not hold.

import { apiGroupAll, nonResourceAll, resourceAll, verbAll } from './rules.js';
import type { PolicyRule } from './types.js';

/** Splits a rule into rules of one verb, group, resource and name each (non-resource: one URL and verb). */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs) {
        if (rule.resourceNames?.length) {
          for (const name of rule.resourceNames) out.push({ apiGroups: [group], resources: [resource], resourceNames: [name], verbs: [verb] });
        } else {
          out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
        }
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

const hasAll = (set: readonly string[] | undefined, want: readonly string[] | undefined): boolean => (want ?? []).every((w) => (set ?? []).includes(w));

/** `*`, an exact match, or `*\/<sub>` for a "res/sub" request. */
function resourceCoversAll(owner: readonly string[] | undefined, requested: readonly string[] | undefined): boolean {
  const set = owner ?? [];
  if (set.includes(resourceAll) || hasAll(set, requested)) return true;
  for (const path of requested ?? []) {
    if (set.includes(path)) continue;
    const slash = path.indexOf('/');
    if (slash < 0) return false;
    if (!set.includes(`*/${path.slice(slash + 1)}`)) return false;
  }
  return true;
}

function nonResourceURLsCoversAll(owner: readonly string[] | undefined, requested: readonly string[] | undefined): boolean {
  return (requested ?? []).every((url) =>
    (owner ?? []).some((o) => o === url || o === nonResourceAll || (o.endsWith('*') && url.startsWith(o.slice(0, -1)))),
  );
}

/** Upstream ruleCovers: does one owner rule grant everything a (broken-down) rule grants? */
export function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const verbs = owner.verbs.includes(verbAll) || hasAll(owner.verbs, sub.verbs);
  const groups = (owner.apiGroups ?? []).includes(apiGroupAll) || hasAll(owner.apiGroups, sub.apiGroups);
  const resources = resourceCoversAll(owner.resources, sub.resources);
  const urls = nonResourceURLsCoversAll(owner.nonResourceURLs, sub.nonResourceURLs);
  const names = !sub.resourceNames?.length ? !owner.resourceNames?.length : !owner.resourceNames?.length || hasAll(owner.resourceNames, sub.resourceNames);
  return verbs && groups && resources && urls && names;
}

/** Whether `owner` covers every rule of `servant`, and the broken-down rules it misses. */
export function covers(owner: readonly PolicyRule[], servant: readonly PolicyRule[]): { covered: boolean; missing: PolicyRule[] } {
  const missing: PolicyRule[] = [];
  for (const rule of servant) {
    for (const simple of breakdownRule(rule)) {
      if (!owner.some((o) => ruleCovers(o, simple))) missing.push(simple);
    }
  }
  return { covered: missing.length === 0, missing };
}

/** Go's %q of a []string: ["a" "b"]. */
export function goQuotedList(xs: readonly string[]): string {
  return `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;
}

/** Upstream CompactString: the non-empty fields only, e.g. {APIGroups:[""], Resources:["pods"], Verbs:["get"]}. */
export function compactString(r: PolicyRule): string {
  const parts: string[] = [];
  if (r.apiGroups?.length) parts.push(`APIGroups:${goQuotedList(r.apiGroups)}`);
  if (r.resources?.length) parts.push(`Resources:${goQuotedList(r.resources)}`);
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${goQuotedList(r.nonResourceURLs)}`);
  if (r.resourceNames?.length) parts.push(`ResourceNames:${goQuotedList(r.resourceNames)}`);
  if (r.verbs.length) parts.push(`Verbs:${goQuotedList(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}

/**
 * Upstream CompactRules: simple resource rules that differ only in verb are merged (one group, one
 * resource, no names); everything else is kept as is.
 */
export function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  const merged = new Map<string, PolicyRule>();
  for (const r of rules) {
    const simple = r.apiGroups?.length === 1 && r.resources?.length === 1 && !r.resourceNames?.length && !r.nonResourceURLs?.length;
    if (!simple) {
      out.push(r);
      continue;
    }
    const key = `${r.apiGroups![0]}\0${r.resources![0]}`;
    const existing = merged.get(key);
    if (existing) {
      for (const v of r.verbs) if (!existing.verbs.includes(v)) existing.verbs.push(v);
    } else {
      const copy: PolicyRule = { apiGroups: [...r.apiGroups!], resources: [...r.resources!], verbs: [...r.verbs] };
      merged.set(key, copy);
      out.push(copy);
    }
  }
  return out;
}
