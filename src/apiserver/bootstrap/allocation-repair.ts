// Repairs Service allocations (upstream's ClusterIP and NodePort repair controllers): every ClusterIP and
// NodePort a Service holds has its allocation record, and records no Service holds are freed — but only
// once older than a grace period, because a create in flight allocates before its Service is written.

import { klog } from '../../base/logger.js';
import type { Clock } from '../../base/clock.js';
import { realClock } from '../../base/clock.js';
import { until } from '../../base/wait.js';
import { AllocationError, ipAllocatorManagedBy, labelManagedBy, type ClusterIPAllocator } from '../allocators/ip-allocator.js';
import type { NodePortAllocator } from '../allocators/port-allocator.js';
import type { Registries } from '../registry/generic/registries.js';
import type { ServiceAllocation } from '../registry/services/allocation.js';
import type { ServicePort, ServiceSpec } from '../registry/services/defaults.js';
import type { BootstrapHook } from './hook.js';

export interface RepairResult {
  /** Allocations a Service held without a record, now recorded. */
  restored: string[];
  /** Records no Service held, now freed. */
  freed: string[];
  /** Records no Service holds yet, younger than the grace period (left for the next pass). */
  pending: string[];
}

export interface RepairOptions {
  registries: Registries;
  clusterIPs: ClusterIPAllocator;
  nodePorts: NodePortAllocator;
  /** Allocations younger than this are never freed (default 60 s). */
  graceMs?: number;
  clock?: Clock;
}

interface Holder {
  namespace: string;
  name: string;
}

function holderKey(h: Holder): string {
  return `${h.namespace}/${h.name}`;
}

/** One repair pass over ClusterIPs and NodePorts. Records are listed BEFORE Services (see header). */
export async function repairServiceAllocations(opts: RepairOptions): Promise<RepairResult> {
  const clock = opts.clock ?? realClock;
  const grace = opts.graceMs ?? 60_000;
  const result: RepairResult = { restored: [], freed: [], pending: [] };
  const ipClientList = await listIPAddresses(opts);
  const portRecords = await opts.nodePorts.list();
  const services = await opts.registries.get('', 'services')?.listObjects({ namespace: '' });

  const ipHolders = new Map<string, Holder>();
  const portHolders = new Map<number, Holder>();
  for (const svc of services?.items ?? []) {
    const holder = { namespace: svc.metadata?.namespace ?? '', name: svc.metadata?.name ?? '' };
    const spec = (svc.spec ?? {}) as ServiceSpec;
    if (spec.type !== 'ExternalName') {
      for (const ip of spec.clusterIPs ?? []) if (ip && ip !== 'None' && !opts.clusterIPs.checkInRange(ip)) ipHolders.set(ip, holder);
    }
    for (const p of (spec.ports ?? []) as ServicePort[]) if (p.nodePort && opts.nodePorts.contains(p.nodePort)) portHolders.set(p.nodePort, holder);
    if (spec.healthCheckNodePort && opts.nodePorts.contains(spec.healthCheckNodePort)) portHolders.set(spec.healthCheckNodePort, holder);
  }

  const now = clock.now();
  const recordedIPs = new Map(ipClientList.map((o) => [o.name, o]));
  for (const [ip, holder] of ipHolders) {
    if (recordedIPs.has(ip)) continue;
    try {
      await opts.clusterIPs.allocate(ip, holder);
      result.restored.push(`ip ${ip} (${holderKey(holder)})`);
    } catch (err) {
      // Allocated: recorded meanwhile by the Service's own create or another apiserver.
      if (!(err instanceof AllocationError && err.reason === 'Allocated')) klog.warning('repair: cannot record ClusterIP', { ip, service: holderKey(holder), err: String(err) });
    }
  }
  for (const rec of ipClientList) {
    const holder = ipHolders.get(rec.name);
    if (holder && holderKey(holder) === rec.owner) continue;
    if (holder) continue; // Held by another Service than recorded: never free a held IP.
    if (now - rec.createdMs < grace) {
      result.pending.push(`ip ${rec.name}`);
      continue;
    }
    await opts.clusterIPs.release(rec.name);
    result.freed.push(`ip ${rec.name}`);
  }

  const recordedPorts = new Map(portRecords.map((r) => [r.port, r]));
  for (const [port, holder] of portHolders) {
    if (recordedPorts.has(port)) continue;
    try {
      await opts.nodePorts.allocate(port, holder);
      result.restored.push(`port ${port} (${holderKey(holder)})`);
    } catch (err) {
      if (!(err instanceof AllocationError && err.reason === 'Allocated')) klog.warning('repair: cannot record NodePort', { port, service: holderKey(holder), err: String(err) });
    }
  }
  for (const rec of portRecords) {
    if (portHolders.has(rec.port)) continue;
    if (now - Date.parse(rec.allocatedAt) < grace) {
      result.pending.push(`port ${rec.port}`);
      continue;
    }
    await opts.nodePorts.release(rec.port, rec.service);
    result.freed.push(`port ${rec.port}`);
  }
  return result;
}

/** The allocator's IPAddress objects in its CIDR: name, owner and age. */
async function listIPAddresses(opts: RepairOptions): Promise<Array<{ name: string; owner: string; createdMs: number }>> {
  const registry = opts.registries.get('networking.k8s.io', 'ipaddresses');
  const { items } = (await registry?.listObjects({ namespace: '' })) ?? { items: [] };
  const out: Array<{ name: string; owner: string; createdMs: number }> = [];
  for (const obj of items) {
    if (obj.metadata?.labels?.[labelManagedBy] !== ipAllocatorManagedBy) continue;
    const name = obj.metadata?.name ?? '';
    if (opts.clusterIPs.checkInRange(name)) continue;
    const ref = (obj.spec as { parentRef?: { namespace?: string; name?: string } } | undefined)?.parentRef ?? {};
    const created = Date.parse(obj.metadata?.creationTimestamp ?? '');
    out.push({ name, owner: `${ref.namespace ?? ''}/${ref.name ?? ''}`, createdMs: Number.isNaN(created) ? 0 : created });
  }
  return out;
}

export function allocationRepairHook(opts: { allocation: () => ServiceAllocation | undefined; periodMs?: number; graceMs?: number; clock?: Clock }): BootstrapHook {
  return {
    name: 'start-service-ip-repair-controllers',
    async run(ctx) {
      const allocation = opts.allocation();
      if (!allocation) return;
      const pass = () =>
        repairServiceAllocations({ registries: ctx.registries, clusterIPs: allocation.clusterIPs, nodePorts: allocation.nodePorts, graceMs: opts.graceMs, clock: opts.clock });
      const first = await pass();
      if (first.restored.length + first.freed.length > 0) klog.info('repaired service allocations', { restored: first.restored, freed: first.freed });
      // Owned by ctx.signal: ends with the server. Upstream repairs every 3 minutes.
      void until({ periodMs: opts.periodMs ?? 180_000, signal: ctx.signal, clock: opts.clock }, async () => {
        try {
          const r = await pass();
          if (r.restored.length + r.freed.length > 0) klog.info('repaired service allocations', { restored: r.restored, freed: r.freed });
        } catch (err) {
          if (!ctx.signal.aborted) klog.error('service allocation repair', err);
        }
      });
    },
  };
}
