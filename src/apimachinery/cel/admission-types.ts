// The CEL environment of admission policies (upstream k8s.io/apiserver/pkg/admission/plugin/cel): the types of
// `request` and `namespaceObject` (upstream's hand-built BuildRequestType and BuildNamespaceType), and the
// variables a policy expression sees — `object`/`oldObject` and `params` of whatever type the caller knows (dyn
// when writing a policy, the matched kind when type checking it), `authorizer`, and `variables` typed by
// compiling the policy's own variables in order.

import { compileCEL, type CompileResult } from './compile.js';
import { listOf, mapOf, T, type CELType } from './types.js';

const object = (name: string, fields: Record<string, CELType>): CELType => ({ kind: 'object', name, fields: new Map(Object.entries(fields)), open: false });
const groupVersionKind = object('kubernetes.GroupVersionKind', { group: T.string, version: T.string, kind: T.string });
const groupVersionResource = object('kubernetes.GroupVersionResource', { group: T.string, version: T.string, resource: T.string });

/** The `request` variable. */
export const requestType = object('kubernetes.AdmissionRequest', {
  kind: groupVersionKind,
  resource: groupVersionResource,
  subResource: T.string,
  requestKind: groupVersionKind,
  requestResource: groupVersionResource,
  requestSubResource: T.string,
  name: T.string,
  namespace: T.string,
  operation: T.string,
  userInfo: object('kubernetes.UserInfo', { username: T.string, uid: T.string, groups: listOf(T.string), extra: mapOf(T.string, listOf(T.string)) }),
  dryRun: T.bool,
  options: T.dyn,
});

/** The `namespaceObject` variable. */
export const namespaceType = object('kubernetes.Namespace', {
  metadata: object('kubernetes.NamespaceMetadata', {
    name: T.string,
    generateName: T.string,
    namespace: T.string,
    labels: mapOf(T.string, T.string),
    annotations: mapOf(T.string, T.string),
    UID: T.string,
    creationTimestamp: T.timestamp,
    deletionGracePeriodSeconds: T.int,
    deletionTimestamp: T.timestamp,
    generation: T.int,
    resourceVersion: T.string,
    finalizers: listOf(T.string),
  }),
  spec: object('kubernetes.NamespaceSpec', { finalizers: listOf(T.string) }),
  status: object('kubernetes.NamespaceStatus', {
    conditions: listOf(object('kubernetes.NamespaceCondition', { lastTransitionTime: T.timestamp, message: T.string, reason: T.string, status: T.string, type: T.string })),
    phase: T.string,
  }),
});

export interface PolicyEnvironmentOptions {
  /** The type of `object` and `oldObject`. */
  objectType: CELType;
  /** The type of `params`; absent: `params` is not declared (a policy without paramKind). */
  paramsType?: CELType;
  /** The policy's variables, compiled in order, each seeing those before it. */
  variables?: ReadonlyArray<{ name?: string; expression?: string }>;
}

/**
 * The declared variables of a policy expression and their types, and each policy variable's own compile result.
 * `authorizer` is dyn: its calls are not type checked. A variable that does not compile is dyn for the
 * expressions after it; one refers only to those before it.
 */
export function policyEnvironment(opts: PolicyEnvironmentOptions): { types: Record<string, CELType>; variableResults: CompileResult[] } {
  const types = matchConditionEnvironment(opts);
  const fields = new Map<string, CELType>();
  types.variables = { kind: 'object', name: 'kubernetes.variables', fields, open: false };
  const variableResults: CompileResult[] = [];
  for (const v of opts.variables ?? []) {
    const r = compileCEL(v.expression ?? '', { variables: Object.keys(types), types });
    variableResults.push(r);
    fields.set(v.name ?? '', r.error ? T.dyn : (r.type ?? T.dyn));
  }
  return { types, variableResults };
}

/** The variables of a matchCondition: those of a policy expression but `variables`. */
export function matchConditionEnvironment(opts: Omit<PolicyEnvironmentOptions, 'variables'>): Record<string, CELType> {
  const types: Record<string, CELType> = { object: opts.objectType, oldObject: opts.objectType, request: requestType, namespaceObject: namespaceType, authorizer: T.dyn };
  if (opts.paramsType) types.params = opts.paramsType;
  return types;
}
