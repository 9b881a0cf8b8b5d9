// Placement by each core plugin against a real in-process apiserver: host ports, cordoned nodes, preferred
// node affinity, PreferNoSchedule taints, and a bin-packing profile configured through pluginConfig.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../../src/api/generated/core/v1.js';
import type { KubeObject } from '../../src/client/rest/interface.js';
import { eventually, node, pod, startCluster, startScheduler, type TestCluster } from './scheduler-cluster.js';

async function boundNode(c: TestCluster, name: string): Promise<string> {
  return eventually(async () => ((await c.pods().get(name)) as Pod).spec?.nodeName || undefined, `pod ${name} to be bound`);
}

function withHostPort(p: Pod & KubeObject, port: number): Pod & KubeObject {
  p.spec!.containers[0].ports = [{ containerPort: port, hostPort: port }];
  return p;
}

test('NodePorts: a second pod wanting the same host port goes to another node', async (t) => {
  const c = await startCluster(t);
  await c.nodes().create(node({ name: 'a' }));
  await c.nodes().create(node({ name: 'b' }));
  startScheduler(t, c);
  await c.pods().create(withHostPort(pod({ name: 'web-1' }), 8080));
  const first = await boundNode(c, 'web-1');
  await c.pods().create(withHostPort(pod({ name: 'web-2' }), 8080));
  const second = await boundNode(c, 'web-2');
  assert.notEqual(second, first);
  await c.pods().create(withHostPort(pod({ name: 'web-3' }), 8080));
  const cond = await eventually(async () => ((await c.pods().get('web-3')) as Pod).status?.conditions?.find((x) => x.type === 'PodScheduled'), 'web-3 condition');
  assert.equal(
    cond.message,
    "0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.",
  );
});

test('NodeUnschedulable: a cordoned node is avoided', async (t) => {
  const c = await startCluster(t);
  await c.nodes().create(node({ name: 'cordoned', unschedulable: true }));
  await c.nodes().create(node({ name: 'open' }));
  startScheduler(t, c);
  for (const name of ['p1', 'p2', 'p3']) await c.pods().create(pod({ name }));
  for (const name of ['p1', 'p2', 'p3']) assert.equal(await boundNode(c, name), 'open');
});

test('preferred node affinity and PreferNoSchedule taints steer the choice', async (t) => {
  const c = await startCluster(t);
  await c.nodes().create(node({ name: 'plain' }));
  await c.nodes().create(node({ name: 'ssd', labels: { disk: 'ssd' } }));
  await c.nodes().create(node({ name: 'soft-tainted', labels: { disk: 'ssd' }, taints: [{ key: 'busy', effect: 'PreferNoSchedule' }] }));
  startScheduler(t, c);
  const p = pod({ name: 'prefers-ssd' });
  p.spec!.affinity = {
    nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }] },
  };
  await c.pods().create(p);
  assert.equal(await boundNode(c, 'prefers-ssd'), 'ssd');
});

test('a bin-packing profile (NodeResourcesFit MostAllocated) fills one node before the next', async (t) => {
  const c = await startCluster(t);
  for (const name of ['n1', 'n2', 'n3']) await c.nodes().create(node({ name, cpu: '4' }));
  startScheduler(t, c, {
    profiles: [
      {
        schedulerName: 'bin-packer',
        pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } }],
        // Balanced allocation would pull towards spreading; leave it out as bin-packing setups do.
        plugins: { score: { disabled: [{ name: 'NodeResourcesBalancedAllocation' }] } },
      },
    ],
  });
  const nodes: string[] = [];
  for (let i = 0; i < 3; i++) {
    await c.pods().create(pod({ name: `packed-${i}`, cpu: '1', memory: '1Gi', schedulerName: 'bin-packer' }));
    nodes.push(await boundNode(c, `packed-${i}`));
  }
  assert.equal(new Set(nodes).size, 1, `all on one node: ${nodes.join(', ')}`);
});
