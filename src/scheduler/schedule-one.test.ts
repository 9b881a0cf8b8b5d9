import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../base/clock.js';
import type { Interface } from '../client/rest/interface.js';
import { Cache } from './cache/cache.js';
import { defaultProfile } from './config/defaults.js';
import type { EventRecorder } from './event-recorder.js';
import { Framework } from './framework/runtime.js';
import { newInTreeRegistry } from './plugins/registry.js';
import { SchedulingQueue } from './queue/scheduling-queue.js';
import { numFeasibleNodesToFind, SchedulerCore } from './schedule-one.js';
import { makeNode, makePod } from './testing/builders.js';

test('numFeasibleNodesToFind: all below 100 nodes, adaptive percentage above, never under 100', () => {
  const cases = [
    { pct: undefined, nodes: 50, want: 50 },
    { pct: undefined, nodes: 100, want: 100 },
    { pct: undefined, nodes: 500, want: 230 },
    { pct: undefined, nodes: 5000, want: 500 },
    { pct: undefined, nodes: 6000, want: 300 },
    { pct: undefined, nodes: 15000, want: 750 },
    { pct: 30, nodes: 1000, want: 300 },
    { pct: 1, nodes: 1000, want: 100 },
    { pct: 100, nodes: 5000, want: 5000 },
  ];
  for (const tc of cases) assert.equal(numFeasibleNodesToFind(tc.pct, tc.nodes), tc.want, `${tc.pct}% of ${tc.nodes}`);
});

function setup(opts: { nodes: number; bindFails?: boolean }) {
  const clock = new FakeClock();
  const cache = new Cache({ clock });
  const events: string[] = [];
  const bindings: string[] = [];
  const patches: unknown[] = [];
  const client = {
    resource: () => ({
      createSubresource: async (name: string, _sub: string, body: { target: { name: string } }) => {
        if (opts.bindFails) throw new Error('connection refused');
        bindings.push(`${name}->${body.target.name}`);
        return {};
      },
      patch: async (_name: string, _type: string, patch: unknown) => void patches.push(patch),
    }),
  } as unknown as Interface;
  const recorder: EventRecorder = { eventf: (_p, type, reason, _a, note) => void events.push(`${type} ${reason} ${note}`) };
  const profiles = new Map<string, Framework>();
  let core: SchedulerCore | undefined;
  const queue = new SchedulingQueue({ less: (a, b) => profiles.get('default-scheduler')!.queueSortFunc()(a, b), clock, profiles });
  profiles.set('default-scheduler', new Framework({ profile: defaultProfile({}), registry: newInTreeRegistry(), snapshot: () => core!.snapshot, client, clock }));
  core = new SchedulerCore({ cache, queue, profiles, client, recorder, clock, random: () => 0 });
  for (let i = 0; i < opts.nodes; i++) cache.addNode(makeNode({ name: `n${i}`, cpu: '1' }));
  return { cache, queue, core, events, bindings, patches };
}

test('a scheduling cycle binds asynchronously and records the Scheduled event', async () => {
  const s = setup({ nodes: 3 });
  s.queue.add(makePod({ name: 'p', requests: { cpu: '500m' } }));
  const ac = new AbortController();
  assert.equal(await s.core.scheduleOne(ac.signal), true);
  assert.equal(s.cache.dump().pods[0].assumed, true, 'assumed before the binding returns');
  await s.core.waitForBindings();
  assert.equal(s.bindings.length, 1);
  assert.match(s.events[0], /^Normal Scheduled Successfully assigned default\/p to n\d$/);
});

test('no fit: FailedScheduling with the FitError message, PodScheduled=False patch, pod back in the queue', async () => {
  const s = setup({ nodes: 2 });
  s.queue.add(makePod({ name: 'big', requests: { cpu: '2' } }));
  await s.core.scheduleOne(new AbortController().signal);
  const msg = '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.';
  assert.deepEqual(s.events, [`Warning FailedScheduling ${msg}`]);
  const patch = s.patches[0] as { status: { conditions: Array<Record<string, unknown>> } };
  assert.deepEqual(
    { ...patch.status.conditions[0], lastTransitionTime: undefined },
    { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: msg, lastProbeTime: null, lastTransitionTime: undefined },
  );
  assert.deepEqual(s.queue.pendingPods(), [{ key: 'default/big', queue: 'unschedulable' }]);
});

test('no nodes at all: "no nodes available to schedule pods"', async () => {
  const s = setup({ nodes: 0 });
  s.queue.add(makePod({ name: 'p' }));
  await s.core.scheduleOne(new AbortController().signal);
  assert.deepEqual(s.events, ['Warning FailedScheduling no nodes available to schedule pods']);
});

test('a failed binding forgets the assumed pod and retries with backoff', async () => {
  const s = setup({ nodes: 1, bindFails: true });
  s.queue.add(makePod({ name: 'p' }));
  await s.core.scheduleOne(new AbortController().signal);
  await s.core.waitForBindings();
  assert.equal(s.cache.podCount(), 0);
  assert.deepEqual(s.queue.pendingPods(), [{ key: 'default/p', queue: 'backoff' }]);
  assert.match(s.events[0], /^Warning FailedScheduling running Bind plugin "DefaultBinder": connection refused$/);
});

test('the round-robin start index advances by the nodes examined', () => {
  const s = setup({ nodes: 200 });
  for (let i = 0; i < 3; i++) s.queue.add(makePod({ name: `p${i}` }));
  return (async () => {
    const ac = new AbortController();
    await s.core.scheduleOne(ac.signal);
    // 200 nodes < 100? no: numFeasibleNodesToFind(200) = max(100, 200×(50−1)/100=98) = 100.
    assert.equal(s.core.nextStartNodeIndex, 100);
    await s.core.scheduleOne(ac.signal);
    assert.equal(s.core.nextStartNodeIndex, 0);
    await s.core.waitForBindings();
  })();
});
