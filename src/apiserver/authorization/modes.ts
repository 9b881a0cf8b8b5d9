// Builds the authorizer chain of --authorization-mode (upstream pkg/kubeapiserver/authorizer): AlwaysAllow,
// AlwaysDeny, RBAC and Node, in the order given, plus the matching rule resolver for SelfSubjectRulesReview.

import type { SecurityContext } from '../security-context.js';
import { AlwaysAllowAuthorizer, AlwaysDenyAuthorizer } from './builtin.js';
import type { Authorizer, RuleResolver } from './interface.js';
import { UnionAuthorizer, UnionRuleResolver } from './union.js';

export const modeAlwaysAllow = 'AlwaysAllow';
export const modeAlwaysDeny = 'AlwaysDeny';
export const modeRBAC = 'RBAC';
export const modeNode = 'Node';
export const authorizationModeChoices = [modeAlwaysAllow, modeAlwaysDeny, modeRBAC, modeNode] as const;

export interface AuthorizerChain {
  authorizer: Authorizer;
  ruleResolver: RuleResolver;
}

/**
 * The chain for `ctx.options.authorizationMode` (default AlwaysAllow). Rejects with upstream's wording for an
 * unknown or repeated mode. RBAC and Node keep informer-style caches fed by watches that end with
 * `ctx.signal`; the promise resolves once those caches are filled, so the first request sees the policy.
 */
export async function newAuthorizer(ctx: SecurityContext): Promise<AuthorizerChain> {
  const modes = ctx.options.authorizationMode?.length ? ctx.options.authorizationMode : [modeAlwaysAllow];
  const seen = new Set<string>();
  for (const mode of modes) {
    if (!(authorizationModeChoices as readonly string[]).includes(mode)) throw new Error(`unknown authorization mode ${mode} specified`);
    if (seen.has(mode)) throw new Error(`authorization-mode ${JSON.stringify(mode)} has mode specified more than once`);
    seen.add(mode);
  }
  const authorizers: Authorizer[] = [];
  const resolvers: RuleResolver[] = [];
  for (const mode of modes) {
    switch (mode) {
      case modeAlwaysAllow: {
        const a = new AlwaysAllowAuthorizer();
        authorizers.push(a);
        resolvers.push(a);
        break;
      }
      case modeAlwaysDeny: {
        const a = new AlwaysDenyAuthorizer();
        authorizers.push(a);
        resolvers.push(a);
        break;
      }
      default:
        // RBAC and Node land in the next commits (src/apiserver/authorization/rbac, node).
        throw new Error(`authorization mode ${mode} is not available yet in this build`);
    }
  }
  return { authorizer: new UnionAuthorizer(authorizers), ruleResolver: new UnionRuleResolver(resolvers) };
}
