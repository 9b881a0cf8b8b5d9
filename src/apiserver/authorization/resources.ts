// The authorization.k8s.io review resources (upstream pkg/registry/authorization): SubjectAccessReview,
// SelfSubjectAccessReview, LocalSubjectAccessReview and SelfSubjectRulesReview — create-only, answered by
// the same authorizer chain and rule resolver that guard every request (`kubectl auth can-i [--list]`).

import { newBadRequest, newInvalid } from '../../apimachinery/errors.js';
import { invalid, type FieldError } from '../../apimachinery/field-error.js';
import type { UserInfo } from '../authentication/interface.js';
import type { CreateOnlyRequest, CreateOnlyResource } from '../endpoints/create-only.js';
import type { APIObject } from '../registry/strategy.js';
import type { SecurityContext } from '../security-context.js';
import type { Attributes, AuthorizationResult, Authorizer, RuleResolver } from './interface.js';

export const authorizationGroup = 'authorization.k8s.io';

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

interface NonResourceAttributes {
  path?: string;
  verb?: string;
}

interface AccessReviewSpec {
  resourceAttributes?: ResourceAttributes | null;
  nonResourceAttributes?: NonResourceAttributes | null;
  user?: string;
  groups?: string[] | null;
  extra?: Record<string, string[]> | null;
  uid?: string;
}

/** Upstream authorizationutil.ResourceAttributesFrom / NonResourceAttributesFrom. */
export function attributesFrom(user: UserInfo, spec: AccessReviewSpec): Attributes {
  const r = spec.resourceAttributes;
  if (r) {
    return {
      user,
      verb: r.verb ?? '',
      isResourceRequest: true,
      path: '',
      namespace: r.namespace ?? '',
      apiGroup: r.group ?? '',
      apiVersion: r.version ?? '',
      resource: r.resource ?? '',
      subresource: r.subresource ?? '',
      name: r.name ?? '',
    };
  }
  const n = spec.nonResourceAttributes ?? {};
  return { user, verb: n.verb ?? '', isResourceRequest: false, path: n.path ?? '', namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' };
}

/** Whether metadata carries anything but nulls (and, for LocalSubjectAccessReview, the namespace). */
function metadataEmpty(meta: Record<string, unknown> | undefined, ignore: readonly string[] = []): boolean {
  for (const [k, v] of Object.entries(meta ?? {})) {
    if (ignore.includes(k) || v === null || v === undefined) continue;
    if (typeof v === 'object' && Object.keys(v as object).length === 0) continue;
    if (v === '') continue;
    return false;
  }
  return true;
}

function validateAttributesChoice(spec: AccessReviewSpec): FieldError[] {
  if (spec.resourceAttributes && spec.nonResourceAttributes) {
    return [invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes')];
  }
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
    return [invalid('spec.resourceAttributes', null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified')];
  }
  return [];
}

function validateSubjectSpec(spec: AccessReviewSpec): FieldError[] {
  const errs = validateAttributesChoice(spec);
  if (!spec.user && !spec.groups?.length) errs.push(invalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified'));
  return errs;
}

function throwInvalid(kind: string, errs: FieldError[]): void {
  if (errs.length) throw newInvalid({ group: authorizationGroup, kind }, '', errs);
}

/** The review's status as upstream fills it: allowed, denied (only when true), reason and error (when set). */
function accessStatus(r: AuthorizationResult, evaluationError?: string): Record<string, unknown> {
  const status: Record<string, unknown> = { allowed: r.decision === 'allow' };
  if (r.decision === 'deny') status.denied = true;
  if (r.reason) status.reason = r.reason;
  if (evaluationError) status.evaluationError = evaluationError;
  return status;
}

function specOf(body: APIObject): AccessReviewSpec {
  return (body.spec ?? {}) as AccessReviewSpec;
}

export interface AuthorizationChain {
  authorizer: Authorizer;
  ruleResolver: RuleResolver;
}

async function decide(authz: Authorizer, attrs: Attributes): Promise<Record<string, unknown>> {
  try {
    return accessStatus(await authz.authorize(attrs));
  } catch (err) {
    return accessStatus({ decision: 'noOpinion', reason: '' }, (err as Error).message);
  }
}

/** The subject a SubjectAccessReview spec names. */
function specUser(spec: AccessReviewSpec): UserInfo {
  const user: UserInfo = { name: spec.user ?? '', groups: [...(spec.groups ?? [])] };
  if (spec.uid) user.uid = spec.uid;
  if (spec.extra) user.extra = spec.extra;
  return user;
}

/** SubjectAccessReview (about the user in the spec) and SelfSubjectAccessReview (about the requester). */
function clusterAccessReview(authz: Authorizer, kind: 'SubjectAccessReview' | 'SelfSubjectAccessReview'): CreateOnlyResource {
  const self = kind === 'SelfSubjectAccessReview';
  return {
    group: authorizationGroup,
    resource: `${kind.toLowerCase()}s`,
    kind,
    async create(req) {
      const spec = specOf(req.body);
      const errs = self ? validateAttributesChoice(spec) : validateSubjectSpec(spec);
      if (!metadataEmpty(req.body.metadata as Record<string, unknown>)) errs.unshift(invalid('metadata', req.body.metadata, 'must be empty'));
      throwInvalid(kind, errs);
      const user = self ? req.user : specUser(spec);
      return { obj: { ...req.body, status: await decide(authz, attributesFrom(user, spec)) } };
    },
  };
}

function localSubjectAccessReview(authz: Authorizer): CreateOnlyResource {
  return {
    group: authorizationGroup,
    resource: 'localsubjectaccessreviews',
    kind: 'LocalSubjectAccessReview',
    async create(req: CreateOnlyRequest) {
      const namespace = req.info.namespace ?? '';
      if (!namespace) throw newBadRequest(`namespace is required on this type: ${namespace}`);
      const meta = { ...((req.body.metadata ?? {}) as Record<string, unknown>) };
      if (!meta.namespace) meta.namespace = namespace;
      else if (meta.namespace !== namespace) throw newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
      const body = { ...req.body, metadata: meta } as APIObject;
      const spec = specOf(body);
      const errs = validateSubjectSpec(spec);
      if (!metadataEmpty(meta, ['namespace'])) errs.unshift(invalid('metadata', meta, 'must be empty except for namespace'));
      if (spec.resourceAttributes && (spec.resourceAttributes.namespace ?? '') !== meta.namespace) {
        errs.push(invalid('spec.resourceAttributes.namespace', spec.resourceAttributes.namespace ?? '', 'must match metadata.namespace'));
      }
      if (spec.nonResourceAttributes) errs.push(invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'disallowed on this kind of request'));
      throwInvalid('LocalSubjectAccessReview', errs);
      return { obj: { ...body, status: await decide(authz, attributesFrom(specUser(spec), spec)) } };
    },
  };
}

function selfSubjectRulesReview(resolver: RuleResolver): CreateOnlyResource {
  return {
    group: authorizationGroup,
    resource: 'selfsubjectrulesreviews',
    kind: 'SelfSubjectRulesReview',
    async create(req) {
      const namespace = (req.body.spec as { namespace?: string } | undefined)?.namespace ?? '';
      if (!namespace) throw newBadRequest('no namespace on request');
      const rules = await resolver.rulesFor(req.user, namespace);
      const status: Record<string, unknown> = { resourceRules: rules.resourceRules, nonResourceRules: rules.nonResourceRules, incomplete: rules.incomplete };
      if (rules.evaluationError) status.evaluationError = rules.evaluationError;
      // Upstream answers with a fresh object: the spec is not echoed.
      return { obj: { apiVersion: `${authorizationGroup}/v1`, kind: 'SelfSubjectRulesReview', metadata: {}, spec: {}, status } as APIObject };
    },
  };
}

/** The four review resources over `authz` (the chain from newAuthorizer(ctx)). */
export function authorizationResources(_ctx: SecurityContext, authz: AuthorizationChain): CreateOnlyResource[] {
  return [clusterAccessReview(authz.authorizer, 'SubjectAccessReview'), clusterAccessReview(authz.authorizer, 'SelfSubjectAccessReview'), localSubjectAccessReview(authz.authorizer), selfSubjectRulesReview(authz.ruleResolver)];
}
