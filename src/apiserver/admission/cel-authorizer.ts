// The `authorizer` of admission CEL (policies and webhook matchConditions) for one request: checks for the
// requesting user, answered by the apiserver's authorizer chain. CEL evaluates synchronously, authorizers
// answer asynchronously: `withAuthorizations` runs an evaluation, and whenever it stops on a decision not known
// yet (AuthorizationNeeded) authorizes it, remembers it for the request, and runs the evaluation again.

import { AuthorizationNeeded, authzKey, CELAuthorizer, type AuthzAttributes, type AuthzDecision } from '../../apimachinery/cel/authz.js';
import type { Authorizer } from '../authorization/interface.js';
import type { AdmissionAttributes } from './interface.js';

/** How many rounds of "authorize, then evaluate again" one evaluation may take (each asks a new question). */
const maxAuthorizationRounds = 64;

export interface RequestAuthorizer {
  /** The `authorizer` variable. */
  value: CELAuthorizer;
  /** Runs `evaluate` until it needs no decision it does not have; each question is asked once per request. */
  withAuthorizations<T>(evaluate: () => T): Promise<T>;
}

/** The `authorizer` of one write; without `authorizer` every check answers noOpinion with an empty reason. */
export function requestAuthorizer(attrs: AdmissionAttributes, authorizer: Authorizer | undefined): RequestAuthorizer {
  const decisions = new Map<string, AuthzDecision>();
  const decide = (a: AuthzAttributes): AuthzDecision => {
    const known = decisions.get(authzKey(a));
    if (!known) throw new AuthorizationNeeded(a);
    return known;
  };
  const authorize = async (a: AuthzAttributes): Promise<AuthzDecision> => {
    if (!authorizer) return { decision: 'noOpinion', reason: '' };
    try {
      const r = await authorizer.authorize({ ...a, user: { name: a.user.username, uid: a.user.uid, groups: a.user.groups ?? [], extra: a.user.extra } });
      return { decision: r.decision, reason: r.reason };
    } catch (err) {
      return { decision: 'noOpinion', reason: '', error: (err as Error).message };
    }
  };
  const u = attrs.user;
  const r = attrs.resource;
  return {
    value: new CELAuthorizer({ username: u.name, uid: u.uid, groups: u.groups, extra: u.extra }, decide, {
      group: r.group,
      version: r.version,
      resource: r.resource,
      subresource: attrs.subresource,
      namespace: attrs.namespace,
      name: attrs.name,
    }),
    async withAuthorizations(evaluate) {
      for (let round = 0; ; round++) {
        try {
          return evaluate();
        } catch (err) {
          if (!(err instanceof AuthorizationNeeded) || round >= maxAuthorizationRounds) throw err;
          decisions.set(authzKey(err.attrs), await authorize(err.attrs));
        }
      }
    },
  };
}
