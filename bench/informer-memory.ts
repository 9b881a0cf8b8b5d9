// Informer memory per 10,000 objects: heapUsed after a forced GC, before and after an informer has synced
// 10,000 Pod-sized objects (fresh decoded copies, as from the wire). Prints one JSON report on stdout.
// Run: node --expose-gc --import tsx bench/informer-memory.ts [--objects=10000]
import { cpus } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { FakeListerWatcher } from '../src/client/cache/fake-lister-watcher.js';
import { benchInformer, benchPod } from './informer-workload.js';

function forceGC(): void {
  const g = (globalThis as { gc?: () => void }).gc ?? (setFlagsFromString('--expose-gc'), runInNewContext('gc') as () => void);
  for (let i = 0; i < 3; i++) g();
}

async function main(): Promise<void> {
  const arg = process.argv.find((a) => a.startsWith('--objects='));
  const objects = arg ? Number(arg.slice('--objects='.length)) : 10_000;
  if (!(objects > 0 && objects <= 200_000)) throw new Error('--objects must be in (0, 200000]');
  const server = new FakeListerWatcher();
  for (let i = 0; i < objects; i++) server.create(benchPod(i));
  const jsonBytes = JSON.stringify(server.contents().get('ns-0/' + (benchPod(0).metadata?.name ?? ''))).length;

  forceGC();
  const before = process.memoryUsage().heapUsed;
  const informer = benchInformer(server);
  let adds = 0;
  informer.addEventHandler({ onAdd: () => adds++ });
  const ac = new AbortController();
  const run = informer.run(ac.signal);
  const started = performance.now();
  while (adds < objects) await new Promise((r) => setTimeout(r, 5));
  const syncMs = performance.now() - started;
  forceGC();
  const after = process.memoryUsage().heapUsed;
  const cached = informer.getStore().list().length;
  ac.abort();
  await run;

  const delta = after - before;
  const report = {
    benchmark: 'informer-memory',
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
    objects,
    cached,
    objectJSONBytes: jsonBytes,
    heapUsedDeltaBytes: delta,
    heapUsedDeltaMiBPer10k: Math.round((delta / objects) * 10_000 / 1024 / 1024 * 100) / 100,
    bytesPerObject: Math.round(delta / objects),
    syncMillis: Math.round(syncMs),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
