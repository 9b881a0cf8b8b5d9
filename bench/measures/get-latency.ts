// GET latency: wrk GETs random objects out of `objects` stored ~objectBytes ConfigMaps over `connections`
// connections for durationSeconds. Params: objects, objectBytes, connections, threads, durationSeconds, tls
// (optional, 0/1).
import type { Measure } from '../measure.js';
import { startBenchServer } from '../bench-server.js';
import { createConfigMaps, createNamespace } from '../prepare.js';
import { round } from '../stats.js';
import { param } from '../workload.js';
import { runWrk } from '../wrk.js';

export const getLatency: Measure = {
  name: 'get-latency',
  async run(ctx) {
    const bench = await startBenchServer({ backend: ctx.backend });
    try {
      const client = bench.server.client();
      await createNamespace(client, 'bench');
      const objects = param(ctx.params, 'objects');
      await createConfigMaps({ client, namespace: 'bench', prefix: 'cm', count: objects, bytes: param(ctx.params, 'objectBytes'), concurrency: 32, signal: ctx.signal });
      client.close();
      const r = await runWrk({
        // tls=1: through the secure port (TLS, like kubectl) instead of the plain lab port.
        url: ctx.params.tls ? bench.server.url : bench.url,
        script: 'get',
        vars: { namespace: 'bench', prefix: 'cm', objectCount: objects },
        connections: param(ctx.params, 'connections'),
        threads: param(ctx.params, 'threads'),
        durationSeconds: param(ctx.params, 'durationSeconds'),
      });
      ctx.log(`${ctx.backend}: ${r.requests} GETs, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, ${r.statusErrors} non-2xx`);
      return {
        getsPerSecond: round(r.requestsPerSecond, 0),
        p50Ms: round(r.latencyMs.p50, 3),
        p99Ms: round(r.latencyMs.p99, 3),
        statusErrors: r.statusErrors,
        socketErrors: r.socketErrors,
      };
    } finally {
      await bench.stop();
    }
  },
};
