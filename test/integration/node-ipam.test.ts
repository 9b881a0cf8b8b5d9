// The node IPAM controller against an in-process apiserver: a node that already has a podCIDR keeps it
// and its subnet is not handed out again (the rebuild at start), new nodes get the next ones, exhaustion is
// an event, and a deleted node's subnet is reused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../src/api/generated/core/v1.js';
import type { Typed } from '../../src/client/typed.js';
import { eventually, startControllers } from '../harness/in-process-controller-manager.js';
import { startInProcessAPIServer } from '../harness/in-process-apiserver.js';

type Node = Typed<corev1.Node>;
const nodes = { group: '', version: 'v1', resource: 'nodes' };

test('podCIDRs are assigned from --cluster-cidr without double allocation', async (t) => {
  const cluster = await startInProcessAPIServer(t);
  const client = cluster.client;
  await client.resource<Node>(nodes).create({ metadata: { name: 'existing' }, spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] } });
  const { recorder } = await startControllers(t, {
    cluster,
    controllers: ['nodeipam'],
    configure: (o) => {
      o.allocateNodeCIDRs = true;
      o.clusterCIDR = '10.244.0.0/23';
      o.nodeCIDRMaskSize = 24;
    },
  });
  const podCIDRs = async (name: string) => (await client.resource<Node>(nodes).get(name)).spec?.podCIDRs;
  await client.resource<Node>(nodes).create({ metadata: { name: 'a' }, spec: {} });
  await eventually(async () => (await podCIDRs('a')) !== undefined);
  assert.deepEqual(await podCIDRs('a'), ['10.244.1.0/24']);
  assert.equal((await client.resource<Node>(nodes).get('a')).spec?.podCIDR, '10.244.1.0/24');

  await client.resource<Node>(nodes).create({ metadata: { name: 'b' }, spec: {} });
  await eventually(() => recorder.events.includes('Normal CIDRNotAvailable Node b status is now: CIDRNotAvailable'));
  await client.resource<Node>(nodes).delete('existing');
  await eventually(async () => (await podCIDRs('b')) !== undefined);
  assert.deepEqual(await podCIDRs('b'), ['10.244.0.0/24']);
});
