import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../../api/generated/core/v1.js';
import { FakeClock } from '../../base/clock.js';
import { ActionType, NodeAdd, type ClusterEvent } from '../framework/events.js';
import type { ClusterEventWithHint, QueuedPodInfo } from '../framework/interface.js';
import { PrioritySortPlugin } from '../plugins/prioritysort/priority-sort.js';
import { SchedulingGatesPlugin } from '../plugins/schedulinggates/scheduling-gates.js';
import { makePod } from '../testing/builders.js';
import { SchedulingQueue } from './scheduling-queue.js';

const nodeTaintEvent: ClusterEvent = { resource: 'Node', actionType: ActionType.UpdateNodeTaint, label: 'NodeUpdate' };
const assignedPodDelete: ClusterEvent = { resource: 'AssignedPod', actionType: ActionType.Delete, label: 'AssignedPodDelete' };

function newQueue(clock = new FakeClock()): SchedulingQueue {
  const gates = new SchedulingGatesPlugin();
  const events = new Map<string, ClusterEventWithHint[]>([
    ['NodeResourcesFit', [{ event: assignedPodDelete }, { event: { resource: 'Node', actionType: ActionType.Add, label: 'NodeAdd' } }]],
    ['TaintToleration', [{ event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint, label: 'x' } }]],
    ['SchedulingGates', gates.eventsToRegister()],
  ]);
  const sort = new PrioritySortPlugin();
  return new SchedulingQueue({
    less: (a, b) => sort.less(a, b),
    clock,
    profiles: new Map([
      [
        'default-scheduler',
        {
          runPreEnqueuePlugins: (pod: Pod) => gates.preEnqueue(pod)?.withPlugin(gates.name) ?? null,
          eventsToRegister: () => events,
        },
      ],
    ]),
  });
}

async function popName(q: SchedulingQueue): Promise<string | undefined> {
  return (await q.pop())?.podInfo.pod.metadata?.name;
}

test('activeQ pops by priority, then by arrival', async () => {
  const clock = new FakeClock();
  const q = newQueue(clock);
  q.add(makePod({ name: 'low', priority: 1 }));
  clock.step(1);
  q.add(makePod({ name: 'high', priority: 10 }));
  clock.step(1);
  q.add(makePod({ name: 'low-later', priority: 1 }));
  assert.deepEqual([await popName(q), await popName(q), await popName(q)], ['high', 'low', 'low-later']);
});

test('backoff doubles per attempt from 1s and stops at 10s', () => {
  const q = newQueue();
  const qpi = { attempts: 0 } as QueuedPodInfo;
  const got = [1, 2, 3, 4, 5, 6].map((attempts) => q.backoffDuration({ ...qpi, attempts }));
  assert.deepEqual(got, [1000, 2000, 4000, 8000, 10000, 10000]);
});

test('an unschedulable pod moves only on an event its rejecting plugin registered for', async () => {
  const clock = new FakeClock();
  const q = newQueue(clock);
  q.add(makePod({ name: 'p' }));
  const qpi = (await q.pop()) as QueuedPodInfo;
  qpi.unschedulablePlugins = new Set(['NodeResourcesFit']);
  q.addUnschedulableIfNotPresent(qpi, q.schedulingCycle());
  assert.deepEqual(q.pendingPods(), [{ key: 'default/p', queue: 'unschedulable' }]);
  q.moveAllToActiveOrBackoffQueue(nodeTaintEvent);
  assert.deepEqual(q.pendingPods(), [{ key: 'default/p', queue: 'unschedulable' }], 'a taint change does not help NodeResourcesFit');
  q.moveAllToActiveOrBackoffQueue(assignedPodDelete);
  assert.deepEqual(q.pendingPods(), [{ key: 'default/p', queue: 'backoff' }], 'still backing off');
  clock.step(1000);
  q.flushBackoffQCompleted();
  assert.deepEqual(q.pendingPods(), [{ key: 'default/p', queue: 'active' }]);
});

test('a move request during the attempt sends the failed pod to backoffQ, not unschedulablePods', async () => {
  const q = newQueue();
  q.add(makePod({ name: 'p' }));
  const qpi = (await q.pop()) as QueuedPodInfo;
  const cycle = q.schedulingCycle();
  q.moveAllToActiveOrBackoffQueue(NodeAdd);
  qpi.unschedulablePlugins = new Set(['TaintToleration']);
  q.addUnschedulableIfNotPresent(qpi, cycle);
  assert.deepEqual(q.pendingPods(), [{ key: 'default/p', queue: 'backoff' }]);
});

test('a pod that failed with an error goes to backoffQ', async () => {
  const q = newQueue();
  q.add(makePod({ name: 'p' }));
  const qpi = (await q.pop()) as QueuedPodInfo;
  q.addUnschedulableIfNotPresent(qpi, q.schedulingCycle());
  assert.deepEqual(q.pendingPods(), [{ key: 'default/p', queue: 'backoff' }]);
});

test('unschedulable pods are flushed after 5 minutes', async () => {
  const clock = new FakeClock();
  const q = newQueue(clock);
  q.add(makePod({ name: 'p' }));
  const qpi = (await q.pop()) as QueuedPodInfo;
  qpi.unschedulablePlugins = new Set(['NodeResourcesFit']);
  q.addUnschedulableIfNotPresent(qpi, q.schedulingCycle());
  clock.step(4 * 60_000);
  q.flushUnschedulablePodsLeftover();
  assert.deepEqual(q.pendingPods(), [{ key: 'default/p', queue: 'unschedulable' }]);
  clock.step(60_001);
  q.flushUnschedulablePodsLeftover();
  assert.deepEqual(q.pendingPods(), [{ key: 'default/p', queue: 'active' }]);
});

test('gated pods wait until their gates are removed', async () => {
  const q = newQueue();
  const gated = makePod({ name: 'g', schedulingGates: ['example.com/wait'] });
  q.add(gated);
  assert.deepEqual(q.pendingPods(), [{ key: 'default/g', queue: 'gated' }]);
  assert.deepEqual(q.counts(), { active: 0, backoff: 0, unschedulable: 0, gated: 1 });
  const ungated: Pod = { ...gated, spec: { ...gated.spec!, schedulingGates: [] } };
  q.update(gated, ungated);
  assert.deepEqual(q.pendingPods(), [{ key: 'default/g', queue: 'active' }]);
  assert.deepEqual(q.counts(), { active: 1, backoff: 0, unschedulable: 0, gated: 0 });
});

test('a pod deleted while in flight is not requeued; an update in flight is kept for the requeue', async () => {
  const clock = new FakeClock();
  const q = newQueue(clock);
  const p = makePod({ name: 'p' });
  q.add(p);
  const qpi = (await q.pop()) as QueuedPodInfo;
  q.delete(p);
  q.addUnschedulableIfNotPresent(qpi, q.schedulingCycle());
  assert.deepEqual(q.pendingPods(), []);

  const p2 = makePod({ name: 'p2' });
  q.add(p2);
  const qpi2 = (await q.pop()) as QueuedPodInfo;
  const newer: Pod = { ...p2, metadata: { ...p2.metadata, labels: { v: '2' } } };
  q.update(p2, newer);
  q.addUnschedulableIfNotPresent(qpi2, q.schedulingCycle());
  clock.step(1000);
  q.flushBackoffQCompleted();
  const back = (await q.pop()) as QueuedPodInfo;
  assert.deepEqual(back.podInfo.pod.metadata?.labels, { v: '2' });
  assert.equal(back.attempts, 2);
});

test('pop resolves undefined once the queue closes', async () => {
  const q = newQueue();
  const waiting = q.pop();
  q.close();
  assert.equal(await waiting, undefined);
});

test('scheduler_unschedulable_pods counts pods per rejecting plugin while they wait', async () => {
  const clock = new FakeClock();
  const gauge = new Map<string, number>();
  const sort = new PrioritySortPlugin();
  const q = new SchedulingQueue({
    less: (a, b) => sort.less(a, b),
    clock,
    profiles: new Map([['default-scheduler', { runPreEnqueuePlugins: () => null, eventsToRegister: () => new Map([['NodeResourcesFit', [{ event: assignedPodDelete }]]]) }]]),
    metrics: {
      incoming: () => {},
      pending: () => {},
      unschedulablePlugins: (plugins, profile, delta) => {
        for (const p of plugins) gauge.set(`${profile}/${p}`, (gauge.get(`${profile}/${p}`) ?? 0) + delta);
      },
    },
  });
  for (const name of ['a', 'b']) {
    q.add(makePod({ name }));
    const qpi = (await q.pop()) as QueuedPodInfo;
    qpi.unschedulablePlugins = new Set(['NodeResourcesFit', 'TaintToleration']);
    q.addUnschedulableIfNotPresent(qpi, q.schedulingCycle());
  }
  assert.deepEqual(Object.fromEntries(gauge), { 'default-scheduler/NodeResourcesFit': 2, 'default-scheduler/TaintToleration': 2 });
  q.delete(makePod({ name: 'a' }));
  clock.step(10_000);
  q.moveAllToActiveOrBackoffQueue(assignedPodDelete);
  assert.deepEqual(Object.fromEntries(gauge), { 'default-scheduler/NodeResourcesFit': 0, 'default-scheduler/TaintToleration': 0 });
});
