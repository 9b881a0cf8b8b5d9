// The in-memory RBAC policy: roles by name and bindings indexed by subject, so finding the bindings that
// apply to a user costs a few map lookups however many bindings exist. Fed by StoreInformers.

import type { UserInfo } from '../../authentication/interface.js';
import type { StoreEventHandler } from '../store-informer.js';
import type { BindingObject, RoleObject, Subject } from './types.js';

const serviceAccountUserPrefix = 'system:serviceaccount:';

/** Index keys a subject is found under; a ServiceAccount subject without namespace takes the binding's. */
function subjectKey(s: Subject, bindingNamespace: string): string | undefined {
  switch (s.kind) {
    case 'User':
      return `u\0${s.name}`;
    case 'Group':
      return `g\0${s.name}`;
    case 'ServiceAccount': {
      const ns = s.namespace || bindingNamespace;
      return ns ? `u\0${serviceAccountUserPrefix}${ns}:${s.name}` : undefined;
    }
    default:
      return undefined;
  }
}

/** The keys under which bindings that apply to `user` are indexed. */
export function userKeys(user: UserInfo): string[] {
  const keys = [`u\0${user.name}`];
  for (const g of user.groups) keys.push(`g\0${g}`);
  return keys;
}

/** Whether `s` names `user` (upstream appliesToUser): by user name, group, or service-account user name. */
export function subjectAppliesTo(user: UserInfo, s: Subject, bindingNamespace: string): boolean {
  switch (s.kind) {
    case 'User':
      return user.name === s.name;
    case 'Group':
      return user.groups.includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || bindingNamespace;
      return ns !== '' && user.name === `${serviceAccountUserPrefix}${ns}:${s.name}`;
    }
    default:
      return false;
  }
}

/** Bindings of one scope (cluster, or one namespace) by subject key; insertion order is kept. */
class BindingIndex {
  private readonly bySubject = new Map<string, Set<BindingObject>>();
  private readonly keysOf = new Map<BindingObject, string[]>();
  readonly byName = new Map<string, BindingObject>();

  add(b: BindingObject): void {
    const ns = b.metadata.namespace ?? '';
    const name = b.metadata.name ?? '';
    const previous = this.byName.get(name);
    if (previous) this.remove(previous);
    const keys = new Set<string>();
    for (const s of b.subjects ?? []) {
      const k = subjectKey(s, ns);
      if (k) keys.add(k);
    }
    for (const k of keys) {
      let set = this.bySubject.get(k);
      if (!set) this.bySubject.set(k, (set = new Set()));
      set.add(b);
    }
    this.keysOf.set(b, [...keys]);
    this.byName.set(name, b);
  }

  remove(b: BindingObject): void {
    const current = this.byName.get(b.metadata.name ?? '');
    if (!current) return;
    for (const k of this.keysOf.get(current) ?? []) {
      const set = this.bySubject.get(k);
      set?.delete(current);
      if (set?.size === 0) this.bySubject.delete(k);
    }
    this.keysOf.delete(current);
    this.byName.delete(current.metadata.name ?? '');
  }

  /** Bindings that may apply to the user (each once), in the order they were indexed per key. */
  candidates(keys: readonly string[]): BindingObject[] {
    const out: BindingObject[] = [];
    const seen = new Set<BindingObject>();
    for (const k of keys) {
      const set = this.bySubject.get(k);
      if (!set) continue;
      for (const b of set) {
        if (seen.has(b)) continue;
        seen.add(b);
        out.push(b);
      }
    }
    return out;
  }

  get size(): number {
    return this.byName.size;
  }
}

/** Everything RBAC evaluates, kept current by the four informers' handlers. */
export class PolicyIndex {
  readonly clusterRoles = new Map<string, RoleObject>();
  /** `namespace/name` → Role. */
  readonly roles = new Map<string, RoleObject>();
  readonly clusterRoleBindings = new BindingIndex();
  private readonly roleBindings = new Map<string, BindingIndex>();
  /** Called after every change to ClusterRoles (aggregation listens). */
  onClusterRolesChanged?: () => void;

  getClusterRole(name: string): RoleObject | undefined {
    return this.clusterRoles.get(name);
  }

  getRole(namespace: string, name: string): RoleObject | undefined {
    return this.roles.get(`${namespace}/${name}`);
  }

  /** ClusterRoleBindings that may apply to `user` (subjects still to be checked with subjectAppliesTo). */
  clusterRoleBindingsFor(user: UserInfo): BindingObject[] {
    return this.clusterRoleBindings.candidates(userKeys(user));
  }

  roleBindingsFor(user: UserInfo, namespace: string): BindingObject[] {
    return this.roleBindings.get(namespace)?.candidates(userKeys(user)) ?? [];
  }

  get bindingCount(): number {
    let n = this.clusterRoleBindings.size;
    for (const idx of this.roleBindings.values()) n += idx.size;
    return n;
  }

  addRoleBinding(b: BindingObject): void {
    const ns = b.metadata.namespace ?? '';
    let idx = this.roleBindings.get(ns);
    if (!idx) this.roleBindings.set(ns, (idx = new BindingIndex()));
    idx.add(b);
  }

  removeRoleBinding(b: BindingObject): void {
    const ns = b.metadata.namespace ?? '';
    const idx = this.roleBindings.get(ns);
    idx?.remove(b);
    if (idx?.size === 0) this.roleBindings.delete(ns);
  }

  /** Informer handlers for each of the four resources. */
  handlers(): {
    clusterRoles: StoreEventHandler<RoleObject>;
    roles: StoreEventHandler<RoleObject>;
    clusterRoleBindings: StoreEventHandler<BindingObject>;
    roleBindings: StoreEventHandler<BindingObject>;
  } {
    const roleKey = (r: RoleObject): string => `${r.metadata.namespace ?? ''}/${r.metadata.name ?? ''}`;
    const changed = (): void => this.onClusterRolesChanged?.();
    return {
      clusterRoles: {
        onReplace: (objs) => {
          this.clusterRoles.clear();
          for (const r of objs) this.clusterRoles.set(r.metadata.name ?? '', r);
          changed();
        },
        onAdd: (r) => {
          this.clusterRoles.set(r.metadata.name ?? '', r);
          changed();
        },
        onUpdate: (_o, r) => {
          this.clusterRoles.set(r.metadata.name ?? '', r);
          changed();
        },
        onDelete: (r) => {
          this.clusterRoles.delete(r.metadata.name ?? '');
          changed();
        },
      },
      roles: {
        onReplace: (objs) => {
          this.roles.clear();
          for (const r of objs) this.roles.set(roleKey(r), r);
        },
        onAdd: (r) => void this.roles.set(roleKey(r), r),
        onUpdate: (_o, r) => void this.roles.set(roleKey(r), r),
        onDelete: (r) => void this.roles.delete(roleKey(r)),
      },
      clusterRoleBindings: {
        onReplace: (objs) => {
          for (const b of [...this.clusterRoleBindings.byName.values()]) this.clusterRoleBindings.remove(b);
          for (const b of objs) this.clusterRoleBindings.add(b);
        },
        onAdd: (b) => this.clusterRoleBindings.add(b),
        onUpdate: (_o, b) => this.clusterRoleBindings.add(b),
        onDelete: (b) => this.clusterRoleBindings.remove(b),
      },
      roleBindings: {
        onReplace: (objs) => {
          this.roleBindings.clear();
          for (const b of objs) this.addRoleBinding(b);
        },
        onAdd: (b) => this.addRoleBinding(b),
        onUpdate: (_o, b) => this.addRoleBinding(b),
        onDelete: (b) => this.removeRoleBinding(b),
      },
    };
  }
}
