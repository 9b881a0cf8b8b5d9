// Watch delivery latency: `watchers` watch streams on one namespace while one writer creates ConfigMaps at
// eventsPerSecond for durationSeconds; latency is from the start of each create request to its ADDED event
// arriving at a watcher (so it includes the write itself). Params: watchers, eventsPerSecond, durationSeconds,
// objectBytes.
import { configMapOfSize } from '../../test/harness/api-client.js';
import type { Measure } from '../measure.js';
import { startBenchServer } from '../bench-server.js';
import { createNamespace } from '../prepare.js';
import { percentile, round } from '../stats.js';
import { param } from '../workload.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
    try {
      const client = bench.server.client({ maxSockets: 128 });
      await createNamespace(client, 'watch');
      const list = await client.expectJSON<{ metadata: { resourceVersion: string } }>({ method: 'GET', path: '/api/v1/namespaces/watch/configmaps', expected: [200] });
      const sentAt = new Float64Array(total).fill(NaN);
      const latencies: number[] = [];
      const received = new Uint32Array(watchers);
      const sawWarmup = new Uint8Array(watchers);
      const opened = await Promise.all(
        Array.from({ length: watchers }, (_, w) =>
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
        ),
      );
      const bad = opened.filter((o) => o.status !== 200).length;
      if (bad) throw new Error(`${bad} watch requests were not answered 200`);
      // One event through every stream first, so the measured events find every watch live.
      await client.expectJSON({ method: 'POST', path: '/api/v1/namespaces/watch/configmaps', body: { metadata: { name: 'warmup' } }, expected: [201] });
      for (let waited = 0; sawWarmup.some((s) => s === 0); waited += 10) {
        if (waited > 20_000) throw new Error('the warm-up event did not reach every watcher within 20 s');
        await sleep(10);
      }

      const template = JSON.stringify(configMapOfSize({ name: 'ev-SEQ', namespace: 'watch', bytes }));
      const writeTimes: number[] = [];
      const start = performance.now();
      let next = 0;
      let inFlight = 0;
      const writes: Promise<void>[] = [];
      while (next < total && !ctx.signal.aborted) {
        const due = start + (next * 1000) / rate;
        const now = performance.now();
        if (now < due || inFlight >= 256) {
          await sleep(Math.max(1, due - now));
          continue;
        }
        const seq = next++;
        inFlight++;
        sentAt[seq] = performance.now();
        writes.push(
          client.expectJSON({ method: 'POST', path: '/api/v1/namespaces/watch/configmaps', body: template.replace('SEQ', String(seq)), expected: [201] }).then(() => {
            writeTimes.push(performance.now() - sentAt[seq]!);
            inFlight--;
          }),
        );
      }
      await Promise.all(writes);
      const writeSeconds = (performance.now() - start) / 1000;
      for (let waited = 0; received.some((n) => n < total) && waited < 10_000; waited += 10) await sleep(10);
      streams.abort();
      client.close();
      const delivered = received.reduce((a, b) => a + b, 0);
      ctx.log(`${ctx.backend}: ${total} events to ${watchers} watchers in ${writeSeconds.toFixed(1)} s; delivered ${delivered}/${total * watchers}; p99 ${percentile(latencies, 99).toFixed(1)} ms`);
      return {
        p50Ms: round(percentile(latencies, 50)),
        p99Ms: round(percentile(latencies, 99)),
        maxMs: round(Math.max(...latencies)),
        deliveredFraction: round(delivered / (total * watchers), 4),
        eventsPerSecond: round(total / writeSeconds, 0),
        writeP99Ms: round(percentile(writeTimes, 99)),
      };
    } finally {
      streams.abort();
      await bench.stop();
    }
  },
};
