// Endpoints/EndpointSlice latency benchmark: one Service selecting 1,000 ready pods, then repeated readiness
// flips of single pods (status patch Ready False/True); measures the time from the patch until the Endpoints
// object and the EndpointSlices show it (seen on watches). In-process apiserver (memory store) and controller
// manager running endpoints-controller + endpointslice-controller. Prints JSON on stdout.
//
//   node --import tsx bench/endpoints-latency.ts [--pods=1000] [--flips=30] [--timeout=60]
import { cpus, loadavg } from 'node:os';
import { defaultAPIServerOptions } from '../src/apiserver/options.js';
import { runAPIServer } from '../src/apiserver/server.js';
import { generateSelfSigned } from '../src/apiserver/serving-cert.js';
import { newLogger } from '../src/base/logger.js';
import type { Interface, KubeObject, WatchEvent } from '../src/client/rest/interface.js';
import { newClient } from '../src/client/rest/rest-client.js';
import { runControllerManager } from '../src/controller-manager/controller-manager.js';
import { PrometheusControllerMetrics } from '../src/controller-manager/metrics.js';
import { defaultControllerManagerOptions } from '../src/controller-manager/options.js';
import { openMemoryStore } from '../src/storage/memory/memory-store.js';
import { freePort } from '../test/harness/free-port.js';
import { median, percentile, round } from './stats.js';

function arg(name: string, fallback: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : fallback;
}

const podCount = arg('pods', 1000);
const flips = arg('flips', 30);
const timeoutMs = arg('timeout', 60) * 1000;

const gvr = {
  pods: { group: '', version: 'v1', resource: 'pods' },
  nodes: { group: '', version: 'v1', resource: 'nodes' },
  services: { group: '', version: 'v1', resource: 'services' },
  endpoints: { group: '', version: 'v1', resource: 'endpoints' },
  slices: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
  serviceAccounts: { group: '', version: 'v1', resource: 'serviceaccounts' },
};

type Subset = { addresses?: Array<{ ip: string }>; notReadyAddresses?: Array<{ ip: string }> };
type Slice = { endpoints?: Array<{ addresses: string[]; conditions?: { ready?: boolean } }> };

const ipOf = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

async function setReady(client: Interface, i: number, ready: boolean): Promise<void> {
  const ip = ipOf(i);
  await client.resource(gvr.pods, 'default').patch(
    `p${i}`,
    'merge',
    { status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] } },
    { subresource: 'status' },
  );
}

/** Readiness of every address as the Endpoints object (or the slices, merged) says. */
class View {
  readonly endpoints = new Map<string, boolean>();
  readonly slices = new Map<string, Map<string, boolean>>();
  private waiters: Array<() => void> = [];

  applyEndpoints(ep: KubeObject & { subsets?: Subset[] }): void {
    this.endpoints.clear();
    for (const s of ep.subsets ?? []) {
      for (const a of s.addresses ?? []) this.endpoints.set(a.ip, true);
      for (const a of s.notReadyAddresses ?? []) this.endpoints.set(a.ip, false);
    }
    this.wake();
  }

  applySlice(name: string, slice: (KubeObject & Slice) | undefined): void {
    if (!slice) this.slices.delete(name);
    else this.slices.set(name, new Map((slice.endpoints ?? []).map((e) => [e.addresses[0], e.conditions?.ready === true])));
    this.wake();
  }

  sliceReady(ip: string): boolean | undefined {
    for (const m of this.slices.values()) if (m.has(ip)) return m.get(ip);
    return undefined;
  }

  sliceCount(ready: boolean): number {
    let n = 0;
    for (const m of this.slices.values()) for (const r of m.values()) if (r === ready) n++;
    return n;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves with performance.now() once `cond` holds; rejects after `ms`. */
  async until(cond: () => boolean, ms: number): Promise<number> {
    const deadline = performance.now() + ms;
    while (!cond()) {
      const left = deadline - performance.now();
      if (left <= 0) throw new Error('timed out');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return performance.now();
  }
}

async function watchInto(client: Interface, which: 'endpoints' | 'slices', view: View, signal: AbortSignal): Promise<void> {
  const res = client.resource(gvr[which], 'default');
  const selector = which === 'slices' ? { labelSelector: 'kubernetes.io/service-name=web' } : { fieldSelector: 'metadata.name=web' };
  const list = await res.list(selector);
  for (const item of list.items) {
    if (which === 'endpoints') view.applyEndpoints(item);
    else view.applySlice(item.metadata?.name ?? '', item as KubeObject & Slice);
  }
  const events = await res.watch({ ...selector, resourceVersion: list.metadata.resourceVersion, signal });
  void (async () => {
    try {
      for await (const ev of events as AsyncIterable<WatchEvent>) {
        if (ev.type === 'ERROR' || ev.type === 'BOOKMARK') continue;
        const obj = ev.object as KubeObject;
        if (which === 'endpoints') {
          if (ev.type !== 'DELETED') view.applyEndpoints(obj);
        } else view.applySlice(obj.metadata?.name ?? '', ev.type === 'DELETED' ? undefined : (obj as KubeObject & Slice));
      }
    } catch {
      // The stream ends when the benchmark aborts.
    }
  })();
}

async function main(): Promise<void> {
  const stop = new AbortController();
  const server = await runAPIServer(
    { ...defaultAPIServerOptions('/nonexistent'), securePort: 0, bindAddress: '127.0.0.1', advertiseAddress: '127.0.0.1', insecurePort: await freePort() },
    stop.signal,
    { openStore: async () => openMemoryStore(), servingCert: await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] }) },
  );
  const host = `http://127.0.0.1:${server.insecurePort}`;
  const client = newClient({ host, qps: -1 });
  const o = defaultControllerManagerOptions();
  o.controllers = ['serviceaccount', 'endpoint', 'endpointslice'];
  o.securePort = 0;
  o.leaderElection.leaderElect = false;
  const manager = await runControllerManager(o, stop.signal, {
    client: newClient({ host, qps: -1 }),
    logger: newLogger({ write: () => {} }),
    metrics: new PrometheusControllerMetrics({ processMetrics: false }),
    recorder: () => ({ event: () => {} }),
    identity: 'bench',
  });
  try {
    const setupStart = performance.now();
    await client.resource(gvr.nodes).create({ metadata: { name: 'node-1' } });
    const saDeadline = performance.now() + timeoutMs;
    while ((await client.resource(gvr.serviceAccounts, 'default').list()).items.length === 0) {
      if (performance.now() > saDeadline) throw new Error('no default service account');
      await new Promise((r) => setTimeout(r, 20));
    }
    await client.resource(gvr.services, 'default').create({ metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } });
    const view = new View();
    await watchInto(client, 'endpoints', view, stop.signal);
    await watchInto(client, 'slices', view, stop.signal);
    for (let i = 0; i < podCount; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, podCount - i) }, async (_, k) => {
          const n = i + k;
          await client.resource(gvr.pods, 'default').create({ metadata: { name: `p${n}`, labels: { app: 'web' } }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }] } });
          await setReady(client, n, true);
        }),
      );
    }
    const capped = Math.min(podCount, 1000);
    try {
      await view.until(() => [...view.endpoints.values()].filter(Boolean).length === capped && view.sliceCount(true) === podCount, timeoutMs);
    } catch (err) {
      throw new Error(`setup did not converge: Endpoints ready ${[...view.endpoints.values()].filter(Boolean).length}/${capped}, slices ready ${view.sliceCount(true)}/${podCount}`, { cause: err });
    }
    const setupMs = performance.now() - setupStart;

    const endpointsMs: number[] = [];
    const slicesMs: number[] = [];
    // Even flips take pod k out of readiness, the following odd flip puts the same pod back.
    for (let f = 0; f < flips; f++) {
      const pod = (Math.floor(f / 2) * 37) % podCount;
      const ready = f % 2 === 1;
      const ip = ipOf(pod);
      const t0 = performance.now();
      await setReady(client, pod, ready);
      const [tEp, tSlice] = await Promise.all([view.until(() => view.endpoints.get(ip) === ready, timeoutMs), view.until(() => view.sliceReady(ip) === ready, timeoutMs)]);
      endpointsMs.push(tEp - t0);
      slicesMs.push(tSlice - t0);
    }
    const summary = (xs: number[]) => ({ medianMs: round(median(xs)), p90Ms: round(percentile(xs, 90)), maxMs: round(Math.max(...xs)) });
    console.log(
      JSON.stringify(
        {
          benchmark: 'endpoints-latency',
          pods: podCount,
          flips,
          setupMs: round(setupMs),
          endpoints: summary(endpointsMs),
          endpointSlices: { ...summary(slicesMs), slices: view.slices.size },
          cpus: cpus().length,
          loadavg1: round(loadavg()[0]),
        },
        null,
        2,
      ),
    );
  } finally {
    stop.abort();
    client.close();
    await manager.close();
    await server.close();
  }
}

await main();
