// The node lifecycle and taint eviction controllers against fakes and a fake clock: a node whose Lease
// stops is marked Unknown, tainted at the zone's rate, its pods marked NotReady and then evicted per their
// tolerations; a renewed Lease keeps a node healthy; cordoning adds the unschedulable taint.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../../base/clock.js';
import { newLogger } from '../../../base/logger.js';
import type { GroupVersionResource, KubeObject } from '../../../client/rest/interface.js';
import { metaTime } from '../../conditions.js';
import { PrometheusControllerMetrics } from '../../metrics.js';
import { FakeClient } from '../../testing/fake-client.js';
import { FakeInformer } from '../../testing/fake-informer.js';
import { RecordingQueue } from '../../testing/recording-queue.js';
import { RecordingRecorder } from '../../testing/recording-recorder.js';
import { NodeLifecycleController, nodesResource, podsResource, type Lease, type Node, type Pod } from './node-lifecycle-controller.js';
import { TaintEvictionController } from './taint-eviction-controller.js';

const start = Date.UTC(2026, 0, 1);

function readyNode(name: string, labels: Record<string, string> = {}): Node {
  return {
    metadata: { name, labels, creationTimestamp: metaTime(start - 3_600_000), resourceVersion: '1' },
    spec: {},
    status: {
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: metaTime(start), lastTransitionTime: metaTime(start - 3_600_000) },
        { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: metaTime(start), lastTransitionTime: metaTime(start - 3_600_000) },
      ],
    },
  };
}

function lease(node: string, renew: number): Lease {
  return { metadata: { name: node, namespace: 'kube-node-lease' }, spec: { holderIdentity: node, renewTime: new Date(renew).toISOString() } };
}

function pod(name: string, node: string, tolerations?: NonNullable<Pod['spec']>['tolerations']): Pod {
  return {
    metadata: { name, namespace: 'default', resourceVersion: '1' },
    spec: { nodeName: node, containers: [{ name: 'c', image: 'x' }], tolerations },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function setup(nodes: Node[], pods: Pod[] = [], metrics?: PrometheusControllerMetrics) {
  const clock = new FakeClock(start);
  const client = new FakeClient(() => clock.now());
  const nodeInformer = new FakeInformer<Node>(nodes);
  const podInformer = new FakeInformer<Pod>(pods);
  const leaseInformer = new FakeInformer<Lease>(nodes.map((n) => lease(n.metadata!.name!, start)));
  for (const n of nodes) client.seed(nodesResource, n);
  for (const p of pods) client.seed(podsResource, p);
  // The caches follow the fake server's writes, as informers would.
  client.onWrite = (gvr: GroupVersionResource, obj: KubeObject, deleted: boolean) => {
    const informer = (gvr.resource === 'nodes' ? nodeInformer : gvr.resource === 'pods' ? podInformer : undefined) as FakeInformer<KubeObject> | undefined;
    if (deleted) informer?.delete(obj);
    else informer?.update(obj);
  };
  const recorder = new RecordingRecorder();
  const logger = newLogger({ write: () => {} });
  const options = {
    nodeMonitorPeriodMs: 5_000,
    nodeMonitorGracePeriodMs: 50_000,
    nodeStartupGracePeriodMs: 60_000,
    evictionRate: 0.1,
    secondaryEvictionRate: 0.01,
    largeClusterSizeThreshold: 50,
    unhealthyZoneThreshold: 0.55,
  };
  const lifecycle = new NodeLifecycleController({ client, nodes: nodeInformer, leases: leaseInformer, pods: podInformer, recorder, queue: new RecordingQueue(), options, clock, logger, metrics });
  const evictionQueue = new RecordingQueue();
  const eviction = new TaintEvictionController({ client, nodes: nodeInformer, pods: podInformer, recorder, queue: evictionQueue, clock, logger });
  const storedNode = (name: string) => client.objects.get(client.key(nodesResource, '', name)) as Node;
  const storedPod = (name: string) => client.objects.get(client.key(podsResource, 'default', name)) as Pod | undefined;
  /** Runs every key the eviction controller queued (the fake queue only records them). */
  const drainEvictions = async () => {
    while (evictionQueue.added.length) await eviction.syncPod(evictionQueue.added.shift()!);
  };
  return { clock, client, nodeInformer, leaseInformer, podInformer, recorder, lifecycle, eviction, storedNode, storedPod, drainEvictions };
}

test('a node whose lease is not renewed turns Unknown, gets the unreachable taints and its pods are evicted', async () => {
  const s = setup([readyNode('n1'), readyNode('n2')], [
    pod('plain', 'n1'),
    pod('tolerates-30s', 'n1', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }]),
    pod('tolerates-forever', 'n1', [{ operator: 'Exists' }]),
    pod('elsewhere', 'n2'),
  ]);
  await s.lifecycle.monitorNodeHealth();
  assert.deepEqual(s.recorder.events.filter((e) => e.includes('RegisteredNode')), ['Normal RegisteredNode Registered Node n1 in Controller', 'Normal RegisteredNode Registered Node n2 in Controller']);

  // n2 keeps renewing its lease; n1 stops. 49 s: still within the grace period.
  s.clock.step(49_000);
  s.leaseInformer.update(lease('n2', s.clock.now()));
  await s.lifecycle.monitorNodeHealth();
  assert.equal(s.storedNode('n1').status?.conditions?.[0]?.status, 'True');

  s.clock.step(2_000);
  s.leaseInformer.update(lease('n2', s.clock.now()));
  await s.lifecycle.monitorNodeHealth();
  const ready = s.storedNode('n1').status!.conditions!.find((c) => c.type === 'Ready')!;
  assert.deepEqual({ status: ready.status, reason: ready.reason, message: ready.message }, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
  assert.equal(ready.lastTransitionTime, metaTime(s.clock.now()));
  assert.equal(ready.lastHeartbeatTime, metaTime(start), 'the heartbeat stays the kubelet’s');
  assert.equal(s.storedNode('n1').status!.conditions!.find((c) => c.type === 'MemoryPressure')!.status, 'Unknown');
  assert.equal(s.storedNode('n2').status?.conditions?.[0]?.status, 'True');
  assert.ok(s.recorder.events.includes('Normal NodeNotReady Node n1 status is now: NodeNotReady'));
  assert.equal(s.storedPod('plain')!.status!.conditions![0]!.status, 'False', 'markPodsNotReady');
  assert.equal(s.storedPod('elsewhere')!.status!.conditions![0]!.status, 'True');
  assert.ok(s.recorder.events.includes('Warning NodeNotReady Node is not ready'));

  // NoSchedule mirror of Ready=Unknown.
  await s.lifecycle.doNoScheduleTaintingPass('n1');
  assert.deepEqual(s.storedNode('n1').spec!.taints, [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }]);

  // Next pass observes Unknown and queues n1 for the NoExecute taint.
  s.clock.step(5_000);
  s.leaseInformer.update(lease('n2', s.clock.now()));
  await s.lifecycle.monitorNodeHealth();
  await s.lifecycle.doNoExecuteTaintingPass();
  const noExecute = s.storedNode('n1').spec!.taints!.find((t) => t.effect === 'NoExecute')!;
  assert.deepEqual(noExecute, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: metaTime(s.clock.now()) });

  // Taint eviction: the untolerating pod goes at once, the 30 s one after 30 s, the other stays.
  for (const p of s.podInformer.lister.list()) await s.eviction.syncPod(`default/${p.metadata!.name}`);
  assert.equal(s.storedPod('plain'), undefined);
  assert.ok(s.client.actions.some((a) => a.verb === 'patch' && a.name === 'plain' && a.subresource === 'status'), 'DisruptionTarget condition before deletion');
  assert.deepEqual([...s.eviction.scheduledEvictions().keys()], ['default/tolerates-30s']);
  s.clock.step(29_000);
  await s.drainEvictions();
  assert.ok(s.storedPod('tolerates-30s'));
  s.clock.step(1_000);
  await s.drainEvictions();
  assert.equal(s.storedPod('tolerates-30s'), undefined);
  assert.ok(s.storedPod('tolerates-forever'));
  assert.ok(s.storedPod('elsewhere'));
  assert.ok(s.recorder.events.includes('Normal TaintManagerEviction Marking for deletion Pod default/tolerates-30s'));
});

test('a node heard from again loses the NoExecute taint and pending evictions are cancelled', async () => {
  const s = setup([readyNode('n1'), readyNode('n2')], [pod('p', 'n1', [{ operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }])]);
  await s.lifecycle.monitorNodeHealth();
  s.clock.step(51_000);
  s.leaseInformer.update(lease('n2', s.clock.now()));
  await s.lifecycle.monitorNodeHealth();
  s.clock.step(5_000);
  s.leaseInformer.update(lease('n2', s.clock.now()));
  await s.lifecycle.monitorNodeHealth();
  await s.lifecycle.doNoExecuteTaintingPass();
  await s.drainEvictions();
  assert.equal(s.eviction.scheduledEvictions().size, 1);

  // The kubelet posts Ready again.
  const back = structuredClone(s.storedNode('n1'));
  back.status!.conditions = readyNode('n1').status!.conditions!.map((c) => ({ ...c, lastHeartbeatTime: metaTime(s.clock.now()) }));
  s.client.seed(nodesResource, back);
  s.nodeInformer.update(back);
  s.clock.step(5_000);
  await s.lifecycle.monitorNodeHealth();
  assert.equal(s.storedNode('n1').spec!.taints!.filter((t) => t.effect === 'NoExecute').length, 0);
  await s.drainEvictions();
  assert.equal(s.eviction.scheduledEvictions().size, 0);
  assert.ok(s.recorder.events.includes('Normal TaintManagerEviction Cancelling deletion of Pod default/p'));
  s.clock.step(600_000);
  await s.drainEvictions();
  assert.ok(s.storedPod('p'));
});

test('NoExecute tainting is rate limited per zone (0.1 nodes/s)', async () => {
  const zone = { 'topology.kubernetes.io/zone': 'a' };
  const names = Array.from({ length: 10 }, (_, i) => `n${i}`);
  const s = setup(names.map((n) => readyNode(n, zone)));
  await s.lifecycle.monitorNodeHealth();
  s.clock.step(51_000);
  // Seven nodes keep their leases; three go silent: 30 % < 55 %, so the zone stays Normal.
  const renewHealthy = () => {
    for (const n of names.slice(3)) s.leaseInformer.update(lease(n, s.clock.now()));
  };
  renewHealthy();
  await s.lifecycle.monitorNodeHealth();
  s.clock.step(5_000);
  renewHealthy();
  await s.lifecycle.monitorNodeHealth();
  assert.equal(s.lifecycle.zoneState(':\x00:a'), 'Normal');
  const tainted = () => names.filter((n) => s.storedNode(n).spec?.taints?.some((t) => t.effect === 'NoExecute')).length;
  await s.lifecycle.doNoExecuteTaintingPass();
  assert.equal(tainted(), 1);
  s.clock.step(5_000);
  await s.lifecycle.doNoExecuteTaintingPass();
  assert.equal(tainted(), 1, 'the next token is 10 s away');
  s.clock.step(5_000);
  await s.lifecycle.doNoExecuteTaintingPass();
  assert.equal(tainted(), 2);
});

test('when every node of every zone is down, nothing is tainted (master disruption mode)', async () => {
  const s = setup([readyNode('n1'), readyNode('n2')]);
  await s.lifecycle.monitorNodeHealth();
  s.clock.step(51_000);
  await s.lifecycle.monitorNodeHealth();
  s.clock.step(5_000);
  await s.lifecycle.monitorNodeHealth();
  assert.equal(s.lifecycle.zoneState(''), 'FullDisruption');
  for (let i = 0; i < 5; i++) {
    s.clock.step(20_000);
    await s.lifecycle.doNoExecuteTaintingPass();
  }
  assert.equal(s.storedNode('n1').spec?.taints?.some((t) => t.effect === 'NoExecute') ?? false, false);
});

test('spec.unschedulable adds and removes the unschedulable taint; foreign taints stay', async () => {
  const node = readyNode('n1');
  node.spec = { unschedulable: true, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] };
  const s = setup([node]);
  await s.lifecycle.doNoScheduleTaintingPass('n1');
  assert.deepEqual(s.storedNode('n1').spec!.taints!.map((t) => t.key), ['dedicated', 'node.kubernetes.io/unschedulable']);
  const uncordoned = structuredClone(s.storedNode('n1'));
  uncordoned.spec!.unschedulable = false;
  s.client.seed(nodesResource, uncordoned);
  s.nodeInformer.update(uncordoned);
  await s.lifecycle.doNoScheduleTaintingPass('n1');
  assert.deepEqual(s.storedNode('n1').spec!.taints!.map((t) => t.key), ['dedicated']);
});

test('a node that never posted status gets NodeStatusNeverUpdated after the startup grace period', async () => {
  const fresh: Node = { metadata: { name: 'new', creationTimestamp: metaTime(start), resourceVersion: '1' }, spec: {}, status: {} };
  const s = setup([fresh]);
  s.leaseInformer.delete(lease('new', start));
  await s.lifecycle.monitorNodeHealth();
  s.clock.step(59_000);
  await s.lifecycle.monitorNodeHealth();
  assert.equal(s.storedNode('new').status?.conditions, undefined);
  s.clock.step(2_000);
  await s.lifecycle.monitorNodeHealth();
  const ready = s.storedNode('new').status!.conditions!.find((c) => c.type === 'Ready')!;
  assert.deepEqual({ status: ready.status, reason: ready.reason, message: ready.message }, { status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' });
});

test('deprecated beta OS/arch labels follow the stable ones', async () => {
  const node = readyNode('n1', { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64', 'beta.kubernetes.io/arch': 'amd64' });
  const s = setup([node]);
  await s.lifecycle.syncNode('n1');
  const labels = s.storedNode('n1').metadata!.labels!;
  assert.equal(labels['beta.kubernetes.io/os'], 'linux');
  assert.equal(labels['beta.kubernetes.io/arch'], 'arm64');
  const writes = s.client.writes().length;
  await s.lifecycle.syncNode('n1');
  assert.equal(s.client.writes().length, writes, 'nothing to do the second time');
});

test('Ready=False from the kubelet: not-ready taints; a later Unknown swaps to unreachable at once', async () => {
  const s = setup([readyNode('n1'), readyNode('n2')]);
  await s.lifecycle.monitorNodeHealth();
  // The kubelet itself reports NotReady (heartbeat moves, so no Unknown from the controller).
  const notReady = structuredClone(s.storedNode('n1'));
  s.clock.step(10_000);
  notReady.status!.conditions![0] = { type: 'Ready', status: 'False', reason: 'KubeletNotReady', lastHeartbeatTime: metaTime(s.clock.now()), lastTransitionTime: metaTime(s.clock.now()) };
  s.client.seed(nodesResource, notReady);
  s.nodeInformer.update(notReady);
  s.leaseInformer.update(lease('n2', s.clock.now()));
  s.leaseInformer.update(lease('n1', s.clock.now()));
  await s.lifecycle.monitorNodeHealth();
  await s.lifecycle.doNoExecuteTaintingPass();
  await s.lifecycle.doNoScheduleTaintingPass('n1');
  const keys = () => s.storedNode('n1').spec!.taints!.map((t) => `${t.key}:${t.effect}`).sort();
  assert.deepEqual(keys(), ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']);
  assert.ok(!s.recorder.events.some((e) => e.includes('NodeNotReady Node n1')), 'no NodeNotReady event: the controller did not change Ready');

  // Then the kubelet goes silent: Unknown after the grace period, and the next pass swaps the NoExecute taint.
  s.clock.step(51_000);
  s.leaseInformer.update(lease('n2', s.clock.now()));
  await s.lifecycle.monitorNodeHealth();
  s.clock.step(5_000);
  s.leaseInformer.update(lease('n2', s.clock.now()));
  await s.lifecycle.monitorNodeHealth();
  assert.ok(keys().includes('node.kubernetes.io/unreachable:NoExecute'));
  assert.ok(!keys().includes('node.kubernetes.io/not-ready:NoExecute'));
});

test('zone metrics and NoExecute taintings are exported (node_collector_*)', async () => {
  const metrics = new PrometheusControllerMetrics({ processMetrics: false });
  const s = setup([readyNode('n1'), readyNode('n2')], [], metrics);
  await s.lifecycle.monitorNodeHealth();
  s.clock.step(51_000);
  s.leaseInformer.update(lease('n2', s.clock.now()));
  await s.lifecycle.monitorNodeHealth();
  s.clock.step(5_000);
  s.leaseInformer.update(lease('n2', s.clock.now()));
  await s.lifecycle.monitorNodeHealth();
  await s.lifecycle.doNoExecuteTaintingPass();
  const { body } = await metrics.exposition();
  for (const line of ['node_collector_zone_size{zone=""} 2', 'node_collector_unhealthy_nodes_in_zone{zone=""} 1', 'node_collector_zone_health{zone=""} 50', 'node_collector_evictions_total{zone=""} 1']) {
    assert.ok(body.split('\n').includes(line), line);
  }
});
