// DefaultPreemption against a real in-process apiserver and scheduler, with a fake kubelet confirming the
// graceful deletion of victims: a high-priority pod evicts a lower-priority one (DisruptionTarget, Preempted
// event, nominatedNodeName, then bound), a PodDisruptionBudget steers which node is preempted, and
// preemptionPolicy Never keeps a pod waiting.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { Event, Pod } from '../../src/api/generated/core/v1.js';
import type { KubeObject } from '../../src/client/rest/interface.js';
import { eventually, node, pod, startCluster, startScheduler, type TestCluster } from '../e2e/scheduler-cluster.js';
import { startFakeKubelet } from '../harness/fake-kubelet.js';

const priorityClasses = { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' };
const pdbs = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' };
const events = { group: '', version: 'v1', resource: 'events' };

async function setup(t: TestContext, nodes: Array<{ name: string; cpu: string }>): Promise<TestCluster> {
  const c = await startCluster(t);
  for (const n of nodes) await c.nodes().create(node(n));
  for (const [name, value] of [['low', 100], ['mid', 500], ['high', 1000]] as const) {
    await c.client.resource(priorityClasses).create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value });
  }
  await c.client.resource(priorityClasses).create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high-polite' }, value: 1000, preemptionPolicy: 'Never' });
  const kubelet = startFakeKubelet({ client: c.client, nodeNames: nodes.map((n) => n.name), schedule: false, registerNodes: false });
  t.after(() => kubelet.stop());
  return c;
}

function prioritized(name: string, cpu: string, priorityClassName: string, labels?: Record<string, string>): Pod & KubeObject {
  const p = pod({ name, cpu });
  p.metadata = { ...p.metadata, labels };
  p.spec!.priorityClassName = priorityClassName;
  return p;
}

async function boundNode(c: TestCluster, name: string): Promise<string> {
  return eventually(async () => ((await c.pods().get(name)) as Pod).spec?.nodeName || undefined, `pod ${name} to be bound`);
}

async function gone(c: TestCluster, name: string): Promise<void> {
  await eventually(async () => ((await c.pods().list()).items.some((p) => p.metadata?.name === name) ? undefined : true), `pod ${name} to be deleted`);
}

test('a high-priority pod preempts a lower-priority one and is bound to the freed node', async (t) => {
  const c = await setup(t, [{ name: 'n1', cpu: '2' }]);
  startScheduler(t, c);
  for (const [name, cls] of [['low-0', 'low'], ['mid-0', 'mid']]) {
    await c.pods().create(prioritized(name, '1', cls));
    await boundNode(c, name);
  }
  await c.pods().create(prioritized('important', '1', 'high'));
  // The lowest-priority pod is the one reprieve cannot keep.
  await gone(c, 'low-0');
  assert.equal(await boundNode(c, 'important'), 'n1');
  const mid = (await c.pods().get('mid-0')) as Pod;
  assert.equal(mid.metadata?.deletionTimestamp, undefined);
  const important = (await c.pods().get('important')) as Pod;
  const ev = await eventually(async () => {
    const list = (await c.client.resource<Event & KubeObject>(events, 'default').list()).items;
    return list.find((e) => e.reason === 'Preempted' && e.involvedObject.name === 'low-0');
  }, 'Preempted event');
  assert.equal(ev.message, `Preempted by pod ${important.metadata?.uid} on node n1`);
  assert.equal(ev.type, 'Normal');
});

test('preemption avoids violating a PodDisruptionBudget: the unprotected pod on the other node goes', async (t) => {
  const c = await setup(t, [{ name: 'n1', cpu: '1' }, { name: 'n2', cpu: '1' }]);
  startScheduler(t, c);
  const guarded = prioritized('guarded', '1', 'low', { app: 'guarded' });
  guarded.spec!.nodeSelector = { 'kubernetes.io/hostname': 'n1' };
  await c.pods().create(guarded);
  const plain = prioritized('plain', '1', 'mid');
  plain.spec!.nodeSelector = { 'kubernetes.io/hostname': 'n2' };
  await c.pods().create(plain);
  await boundNode(c, 'guarded');
  await boundNode(c, 'plain');
  await c.client.resource(pdbs, 'default').create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'guard' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } } });
  // No disruption controller runs here: the budget's status says what it would.
  await c.client
    .resource(pdbs, 'default')
    .patch('guard', 'merge', { status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1, observedGeneration: 1 } }, { subresource: 'status' });
  // The scheduler starts after the budget exists, so its informer has it when preemption runs.
  await c.pods().create(prioritized('important', '1', 'high'));
  await gone(c, 'plain');
  assert.equal(await boundNode(c, 'important'), 'n2');
  assert.equal(((await c.pods().get('guarded')) as Pod).metadata?.deletionTimestamp, undefined);
});

test('preemptionPolicy Never: the pod waits and says why', async (t) => {
  const c = await setup(t, [{ name: 'n1', cpu: '1' }]);
  startScheduler(t, c);
  await c.pods().create(prioritized('low-0', '1', 'low'));
  await boundNode(c, 'low-0');
  await c.pods().create(prioritized('polite', '1', 'high-polite'));
  const cond = await eventually(async () => ((await c.pods().get('polite')) as Pod).status?.conditions?.find((x) => x.type === 'PodScheduled'), 'polite condition');
  assert.equal(cond.message, '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
  assert.equal(((await c.pods().get('low-0')) as Pod).metadata?.deletionTimestamp, undefined);
});
