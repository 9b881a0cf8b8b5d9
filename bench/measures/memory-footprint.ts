// Resident memory of the apiserver process holding `objects` ~objectBytes ConfigMaps (created over HTTP with
// `concurrency` clients). Params: objects, objectBytes, concurrency.
import { readFile } from 'node:fs/promises';
import type { Measure } from '../measure.js';
import { startBenchServer } from '../bench-server.js';
import { createConfigMaps, createNamespace } from '../prepare.js';
import { round } from '../stats.js';
import { param } from '../workload.js';

/** VmRSS and VmHWM (peak) of `pid` in MiB, from /proc. */
export async function residentMiB(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

export const memoryFootprint: Measure = {
  name: 'memory-footprint',
  async run(ctx) {
    const bench = await startBenchServer({ backend: ctx.backend });
    try {
      const idle = await residentMiB(bench.server.pid);
      const client = bench.server.client({ maxSockets: 64 });
      await createNamespace(client, 'bench');
      const objects = param(ctx.params, 'objects');
      const ms = await createConfigMaps({
        client,
        namespace: 'bench',
        prefix: 'cm',
        count: objects,
        bytes: param(ctx.params, 'objectBytes'),
        concurrency: param(ctx.params, 'concurrency'),
        signal: ctx.signal,
      });
      client.close();
      const full = await residentMiB(bench.server.pid);
      ctx.log(`${ctx.backend}: ${objects} objects in ${(ms / 1000).toFixed(1)} s; RSS ${idle.rss.toFixed(0)} → ${full.rss.toFixed(0)} MiB (peak ${full.peak.toFixed(0)})`);
      return {
        idleRssMiB: round(idle.rss, 0),
        rssMiB: round(full.rss, 0),
        peakRssMiB: round(full.peak, 0),
        bulkCreatesPerSecond: round(objects / (ms / 1000), 0),
      };
    } finally {
      await bench.stop();
    }
  },
};
