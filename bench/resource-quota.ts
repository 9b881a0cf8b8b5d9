// ResourceQuota admission cost: ConfigMap creates per second in a namespace with a quota (count/configmaps, so
// every create is charged to the quota's status) vs one without, one at a time and 16 in flight, through an
// in-process apiserver (default admission chain) on the memory store and on a real etcd, over loopback HTTP.
// Prints JSON: per case the median of the runs.
// Run: node --import tsx bench/resource-quota.ts [--creates=300] [--runs=3] [--backends=memory,etcd]
import { defaultAPIServerOptions } from '../src/apiserver/options.js';
import { runAPIServer, type APIServer } from '../src/apiserver/server.js';
import { openMemoryStore } from '../src/storage/memory/memory-store.js';
import { startEtcd, type EtcdProcess } from '../src/storage/testing/etcd-process.js';
import { median, round } from './stats.js';
import { freePort } from '../test/harness/free-port.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const creates = Math.min(5000, Number(arg('creates') ?? 300));
const runs = Math.min(10, Number(arg('runs') ?? 3));
const backends = (arg('backends') ?? 'memory,etcd').split(',') as Array<'memory' | 'etcd'>;
/** Each case stops after this long even when not all its creates were sent. */
const caseBudgetMs = 15_000;

async function post(port: number, path: string, body: unknown): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  await res.arrayBuffer();
  return res.status;
}

/** Creates ConfigMaps in `ns` with `inFlight` requests at a time; creates per second. Bounded by count and time. */
async function createRate(port: number, ns: string, inFlight: number, tag: string): Promise<number> {
  let next = 0;
  const deadline = performance.now() + caseBudgetMs;
  const t0 = performance.now();
  const worker = async () => {
    while (next < creates && performance.now() < deadline) {
      const i = next++;
      const status = await post(port, `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${tag}-${i}` }, data: { k: 'v' } });
      if (status !== 201) throw new Error(`${tag}: create ${i} answered ${status}`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return next / ((performance.now() - t0) / 1000);
}

async function startServer(backend: 'memory' | 'etcd', etcd: EtcdProcess | undefined, signal: AbortSignal): Promise<APIServer> {
  const opts = { ...defaultAPIServerOptions('/nonexistent'), securePort: 0, insecurePort: await freePort(), etcdServers: etcd?.endpoints ?? [], etcdPrefix: `/bench-${Date.now()}` };
  return runAPIServer(opts, signal, backend === 'memory' ? { openStore: async () => openMemoryStore() } : {});
}

async function main(): Promise<void> {
  const report: Record<string, unknown> = { creates, runs, node: process.version };
  for (const backend of backends) {
    const etcd = backend === 'etcd' ? await startEtcd() : undefined;
    const samples: Record<string, number[]> = {};
    try {
      for (let run = 0; run < runs; run++) {
        const ac = new AbortController();
        const server = await startServer(backend, etcd, ac.signal);
        try {
          const port = server.insecurePort;
          for (const ns of ['free', 'quota']) await post(port, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
          await post(port, '/api/v1/namespaces/quota/resourcequotas', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'big' }, spec: { hard: { 'count/configmaps': '1000000' } } });
          // Warm-up (JIT, connections, the quota's first status write).
          await createRate(port, 'free', 4, `warm${run}`);
          await createRate(port, 'quota', 4, `warm${run}`);
          for (const inFlight of [1, 16]) {
            for (const ns of ['free', 'quota']) {
              const key = `${ns === 'free' ? 'noQuota' : 'withQuota'}${inFlight === 1 ? 'Serial' : 'Concurrent16'}`;
              (samples[key] ??= []).push(await createRate(port, ns, inFlight, `r${run}-c${inFlight}`));
            }
          }
        } finally {
          ac.abort();
          await server.close();
        }
      }
    } finally {
      await etcd?.stop();
    }
    const medians = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, round(median(v), 0)]));
    report[backend] = { createsPerSecond: medians, runs: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v.map((x) => round(x, 0))])) };
  }
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
}

await main();
