// Durable creates per second: wrk POSTs ~objectBytes ConfigMaps over `connections` keep-alive connections for
// durationSeconds. Params: connections, threads, durationSeconds, objectBytes, tls (optional, 0/1).
import type { Measure } from '../measure.js';
import { startBenchServer } from '../bench-server.js';
import { createNamespace } from '../prepare.js';
import { round } from '../stats.js';
import { param } from '../workload.js';
import { runWrk } from '../wrk.js';

export const createThroughput: Measure = {
  name: 'create-throughput',
  async run(ctx) {
    const bench = await startBenchServer({ backend: ctx.backend });
    try {
      const client = bench.server.client();
      await createNamespace(client, 'bench');
      const r = await runWrk({
        // tls=1: through the secure port (TLS, like kubectl) instead of the plain lab port.
        url: ctx.params.tls ? bench.server.url : bench.url,
        script: 'create',
        vars: { namespace: 'bench', prefix: 'cm', objectBytes: param(ctx.params, 'objectBytes') },
        connections: param(ctx.params, 'connections'),
        threads: param(ctx.params, 'threads'),
        durationSeconds: param(ctx.params, 'durationSeconds'),
      });
      // Count what was stored, so that a server answering 201 without storing cannot look fast.
      const list = await client.expectJSON<{ items: unknown[] }>({ method: 'GET', path: '/api/v1/namespaces/bench/configmaps', expected: [200], timeoutMs: 120_000 });
      client.close();
      const created = r.requests - r.statusErrors;
      ctx.log(`${ctx.backend}: ${r.requests} creates in ${r.durationSeconds.toFixed(1)} s, ${r.statusErrors} non-2xx, ${list.items.length} stored`);
      return {
        createsPerSecond: round(created / r.durationSeconds, 0),
        p50Ms: round(r.latencyMs.p50),
        p99Ms: round(r.latencyMs.p99),
        statusErrors: r.statusErrors,
        socketErrors: r.socketErrors,
        storedMinusAcknowledged: list.items.length - created,
      };
    } finally {
      await bench.stop();
    }
  },
};
