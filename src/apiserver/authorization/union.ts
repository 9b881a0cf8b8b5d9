// Chains authorizers (upstream authorization/union): the first allow or deny wins, noOpinion passes on;
// rule resolvers are unioned for SelfSubjectRulesReview.

import type { UserInfo } from '../authentication/interface.js';
import type { Authorizer, AuthorizationResult, RuleResolver } from './interface.js';

type Rules = Awaited<ReturnType<RuleResolver['rulesFor']>>;

/**
 * Asks each authorizer in order. An allow or deny ends the chain; when every one has no opinion the
 * result is noOpinion with the reasons joined by "\n" (the filter turns that into 403).
 */
export class UnionAuthorizer implements Authorizer {
  constructor(private readonly authorizers: readonly Authorizer[]) {}

  async authorize(attrs: Parameters<Authorizer['authorize']>[0]): Promise<AuthorizationResult> {
    const reasons: string[] = [];
    for (const a of this.authorizers) {
      const r = await a.authorize(attrs);
      if (r.decision !== 'noOpinion') return r;
      if (r.reason) reasons.push(r.reason);
    }
    return { decision: 'noOpinion', reason: reasons.join('\n') };
  }
}

/** The rules of every resolver, concatenated; incomplete when any resolver is; errors joined. */
export class UnionRuleResolver implements RuleResolver {
  constructor(private readonly resolvers: readonly RuleResolver[]) {}

  async rulesFor(user: UserInfo, namespace: string): Promise<Rules> {
    const out: Rules = { resourceRules: [], nonResourceRules: [], incomplete: false };
    const errors: string[] = [];
    for (const r of this.resolvers) {
      const rules = await r.rulesFor(user, namespace);
      out.resourceRules.push(...rules.resourceRules);
      out.nonResourceRules.push(...rules.nonResourceRules);
      if (rules.incomplete) out.incomplete = true;
      if (rules.evaluationError) errors.push(rules.evaluationError);
    }
    if (errors.length > 0) out.evaluationError = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
    return out;
  }
}
