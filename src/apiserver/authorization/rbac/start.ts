// Starts RBAC inside the apiserver: the policy index fed by informers on the four RBAC resources, the
// ClusterRole aggregation loop, and the authorizer reading the index.

import type { Clock } from '../../../base/clock.js';
import type { SecurityContext } from '../../security-context.js';
import { StoreInformer } from '../store-informer.js';
import { ClusterRoleAggregator } from './aggregation.js';
import { RBACAuthorizer } from './authorizer.js';
import { PolicyIndex } from './policy-index.js';
import { rbacGroup, type BindingObject, type RoleObject } from './types.js';

export interface RunningRBAC {
  authorizer: RBACAuthorizer;
  index: PolicyIndex;
  aggregator: ClusterRoleAggregator;
}

/** Resolves once all four resources are listed into the index; watches and aggregation end with ctx.signal. */
export async function startRBACAuthorizer(ctx: SecurityContext, opts: { clock?: Clock } = {}): Promise<RunningRBAC> {
  const registry = (plural: string) => {
    const r = ctx.registries.get(rbacGroup, plural);
    if (!r) throw new Error(`RBAC authorization needs ${plural}.${rbacGroup} to be served`);
    return r;
  };
  const index = new PolicyIndex();
  const clusterRoles = registry('clusterroles');
  const aggregator = new ClusterRoleAggregator({ index, clusterRoles, signal: ctx.signal });
  index.onClusterRolesChanged = () => aggregator.enqueue();
  const handlers = index.handlers();
  const common = { store: ctx.store, signal: ctx.signal, clock: opts.clock };
  await Promise.all([
    new StoreInformer<RoleObject>({ ...common, registry: clusterRoles, handler: handlers.clusterRoles }).start(),
    new StoreInformer<RoleObject>({ ...common, registry: registry('roles'), handler: handlers.roles }).start(),
    new StoreInformer<BindingObject>({ ...common, registry: registry('clusterrolebindings'), handler: handlers.clusterRoleBindings }).start(),
    new StoreInformer<BindingObject>({ ...common, registry: registry('rolebindings'), handler: handlers.roleBindings }).start(),
  ]);
  return { authorizer: new RBACAuthorizer(index), index, aggregator };
}
