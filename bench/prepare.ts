// Bulk state for benchmarks, created over HTTP with bounded concurrency before the measured phase starts.
import { configMapOfSize, type APIClient } from '../test/harness/api-client.js';
import { runBoundedLoad } from '../test/harness/bounded-load.js';

export async function createNamespace(client: APIClient, name: string): Promise<void> {
  await client.expectJSON({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, expected: [201] });
}

/**
 * Creates ConfigMaps <prefix>-0 … <prefix>-(count-1) of about `bytes` bytes each in `namespace`.
 * Resolves with the elapsed ms; rejects on the first reply that is not 201 or when `maxDurationMs` passes.
 */
export async function createConfigMaps(opts: {
  client: APIClient;
  namespace: string;
  prefix: string;
  count: number;
  bytes: number;
  concurrency: number;
  maxDurationMs?: number;
  signal?: AbortSignal;
}): Promise<number> {
  const template = JSON.stringify(configMapOfSize({ name: `${opts.prefix}-NAME`, namespace: opts.namespace, bytes: opts.bytes }));
  const r = await runBoundedLoad({
    count: opts.count,
    concurrency: opts.concurrency,
    maxDurationMs: opts.maxDurationMs ?? 600_000,
    signal: opts.signal,
    task: async (i) => {
      await opts.client.expectJSON({
        method: 'POST',
        path: `/api/v1/namespaces/${opts.namespace}/configmaps`,
        body: template.replace('NAME', String(i)),
        expected: [201],
      });
    },
  });
  if (r.started < opts.count) throw new Error(`created only ${r.started} of ${opts.count} ConfigMaps (stopped by ${r.stoppedBy})`);
  return r.elapsedMs;
}
