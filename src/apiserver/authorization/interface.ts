// The contract of request authorization (upstream k8s.io/apiserver/pkg/authorization/authorizer): an
// Authorizer decides on the attributes of one request; --authorization-mode chains several in order.

import type { UserInfo } from '../authentication/interface.js';

/** What is being asked (upstream authorizer.Attributes). */
export interface Attributes {
  user: UserInfo;
  /** get, list, watch, create, update, patch, delete, deletecollection, proxy, impersonate, bind, escalate, …; for non-resource requests the lower-case method. */
  verb: string;
  isResourceRequest: boolean;
  /** Non-resource requests: the path (e.g. /healthz). */
  path: string;
  namespace: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
}

/** allow ends the chain; deny ends it with 403; noOpinion lets the next authorizer decide (403 if none). */
export type Decision = 'allow' | 'deny' | 'noOpinion';

export interface AuthorizationResult {
  decision: Decision;
  /** Why, for the Forbidden message and SubjectAccessReview status.reason. */
  reason: string;
}

export interface Authorizer {
  authorize(attrs: Attributes): Promise<AuthorizationResult>;
}

/** rbacv1-shaped rules a user holds in a namespace (SelfSubjectRulesReview). */
export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs?: string[];
}

export interface RuleResolver {
  rulesFor(user: UserInfo, namespace: string): Promise<{ resourceRules: ResourceRule[]; nonResourceRules: NonResourceRule[]; incomplete: boolean; evaluationError?: string }>;
}
