// The pod garbage collector against an in-process apiserver: through the manager, terminated pods above
// --terminated-pod-gc-threshold are deleted oldest first; driven directly on a fake clock, an orphaned pod
// is marked Failed with DisruptionTarget (server-side apply on pods/status) and force-deleted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isNotFound } from '../../src/apimachinery/errors.js';
import { FakeClock } from '../../src/base/clock.js';
import { newLogger } from '../../src/base/logger.js';
import type * as corev1 from '../../src/api/generated/core/v1.js';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';
import type { Typed } from '../../src/client/typed.js';
import { PodGCController, quarantineTimeMs } from '../../src/controller-manager/controllers/podgc/gc-controller.js';
import { FakeInformer } from '../../src/controller-manager/testing/fake-informer.js';
import { eventually, startControllers } from '../harness/in-process-controller-manager.js';

const pods = { group: '', version: 'v1', resource: 'pods' };
const serviceaccounts = { group: '', version: 'v1', resource: 'serviceaccounts' };

async function podWithPhase(client: Interface, name: string, node: string, phase: string): Promise<void> {
  await client.resource(pods, 'default').create({ metadata: { name }, spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox' }] } });
  await client.resource(pods, 'default').patch(name, 'merge', { status: { phase } }, { subresource: 'status' });
}

async function names(client: Interface): Promise<string[]> {
  return (await client.resource(pods, 'default').list()).items.map((p) => p.metadata?.name ?? '').sort();
}

test('terminated pods above the threshold are collected, oldest first', async (t) => {
  const { cluster } = await startControllers(t, { controllers: ['serviceaccount'] });
  const client = cluster.client;
  await eventually(async () => (await client.resource(serviceaccounts, 'default').list()).items.length > 0);
  // Created in this order; within one second (timestamps have whole seconds) the name breaks the tie.
  for (const name of ['done-1', 'done-2', 'done-3']) await podWithPhase(client, name, 'n1', 'Succeeded');
  await podWithPhase(client, 'running', 'n1', 'Running');
  await startControllers(t, { cluster, controllers: ['podgc'], configure: (o) => (o.terminatedPodGCThreshold = 1) });
  await eventually(async () => (await names(client)).join() === 'done-3,running');
});

test('an orphaned pod is marked Failed with DisruptionTarget and force-deleted after the quarantine', async (t) => {
  const { client } = await startControllers(t, { controllers: ['serviceaccount'] });
  await eventually(async () => (await client.resource(serviceaccounts, 'default').list()).items.length > 0);
  await podWithPhase(client, 'orphan', 'vanished-node', 'Running');
  await client.resource(pods, 'default').patch('orphan', 'merge', { metadata: { finalizers: ['example.com/hold'] } });
  const snapshot = (await client.resource<Typed<corev1.Pod>>(pods, 'default').list()).items;
  const clock = new FakeClock(Date.now());
  const gc = new PodGCController({ client, pods: new FakeInformer(snapshot), nodes: new FakeInformer<Typed<corev1.Node>>([]), terminatedPodThreshold: 12500, clock, logger: newLogger({ write: () => {} }) });
  assert.equal((await gc.gc()).orphaned, 0);
  clock.step(quarantineTimeMs);
  assert.equal((await gc.gc()).orphaned, 1);
  // The finalizer keeps the deleted pod readable: Failed, with the condition, being deleted.
  const after = (await client.resource(pods, 'default').get('orphan')) as KubeObject & { status?: { phase?: string; conditions?: Array<{ type: string; reason?: string; message?: string }> } };
  assert.equal(after.status?.phase, 'Failed');
  const cond = after.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
  assert.deepEqual([cond?.reason, cond?.message], ['DeletionByPodGC', 'PodGC: node no longer exists']);
  assert.ok(after.metadata?.deletionTimestamp);
  await client.resource(pods, 'default').patch('orphan', 'merge', { metadata: { finalizers: null } });
  await eventually(async () => {
    try {
      await client.resource(pods, 'default').get('orphan');
      return false;
    } catch (err) {
      return isNotFound(err);
    }
  });
});
