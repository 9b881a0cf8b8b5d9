// Builds the authorizer chain of --authorization-mode (upstream pkg/kubeapiserver/authorizer): AlwaysAllow,
// AlwaysDeny, RBAC and Node, in the order given, plus the matching rule resolver for SelfSubjectRulesReview.

import { systemMasters } from '../authentication/interface.js';
import type { AdmissionHooks } from '../admission/interface.js';
import type { AdmissionRequest } from '../endpoints/resource-handler.js';
import type { SecurityContext } from '../security-context.js';
import { AlwaysAllowAuthorizer, AlwaysDenyAuthorizer, PrivilegedGroupsAuthorizer } from './builtin.js';
import type { Authorizer, RuleResolver } from './interface.js';
import { startNodeAuthorizer } from './node/start.js';
import { EscalationCheck } from './rbac/escalation.js';
import { startRBACAuthorizer, type RunningRBAC } from './rbac/start.js';
import { UnionAuthorizer, UnionRuleResolver } from './union.js';

export const modeAlwaysAllow = 'AlwaysAllow';
export const modeAlwaysDeny = 'AlwaysDeny';
export const modeRBAC = 'RBAC';
export const modeNode = 'Node';
export const authorizationModeChoices = [modeAlwaysAllow, modeAlwaysDeny, modeRBAC, modeNode] as const;

export interface AuthorizerChain {
  authorizer: Authorizer;
  ruleResolver: RuleResolver;
  /** Escalation prevention for writes of roles and bindings (see rbac/escalation.ts). */
  escalation: EscalationCheck;
  /** The RBAC caches, authorizer and aggregation loop (running under every mode; in the chain only with RBAC). */
  rbac: RunningRBAC;
}

/** Rejects an unknown or repeated mode with upstream's wording. */
export function validateAuthorizationModes(modes: readonly string[]): void {
  const seen = new Set<string>();
  for (const mode of modes) {
    if (!(authorizationModeChoices as readonly string[]).includes(mode)) throw new Error(`unknown authorization mode ${mode} specified`);
    if (seen.has(mode)) throw new Error(`authorization-mode ${JSON.stringify(mode)} has mode specified more than once`);
    seen.add(mode);
  }
}

/**
 * The context the caches run in: its own signal, aborted with ctx.signal, so the server's signal carries one
 * listener for all of authorization's watches (Node warns past ten listeners on one signal).
 */
function scopedContext(ctx: SecurityContext): SecurityContext {
  const stop = new AbortController();
  if (ctx.signal.aborted) stop.abort(ctx.signal.reason);
  else ctx.signal.addEventListener('abort', () => stop.abort(ctx.signal.reason), { once: true });
  return { ...ctx, signal: stop.signal };
}

async function buildChain(ctx: SecurityContext): Promise<AuthorizerChain> {
  const modes = ctx.options.authorizationMode?.length ? ctx.options.authorizationMode : [modeAlwaysAllow];
  validateAuthorizationModes(modes);
  // system:masters first, whatever the modes (upstream does the same).
  const authorizers: Authorizer[] = [new PrivilegedGroupsAuthorizer([systemMasters])];
  const resolvers: RuleResolver[] = [];
  // The RBAC caches and the ClusterRole aggregation loop run whatever the modes: upstream's RBAC registry
  // checks escalation with RBAC's rules and its controller manager aggregates roles under every mode.
  const caches = scopedContext(ctx);
  const rbac: RunningRBAC = await startRBACAuthorizer(caches);
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
      case modeRBAC: {
        authorizers.push(rbac.authorizer);
        resolvers.push(rbac.authorizer);
        break;
      }
      case modeNode: {
        const node = await startNodeAuthorizer(caches);
        authorizers.push(node);
        resolvers.push(node);
        break;
      }
    }
  }
  const authorizer = new UnionAuthorizer(authorizers);
  return {
    authorizer,
    ruleResolver: new UnionRuleResolver(resolvers),
    escalation: new EscalationCheck({ authorizer, rbac: rbac.authorizer }),
    rbac,
  };
}

const chains = new WeakMap<SecurityContext, Promise<AuthorizerChain>>();

/**
 * The chain for `ctx.options.authorizationMode` (default AlwaysAllow). Rejects with upstream's wording for an
 * unknown or repeated mode. RBAC and Node keep caches fed by storage watches that end with `ctx.signal`;
 * the promise resolves once those caches are filled, so the first request already sees the policy.
 * One chain per SecurityContext: the request filter, the review resources and the escalation hooks calling
 * this with the same context share the caches.
 */
export function newAuthorizer(ctx: SecurityContext): Promise<AuthorizerChain> {
  let chain = chains.get(ctx);
  if (!chain) {
    chain = buildChain(ctx);
    chains.set(ctx, chain);
  }
  return chain;
}

/**
 * Escalation prevention as an `admissionFor` step (hooks for roles and bindings, undefined for everything
 * else): compose it with the admission chain; it must run whether or not admission plugins are enabled.
 */
export async function rbacAdmissionFor(ctx: SecurityContext): Promise<(req: AdmissionRequest) => AdmissionHooks | undefined> {
  const { escalation } = await newAuthorizer(ctx);
  return (req) => escalation.hooksFor(req);
}
