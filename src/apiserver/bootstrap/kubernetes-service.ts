// The `kubernetes` Service in `default` and its Endpoints and EndpointSlice (upstream's bootstrap
// controller with the lease endpoint reconciler): ClusterIP = first IP of the service range, port 443
// `https` → the secure port; endpoints list every live apiserver. Each apiserver renews a lease key
// `<prefix>/masterleases/<ip>` and writes the endpoints from all unexpired leases, so several apiservers
// on one store converge instead of overwriting each other.

import os from 'node:os';
import { isAlreadyExists, isConflict, isNotFound } from '../../apimachinery/errors.js';
import { klog } from '../../base/logger.js';
import { realClock, type Clock } from '../../base/clock.js';
import { until } from '../../base/wait.js';
import { isStorageError, type Store } from '../../storage/interface.js';
import { parseCIDR, formatIP, parseIP, usableRange } from '../allocators/cidr.js';
import type { Registries } from '../registry/generic/registries.js';
import { equalJSON } from '../registry/object-paths.js';
import type { APIObject } from '../registry/strategy.js';
import type { BootstrapContext, BootstrapHook } from './hook.js';
import { primaryServiceCIDR } from './service-allocation.js';

export const kubernetesServiceName = 'kubernetes';

/** --advertise-address, else the first non-loopback IPv4 address, else 127.0.0.1 (upstream's choice order). */
export function advertiseAddress(configured: string): string {
  if (configured) return configured;
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** The first usable IP of the service range: the `kubernetes` Service's ClusterIP. */
export function kubernetesServiceIP(serviceClusterIPRange: string): string {
  const cidr = parseCIDR(serviceClusterIPRange);
  return formatIP({ family: cidr.family, value: usableRange(cidr).first });
}

interface MasterLease {
  ip: string;
  port: number;
  /** ms since epoch of the last renewal. */
  renewTime: number;
}

export interface KubernetesServiceOptions {
  clock?: Clock;
  /** How often the lease is renewed and endpoints reconciled (upstream: 10 s). */
  periodMs?: number;
  /** A lease not renewed for this long is dropped from the endpoints (upstream: 15 s). */
  leaseTTLMs?: number;
}

function serviceObject(clusterIP: string, securePort: number): APIObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: kubernetesServiceName, namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      clusterIP,
      sessionAffinity: 'None',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: securePort }],
    },
  };
}

/** Creates the Service, or brings its ports back in line (the ClusterIP is immutable and left alone). */
async function ensureService(registries: Registries, clusterIP: string, securePort: number): Promise<void> {
  const registry = registries.get('', 'services');
  if (!registry) throw new Error('services are not served');
  const want = serviceObject(clusterIP, securePort);
  const read = async (): Promise<APIObject | undefined> => {
    try {
      return await registry.get({ namespace: 'default', name: kubernetesServiceName });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  // Read first: creating an existing Service would fail on its ClusterIP before the name clash shows.
  let existing = await read();
  if (!existing) {
    try {
      await registry.create({ namespace: 'default', obj: want });
      return;
    } catch (err) {
      // Another apiserver created it meanwhile (AlreadyExists, or its IP already allocated).
      existing = await read();
      if (!existing) throw err;
    }
  }
  const spec = (existing.spec ?? {}) as { ports?: Array<Record<string, unknown>>; clusterIP?: string };
  const wantPorts = (want.spec as { ports: Array<Record<string, unknown>> }).ports;
  const ports = (spec.ports ?? []).map((p) => ({ name: p.name, port: p.port, protocol: p.protocol, targetPort: p.targetPort }));
  if (spec.clusterIP !== clusterIP) klog.warning('the kubernetes Service has an unexpected ClusterIP', { want: clusterIP, have: spec.clusterIP });
  if (equalJSON(ports, wantPorts)) return;
  try {
    await registry.update({ namespace: 'default', name: kubernetesServiceName, obj: { ...existing, spec: { ...spec, ports: wantPorts } } });
  } catch (err) {
    if (!isConflict(err)) throw err; // Another apiserver updated it; the next pass checks again.
  }
}

/** Renews this apiserver's lease; returns every unexpired lease (including ours). */
async function renewLease(store: Store, prefix: string, self: MasterLease, ttlMs: number): Promise<MasterLease[]> {
  const root = `${prefix.replace(/\/$/, '')}/masterleases/`;
  const key = root + self.ip;
  const value = JSON.stringify(self);
  const existing = await store.get(key);
  try {
    if (existing) await store.update(key, value, existing.modRevision);
    else await store.create(key, value);
  } catch (err) {
    if (!isStorageError(err, 'Conflict') && !isStorageError(err, 'AlreadyExists')) throw err;
  }
  const { kvs } = await store.list({ prefix: root });
  const live: MasterLease[] = [];
  for (const kv of kvs) {
    const lease = JSON.parse(kv.value) as MasterLease;
    if (self.renewTime - lease.renewTime <= ttlMs) live.push(lease);
    else {
      try {
        await store.delete(kv.key, kv.modRevision);
      } catch (err) {
        if (!isStorageError(err, 'Conflict') && !isStorageError(err, 'NotFound')) throw err;
      }
    }
  }
  return live.sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
}

/** Writes `desired` as `name` in `default` unless it already says the same (create, or update keeping metadata). */
async function upsert(registries: Registries, group: string, resource: string, desired: APIObject, same: (existing: APIObject) => boolean): Promise<void> {
  const registry = registries.get(group, resource);
  if (!registry) return;
  const name = desired.metadata?.name ?? '';
  let existing: APIObject | undefined;
  try {
    existing = await registry.get({ namespace: 'default', name });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  try {
    if (!existing) await registry.create({ namespace: 'default', obj: desired });
    else if (!same(existing)) {
      await registry.update({ namespace: 'default', name, obj: { ...desired, metadata: { ...existing.metadata, labels: desired.metadata?.labels } } });
    }
  } catch (err) {
    if (!isConflict(err) && !isAlreadyExists(err)) throw err; // Another apiserver wrote it; next pass.
  }
}

/** Endpoints and EndpointSlice `kubernetes` listing every live apiserver on `port`. */
async function reconcileEndpoints(registries: Registries, ips: string[], port: number): Promise<void> {
  const ports = [{ name: 'https', port, protocol: 'TCP' }];
  const subsets = ips.length > 0 ? [{ addresses: ips.map((ip) => ({ ip })), ports }] : [];
  await upsert(
    registries,
    '',
    'endpoints',
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: kubernetesServiceName, namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets,
    },
    (e) => equalJSON(e.subsets ?? [], subsets),
  );
  const family = ips.length > 0 && parseIP(ips[0])?.family === 'IPv6' ? 'IPv6' : 'IPv4';
  const endpoints = ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } }));
  await upsert(
    registries,
    'discovery.k8s.io',
    'endpointslices',
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: kubernetesServiceName, namespace: 'default', labels: { 'kubernetes.io/service-name': kubernetesServiceName } },
      addressType: family,
      endpoints,
      ports,
    },
    (e) => e.addressType === family && equalJSON(e.endpoints ?? [], endpoints) && equalJSON(e.ports ?? [], ports),
  );
}

/** One reconcile pass: the Service, this apiserver's lease, and the endpoints of all live apiservers. */
export async function reconcileKubernetesService(ctx: BootstrapContext, opts: KubernetesServiceOptions = {}): Promise<string[]> {
  const clock = opts.clock ?? realClock;
  const ip = advertiseAddress(ctx.options.advertiseAddress);
  await ensureService(ctx.registries, kubernetesServiceIP(primaryServiceCIDR(ctx.options)), ctx.securePort);
  // Without an HTTPS listener (lab mode on the insecure port only) there is nothing for endpoints to name.
  if (ctx.securePort === 0) return [];
  const leases = await renewLease(ctx.store, ctx.options.etcdPrefix, { ip, port: ctx.securePort, renewTime: clock.now() }, opts.leaseTTLMs ?? 15_000);
  const ips = leases.map((l) => l.ip);
  await reconcileEndpoints(ctx.registries, ips, ctx.securePort);
  return ips;
}

export function kubernetesServiceHook(opts: KubernetesServiceOptions = {}): BootstrapHook {
  return {
    name: 'bootstrap-controller',
    async run(ctx) {
      await reconcileKubernetesService(ctx, opts);
      // Owned by ctx.signal: ends with the server.
      void until({ periodMs: opts.periodMs ?? 10_000, signal: ctx.signal, clock: opts.clock }, async () => {
        try {
          await reconcileKubernetesService(ctx, opts);
        } catch (err) {
          if (!ctx.signal.aborted) klog.error('kubernetes service reconcile', err);
        }
      });
    },
  };
}
