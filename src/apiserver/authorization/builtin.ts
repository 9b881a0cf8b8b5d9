// The trivial authorizers of --authorization-mode (upstream authorizerfactory): AlwaysAllow answers yes to
// everything and AlwaysDeny no; both also answer SelfSubjectRulesReview consistently.

import type { UserInfo } from '../authentication/interface.js';
import type { Authorizer, AuthorizationResult, NonResourceRule, ResourceRule, RuleResolver } from './interface.js';

type Rules = Awaited<ReturnType<RuleResolver['rulesFor']>>;

/** AlwaysAllow: every request is allowed; the rules a user holds are `*` on everything. */
export class AlwaysAllowAuthorizer implements Authorizer, RuleResolver {
  async authorize(): Promise<AuthorizationResult> {
    return { decision: 'allow', reason: '' };
  }

  async rulesFor(_user: UserInfo, _namespace: string): Promise<Rules> {
    const resourceRules: ResourceRule[] = [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }];
    const nonResourceRules: NonResourceRule[] = [{ verbs: ['*'], nonResourceURLs: ['*'] }];
    return { resourceRules, nonResourceRules, incomplete: false };
  }
}

/** AlwaysDeny: every request is denied (the chain ends here); no rules are held. */
export class AlwaysDenyAuthorizer implements Authorizer, RuleResolver {
  async authorize(): Promise<AuthorizationResult> {
    return { decision: 'deny', reason: 'Everything is forbidden.' };
  }

  async rulesFor(_user: UserInfo, _namespace: string): Promise<Rules> {
    return { resourceRules: [], nonResourceRules: [], incomplete: false };
  }
}

/**
 * Upstream's privileged-groups authorizer, always first in the chain whatever the modes: members of the
 * given groups (system:masters) are allowed everything, so an admin certificate works before any policy
 * exists. Everyone else: noOpinion.
 */
export class PrivilegedGroupsAuthorizer implements Authorizer {
  constructor(private readonly groups: readonly string[]) {}

  async authorize(attrs: { user: UserInfo }): Promise<AuthorizationResult> {
    for (const g of attrs.user.groups) if (this.groups.includes(g)) return { decision: 'allow', reason: '' };
    return { decision: 'noOpinion', reason: '' };
  }
}
