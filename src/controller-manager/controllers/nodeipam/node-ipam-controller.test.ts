// The range allocator against fakes: existing podCIDRs are occupied first, new nodes get the next subnets
// of each family, exhaustion is a CIDRNotAvailable event, deletion frees the subnet.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { FakeClock } from '../../../base/clock.js';
import { newLogger } from '../../../base/logger.js';
import type { Typed } from '../../../client/typed.js';
import { FakeClient } from '../../testing/fake-client.js';
import { FakeInformer } from '../../testing/fake-informer.js';
import { RecordingQueue } from '../../testing/recording-queue.js';
import { RecordingRecorder } from '../../testing/recording-recorder.js';
import { cidrSetsFromOptions, NodeIPAMController, nodesResource } from './node-ipam-controller.js';

type Node = Typed<corev1.Node>;

function node(name: string, podCIDRs?: string[]): Node {
  return { metadata: { name }, spec: podCIDRs ? { podCIDR: podCIDRs[0], podCIDRs } : {} };
}

function setup(nodes: Node[], clusterCIDR = '10.244.0.0/22') {
  const client = new FakeClient();
  for (const n of nodes) client.seed(nodesResource, n);
  const informer = new FakeInformer<Node>(nodes);
  const recorder = new RecordingRecorder();
  const cidrSets = cidrSetsFromOptions({ clusterCIDR, nodeCIDRMaskSize: 24, serviceClusterIPRange: '' });
  const ipam = new NodeIPAMController({ client, nodes: informer, cidrSets, recorder, queue: new RecordingQueue(), clock: new FakeClock(), logger: newLogger({ write: () => {} }) });
  const specOf = (name: string) => (client.objects.get(client.key(nodesResource, '', name)) as Node).spec;
  return { client, informer, recorder, ipam, specOf };
}

test('new nodes get free subnets after the existing ones are occupied', async () => {
  const s = setup([node('old', ['10.244.0.0/24']), node('a'), node('b')]);
  s.ipam.occupyExisting();
  await s.ipam.syncNode('a');
  await s.ipam.syncNode('b');
  await s.ipam.syncNode('old');
  assert.deepEqual(s.specOf('a'), { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
  assert.deepEqual(s.specOf('b'), { podCIDR: '10.244.2.0/24', podCIDRs: ['10.244.2.0/24'] });
  assert.equal(s.client.writes().length, 2, 'a node with a podCIDR is left alone');
});

test('exhaustion records CIDRNotAvailable; a deleted node frees its subnet', async () => {
  const s = setup([node('a'), node('b')], '10.244.0.0/24');
  await s.ipam.syncNode('a');
  await assert.rejects(s.ipam.syncNode('b'), /failed to allocate cidr from cluster cidr at idx:0: CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range/);
  assert.deepEqual(s.recorder.events, ['Normal CIDRNotAvailable Node b status is now: CIDRNotAvailable']);
  s.informer.delete({ metadata: { name: 'a' }, spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] } });
  await s.ipam.syncNode('b');
  assert.deepEqual(s.specOf('b')?.podCIDRs, ['10.244.0.0/24']);
});

test('dual-stack: one subnet per family; the service range is never handed out', async () => {
  const s = setup([node('a')], '10.0.0.0/22,fd00:10:244::/56');
  await s.ipam.syncNode('a');
  assert.deepEqual(s.specOf('a'), { podCIDR: '10.0.0.0/24', podCIDRs: ['10.0.0.0/24', 'fd00:10:244::/64'] });
  const sets = cidrSetsFromOptions({ clusterCIDR: '10.0.0.0/22', nodeCIDRMaskSize: 24, serviceClusterIPRange: '10.0.0.0/23' });
  assert.equal(sets[0]!.allocateNext(), '10.0.2.0/24');
  const dual = cidrSetsFromOptions({ clusterCIDR: '10.0.0.0/16,fd00::/104', nodeCIDRMaskSize: 24, nodeCIDRMaskSizes: { ipv4: 20, ipv6: 112 }, serviceClusterIPRange: '' });
  assert.deepEqual(dual.map((x) => x.nodeMaskSize), [20, 112]);
  assert.equal(cidrSetsFromOptions({ clusterCIDR: 'fd00::/56', nodeCIDRMaskSize: 24, serviceClusterIPRange: '' })[0]!.nodeMaskSize, 64);
  assert.equal(cidrSetsFromOptions({ clusterCIDR: 'fd00::/56', nodeCIDRMaskSize: 60, serviceClusterIPRange: '' })[0]!.nodeMaskSize, 60);
  assert.throws(() => cidrSetsFromOptions({ clusterCIDR: '10.0.0.0/16,10.1.0.0/16', nodeCIDRMaskSize: 24, serviceClusterIPRange: '' }), /one CIDR per IP family/);
  assert.throws(() => cidrSetsFromOptions({ clusterCIDR: '', nodeCIDRMaskSize: 24, serviceClusterIPRange: '' }), /--cluster-cidr is required/);
});
