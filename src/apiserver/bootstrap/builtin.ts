// Everything k8ts's apiserver sets up at start, in one explicit list: the post-start hooks and the
// strategy dependencies they share (the Service allocators). runAPIServer takes both through its deps.

import type { Clock } from '../../base/clock.js';
import { rbacBootstrapRolesHook } from '../authorization/rbac/bootstrap-roles.js';
import type { ServiceAllocation } from '../registry/services/allocation.js';
import type { StrategyDependencies } from '../registry/strategies.js';
import { allocationRepairHook } from './allocation-repair.js';
import { eventTTLHook } from './event-ttl.js';
import type { BootstrapHook } from './hook.js';
import { kubernetesServiceHook } from './kubernetes-service.js';
import { builtinStrategyDependencies, type ServiceAllocationContext } from './service-allocation.js';
import { serviceCIDRHook } from './service-cidr.js';
import { systemNamespacesHook } from './system-namespaces.js';

export interface BuiltinBootstrap {
  /** Pass as runAPIServer's `strategyDependencies`. */
  strategyDependencies(ctx: ServiceAllocationContext): StrategyDependencies;
  /** Pass as runAPIServer's `postStartHooks`; they run in this order. */
  postStartHooks: BootstrapHook[];
}

export interface BuiltinBootstrapOptions {
  clock?: Clock;
  /** Repair grace period for fresh allocations (default 60 s). */
  repairGraceMs?: number;
}

/** Fresh per apiserver: the hooks read the allocation that strategyDependencies built. */
export function builtinBootstrap(opts: BuiltinBootstrapOptions = {}): BuiltinBootstrap {
  let allocation: ServiceAllocation | undefined;
  return {
    strategyDependencies(ctx) {
      const deps = builtinStrategyDependencies(ctx);
      allocation = deps.serviceAllocation;
      return deps;
    },
    postStartHooks: [
      systemNamespacesHook({ clock: opts.clock }),
      serviceCIDRHook({ now: opts.clock ? () => new Date(opts.clock!.now()) : undefined }),
      allocationRepairHook({ allocation: () => allocation, graceMs: opts.repairGraceMs, clock: opts.clock }),
      kubernetesServiceHook({ clock: opts.clock }),
      eventTTLHook({ clock: opts.clock }),
      rbacBootstrapRolesHook({ clock: opts.clock }),
    ],
  };
}
