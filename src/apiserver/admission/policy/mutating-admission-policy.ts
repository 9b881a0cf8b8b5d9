// MutatingAdmissionPolicy (upstream k8s.io/apiserver/pkg/admission/plugin/policy/mutating): in-process CEL
// mutations. A MutatingAdmissionPolicy says which writes it covers (matchConstraints, matchConditions) and how
// to change the object: each of its `mutations` is either an ApplyConfiguration (a CEL expression building
// `Object{…}`, merged into the object as server-side apply merges: list-map entries by key, atomic values
// replaced) or a JSONPatch (a CEL expression building `[JSONPatch{op, path, value}]`). Each
// MutatingAdmissionPolicyBinding applies a policy, narrowed by its matchResources and with its params.

import { applySchemaFor } from '../../../api/apply-schema.js';
import type * as admissionregistrationv1 from '../../../api/generated/admissionregistration/v1.js';
import { untypedType, type ApplyType } from '../../../apimachinery/apply/schema.js';
import { merge } from '../../../apimachinery/apply/typed-value.js';
import { StatusError } from '../../../apimachinery/errors.js';
import { applyJSONPatch, decodeJSONPatch } from '../../../apimachinery/patch/json-patch.js';
import type { JSONObject, JSONValue } from '../../../apimachinery/patch/json-value.js';
import { evaluateCEL } from '../../../apimachinery/cel/evaluate.js';
import { AuthorizationNeeded } from '../../../apimachinery/cel/authz.js';
import type { Authorizer } from '../../authorization/interface.js';
import { requestAuthorizer } from '../cel-authorizer.js';
import { toJSONValue } from '../../../apimachinery/cel/values.js';
import type { Registries } from '../../registry/generic/registries.js';
import type { APIObject } from '../../registry/strategy.js';
import { CachedList } from '../cached-list.js';
import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import type { ObjectReader } from '../object-reader.js';
import { isExemptAdmissionConfigurationResource } from '../webhook/matching.js';
import { admissionRequestOf } from '../webhook/review.js';
import { policyParams, program, resourcesMatch } from './policy-common.js';

export const mutatingAdmissionPolicyPluginName = 'MutatingAdmissionPolicy';

type Policy = admissionregistrationv1.MutatingAdmissionPolicy;
type Binding = admissionregistrationv1.MutatingAdmissionPolicyBinding;

/** Why one policy could not mutate: an expression failed, or its result was not a usable patch. */
class MutationError extends Error {}

export function newMutatingAdmissionPolicy(opts: {
  registries: Registries;
  reader: ObjectReader;
  /** Answers the `authorizer` library's checks; absent: every check is noOpinion. */
  authorizer?: Authorizer;
}): AdmissionPlugin {
  const policies = new CachedList<Policy>(opts.registries, 'admissionregistration.k8s.io', 'mutatingadmissionpolicies');
  const bindings = new CachedList<Binding>(opts.registries, 'admissionregistration.k8s.io', 'mutatingadmissionpolicybindings');

  /** The apply type the object's kind merges by: a custom resource's from its CRD, a built-in's schema. */
  function applyTypeOf(attrs: AdmissionAttributes): ApplyType {
    const r = attrs.resource;
    return opts.registries.get(r.group, r.resource, r.version)?.applySchema ?? applySchemaFor(attrs.kind.group, attrs.kind.version, attrs.kind.kind) ?? untypedType;
  }

  /**
   * Runs one policy's mutations on `object` in order (each sees the previous one's result) and returns the
   * new object, or 'skip' when a matchCondition is false. Throws MutationError.
   */
  function mutate(policy: Policy, object: JSONObject, vars: Record<string, unknown>, type: ApplyType): JSONObject | 'skip' {
    const spec = policy.spec ?? {};
    const variables: Record<string, unknown> = {};
    const activation = (obj: JSONObject) => {
      const act = { ...vars, object: obj, variables };
      for (const v of spec.variables ?? []) {
        Object.defineProperty(variables, v.name, { enumerable: true, configurable: true, get: () => evaluateCEL(program(v.expression), act) });
      }
      return act;
    };
    const run = (expression: string, act: Record<string, unknown>): unknown => {
      try {
        return evaluateCEL(program(expression), act);
      } catch (err) {
        if (err instanceof AuthorizationNeeded) throw err;
        throw new MutationError(`expression '${expression}' resulted in error: ${(err as Error).message}`);
      }
    };
    for (const c of spec.matchConditions ?? []) {
      if (run(c.expression, activation(object)) === false) return 'skip';
    }
    let current = object;
    for (const m of spec.mutations ?? []) {
      if (m.patchType === 'ApplyConfiguration' && m.applyConfiguration?.expression) {
        const expression = m.applyConfiguration.expression;
        const config = toJSONValue(run(expression, activation(current)));
        if (config === null || typeof config !== 'object' || Array.isArray(config)) {
          throw new MutationError(`apply configuration expression '${expression}' must evaluate to an object, not ${JSON.stringify(config)}`);
        }
        current = merge(current, config as JSONObject, type);
      } else if (m.patchType === 'JSONPatch' && m.jsonPatch?.expression) {
        const expression = m.jsonPatch.expression;
        const patch = toJSONValue(run(expression, activation(current)));
        try {
          current = applyJSONPatch(current, decodeJSONPatch(patch)) as JSONObject;
        } catch (err) {
          throw new MutationError(`JSONPatch from expression '${expression}' could not be applied: ${(err as Error).message}`);
        }
      } else {
        throw new MutationError(`unsupported patchType ${JSON.stringify(m.patchType)}`);
      }
    }
    return current;
  }

  return {
    name: mutatingAdmissionPolicyPluginName,
    handles: (op) => op === 'CREATE' || op === 'UPDATE',
    async admit(attrs) {
      if (!attrs.object || isExemptAdmissionConfigurationResource(attrs)) return;
      const allBindings = await bindings.items();
      if (!allBindings.length) return;
      const byName = new Map((await policies.items()).map((p) => [p.metadata?.name ?? '', p]));
      const reinvoking = attrs.reinvocation?.isReinvoke === true;
      const type = applyTypeOf(attrs);
      let namespaceObject: APIObject | null | undefined;
      for (const binding of allBindings) {
        const policy = byName.get(binding.spec?.policyName ?? '');
        if (!policy) continue;
        // On the second pass only policies that asked for it run again (reinvocationPolicy: IfNeeded).
        if (reinvoking && policy.spec?.reinvocationPolicy !== 'IfNeeded') continue;
        if (!(await resourcesMatch(policy.spec?.matchConstraints, attrs, opts.reader))) continue;
        if (binding.spec?.matchResources && !(await resourcesMatch(binding.spec.matchResources, attrs, opts.reader))) continue;
        namespaceObject ??= attrs.namespace ? ((await opts.reader.get({ group: '', resource: 'namespaces' }, '', attrs.namespace)) ?? null) : null;
        const policyName = policy.metadata?.name ?? '';
        const bindingName = binding.metadata?.name ?? '';
        const failClosed = (policy.spec?.failurePolicy ?? 'Fail') === 'Fail';
        const deny = (message: string): never => {
          throw newAdmissionForbidden(attrs, `MutatingAdmissionPolicy '${policyName}' with binding '${bindingName}' denied request: ${message}`);
        };
        const params = await policyParams(opts, policy.spec?.paramKind, binding.spec?.paramRef, attrs);
        if (params && !params.length) {
          if ((binding.spec?.paramRef?.parameterNotFoundAction ?? 'Deny') === 'Deny' && failClosed) {
            deny('failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction');
          }
          continue;
        }
        for (const param of params ?? [null]) {
          const request = admissionRequestOf(attrs);
          const authz = requestAuthorizer(attrs, opts.authorizer);
          const vars = { oldObject: attrs.oldObject ?? null, request, params: param, namespaceObject, authorizer: authz.value };
          let result: JSONObject | 'skip';
          try {
            // mutate is pure (it returns a new object), so it can run again once an authorizer decision is known.
            result = await authz.withAuthorizations(() => mutate(policy, attrs.object as JSONObject, vars, type));
          } catch (err) {
            if (!(err instanceof MutationError)) throw err;
            if (failClosed) deny(err.message);
            continue;
          }
          if (result === 'skip') continue;
          if (result.kind !== attrs.object.kind || result.apiVersion !== attrs.object.apiVersion) {
            throw new StatusError({ code: 400, reason: 'BadRequest', message: `MutatingAdmissionPolicy '${policyName}' may not change apiVersion or kind` });
          }
          // In place, as every mutating plugin changes the request's object.
          const target = attrs.object as Record<string, unknown>;
          for (const k of Object.keys(target)) if (!(k in result)) delete target[k];
          Object.assign(target, result as Record<string, JSONValue>);
          if (attrs.reinvocation && policy.spec?.reinvocationPolicy === 'IfNeeded') attrs.reinvocation.shouldReinvoke = true;
        }
      }
    },
  };
}
