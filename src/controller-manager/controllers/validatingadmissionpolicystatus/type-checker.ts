// Type checking of a ValidatingAdmissionPolicy against the kinds it matches (upstream's validating.TypeChecker):
// each validation's expression and messageExpression is compiled with `object` and `oldObject` typed as each
// matched kind, `params` as the paramKind, `request`, `namespaceObject` and `variables` as in every policy
// expression (apimachinery/cel/admission-types.ts), and every compile error becomes a warning for status.typeChecking, e.g.
//   fieldRef: spec.validations[0].expression
//   warning: "apps/v1, Kind=Deployment: ERROR: <input>:1:8: undefined field 'replicas'\n | object.replicas > 1\n | .......^\n"
// A type that cannot be resolved is skipped: type checking never changes what the policy does.

import type * as admissionregistrationv1 from '../../../api/generated/admissionregistration/v1.js';
import { compileCEL } from '../../../apimachinery/cel/compile.js';
import { policyEnvironment } from '../../../apimachinery/cel/admission-types.js';
import type { CELType } from '../../../apimachinery/cel/types.js';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** How the checker learns about the cluster's types (discovery and the OpenAPI documents, or fakes in tests). */
export interface TypeResolver {
  /** The kinds a group/version/resource serves (upstream RESTMapper.KindsFor); none when it is not served. */
  kindsFor(gvr: { group: string; version: string; resource: string }): Promise<GroupVersionKind[]>;
  /** The CEL type of a kind's objects, or undefined when no schema is published for it. */
  typeOf(gvk: GroupVersionKind): Promise<CELType | undefined>;
}

/** upstream maxTypesToCheck: at most this many matched kinds are checked. */
export const maxTypesToCheck = 10;

/** Go's schema.GroupVersionKind String(): `apps/v1, Kind=Deployment`, `/v1, Kind=Pod`. */
export function gvkString(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}, Kind=${gvk.kind}`;
}

/**
 * The kinds to check (upstream typesToCheck): every group × version × resource of matchConstraints.resourceRules,
 * skipping rules with a wildcard group or version and wildcard or subresource entries, resolved to kinds,
 * sorted by group, version and kind, at most `maxTypesToCheck`.
 */
export async function typesToCheck(policy: admissionregistrationv1.ValidatingAdmissionPolicy, resolver: TypeResolver): Promise<GroupVersionKind[]> {
  const found = new Map<string, GroupVersionKind>();
  let count = 0;
  for (const rule of policy.spec?.matchConstraints?.resourceRules ?? []) {
    const groups = rule.apiGroups ?? [];
    const versions = rule.apiVersions ?? [];
    if (!groups.length || groups.some((g) => g.includes('*')) || !versions.length || versions.some((v) => v.includes('*'))) continue;
    const resources = (rule.resources ?? []).filter((r) => !/[*/]/.test(r));
    for (const group of [...groups].sort()) {
      for (const version of [...versions].sort()) {
        for (const resource of [...resources].sort()) {
          for (const gvk of await resolver.kindsFor({ group, version, resource })) {
            found.set(gvkString(gvk), gvk);
            if (++count === maxTypesToCheck) return sortKinds([...found.values()]);
          }
        }
      }
    }
  }
  return sortKinds([...found.values()]);
}

function sortKinds(list: GroupVersionKind[]): GroupVersionKind[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return list.sort((a, b) => cmp(a.group, b.group) || cmp(a.version, b.version) || cmp(a.kind, b.kind));
}

/** The paramKind's group/version/kind, when the policy has one that parses. */
function paramsKind(policy: admissionregistrationv1.ValidatingAdmissionPolicy): GroupVersionKind | undefined {
  const p = policy.spec?.paramKind;
  if (!p?.apiVersion || !p.kind) return undefined;
  const parts = p.apiVersion.split('/');
  if (parts.length > 2 || parts.some((x) => x === '')) return undefined;
  return parts.length === 2 ? { group: parts[0]!, version: parts[1]!, kind: p.kind } : { group: '', version: parts[0]!, kind: p.kind };
}

/**
 * upstream TypeChecker.Check: the warnings for status.typeChecking.expressionWarnings (empty when every
 * expression checks against every resolvable matched kind).
 */
export async function checkPolicy(policy: admissionregistrationv1.ValidatingAdmissionPolicy, resolver: TypeResolver): Promise<admissionregistrationv1.ExpressionWarning[]> {
  const kinds: Array<{ gvk: GroupVersionKind; type: CELType }> = [];
  for (const gvk of await typesToCheck(policy, resolver)) {
    const type = await resolver.typeOf(gvk);
    if (type) kinds.push({ gvk, type });
  }
  const paramsGVK = paramsKind(policy);
  const paramsType = paramsGVK ? await resolver.typeOf(paramsGVK) : undefined;
  const environments = kinds.map((k) => ({ gvk: k.gvk, types: policyEnvironment({ objectType: k.type, paramsType, variables: policy.spec?.variables }).types }));
  const check = (expression: string): string => {
    const messages: string[] = [];
    for (const env of environments) {
      const r = compileCEL(expression, { variables: Object.keys(env.types), types: env.types });
      if (r.error) messages.push(`${gvkString(env.gvk)}: ${r.error}\n`);
    }
    return messages.join('\n');
  };
  const warnings: admissionregistrationv1.ExpressionWarning[] = [];
  (policy.spec?.validations ?? []).forEach((v, i) => {
    const expression = check(v.expression ?? '');
    if (expression) warnings.push({ fieldRef: `spec.validations[${i}].expression`, warning: expression });
    if (!v.messageExpression) return;
    const message = check(v.messageExpression);
    if (message) warnings.push({ fieldRef: `spec.validations[${i}].messageExpression`, warning: message });
  });
  return warnings;
}
