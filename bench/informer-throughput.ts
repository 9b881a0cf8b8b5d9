// Events per second through an informer: a watch delivers N updates (fresh decoded copies, as from the
// wire) to an informer with the namespace index and one handler; timed from the first write until the
// handler has seen the last. Prints one JSON report on stdout.
// Run: node --import tsx bench/informer-throughput.ts [--events=100000] [--objects=1000]
import { cpus } from 'node:os';
import { FakeListerWatcher } from '../src/client/cache/fake-lister-watcher.js';
import type { KubeObject } from '../src/client/rest/interface.js';
import { benchInformer, benchPod } from './informer-workload.js';

const numberArg = (name: string, def: number, max: number): number => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  const v = a ? Number(a.slice(name.length + 3)) : def;
  if (!(v > 0 && v <= max)) throw new Error(`--${name} must be in (0, ${max}]`);
  return v;
};

async function main(): Promise<void> {
  const events = numberArg('events', 100_000, 1_000_000);
  const objects = numberArg('objects', 1000, 100_000);
  const server = new FakeListerWatcher();
  const pods: KubeObject[] = [];
  for (let i = 0; i < objects; i++) pods.push(server.create(benchPod(i)));
  const informer = benchInformer(server);
  let updates = 0;
  let adds = 0;
  informer.addEventHandler({ onAdd: () => adds++, onUpdate: () => updates++ });
  const ac = new AbortController();
  const run = informer.run(ac.signal);
  while (adds < objects || server.openWatches() === 0) await new Promise((r) => setTimeout(r, 2));

  const started = performance.now();
  // Writes go out in batches with a turn in between, so delivery overlaps with writing as on a real watch.
  const batch = 500;
  for (let sent = 0; sent < events; ) {
    for (let i = 0; i < batch && sent < events; i++, sent++) {
      const p = pods[sent % objects] as KubeObject;
      server.update({ ...p, status: { ...(p.status as object), observed: String(sent) } });
    }
    await new Promise((r) => setImmediate(r));
  }
  const deadline = performance.now() + 120_000;
  while (updates < events && performance.now() < deadline) await new Promise((r) => setTimeout(r, 1));
  const elapsedMs = performance.now() - started;
  ac.abort();
  await run;

  const report = {
    benchmark: 'informer-throughput',
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
    objects,
    events,
    delivered: updates,
    elapsedMillis: Math.round(elapsedMs),
    eventsPerSecond: Math.round((updates / elapsedMs) * 1000),
    note: 'includes a JSON encode+decode per event (the wire), not HTTP',
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
