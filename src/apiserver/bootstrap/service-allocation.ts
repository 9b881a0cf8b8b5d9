// Builds the Service allocators from the apiserver's flags: ClusterIPs from --service-cluster-ip-range as
// IPAddress objects, NodePorts from --service-node-port-range as one storage key per port.

import type { Store } from '../../storage/interface.js';
import { parseCIDR } from '../allocators/cidr.js';
import { ClusterIPAllocator } from '../allocators/ip-allocator.js';
import { NodePortAllocator } from '../allocators/port-allocator.js';
import type { APIServerOptions } from '../options.js';
import type { Registries } from '../registry/generic/registries.js';
import type { StrategyDependencies } from '../registry/strategies.js';
import { ServiceAllocation } from '../registry/services/allocation.js';
import { registryIPAddressClient } from './registry-ip-addresses.js';

export interface ServiceAllocationContext {
  options: APIServerOptions;
  store: Store;
  registries: () => Registries;
}

/** The first range of --service-cluster-ip-range (k8ts is single-stack; a second range is ignored). */
export function primaryServiceCIDR(options: APIServerOptions): string {
  return options.serviceClusterIPRange.split(',')[0].trim();
}

export function newServiceAllocation(ctx: ServiceAllocationContext): ServiceAllocation {
  return new ServiceAllocation({
    clusterIPs: new ClusterIPAllocator({ cidr: parseCIDR(primaryServiceCIDR(ctx.options)), client: registryIPAddressClient(ctx.registries) }),
    nodePorts: new NodePortAllocator({ store: ctx.store, prefix: ctx.options.etcdPrefix, range: ctx.options.serviceNodePortRange }),
  });
}

/** What runAPIServer's `strategyDependencies` should return for the built-in strategies. */
export function builtinStrategyDependencies(ctx: ServiceAllocationContext): StrategyDependencies {
  return { serviceAllocation: newServiceAllocation(ctx) };
}
