// The scheduler against a real in-process apiserver with Node objects made by the test: the tutorial moment,
// the upstream FailedScheduling message and PodScheduled condition, placement by nodeSelector, taints and
// resources, and two profiles.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../../src/api/generated/core/v1.js';
import { eventually, node, pod, startCluster, startScheduler } from './scheduler-cluster.js';

async function boundNode(pods: ReturnType<Awaited<ReturnType<typeof startCluster>>['pods']>, name: string): Promise<string> {
  return eventually(async () => ((await pods.get(name)) as Pod).spec?.nodeName || undefined, `pod ${name} to be bound`);
}

test('tutorial moment: a pod stays Pending without a scheduler and is bound once it starts', async (t) => {
  const c = await startCluster(t);
  await c.nodes().create(node({ name: 'node1' }));
  await c.pods().create(pod({ name: 'nginx' }));
  const before = (await c.pods().get('nginx')) as Pod;
  assert.equal(before.spec?.nodeName, undefined);
  startScheduler(t, c);
  assert.equal(await boundNode(c.pods(), 'nginx'), 'node1');
  const after = (await c.pods().get('nginx')) as Pod;
  assert.deepEqual(
    after.status?.conditions?.filter((x) => x.type === 'PodScheduled').map((x) => x.status),
    ['True'],
  );
  const events = await eventually(async () => {
    const list = await c.client.resource({ group: 'events.k8s.io', version: 'v1', resource: 'events' }, 'default').list();
    const ev = list.items.find((e) => e.reason === 'Scheduled');
    return ev;
  }, 'the Scheduled event');
  assert.equal(events.note, 'Successfully assigned default/nginx to node1');
  assert.equal(events.reportingController, 'default-scheduler');
});

test('a pod that fits nowhere stays Pending with the upstream message, then lands on a new node', async (t) => {
  const c = await startCluster(t);
  await c.nodes().create(node({ name: 'cp', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }));
  await c.nodes().create(node({ name: 'small1', cpu: '1' }));
  await c.nodes().create(node({ name: 'small2', cpu: '1' }));
  startScheduler(t, c);
  await c.pods().create(pod({ name: 'big', cpu: '2' }));
  const cond = await eventually(async () => {
    const p = (await c.pods().get('big')) as Pod;
    return p.status?.conditions?.find((x) => x.type === 'PodScheduled');
  }, 'the PodScheduled condition');
  assert.equal(cond.status, 'False');
  assert.equal(cond.reason, 'Unschedulable');
  assert.equal(
    cond.message,
    '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. ' +
      'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
  );
  const ev = await eventually(async () => {
    const list = await c.client.resource({ group: 'events.k8s.io', version: 'v1', resource: 'events' }, 'default').list();
    return list.items.find((e) => e.reason === 'FailedScheduling');
  }, 'the FailedScheduling event');
  assert.equal(ev.note, cond.message);
  assert.equal(ev.type, 'Warning');
  await c.nodes().create(node({ name: 'big1', cpu: '8' }));
  assert.equal(await boundNode(c.pods(), 'big'), 'big1');
});

test('nodeSelector, taints and resources put pods where they belong', async (t) => {
  const c = await startCluster(t);
  await c.nodes().create(node({ name: 'ssd', labels: { disk: 'ssd' } }));
  await c.nodes().create(node({ name: 'gpu', taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] }));
  await c.nodes().create(node({ name: 'tiny', cpu: '500m' }));
  startScheduler(t, c);
  const cases = [
    { p: pod({ name: 'wants-ssd', nodeSelector: { disk: 'ssd' } }), want: 'ssd' },
    { p: pod({ name: 'tolerates-gpu', nodeSelector: { 'kubernetes.io/hostname': 'gpu' }, tolerations: [{ key: 'gpu', operator: 'Exists' }] }), want: 'gpu' },
    { p: pod({ name: 'needs-3-cpus', cpu: '3' }), want: 'ssd' },
  ];
  for (const { p } of cases) await c.pods().create(p);
  for (const { p, want } of cases) {
    const name = p.metadata?.name ?? '';
    assert.equal(await boundNode(c.pods(), name), want, name);
  }
});

test('two profiles: each schedules only pods naming it; other pods are left alone', async (t) => {
  const c = await startCluster(t);
  await c.nodes().create(node({ name: 'n1' }));
  await c.nodes().create(node({ name: 'n2' }));
  startScheduler(t, c, {
    profiles: [
      { schedulerName: 'default-scheduler' },
      { schedulerName: 'pinning-scheduler', plugins: { filter: { disabled: [{ name: 'NodeAffinity' }] } } },
    ],
  });
  await c.pods().create(pod({ name: 'a' }));
  await c.pods().create(pod({ name: 'b', schedulerName: 'pinning-scheduler' }));
  await c.pods().create(pod({ name: 'c', schedulerName: 'someone-else' }));
  assert.match(await boundNode(c.pods(), 'a'), /^n[12]$/);
  assert.match(await boundNode(c.pods(), 'b'), /^n[12]$/);
  const other = (await c.pods().get('c')) as Pod;
  assert.equal(other.spec?.nodeName, undefined);
  assert.equal(other.status?.conditions?.find((x) => x.type === 'PodScheduled'), undefined);
});

test('a pending pod is scheduled when a node gains the label it selects, or loses the taint that repelled it', async (t) => {
  const c = await startCluster(t);
  await c.nodes().create(node({ name: 'plain' }));
  await c.nodes().create(node({ name: 'tainted', taints: [{ key: 'maintenance', effect: 'NoSchedule' }], labels: { team: 'b' } }));
  startScheduler(t, c);
  await c.pods().create(pod({ name: 'wants-team-a', nodeSelector: { team: 'a' } }));
  await c.pods().create(pod({ name: 'wants-team-b', nodeSelector: { team: 'b' } }));
  const message = async (name: string): Promise<string | undefined> =>
    ((await c.pods().get(name)) as Pod).status?.conditions?.find((x) => x.type === 'PodScheduled' && x.status === 'False')?.message;
  assert.equal(
    await eventually(() => message('wants-team-a'), 'wants-team-a to be unschedulable'),
    "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {maintenance: }. " +
      'preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
  );
  await eventually(() => message('wants-team-b'), 'wants-team-b to be unschedulable');
  await c.nodes().patch('plain', 'merge', { metadata: { labels: { team: 'a' } } });
  assert.equal(await boundNode(c.pods(), 'wants-team-a'), 'plain');
  await c.nodes().patch('tainted', 'merge', { spec: { taints: null } });
  assert.equal(await boundNode(c.pods(), 'wants-team-b'), 'tainted');
});
