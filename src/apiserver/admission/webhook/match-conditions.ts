// A webhook's matchConditions (CEL, over `object`, `oldObject`, `request` and `authorizer`): all true → call it;
// any false → skip it; otherwise (errors) → the failurePolicy decides, as upstream's matchconditions.Matcher.

import type * as admissionregistrationv1 from '../../../api/generated/admissionregistration/v1.js';
import { AuthorizationNeeded, type CELAuthorizer } from '../../../apimachinery/cel/authz.js';
import { evaluateCEL } from '../../../apimachinery/cel/evaluate.js';
import { parseCEL, type Node } from '../../../apimachinery/cel/parser.js';
import type { AdmissionAttributes } from '../interface.js';
import type { Webhook } from './matching.js';
import { admissionRequestOf } from './review.js';

export type MatchConditionsResult = { matches: true } | { matches: false; failedCondition: string } | { error: string };

/** Conditions are compiled once per configuration version (the objects are replaced when it changes). */
const compiled = new WeakMap<admissionregistrationv1.MatchCondition, Node | Error>();

function compile(c: admissionregistrationv1.MatchCondition): Node | Error {
  let n = compiled.get(c);
  if (!n) {
    try {
      n = parseCEL(c.expression);
    } catch (err) {
      n = err as Error;
    }
    compiled.set(c, n);
  }
  return n;
}

/**
 * The conditions' verdict. `authorizer` is the request's (cel-authorizer.ts); an undecided check propagates as
 * AuthorizationNeeded for the caller to authorize and evaluate again.
 */
export function evaluateMatchConditions(hook: Webhook, attrs: AdmissionAttributes, authorizer?: CELAuthorizer): MatchConditionsResult {
  const conditions = hook.matchConditions ?? [];
  if (!conditions.length) return { matches: true };
  const vars = { object: attrs.object ?? null, oldObject: attrs.oldObject ?? null, request: admissionRequestOf(attrs), authorizer: authorizer ?? null };
  const errors: string[] = [];
  for (const c of conditions) {
    const program = compile(c);
    try {
      if (program instanceof Error) throw program;
      const v = evaluateCEL(program, vars);
      if (typeof v !== 'boolean') throw new Error(`no such overload: result is not a bool`);
      if (!v) return { matches: false, failedCondition: c.name };
    } catch (err) {
      if (err instanceof AuthorizationNeeded) throw err;
      errors.push(`expression '${c.expression}' resulted in error: ${(err as Error).message}`);
    }
  }
  if (!errors.length) return { matches: true };
  return { error: errors.length === 1 ? errors[0] : `[${errors.join(', ')}]` };
}
