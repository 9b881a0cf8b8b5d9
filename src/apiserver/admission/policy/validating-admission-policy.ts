// ValidatingAdmissionPolicy (upstream k8s.io/apiserver/pkg/admission/plugin/policy/validating): in-process
// CEL validations. A ValidatingAdmissionPolicy says what to check (matchConstraints, matchConditions,
// variables, validations, paramKind); each ValidatingAdmissionPolicyBinding applies it (to its matchResources,
// with its params) with validationActions Deny, Warn and/or Audit.

import type * as admissionregistrationv1 from '../../../api/generated/admissionregistration/v1.js';
import { StatusError, type StatusReason } from '../../../apimachinery/errors.js';
import type { Registries } from '../../registry/generic/registries.js';
import type { APIObject } from '../../registry/strategy.js';
import { CachedList } from '../cached-list.js';
import { evaluateCEL } from '../../../apimachinery/cel/evaluate.js';
import { AuthorizationNeeded } from '../../../apimachinery/cel/authz.js';
import { requestAuthorizer } from '../cel-authorizer.js';
import type { Authorizer } from '../../authorization/interface.js';
import type { AdmissionMetrics } from '../admission-metrics.js';
import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import type { ObjectReader } from '../object-reader.js';
import { isExemptAdmissionConfigurationResource } from '../webhook/matching.js';
import { policyParams, program, resourcesMatch } from './policy-common.js';
import { admissionRequestOf } from '../webhook/review.js';

export const validatingAdmissionPolicyPluginName = 'ValidatingAdmissionPolicy';

type Policy = admissionregistrationv1.ValidatingAdmissionPolicy;
type Binding = admissionregistrationv1.ValidatingAdmissionPolicyBinding;

const reasonCodes: Record<string, number> = { Unauthorized: 401, Forbidden: 403, Invalid: 422, RequestEntityTooLarge: 413 };

/** One policy under one binding (and one param): the failures, in order, or an evaluation error. */
interface Verdict {
  failures: Array<{ message: string; reason: string }>;
  error?: string;
}

export function newValidatingAdmissionPolicy(opts: {
  registries: Registries;
  reader: ObjectReader;
  /** Answers the `authorizer` library's checks (the apiserver's authorizer chain); absent: every check is noOpinion. */
  authorizer?: Authorizer;
  /** Where each policy × binding evaluation is counted and timed (apiserver_validating_admission_policy_check_*). */
  metrics?: AdmissionMetrics;
}): AdmissionPlugin {
  const policies = new CachedList<Policy>(opts.registries, 'admissionregistration.k8s.io', 'validatingadmissionpolicies');
  const bindings = new CachedList<Binding>(opts.registries, 'admissionregistration.k8s.io', 'validatingadmissionpolicybindings');
  const paramsFor = (policy: Policy, binding: Binding, attrs: AdmissionAttributes) => policyParams({ registries: opts.registries, reader: opts.reader }, policy.spec?.paramKind, binding.spec.paramRef, attrs);

  function evaluate(policy: Policy, vars: Record<string, unknown>): Verdict | 'skip' {
    const spec = policy.spec ?? {};
    const variables: Record<string, unknown> = {};
    const lazy = { ...vars, variables };
    for (const v of spec.variables ?? []) {
      Object.defineProperty(variables, v.name, { enumerable: true, get: () => evaluateCEL(program(v.expression), lazy) });
    }
    const errorOf = (expression: string, err: unknown) => `expression '${expression}' resulted in error: ${(err as Error).message}`;
    for (const c of spec.matchConditions ?? []) {
      try {
        if (evaluateCEL(program(c.expression), lazy) === false) return 'skip';
      } catch (err) {
        if (err instanceof AuthorizationNeeded) throw err;
        return { failures: [], error: errorOf(c.expression, err) };
      }
    }
    const failures: Verdict['failures'] = [];
    for (const v of spec.validations ?? []) {
      let ok: unknown;
      try {
        ok = evaluateCEL(program(v.expression), lazy);
      } catch (err) {
        if (err instanceof AuthorizationNeeded) throw err;
        return { failures, error: errorOf(v.expression, err) };
      }
      if (ok === true) continue;
      let message = v.message || `failed expression: ${v.expression.trim()}`;
      if (v.messageExpression) {
        try {
          const m = evaluateCEL(program(v.messageExpression), lazy);
          if (typeof m === 'string' && m.trim() && !m.includes('\n')) message = m;
        } catch {
          // upstream falls back to message when messageExpression fails
        }
      }
      failures.push({ message, reason: v.reason || 'Invalid' });
    }
    return { failures };
  }

  return {
    name: validatingAdmissionPolicyPluginName,
    handles: (op) => op !== 'CONNECT',
    async validate(attrs) {
      if (isExemptAdmissionConfigurationResource(attrs)) return;
      const allBindings = await bindings.items();
      if (!allBindings.length) return;
      const byName = new Map((await policies.items()).map((p) => [p.metadata?.name ?? '', p]));
      const request = admissionRequestOf(attrs);
      const authz = requestAuthorizer(attrs, opts.authorizer);
      let namespaceObject: APIObject | null | undefined;
      for (const binding of allBindings) {
        const policy = byName.get(binding.spec.policyName);
        if (!policy) continue;
        const policyName = policy.metadata?.name ?? '';
        const bindingName = binding.metadata?.name ?? '';
        if (!(await resourcesMatch(policy.spec?.matchConstraints, attrs, opts.reader))) continue;
        if (binding.spec.matchResources && !(await resourcesMatch(binding.spec.matchResources, attrs, opts.reader))) continue;
        namespaceObject ??= attrs.namespace ? ((await opts.reader.get({ group: '', resource: 'namespaces' }, '', attrs.namespace)) ?? null) : null;
        const actions = binding.spec.validationActions ?? [];
        const failClosed = (policy.spec?.failurePolicy ?? 'Fail') === 'Fail';
        // Upstream: admission.NewForbidden's message, the validation's reason and code, and the bare denial as
        // the one cause (kubectl prints a 422 as `The deployments "x" is invalid: : ValidatingAdmissionPolicy …`).
        const deny = (message: string, reason: string): never => {
          const denial = `ValidatingAdmissionPolicy '${policyName}' with binding '${bindingName}' denied request: ${message}`;
          const forbidden = newAdmissionForbidden(attrs, denial).status;
          throw new StatusError({ code: reasonCodes[reason] ?? 422, reason: reason as StatusReason, message: forbidden.message, details: { ...forbidden.details, causes: [{ message: denial }] } });
        };
        const params = await paramsFor(policy, binding, attrs);
        if (params && !params.length) {
          if ((binding.spec.paramRef?.parameterNotFoundAction ?? 'Deny') === 'Deny' && failClosed) {
            deny('failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction', 'Invalid');
          }
          continue;
        }
        for (const param of params ?? [null]) {
          const vars = { object: attrs.object ?? null, oldObject: attrs.oldObject ?? null, request, params: param, namespaceObject, authorizer: authz.value };
          const started = performance.now();
          const verdict = await authz.withAuthorizations(() => evaluate(policy, vars));
          if (verdict === 'skip') continue;
          // As upstream's metrics: allow when nothing failed, else one count per action the binding takes.
          const seconds = (performance.now() - started) / 1000;
          const errorType = verdict.error !== undefined ? 'invalid_error' : 'no_error';
          if (verdict.error === undefined && verdict.failures.length === 0) opts.metrics?.policyCheck(policyName, bindingName, 'allow', errorType, seconds);
          else for (const a of actions) opts.metrics?.policyCheck(policyName, bindingName, a.toLowerCase() as 'deny' | 'warn' | 'audit', errorType, seconds);
          if (verdict.error) {
            if (failClosed && actions.includes('Deny')) deny(verdict.error, 'Invalid');
            continue;
          }
          for (const f of verdict.failures) {
            if (actions.includes('Warn')) attrs.addWarning?.(`Validation failed for ValidatingAdmissionPolicy '${policyName}' with binding '${bindingName}': ${f.message}`);
          }
          if (verdict.failures.length && actions.includes('Deny')) deny(verdict.failures[0].message, verdict.failures[0].reason);
        }
      }
    },
  };
}
