// Time from starting `k8ts apiserver` to /readyz 200 on a store that already holds `objects` ~objectBytes
// ConfigMaps (a restart on the same data), next to the same on an empty store. Params: objects, objectBytes.
import type { Measure } from '../measure.js';
import { startBenchServer } from '../bench-server.js';
import { createConfigMaps, createNamespace } from '../prepare.js';
import { round } from '../stats.js';
import { param } from '../workload.js';

export const readyTime: Measure = {
  name: 'ready-time',
  async run(ctx) {
    const bench = await startBenchServer({ backend: ctx.backend });
    try {
      // The first start also generates certificates: the empty-store baseline is a restart.
      const empty = await bench.restart();
      let client = empty.client();
      await createNamespace(client, 'bench');
      const objects = param(ctx.params, 'objects');
      await createConfigMaps({ client, namespace: 'bench', prefix: 'cm', count: objects, bytes: param(ctx.params, 'objectBytes'), concurrency: 32, signal: ctx.signal });
      client.close();
      const full = await bench.restart();
      client = full.client();
      const list = await client.expectJSON<{ items: unknown[] }>({ method: 'GET', path: '/api/v1/namespaces/bench/configmaps', expected: [200], timeoutMs: 60_000 });
      client.close();
      if (list.items.length !== objects) throw new Error(`after the restart ${list.items.length} objects are listed, want ${objects}`);
      ctx.log(`${ctx.backend}: ready in ${full.readyMs.toFixed(0)} ms with ${objects} objects, ${empty.readyMs.toFixed(0)} ms empty`);
      return { readyMs: round(full.readyMs, 0), readyEmptyMs: round(empty.readyMs, 0) };
    } finally {
      await bench.stop();
    }
  },
};
