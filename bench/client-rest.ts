// The client library's REST layer against an in-process apiserver (memory store, TLS): GETs per second
// through one HTTP/2 session (sequential and 32 in flight), creates per second, and a watch delivering 10,000
// events (initial ADDED events, then live ones). Client and server share the process. Prints one JSON report.
// Run: node --import tsx bench/client-rest.ts
import { loadavg } from 'node:os';
import { defaultAPIServerOptions } from '../src/apiserver/options.js';
import { runAPIServer } from '../src/apiserver/server.js';
import { generateSelfSigned } from '../src/apiserver/serving-cert.js';
import type { KubeObject, ResourceInterface } from '../src/client/rest/interface.js';
import { newClient } from '../src/client/rest/rest-client.js';
import { HTTP2Transport } from '../src/client/rest/transport.js';
import { openMemoryStore } from '../src/storage/memory/memory-store.js';

const events = 10_000;
/** Every loop is bounded by count and by time, whichever ends first. */
const getBudget = { count: 20_000, ms: 5_000 };

async function requestsPerSecond(budget: { count: number; ms: number }, inFlight: number, call: () => Promise<unknown>): Promise<{ perSecond: number; count: number }> {
  let count = 0;
  const start = performance.now();
  const worker = async (): Promise<void> => {
    while (count < budget.count && performance.now() - start < budget.ms) {
      count++;
      await call();
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { perSecond: Math.round(count / ((performance.now() - start) / 1000)), count };
}

/** Reads `n` events from a watch opened at `resourceVersion`; the time runs from the request to the last event. */
async function watchEvents(cms: ResourceInterface, resourceVersion: string, n: number, during?: () => Promise<unknown>): Promise<{ eventsPerSecond: number; ms: number }> {
  const ac = new AbortController();
  const timeout = setTimeout(() => ac.abort(), 60_000);
  const start = performance.now();
  let seen = 0;
  try {
    const stream = await cms.watch({ resourceVersion, signal: ac.signal });
    const writer = during?.();
    for await (const e of stream) {
      if (e.type === 'ERROR') throw new Error(`watch error: ${JSON.stringify(e.object)}`);
      if (++seen >= n) break;
    }
    await writer;
  } finally {
    clearTimeout(timeout);
    ac.abort();
  }
  if (seen < n) throw new Error(`watch delivered ${seen} of ${n} events within 60 s`);
  const ms = performance.now() - start;
  return { eventsPerSecond: Math.round(n / (ms / 1000)), ms: Math.round(ms) };
}

async function main(): Promise<void> {
  const cert = await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] });
  const opts = { ...defaultAPIServerOptions('/nonexistent'), securePort: 0, bindAddress: '127.0.0.1', advertiseAddress: '127.0.0.1' };
  const ac = new AbortController();
  const server = await runAPIServer(opts, ac.signal, { openStore: async () => openMemoryStore(), servingCert: cert });
  const host = `https://127.0.0.1:${server.securePort}`;
  const transport = new HTTP2Transport({ origin: host, tls: { ca: cert.ca } });
  const client = newClient({ host, qps: -1 }, { transport });
  try {
    const cms = client.resource<KubeObject>({ group: '', version: 'v1', resource: 'configmaps' }, 'default');
    await cms.create({ metadata: { name: 'target' }, data: { k: 'v'.repeat(512) } });
    await requestsPerSecond({ count: 500, ms: 2_000 }, 8, () => cms.get('target')); // warm-up
    const sequential = await requestsPerSecond(getBudget, 1, () => cms.get('target'));
    const parallel = await requestsPerSecond(getBudget, 32, () => cms.get('target'));

    const listRV = (await cms.list({ limit: 1 })).metadata.resourceVersion!;
    let created = 0;
    const creates = await requestsPerSecond({ count: events, ms: 60_000 }, 32, () => cms.create({ metadata: { name: `cm-${created++}` }, data: { k: 'v'.repeat(512) } }));
    if (creates.count < events) throw new Error(`only ${creates.count} creates within the time budget`);
    // Replay: the 10,000 creates above as events from the watch cache, as fast as the server sends them.
    const replay = await watchEvents(cms, listRV, events);
    // Initial state: resourceVersion 0 lists the 10,001 objects as ADDED events.
    const initial = await watchEvents(cms, '0', events);
    // Live: 10,000 updates made while the watch is open.
    const liveRV = (await cms.list({ limit: 1 })).metadata.resourceVersion!;
    let updated = 0;
    const live = await watchEvents(cms, liveRV, events, () =>
      requestsPerSecond({ count: events, ms: 60_000 }, 32, () => cms.patch(`cm-${updated++ % events}`, 'merge', { data: { n: String(updated) } })),
    );
    const report = {
      benchmark: 'client-rest',
      transport: 'HTTP/2 over TLS, one session',
      sessionsOpened: transport.sessionsOpened,
      // Other work on the shared machine skews every number: keep the 1-minute load average beside them.
      loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
      'get.sequential.perSecond': sequential.perSecond,
      'get.32inFlight.perSecond': parallel.perSecond,
      'create.32inFlight.perSecond': creates.perSecond,
      'watch.replay10k.eventsPerSecond': replay.eventsPerSecond,
      'watch.replay10k.ms': replay.ms,
      'watch.initial10k.eventsPerSecond': initial.eventsPerSecond,
      'watch.initial10k.ms': initial.ms,
      'watch.live10kPatches.eventsPerSecond': live.eventsPerSecond,
      'watch.live10kPatches.ms': live.ms,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    client.close();
    ac.abort();
    await server.close();
  }
}

await main();
