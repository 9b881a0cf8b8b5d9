// Watch delivery latency: `watchers` watch streams on one namespace while one writer creates ConfigMaps at
// eventsPerSecond for durationSeconds; latency is from the start of each create request to its ADDED event
// arriving at a watcher (so it includes the write itself), after a warm-up at the same rate. Params: watchers,
// eventsPerSecond, durationSeconds, warmupSeconds, objectBytes.
import { setMaxListeners } from 'node:events';
import { configMapOfSize } from '../../test/harness/api-client.js';
import type { Measure } from '../measure.js';
import { startBenchServer } from '../bench-server.js';
import { createNamespace } from '../prepare.js';
import { cpuMeter } from '../process-cpu.js';
import { percentile, round } from '../stats.js';
import { param } from '../workload.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts write(0…count-1) at `rate` per second (at most 256 in flight); resolves when all have finished. */
async function writePaced(opts: { count: number; rate: number; signal: AbortSignal; write(i: number): Promise<void> }): Promise<void> {
  const start = performance.now();
  const writes: Promise<void>[] = [];
  let inFlight = 0;
  for (let next = 0; next < opts.count && !opts.signal.aborted; ) {
    const due = start + (next * 1000) / opts.rate;
    const now = performance.now();
    if (now < due || inFlight >= 256) {
      await sleep(Math.max(1, due - now));
      continue;
    }
    inFlight++;
    writes.push(opts.write(next++).finally(() => inFlight--));
  }
  await Promise.all(writes);
}

/** The sequence number of `"name":"ev-<n>"` in a watch event line, or -1 (warm-up and other objects). */
function eventSeq(line: string): number {
  const at = line.indexOf('"name":"ev-');
  if (at < 0) return -1;
  return Number.parseInt(line.slice(at + 11, line.indexOf('"', at + 11)), 10);
}

export const watchLatency: Measure = {
  name: 'watch-latency',
  async run(ctx) {
    const watchers = param(ctx.params, 'watchers');
    const rate = param(ctx.params, 'eventsPerSecond');
    const total = Math.round(rate * param(ctx.params, 'durationSeconds'));
    const bytes = param(ctx.params, 'objectBytes');
    const bench = await startBenchServer({ backend: ctx.backend });
    const streams = new AbortController();
    setMaxListeners(watchers + 16, streams.signal);
    try {
      const client = bench.server.client({ maxSockets: 128 });
      await createNamespace(client, 'watch');
      const list = await client.expectJSON<{ metadata: { resourceVersion: string } }>({ method: 'GET', path: '/api/v1/namespaces/watch/configmaps', expected: [200] });
      const sentAt = new Float64Array(total).fill(NaN);
      const latencies: number[] = [];
      const received = new Uint32Array(watchers);
      const sawWarmup = new Uint8Array(watchers);
      // Headers may only come with the first event (some servers flush late), so open every stream, then
      // write one warm-up event, then wait for every stream to answer and to deliver it.
      const opening = Array.from({ length: watchers }, (_, w) =>
        client.openStream({
          path: `/api/v1/namespaces/watch/configmaps?watch=true&resourceVersion=${list.metadata.resourceVersion}&timeoutSeconds=600`,
          signal: streams.signal,
          onLine: (line, at) => {
            const seq = eventSeq(line);
            if (seq < 0) {
              if (line.includes('"name":"warmup"')) sawWarmup[w] = 1;
              return;
            }
            received[w]!++;
            latencies.push(at - sentAt[seq]!);
          },
        }),
      );
      await sleep(200);
      await client.expectJSON({ method: 'POST', path: '/api/v1/namespaces/watch/configmaps', body: { metadata: { name: 'warmup' } }, expected: [201] });
      const opened = await Promise.race([Promise.all(opening), sleep(20_000).then(() => undefined)]);
      if (!opened) throw new Error('watch requests got no reply headers within 20 s');
      const bad = opened.filter((o) => o.status !== 200).length;
      if (bad) throw new Error(`${bad} watch requests were not answered 200`);
      for (let waited = 0; sawWarmup.some((s) => s === 0); waited += 10) {
        if (waited > 20_000) throw new Error('the warm-up event did not reach every watcher within 20 s');
        await sleep(10);
      }

      const template = JSON.stringify(configMapOfSize({ name: 'NAME', namespace: 'watch', bytes }));
      // Warm-up at the same rate (names the latency meter ignores), so the measured phase sees a warm JIT.
      await writePaced({ count: Math.round(rate * param(ctx.params, 'warmupSeconds')), rate, signal: ctx.signal, write: (i) =>
        client.expectJSON({ method: 'POST', path: '/api/v1/namespaces/watch/configmaps', body: template.replace('NAME', `warm-${i}`), expected: [201] }).then(() => {}),
      });
      const writeTimes: number[] = [];
      const serverCpu = cpuMeter(bench.server.pid);
      const clientCpu = cpuMeter(process.pid);
      const start = performance.now();
      await writePaced({
        count: total,
        rate,
        signal: ctx.signal,
        write: async (seq) => {
          sentAt[seq] = performance.now();
          await client.expectJSON({ method: 'POST', path: '/api/v1/namespaces/watch/configmaps', body: template.replace('NAME', `ev-${seq}`), expected: [201] });
          writeTimes.push(performance.now() - sentAt[seq]!);
        },
      });
      const writeSeconds = (performance.now() - start) / 1000;
      const serverCpuPercent = serverCpu();
      const clientCpuPercent = clientCpu();
      for (let waited = 0; received.some((n) => n < total) && waited < 10_000; waited += 10) await sleep(10);
      streams.abort();
      client.close();
      const delivered = received.reduce((a, b) => a + b, 0);
      ctx.log(`${ctx.backend}: ${total} events to ${watchers} watchers in ${writeSeconds.toFixed(1)} s; delivered ${delivered}/${total * watchers}; p99 ${percentile(latencies, 99).toFixed(1)} ms`);
      return {
        p50Ms: round(percentile(latencies, 50)),
        p99Ms: round(percentile(latencies, 99)),
        maxMs: round(percentile(latencies, 100)),
        deliveredFraction: round(delivered / (total * watchers), 4),
        eventsPerSecond: round(total / writeSeconds, 0),
        writeP99Ms: round(percentile(writeTimes, 99)),
        serverCpuPercent: round(serverCpuPercent, 0),
        clientCpuPercent: round(clientCpuPercent, 0),
      };
    } finally {
      streams.abort();
      await bench.stop();
    }
  },
};
