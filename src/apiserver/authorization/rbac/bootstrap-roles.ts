// The `rbac/bootstrap-roles` post-start hook (upstream's ensureRBACPolicy): reconciles the default policy
// into storage at every start, retrying until it succeeds or the server stops.

import { isAlreadyExists, isConflict, isNotFound } from '../../../apimachinery/errors.js';
import { realClock, type Clock } from '../../../base/clock.js';
import { klog } from '../../../base/logger.js';
import type { BootstrapHook } from '../../bootstrap/hook.js';
import type { Registries } from '../../registry/generic/registries.js';
import type { APIObject } from '../../registry/strategy.js';
import { bootstrapPolicy } from './bootstrap-policy.js';
import { reconcileBinding, reconcileRole, type ReconcileResult } from './reconcile.js';
import { rbacGroup, type BindingObject, type RoleObject } from './types.js';

export interface PolicyReconcileSummary {
  created: string[];
  updated: string[];
  /** Protected (autoupdate=false) objects that differ from the default policy. */
  skipped: string[];
}

async function ensureNamespace(registries: Registries, name: string): Promise<void> {
  const namespaces = registries.get('', 'namespaces');
  if (!namespaces || !name) return;
  try {
    await namespaces.create({ namespace: '', obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}

/** Reconciles one object; retries conflicting writes (someone else changed it meanwhile). */
async function reconcileOne<T extends RoleObject | BindingObject>(
  registries: Registries,
  plural: string,
  expected: T,
  reconcile: (existing: T | undefined, expected: T) => ReconcileResult<T>,
  summary: PolicyReconcileSummary,
): Promise<void> {
  const registry = registries.get(rbacGroup, plural);
  if (!registry) throw new Error(`${plural}.${rbacGroup} are not served`);
  const namespace = expected.metadata.namespace ?? '';
  const name = expected.metadata.name ?? '';
  const label = `${plural}.${rbacGroup}/${namespace ? `${namespace}/` : ''}${name}`;
  for (let attempt = 0; ; attempt++) {
    let existing: T | undefined;
    try {
      existing = (await registry.get({ namespace, name })) as unknown as T;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const result = reconcile(existing, expected);
    try {
      if (result.protected && result.operation !== 'none') {
        klog.warning(`skipped reconcile-protected ${label} with missing permissions`);
        summary.skipped.push(label);
        return;
      }
      switch (result.operation) {
        case 'none':
          return;
        case 'create':
          await ensureNamespace(registries, namespace);
          await registry.create({ namespace, obj: result.object as unknown as APIObject });
          summary.created.push(label);
          return;
        case 'update':
          await registry.update({ namespace, name, obj: result.object as unknown as APIObject });
          summary.updated.push(label);
          return;
        case 'recreate': {
          await registry.delete({ namespace, name });
          const fresh = structuredClone(result.object) as RoleObject | BindingObject;
          delete fresh.metadata.resourceVersion;
          await registry.create({ namespace, obj: fresh as unknown as APIObject });
          summary.updated.push(label);
          return;
        }
      }
    } catch (err) {
      if ((isConflict(err) || isAlreadyExists(err) || isNotFound(err)) && attempt < 5) continue;
      throw err;
    }
  }
}

/** One reconciliation pass over the whole default policy. */
export async function reconcileBootstrapPolicy(registries: Registries): Promise<PolicyReconcileSummary> {
  const policy = bootstrapPolicy();
  const summary: PolicyReconcileSummary = { created: [], updated: [], skipped: [] };
  for (const r of policy.clusterRoles) await reconcileOne(registries, 'clusterroles', r, reconcileRole, summary);
  for (const b of policy.clusterRoleBindings) await reconcileOne(registries, 'clusterrolebindings', b, reconcileBinding, summary);
  for (const r of policy.roles) await reconcileOne(registries, 'roles', r, reconcileRole, summary);
  for (const b of policy.roleBindings) await reconcileOne(registries, 'rolebindings', b, reconcileBinding, summary);
  return summary;
}

export function rbacBootstrapRolesHook(opts: { clock?: Clock; retryMs?: number } = {}): BootstrapHook {
  const clock = opts.clock ?? realClock;
  return {
    name: 'rbac/bootstrap-roles',
    async run(ctx) {
      for (;;) {
        try {
          const s = await reconcileBootstrapPolicy(ctx.registries);
          if (s.created.length || s.updated.length) klog.v(2).info('reconciled the default RBAC policy', { created: s.created.length, updated: s.updated.length, skipped: s.skipped.length });
          return;
        } catch (err) {
          if (ctx.signal.aborted) return;
          klog.error('unable to reconcile the default RBAC policy; retrying', err);
          await clock.sleep(opts.retryMs ?? 1000, ctx.signal).catch(() => undefined);
          if (ctx.signal.aborted) return;
        }
      }
    },
  };
}
