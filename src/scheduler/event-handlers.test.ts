import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node, Pod } from '../api/generated/core/v1.js';
import type { Typed } from '../client/typed.js';
import { Cache } from './cache/cache.js';
import { nodeEventHandler, nodeUpdateActions, podEventHandler } from './event-handlers.js';
import { ActionType } from './framework/events.js';
import { SchedulingQueue } from './queue/scheduling-queue.js';
import { makeNode, makePod } from './testing/builders.js';

test('nodeUpdateActions names what changed', () => {
  const base = makeNode({ name: 'n', labels: { a: '1' } });
  const cases: Array<{ name: string; change: (n: Node) => Node; want: number }> = [
    { name: 'nothing', change: (n) => n, want: 0 },
    { name: 'labels', change: (n) => ({ ...n, metadata: { ...n.metadata, labels: { a: '2' } } }), want: ActionType.UpdateNodeLabel },
    { name: 'taints', change: (n) => ({ ...n, spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } }), want: ActionType.UpdateNodeTaint },
    { name: 'uncordon', change: (n) => ({ ...n, spec: { unschedulable: true } }), want: ActionType.UpdateNodeTaint },
    { name: 'allocatable', change: (n) => ({ ...n, status: { ...n.status, allocatable: { cpu: '8' } } }), want: ActionType.UpdateNodeAllocatable },
    { name: 'heartbeat only', change: (n) => ({ ...n, metadata: { ...n.metadata, resourceVersion: '99' } }), want: 0 },
  ];
  for (const tc of cases) assert.equal(nodeUpdateActions(base, tc.change(base)), tc.want, tc.name);
});

function setup() {
  const cache = new Cache();
  const queue = new SchedulingQueue({
    less: () => false,
    profiles: new Map([['default-scheduler', { runPreEnqueuePlugins: () => null, eventsToRegister: () => new Map() }]]),
  });
  const deps = { cache, queue, profiles: new Set(['default-scheduler']) };
  return { cache, queue, pods: podEventHandler(deps), nodes: nodeEventHandler(deps) };
}

const t = <T>(x: T): Typed<T> => x as Typed<T>;

test('pods: ours go to the queue, others are ignored, assigned ones go to the cache', () => {
  const s = setup();
  s.nodes.onAdd?.(t(makeNode({ name: 'n1' })), true);
  s.pods.onAdd?.(t(makePod({ name: 'mine' })), true);
  s.pods.onAdd?.(t(makePod({ name: 'theirs', schedulerName: 'other' })), true);
  s.pods.onAdd?.(t(makePod({ name: 'running', nodeName: 'n1' })), true);
  const done: Pod = { ...makePod({ name: 'done', nodeName: 'n1' }), status: { phase: 'Succeeded' } };
  s.pods.onAdd?.(t(done), true);
  assert.deepEqual(s.queue.pendingPods(), [{ key: 'default/mine', queue: 'active' }]);
  assert.deepEqual(s.cache.dump().pods.map((p) => p.key), ['default/running']);
});

test('pods: binding moves a pod from the queue to the cache; deletion frees the node', () => {
  const s = setup();
  s.nodes.onAdd?.(t(makeNode({ name: 'n1' })), true);
  const p = makePod({ name: 'p', requests: { cpu: '1' } });
  s.pods.onAdd?.(t(p), false);
  const boundPod: Pod = { ...p, spec: { ...p.spec!, nodeName: 'n1' } };
  s.pods.onUpdate?.(t(p), t(boundPod));
  assert.deepEqual(s.queue.pendingPods(), []);
  assert.deepEqual(s.cache.dump().pods, [{ key: 'default/p', node: 'n1', assumed: false }]);
  s.pods.onDelete?.(t(boundPod));
  assert.equal(s.cache.podCount(), 0);
  s.pods.onDelete?.({ key: 'default/x', obj: t(makePod({ name: 'x' })), deletedFinalStateUnknown: true });
  assert.deepEqual(s.queue.pendingPods(), []);
});
