// PodTopologySpread and InterPodAffinity against a real in-process apiserver and scheduler: pods spread over
// zones, anti-affine replicas land on distinct hosts (the extra one stays Pending with upstream's message),
// and an affine pod follows its target into the same zone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../../src/api/generated/core/v1.js';
import type { KubeObject } from '../../src/client/rest/interface.js';
import { eventually, node, pod, startCluster, startScheduler, type TestCluster } from '../e2e/scheduler-cluster.js';

const zoneKey = 'topology.kubernetes.io/zone';
const hostKey = 'kubernetes.io/hostname';

async function boundNode(c: TestCluster, name: string): Promise<string> {
  return eventually(async () => ((await c.pods().get(name)) as Pod).spec?.nodeName || undefined, `pod ${name} to be bound`);
}

function labeled(p: Pod & KubeObject, labels: Record<string, string>): Pod & KubeObject {
  p.metadata = { ...p.metadata, labels };
  return p;
}

test('topology spread: DoNotSchedule maxSkew 1 over two zones puts two pods in each', async (t) => {
  const c = await startCluster(t);
  for (const [name, zone] of [['a1', 'a'], ['a2', 'a'], ['b1', 'b'], ['b2', 'b']]) await c.nodes().create(node({ name, labels: { [zoneKey]: zone } }));
  startScheduler(t, c);
  const zones: string[] = [];
  for (let i = 0; i < 4; i++) {
    const p = labeled(pod({ name: `web-${i}` }), { app: 'web' });
    p.spec!.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: zoneKey, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }];
    await c.pods().create(p);
    zones.push((await boundNode(c, `web-${i}`)).slice(0, 1));
  }
  assert.deepEqual(zones.filter((z) => z === 'a').length, 2, zones.join(','));
  assert.deepEqual(zones.filter((z) => z === 'b').length, 2, zones.join(','));
});

test('topology spread: a node without the zone label is unresolvable; the message counts it', async (t) => {
  const c = await startCluster(t);
  await c.nodes().create(node({ name: 'zoned', labels: { [zoneKey]: 'a' } }));
  await c.nodes().create(node({ name: 'bare' }));
  startScheduler(t, c);
  const first = labeled(pod({ name: 'db-0' }), { app: 'db' });
  const spread = [{ maxSkew: 1, topologyKey: zoneKey, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'db' } }, minDomains: 2 }];
  first.spec!.topologySpreadConstraints = spread;
  await c.pods().create(first);
  // minDomains 2 with one zone: the global minimum is 0, so a zone may hold one matching pod only.
  assert.equal(await boundNode(c, 'db-0'), 'zoned');
  const second = labeled(pod({ name: 'db-1' }), { app: 'db' });
  second.spec!.topologySpreadConstraints = spread;
  await c.pods().create(second);
  const cond = await eventually(async () => ((await c.pods().get('db-1')) as Pod).status?.conditions?.find((x) => x.type === 'PodScheduled'), 'db-1 condition');
  assert.equal(
    cond.message,
    "0/2 nodes are available: 1 node(s) didn't match pod topology spread constraints, 1 node(s) didn't match pod topology spread constraints (missing required label). preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.",
  );
});

test('inter-pod anti-affinity: one replica per host; the extra replica waits for a new node', async (t) => {
  const c = await startCluster(t);
  for (const name of ['h1', 'h2', 'h3']) await c.nodes().create(node({ name }));
  startScheduler(t, c);
  const replica = (i: number): Pod & KubeObject => {
    const p = labeled(pod({ name: `cache-${i}` }), { app: 'cache' });
    p.spec!.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: hostKey }] } };
    return p;
  };
  const hosts = new Set<string>();
  for (let i = 0; i < 3; i++) {
    await c.pods().create(replica(i));
    hosts.add(await boundNode(c, `cache-${i}`));
  }
  assert.equal(hosts.size, 3);
  await c.pods().create(replica(3));
  const cond = await eventually(async () => ((await c.pods().get('cache-3')) as Pod).status?.conditions?.find((x) => x.type === 'PodScheduled'), 'cache-3 condition');
  assert.equal(
    cond.message,
    "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
  );
  await c.nodes().create(node({ name: 'h4' }));
  assert.equal(await boundNode(c, 'cache-3'), 'h4');
});

test('inter-pod affinity: a pod follows its target into the same zone', async (t) => {
  const c = await startCluster(t);
  for (const [name, zone] of [['a1', 'a'], ['b1', 'b'], ['b2', 'b']]) await c.nodes().create(node({ name, labels: { [zoneKey]: zone } }));
  startScheduler(t, c);
  const target = labeled(pod({ name: 'db' }), { app: 'db' });
  target.spec!.nodeSelector = { [hostKey]: 'a1' };
  await c.pods().create(target);
  assert.equal(await boundNode(c, 'db'), 'a1');
  for (let i = 0; i < 3; i++) {
    const p = pod({ name: `client-${i}` });
    p.spec!.affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: zoneKey }] } };
    await c.pods().create(p);
    assert.equal(await boundNode(c, `client-${i}`), 'a1');
  }
});

test('inter-pod affinity: a pending pod is scheduled once its target pod lands', async (t) => {
  const c = await startCluster(t);
  for (const [name, zone] of [['a1', 'a'], ['b1', 'b']]) await c.nodes().create(node({ name, labels: { [zoneKey]: zone } }));
  startScheduler(t, c);
  const follower = pod({ name: 'follower' });
  follower.spec!.affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'late' } }, topologyKey: zoneKey }] } };
  await c.pods().create(follower);
  const cond = await eventually(async () => ((await c.pods().get('follower')) as Pod).status?.conditions?.find((x) => x.type === 'PodScheduled'), 'follower condition');
  assert.equal(cond.message, "0/2 nodes are available: 2 node(s) didn't match pod affinity rules. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
  const target = labeled(pod({ name: 'late' }), { app: 'late' });
  target.spec!.nodeSelector = { [zoneKey]: 'b' };
  await c.pods().create(target);
  assert.equal(await boundNode(c, 'late'), 'b1');
  assert.equal(await boundNode(c, 'follower'), 'b1');
});
