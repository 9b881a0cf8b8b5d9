// LIST latency: one client lists all `objects` stored ~objectBytes ConfigMaps of a namespace, `repetitions`
// times in a row (after one warm-up list); time is from sending the request to the last byte of the reply.
// Params: objects, objectBytes, repetitions.
import type { Measure } from '../measure.js';
import { startBenchServer } from '../bench-server.js';
import { createConfigMaps, createNamespace } from '../prepare.js';
import { median, percentile, round } from '../stats.js';
import { param } from '../workload.js';

export const listLatency: Measure = {
  name: 'list-latency',
  async run(ctx) {
    const bench = await startBenchServer({ backend: ctx.backend });
    try {
      const client = bench.server.client();
      await createNamespace(client, 'bench');
      const objects = param(ctx.params, 'objects');
      await createConfigMaps({ client, namespace: 'bench', prefix: 'cm', count: objects, bytes: param(ctx.params, 'objectBytes'), concurrency: 32, signal: ctx.signal });
      const path = '/api/v1/namespaces/bench/configmaps';
      const warm = await client.request({ method: 'GET', path, timeoutMs: 60_000 });
      const items = (JSON.parse(warm.body) as { items: unknown[] }).items.length;
      if (warm.status !== 200 || items !== objects) throw new Error(`list: status ${warm.status}, ${items} items, want ${objects}`);
      const times: number[] = [];
      for (let i = 0; i < param(ctx.params, 'repetitions'); i++) {
        const t0 = performance.now();
        const r = await client.request({ method: 'GET', path, timeoutMs: 60_000 });
        times.push(performance.now() - t0);
        if (r.status !== 200) throw new Error(`list: status ${r.status}`);
      }
      client.close();
      ctx.log(`${ctx.backend}: list of ${objects} (${(warm.body.length / 1e6).toFixed(1)} MB): ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
      return {
        listMedianMs: round(median(times), 1),
        listMinMs: round(Math.min(...times), 1),
        listP90Ms: round(percentile(times, 90), 1),
        replyMB: round(warm.body.length / 1e6),
      };
    } finally {
      await bench.stop();
    }
  },
};
