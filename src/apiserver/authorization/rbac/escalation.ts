// Escalation prevention for the four RBAC resources (upstream pkg/registry/rbac/*/policybased): writing a
// role with rules you do not hold needs `escalate`; binding a role you do not fully hold needs `bind`.
//
// Why admission hooks and not the strategies: the checks need the requesting user, which strategies never
// see (they are pure functions of objects), while the REST layer hands every write's AdmissionRequest —
// with the user — to `admissionFor`. The check is a `validate` step, so it runs on the final object of
// create, update, patch and apply alike (on every retry, with that attempt's stored object), after the
// strategy's own validation and before anything is stored, exactly where upstream's wrapped storage refuses.

import { newForbidden, newNotFound, type GroupResource } from '../../../apimachinery/errors.js';
import { systemMasters, type UserInfo } from '../../authentication/interface.js';
import type { AdmissionHooks } from '../../admission/interface.js';
import type { AdmissionRequest } from '../../endpoints/resource-handler.js';
import type { APIObject } from '../../registry/strategy.js';
import type { Authorizer } from '../interface.js';
import { aggregate, type RBACAuthorizer } from './authorizer.js';
import { compactRules, compactString, covers, goQuotedList } from './covers.js';
import { rbacGroup, type BindingObject, type PolicyRule, type RoleObject, type RoleRef } from './types.js';

/** Setting an aggregationRule gathers anything, so it takes `*` on everything. */
const fullAuthority: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

export interface EscalationCheckOptions {
  /** The whole authorizer chain: asked for `escalate` and `bind`. */
  authorizer: Authorizer;
  /** Whose rules a user holds (RBAC's own resolver, as upstream, whatever the authorization modes). */
  rbac: RBACAuthorizer;
}

/** Members of system:masters may grant anything (the apiserver's own loopback identity is one). */
function escalationAllowed(user: UserInfo): boolean {
  return user.groups.includes(systemMasters);
}

/** Whether only fields the garbage collector writes changed (upstream IsOnlyMutatingGCFields). */
function onlyGCFieldsChanged(obj: APIObject, old: APIObject): boolean {
  const strip = (o: APIObject): string => {
    const m = { ...(o.metadata ?? {}) } as Record<string, unknown>;
    for (const f of ['ownerReferences', 'finalizers', 'resourceVersion', 'managedFields', 'generation']) delete m[f];
    return JSON.stringify({ ...o, metadata: m });
  };
  return strip(obj) === strip(old);
}

export class EscalationCheck {
  constructor(private readonly opts: EscalationCheckOptions) {}

  private async authorized(user: UserInfo, verb: string, resource: string, namespace: string, name: string): Promise<boolean> {
    const r = await this.opts.authorizer.authorize({
      user,
      verb,
      isResourceRequest: true,
      path: '',
      namespace,
      apiGroup: rbacGroup,
      apiVersion: '*',
      resource,
      subresource: '',
      name,
    });
    return r.decision === 'allow';
  }

  /** Upstream ConfirmNoEscalation: throws a Forbidden naming the missing rules. */
  confirmNoEscalation(gr: GroupResource, name: string, user: UserInfo, namespace: string, rules: readonly PolicyRule[], message?: string): void {
    const held = this.opts.rbac.policyRulesFor(user, namespace);
    const { covered, missing } = covers(held.rules, rules);
    if (covered) return;
    if (message) throw newForbidden(gr, name, message);
    const descriptions = [...new Set(compactRules(missing).map(compactString))].sort();
    let msg = `user ${JSON.stringify(user.name)} (groups=${goQuotedList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${descriptions.join('\n')}`;
    if (held.errors.length) msg += `; resolution errors: [${aggregate(held.errors)}]`;
    throw newForbidden(gr, name, msg);
  }

  /** A Role or ClusterRole write (old undefined on create). */
  async checkRole(req: { resource: 'roles' | 'clusterroles'; user: UserInfo; namespace: string; name: string }, obj: RoleObject, old: RoleObject | undefined): Promise<void> {
    const gr = { group: rbacGroup, resource: req.resource };
    const name = obj.metadata.name ?? req.name;
    if (escalationAllowed(req.user)) return;
    if (await this.authorized(req.user, 'escalate', req.resource, req.namespace, req.name)) return;
    if (old && onlyGCFieldsChanged(obj as APIObject, old as APIObject)) return;
    if (req.resource === 'clusterroles' && (obj.aggregationRule || old?.aggregationRule)) {
      this.confirmNoEscalation(gr, name, req.user, '', fullAuthority, 'must have cluster-admin privileges to use the aggregationRule');
    }
    this.confirmNoEscalation(gr, name, req.user, req.namespace, obj.rules ?? []);
  }

  /** A RoleBinding or ClusterRoleBinding write: `bind` on the role, or hold everything it grants. */
  async checkBinding(
    req: { resource: 'rolebindings' | 'clusterrolebindings'; user: UserInfo; namespace: string; name: string },
    obj: BindingObject,
    old: BindingObject | undefined,
  ): Promise<void> {
    const gr = { group: rbacGroup, resource: req.resource };
    const name = obj.metadata.name ?? req.name;
    if (escalationAllowed(req.user)) return;
    if (old && onlyGCFieldsChanged(obj as unknown as APIObject, old as unknown as APIObject)) return;
    const ref: RoleRef = obj.roleRef;
    const roleResource = ref.kind === 'ClusterRole' ? 'clusterroles' : 'roles';
    // A ClusterRoleBinding's bind check and rules are cluster-wide; a RoleBinding's are its namespace's.
    const namespace = req.resource === 'clusterrolebindings' ? '' : req.namespace;
    if (await this.authorized(req.user, 'bind', roleResource, namespace, ref.name)) return;
    let rules: PolicyRule[];
    try {
      rules = this.opts.rbac.roleReferenceRules(ref, namespace);
    } catch {
      throw newNotFound({ group: rbacGroup, resource: ref.kind === 'ClusterRole' ? 'clusterrole' : 'role' }, ref.name);
    }
    this.confirmNoEscalation(gr, name, req.user, namespace, rules);
  }

  /** Admission hooks for writes of the four RBAC resources; undefined for every other resource. */
  hooksFor(req: AdmissionRequest): AdmissionHooks | undefined {
    const { group, plural } = req.registry.resource;
    if (group !== rbacGroup || req.subresource) return undefined;
    const base = { user: req.user, namespace: req.namespace, name: req.name };
    let check: ((obj: APIObject, old: APIObject | undefined) => Promise<void>) | undefined;
    if (plural === 'roles' || plural === 'clusterroles') {
      check = (obj, old) => this.checkRole({ ...base, resource: plural }, obj as unknown as RoleObject, old as unknown as RoleObject | undefined);
    } else if (plural === 'rolebindings' || plural === 'clusterrolebindings') {
      check = (obj, old) => this.checkBinding({ ...base, resource: plural }, obj as unknown as BindingObject, old as unknown as BindingObject | undefined);
    }
    if (!check) return undefined;
    const validate = check;
    return {
      mutate: async () => {},
      validate: async (obj, old) => {
        if (obj) await validate(obj, old);
      },
    };
  }
}
