// The RBAC authorizer (upstream plugin/pkg/auth/authorizer/rbac): a request is allowed when a rule of a
// role bound to the user (ClusterRoleBindings, then RoleBindings of the request's namespace) allows it.

import type { UserInfo } from '../../authentication/interface.js';
import type { Attributes, Authorizer, AuthorizationResult, NonResourceRule, ResourceRule, RuleResolver } from '../interface.js';
import { subjectAppliesTo, type PolicyIndex } from './policy-index.js';
import { ruleAllows } from './rules.js';
import { rbacGroup, type BindingObject, type PolicyRule, type RoleRef, type Subject } from './types.js';

/** Where a rule came from, worded as upstream's allow reason names it. */
function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

function describeBinding(b: BindingObject, s: Subject): string {
  const ns = b.metadata.namespace ?? '';
  const what = ns ? `RoleBinding ${JSON.stringify(`${b.metadata.name}/${ns}`)}` : `ClusterRoleBinding ${JSON.stringify(b.metadata.name)}`;
  return `${what} of ${b.roleRef.kind} ${JSON.stringify(b.roleRef.name)} to ${describeSubject(s, ns)}`;
}

/**
 * Visits rules in upstream's order; the visitor returns false to stop. `source` is undefined for errors
 * (a binding whose role does not exist), `rule` undefined then too.
 */
type RuleVisitor = (source: (() => string) | undefined, rule: PolicyRule | undefined, err: string | undefined) => boolean;

export class RBACAuthorizer implements Authorizer, RuleResolver {
  constructor(private readonly index: PolicyIndex) {}

  /**
   * The rules a role reference grants in `namespace` ("" for ClusterRoleBindings); throws a message worded
   * like upstream's lister NotFound when the role does not exist.
   */
  roleReferenceRules(ref: RoleRef, namespace: string): PolicyRule[] {
    switch (ref.kind) {
      case 'Role': {
        const r = this.index.getRole(namespace, ref.name);
        if (!r) throw new Error(`role.${rbacGroup} ${JSON.stringify(ref.name)} not found`);
        return r.rules ?? [];
      }
      case 'ClusterRole': {
        const r = this.index.getClusterRole(ref.name);
        if (!r) throw new Error(`clusterrole.${rbacGroup} ${JSON.stringify(ref.name)} not found`);
        return r.rules ?? [];
      }
      default:
        throw new Error(`unsupported role reference kind: ${JSON.stringify(ref.kind)}`);
    }
  }

  private visitBinding(user: UserInfo, b: BindingObject, namespace: string, visit: RuleVisitor): boolean {
    const subject = (b.subjects ?? []).find((s) => subjectAppliesTo(user, s, namespace));
    if (!subject) return true;
    let rules: PolicyRule[];
    try {
      rules = this.roleReferenceRules(b.roleRef, namespace);
    } catch (err) {
      return visit(undefined, undefined, (err as Error).message);
    }
    const source = (): string => describeBinding(b, subject);
    for (const rule of rules) if (!visit(source, rule, undefined)) return false;
    return true;
  }

  /** Upstream VisitRulesFor: every ClusterRoleBinding's rules, then the namespace's RoleBindings'. */
  visitRulesFor(user: UserInfo, namespace: string, visit: RuleVisitor): void {
    for (const b of this.index.clusterRoleBindingsFor(user)) if (!this.visitBinding(user, b, '', visit)) return;
    if (!namespace) return;
    for (const b of this.index.roleBindingsFor(user, namespace)) if (!this.visitBinding(user, b, namespace, visit)) return;
  }

  /** Allow with upstream's "RBAC: allowed by …" reason, or noOpinion ("" or the resolution errors). */
  authorizeSync(attrs: Attributes): AuthorizationResult {
    let allowedBy: string | undefined;
    const errors: string[] = [];
    this.visitRulesFor(attrs.user, attrs.namespace, (source, rule, err) => {
      if (err !== undefined) {
        errors.push(err);
        return true;
      }
      if (rule && ruleAllows(attrs, rule)) {
        allowedBy = source?.();
        return false;
      }
      return true;
    });
    if (allowedBy !== undefined) return { decision: 'allow', reason: `RBAC: allowed by ${allowedBy}` };
    return { decision: 'noOpinion', reason: errors.length ? `RBAC: ${aggregate(errors)}` : '' };
  }

  async authorize(attrs: Attributes): Promise<AuthorizationResult> {
    return this.authorizeSync(attrs);
  }

  /** Every rule bound to the user in `namespace` (cluster-wide ones included), with resolution errors. */
  policyRulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    this.visitRulesFor(user, namespace, (_source, rule, err) => {
      if (rule) rules.push(rule);
      if (err !== undefined) errors.push(err);
      return true;
    });
    return { rules, errors };
  }

  async rulesFor(user: UserInfo, namespace: string): ReturnType<RuleResolver['rulesFor']> {
    const { rules, errors } = this.policyRulesFor(user, namespace);
    const resourceRules: ResourceRule[] = [];
    const nonResourceRules: NonResourceRule[] = [];
    for (const r of rules) {
      if (r.resources?.length) {
        const rr: ResourceRule = { verbs: [...r.verbs], apiGroups: [...(r.apiGroups ?? [])], resources: [...r.resources] };
        if (r.resourceNames?.length) rr.resourceNames = [...r.resourceNames];
        resourceRules.push(rr);
      }
      if (r.nonResourceURLs?.length) nonResourceRules.push({ verbs: [...r.verbs], nonResourceURLs: [...r.nonResourceURLs] });
    }
    const out: Awaited<ReturnType<RuleResolver['rulesFor']>> = { resourceRules, nonResourceRules, incomplete: false };
    if (errors.length) out.evaluationError = aggregate(errors);
    return out;
  }
}

/** Go's utilerrors.Aggregate wording: one error as is, several as "[a, b]". */
export function aggregate(errors: readonly string[]): string {
  return errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;
}
