// In-process micro-benchmark of the scheduling cycle alone (no apiserver, binding answered at once):
// SchedulingBasic's nodes and pods through SchedulerCore, JSON with µs per pod. Isolates the framework and
// plugins from HTTP, watch decoding and the apiserver.
//
//   node --import tsx bench/scheduler/cycle.ts [--nodes=5000] [--pods=5000] [--cpu-prof is node's own flag]
import type { Interface } from '../../src/client/rest/interface.js';
import { Cache } from '../../src/scheduler/cache/cache.js';
import { defaultProfile } from '../../src/scheduler/config/defaults.js';
import { Framework } from '../../src/scheduler/framework/runtime.js';
import { newInTreeRegistry } from '../../src/scheduler/plugins/registry.js';
import { SchedulingQueue } from '../../src/scheduler/queue/scheduling-queue.js';
import { SchedulerCore } from '../../src/scheduler/schedule-one.js';
import { makeNode, makePod } from '../../src/scheduler/testing/builders.js';
import { round } from '../stats.js';

const arg = (name: string, def: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const nodes = arg('nodes', 5000);
const pods = arg('pods', 5000);

const cache = new Cache();
const client = { resource: () => ({ createSubresource: async () => ({}), patch: async () => ({}) }) } as unknown as Interface;
const profiles = new Map<string, Framework>();
let core: SchedulerCore | undefined;
profiles.set('default-scheduler', new Framework({ profile: defaultProfile({}), registry: newInTreeRegistry(), snapshot: () => core!.snapshot, client }));
const queue = new SchedulingQueue({ less: profiles.get('default-scheduler')!.queueSortFunc(), profiles });
core = new SchedulerCore({ cache, queue, profiles, client });
for (let i = 0; i < nodes; i++) cache.addNode(makeNode({ name: `node-${i}`, cpu: '4', memory: '32Gi', pods: 110 }));
for (let i = 0; i < pods; i++) queue.add(makePod({ name: `p-${i}`, requests: { cpu: '100m', memory: '500Mi' } }));

const signal = new AbortController().signal;
// Warm up the JIT with the first tenth, then measure the rest.
const warm = Math.floor(pods / 10);
for (let i = 0; i < warm; i++) await core.scheduleOne(signal);
await core.waitForBindings();
const start = performance.now();
for (let i = warm; i < pods; i++) {
  const qpi = await queue.pop(signal);
  if (!qpi) break;
  core.scheduleQueuedPod(qpi, signal);
}
const ms = performance.now() - start;
await core.waitForBindings();
process.stdout.write(
  `${JSON.stringify({ benchmark: 'scheduler-cycle', nodes, pods: pods - warm, usPerPod: round((ms * 1000) / (pods - warm), 1), podsPerSecond: round(((pods - warm) / ms) * 1000, 0) })}\n`,
);
