// --audit-policy-file: the audit.k8s.io/v1 Policy, validated as upstream, and its rule evaluation (the first
// matching rule sets the level, omitted stages and managedFields handling of a request).

import { readFile } from 'node:fs/promises';
import { parse as parseYAML } from 'yaml';
import { notSupported, required, type FieldError } from '../../apimachinery/field-error.js';
import type { UserInfo } from '../authentication/interface.js';
import type { RequestInfo } from '../request-info.js';

export type Level = 'None' | 'Metadata' | 'Request' | 'RequestResponse';
export type Stage = 'RequestReceived' | 'ResponseStarted' | 'ResponseComplete' | 'Panic';

export const levels: readonly Level[] = ['None', 'Metadata', 'Request', 'RequestResponse'];
export const stages: readonly Stage[] = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];

export interface GroupResources {
  /** "" is the core group. */
  group?: string;
  // pods, pods/log, a star, star-slash-status, pods-slash-star; empty: every resource of the group.
  resources?: string[];
  resourceNames?: string[];
}

export interface PolicyRule {
  level: Level;
  users?: string[];
  userGroups?: string[];
  verbs?: string[];
  resources?: GroupResources[];
  /** "" matches cluster-scoped resources. */
  namespaces?: string[];
  /** `/healthz`, `/api*`, `*`. */
  nonResourceURLs?: string[];
  omitStages?: Stage[];
  omitManagedFields?: boolean;
}

export interface Policy {
  apiVersion: string;
  kind: 'Policy';
  rules?: PolicyRule[];
  omitStages?: Stage[];
  omitManagedFields?: boolean;
}

/** What auditing does for one request. */
export interface RequestAuditConfig {
  level: Level;
  omitStages: ReadonlySet<Stage>;
  omitManagedFields: boolean;
}

/** The request facts the rules look at (upstream's authorizer.Attributes). */
export interface AuditAttributes {
  /** Absent when authentication failed. */
  user?: UserInfo;
  info: RequestInfo;
}

export function validatePolicy(p: Policy): FieldError[] {
  const errs: FieldError[] = [];
  const checkStages = (list: Stage[] | undefined, path: string) =>
    (list ?? []).forEach((s, i) => {
      if (!stages.includes(s)) errs.push(notSupported(`${path}[${i}]`, s, [...stages]));
    });
  checkStages(p.omitStages, 'omitStages');
  (p.rules ?? []).forEach((r, i) => {
    const at = `rules[${i}]`;
    if (!r.level) errs.push(required(`${at}.level`));
    else if (!levels.includes(r.level)) errs.push(notSupported(`${at}.level`, r.level, [...levels]));
    if ((r.nonResourceURLs?.length ?? 0) > 0 && ((r.resources?.length ?? 0) > 0 || (r.namespaces?.length ?? 0) > 0)) {
      errs.push({ type: 'FieldValueInvalid', field: `${at}.nonResourceURLs`, detail: `Invalid value: ${JSON.stringify(r.nonResourceURLs)}: rules cannot apply to both regular resources and non-resource URLs` });
    }
    checkStages(r.omitStages, `${at}.omitStages`);
  });
  return errs;
}

/** Parses and validates a policy file's content; throws an Error worded like kube-apiserver's start-up failure. */
export function parsePolicy(text: string, file: string): Policy {
  let doc: unknown;
  try {
    doc = parseYAML(text);
  } catch (err) {
    throw new Error(`failed decoding file ${JSON.stringify(file)}: ${(err as Error).message}`);
  }
  const p = (doc ?? {}) as Partial<Policy>;
  if (p.kind !== 'Policy' || (p.apiVersion !== 'audit.k8s.io/v1' && p.apiVersion !== 'audit.k8s.io/v1beta1')) {
    throw new Error(`failed decoding file ${JSON.stringify(file)}: no kind ${JSON.stringify(p.kind ?? '')} is registered for version ${JSON.stringify(p.apiVersion ?? '')}`);
  }
  const policy = p as Policy;
  const errs = validatePolicy(policy);
  if (errs.length > 0) {
    const texts = errs.map((e) => `${e.field}: ${e.detail}`);
    throw new Error(`invalid audit policy file ${JSON.stringify(file)}: ${texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`}`);
  }
  if ((policy.rules ?? []).length === 0) throw new Error(`loaded illegal policy with 0 rules from file ${JSON.stringify(file)}`);
  return policy;
}

export async function loadPolicy(file: string): Promise<Policy> {
  return parsePolicy(await readFile(file, 'utf8'), file);
}

function pathMatches(path: string, spec: string): boolean {
  if (spec === '*' || spec === path) return true;
  return spec.endsWith('*') && path.startsWith(spec.replace(/\*+$/, ''));
}

function ruleMatchesResource(r: PolicyRule, info: RequestInfo): boolean {
  if (!info.isResourceRequest) return false;
  if (r.namespaces?.length && !r.namespaces.includes(info.namespace)) return false;
  if (!r.resources?.length) return true;
  const combined = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  for (const gr of r.resources) {
    if ((gr.group ?? '') !== info.apiGroup) continue;
    if (!gr.resources?.length) return true;
    if (gr.resourceNames?.length && !gr.resourceNames.includes(info.name)) continue;
    for (const res of gr.resources) {
      if (res === combined || res === '*') return true;
      if (info.subresource && res.startsWith('*/') && res.slice(2) === info.subresource) return true;
      if (res.endsWith('/*') && res.slice(0, -2) === info.resource) return true;
    }
  }
  return false;
}

function ruleMatches(r: PolicyRule, a: AuditAttributes): boolean {
  if (r.users?.length && (!a.user || !r.users.includes(a.user.name))) return false;
  if (r.userGroups?.length && (!a.user || !a.user.groups.some((g) => r.userGroups!.includes(g)))) return false;
  if (r.verbs?.length && !r.verbs.includes(a.info.verb)) return false;
  if (r.namespaces?.length || r.resources?.length) return ruleMatchesResource(r, a.info);
  if (r.nonResourceURLs?.length) return !a.info.isResourceRequest && r.nonResourceURLs.some((spec) => pathMatches(a.info.path, spec));
  return true;
}

/**
 * upstream's policy rule evaluator: the first rule matching the request decides; no match means level None.
 * Omitted stages are the policy's plus the rule's; a rule's omitManagedFields overrides the policy's.
 */
export function newPolicyRuleEvaluator(policy: Policy): (a: AuditAttributes) => RequestAuditConfig {
  const none: RequestAuditConfig = { level: 'None', omitStages: new Set(policy.omitStages ?? []), omitManagedFields: policy.omitManagedFields ?? false };
  const compiled = (policy.rules ?? []).map((rule) => ({
    rule,
    config: {
      level: rule.level,
      omitStages: new Set([...(policy.omitStages ?? []), ...(rule.omitStages ?? [])]),
      omitManagedFields: rule.omitManagedFields ?? policy.omitManagedFields ?? false,
    } satisfies RequestAuditConfig,
  }));
  return (a) => compiled.find((c) => ruleMatches(c.rule, a))?.config ?? none;
}
