// The pod garbage collector against fakes and a fake clock: terminated pods above the threshold go oldest
// (evicted) first, orphans only after the 40 s quarantine and marked Failed with DisruptionTarget, terminating
// pods on out-of-service NotReady nodes and unscheduled terminating pods are force-deleted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { FakeClock } from '../../../base/clock.js';
import { newLogger } from '../../../base/logger.js';
import type { Typed } from '../../../client/typed.js';
import { resources } from '../../controller-context.js';
import { FakeClient } from '../../testing/fake-client.js';
import { FakeInformer } from '../../testing/fake-informer.js';
import { nodesResource, PodGCController, quarantineTimeMs } from './gc-controller.js';

type Pod = Typed<corev1.Pod>;
type Node = Typed<corev1.Node>;

function pod(name: string, extra: { phase?: string; reason?: string; created?: number; node?: string; deleting?: boolean } = {}): Pod {
  return {
    metadata: {
      namespace: 'ns',
      name,
      creationTimestamp: new Date(Date.UTC(2026, 0, 1, 0, extra.created ?? 0)).toISOString(),
      ...(extra.deleting ? { deletionTimestamp: '2026-01-01T01:00:00Z' } : {}),
    },
    spec: { nodeName: extra.node ?? 'n1', containers: [] },
    status: { phase: extra.phase ?? 'Running', reason: extra.reason },
  };
}

function node(name: string, extra: { ready?: boolean; outOfService?: boolean } = {}): Node {
  return {
    metadata: { name },
    spec: extra.outOfService ? { taints: [{ key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' }] } : {},
    status: { conditions: [{ type: 'Ready', status: extra.ready === false ? 'False' : 'True' }] },
  };
}

function setup(pods: Pod[], nodes: Node[], threshold = 12500) {
  const client = new FakeClient();
  for (const p of pods) client.seed(resources.pods, p);
  for (const n of nodes) client.seed(nodesResource, n);
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 2));
  const gc = new PodGCController({ client, pods: new FakeInformer(pods), nodes: new FakeInformer(nodes), terminatedPodThreshold: threshold, clock, logger: newLogger({ write: () => {} }) });
  return { client, clock, gc };
}

const deletes = (client: FakeClient) => client.writes().filter((w) => w.verb === 'delete').map((w) => w.name);

test('terminated pods above the threshold: evicted first, then oldest', async () => {
  const pods = [
    pod('new-succeeded', { phase: 'Succeeded', created: 50 }),
    pod('old-failed', { phase: 'Failed', created: 1 }),
    pod('mid-succeeded', { phase: 'Succeeded', created: 20 }),
    pod('evicted', { phase: 'Failed', reason: 'Evicted', created: 40 }),
    pod('running', { created: 0 }),
  ];
  const cases = [
    { threshold: 4, want: [] },
    { threshold: 2, want: ['evicted', 'old-failed'] },
    { threshold: 0, want: [] },
  ];
  for (const c of cases) {
    const { client, gc } = setup(pods, [node('n1')], c.threshold);
    const result = await gc.gc();
    assert.deepEqual(deletes(client).sort(), c.want.sort(), `threshold ${c.threshold}`);
    assert.equal(result.terminated, c.want.length);
    // Terminal pods are deleted without a status write first.
    assert.equal(client.writes().filter((w) => w.verb === 'patch').length, 0);
  }
});

test('orphaned pods wait out the quarantine, then are marked Failed and force-deleted', async () => {
  const { client, clock, gc } = setup([pod('orphan', { node: 'gone' }), pod('fine', { node: 'n1' })], [node('n1')]);
  assert.equal((await gc.gc()).orphaned, 0);
  clock.step(quarantineTimeMs - 1000);
  assert.equal((await gc.gc()).orphaned, 0);
  clock.step(1000);
  assert.equal((await gc.gc()).orphaned, 1);
  const [patch] = client.writes().filter((w) => w.verb === 'patch');
  assert.equal(patch.subresource, 'status');
  const body = patch.body as { status: { phase: string; conditions: Array<{ type: string; reason: string; message: string }> } };
  assert.equal(body.status.phase, 'Failed');
  assert.deepEqual(
    body.status.conditions.map((c) => [c.type, c.reason, c.message]),
    [['DisruptionTarget', 'DeletionByPodGC', 'PodGC: node no longer exists']],
  );
  assert.deepEqual(deletes(client), ['orphan']);
});

test('a node that comes back during quarantine saves its pods', async () => {
  const { client, clock, gc } = setup([pod('p', { node: 'late' })], []);
  await gc.gc();
  client.seed(nodesResource, node('late'));
  clock.step(quarantineTimeMs);
  assert.equal((await gc.gc()).orphaned, 0);
  assert.deepEqual(deletes(client), []);
});

test('terminating pods: out-of-service NotReady nodes and unscheduled ones', async () => {
  const pods = [
    pod('on-oos', { node: 'oos', deleting: true }),
    pod('on-notready', { node: 'notready', deleting: true }),
    pod('on-ready-oos', { node: 'ready-oos', deleting: true }),
    pod('unscheduled', { node: '', deleting: true }),
    pod('unscheduled-alive', { node: '' }),
  ];
  const nodes = [node('oos', { ready: false, outOfService: true }), node('notready', { ready: false }), node('ready-oos', { outOfService: true })];
  const { client, gc } = setup(pods, nodes);
  const result = await gc.gc();
  assert.deepEqual(deletes(client).sort(), ['on-oos', 'unscheduled']);
  assert.equal(result.terminatingOutOfService, 1);
  assert.equal(result.terminatingUnscheduled, 1);
});
