// The node lifecycle and taint eviction controllers against an in-process apiserver, on a fake clock: a
// node whose Lease stops being renewed turns Ready=Unknown, gets the unreachable taints, its pods are
// marked NotReady and evicted per their tolerations (DefaultTolerationSeconds admission's 300 s included).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../src/api/generated/core/v1.js';
import { isNotFound } from '../../src/apimachinery/errors.js';
import { FakeClock } from '../../src/base/clock.js';
import { newLogger } from '../../src/base/logger.js';
import { SharedInformerFactory } from '../../src/client/cache/informer-factory.js';
import type { Interface } from '../../src/client/rest/interface.js';
import { newRateLimitingQueue } from '../../src/client/workqueue/rate-limiting-queue.js';
import { defaultControllerRateLimiter } from '../../src/client/workqueue/rate-limiters.js';
import { metaTime } from '../../src/controller-manager/conditions.js';
import {
  leasesResource,
  NodeLifecycleController,
  nodesResource,
  podsResource,
  type Lease,
  type Node,
  type Pod,
} from '../../src/controller-manager/controllers/nodelifecycle/node-lifecycle-controller.js';
import { TaintEvictionController } from '../../src/controller-manager/controllers/nodelifecycle/taint-eviction-controller.js';
import { RecordingRecorder } from '../../src/controller-manager/testing/recording-recorder.js';
import { eventually } from '../harness/in-process-controller-manager.js';
import { startInProcessAPIServer } from '../harness/in-process-apiserver.js';

const serviceAccounts = { group: '', version: 'v1', resource: 'serviceaccounts' };

async function createReadyNode(client: Interface, name: string, now: number): Promise<void> {
  const node = await client.resource<Node>(nodesResource).create({ metadata: { name }, spec: {} });
  node.status = { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: metaTime(now), lastTransitionTime: metaTime(now) }] };
  await client.resource<Node>(nodesResource).update(node, { subresource: 'status' });
}

async function renewLease(client: Interface, name: string, now: number): Promise<void> {
  const leases = client.resource<Lease>(leasesResource, 'kube-node-lease');
  const renewTime = new Date(now).toISOString().replace('Z', '000Z');
  try {
    const l = await leases.get(name);
    await leases.update({ ...l, spec: { ...l.spec, renewTime } });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await leases.create({ metadata: { name }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime } });
  }
}

async function gone(client: Interface, name: string): Promise<boolean> {
  try {
    const p = await client.resource<Pod>(podsResource, 'default').get(name);
    return p.metadata?.deletionTimestamp !== undefined;
  } catch (err) {
    if (isNotFound(err)) return true;
    throw err;
  }
}

test('an unrenewed lease makes the node Unknown, tainted, and its pods evicted after tolerationSeconds', async (t) => {
  const { client } = await startInProcessAPIServer(t);
  const clock = new FakeClock(Date.now());
  await client.resource(serviceAccounts, 'default').create({ metadata: { name: 'default' } });
  for (const n of ['n1', 'n2']) {
    await createReadyNode(client, n, clock.now());
    await renewLease(client, n, clock.now());
  }
  const unreachable = (seconds: number): corev1.Toleration => ({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
  const pods: Array<[string, string, corev1.Toleration[] | undefined]> = [
    ['zero', 'n1', [unreachable(0)]],
    ['fast', 'n1', [unreachable(30)]],
    ['defaulted', 'n1', undefined],
    ['other-node', 'n2', undefined],
  ];
  for (const [name, nodeName, tolerations] of pods) {
    const p = await client.resource<Pod>(podsResource, 'default').create({ metadata: { name }, spec: { nodeName, tolerations, containers: [{ name: 'c', image: 'nginx' }] } });
    p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
    await client.resource<Pod>(podsResource, 'default').update(p, { subresource: 'status' });
  }
  const defaulted = await client.resource<Pod>(podsResource, 'default').get('defaulted');
  assert.ok(defaulted.spec?.tolerations?.some((x) => x.key === 'node.kubernetes.io/unreachable' && x.tolerationSeconds === 300), 'DefaultTolerationSeconds admission');

  const logger = newLogger({ write: process.env.K8TS_TEST_LOG ? (s: string) => process.stderr.write(s) : () => {} });
  const informers = new SharedInformerFactory({ client, logger });
  const recorder = new RecordingRecorder();
  const newQueue = () => newRateLimitingQueue(defaultControllerRateLimiter<string>(clock), { clock });
  const nodes = informers.forResource<Node>(nodesResource);
  const podInformer = informers.forResource<Pod>(podsResource);
  const leases = informers.forResource<Lease>(leasesResource, { namespace: 'kube-node-lease' });
  const lifecycle = new NodeLifecycleController({
    client,
    nodes,
    leases,
    pods: podInformer,
    recorder,
    queue: newQueue(),
    options: { nodeMonitorPeriodMs: 5_000, nodeMonitorGracePeriodMs: 50_000, nodeStartupGracePeriodMs: 60_000, evictionRate: 0.1, secondaryEvictionRate: 0.01, largeClusterSizeThreshold: 50, unhealthyZoneThreshold: 0.55 },
    clock,
    logger,
  });
  const eviction = new TaintEvictionController({ client, nodes, pods: podInformer, recorder, queue: newQueue(), clock, logger });
  const stop = new AbortController();
  informers.start(stop.signal);
  await eventually(() => nodes.informer.hasSynced() && podInformer.informer.hasSynced() && leases.informer.hasSynced());
  const running = Promise.all([lifecycle.run({ workers: 1, signal: stop.signal }), eviction.run({ workers: 1, signal: stop.signal })]);
  t.after(async () => {
    stop.abort();
    await running;
    await informers.shutdown();
  });

  const node = (name: string) => client.resource<Node>(nodesResource).get(name);
  const ready = async (name: string) => (await node(name)).status?.conditions?.find((c) => c.type === 'Ready');
  await eventually(() => recorder.events.includes('Normal RegisteredNode Registered Node n1 in Controller'));

  /** Moves the fake clock while n2's kubelet keeps renewing its lease (the cache must see it first). */
  const advance = async (ms: number) => {
    const target = clock.now() + ms;
    await renewLease(client, 'n2', target);
    await eventually(() => Date.parse(leases.lister.namespace('kube-node-lease').get('n2')?.spec?.renewTime ?? '') >= Math.floor(target / 1000) * 1000);
    clock.setTime(target);
  };

  await advance(51_000);
  await eventually(async () => (await ready('n1'))?.status === 'Unknown');
  const cond = (await ready('n1'))!;
  assert.equal(cond.reason, 'NodeStatusUnknown');
  assert.equal(cond.message, 'Kubelet stopped posting node status.');
  assert.equal((await ready('n2'))?.status, 'True');
  await eventually(async () => (await node('n1')).spec?.taints?.some((x) => x.key === 'node.kubernetes.io/unreachable' && x.effect === 'NoSchedule') ?? false);
  await eventually(async () => (await client.resource<Pod>(podsResource, 'default').get('fast')).status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False');

  // The next health pass queues n1; the tainting pass 100 ms later puts the NoExecute taint on.
  await advance(5_000);
  for (let i = 0; i < 50 && !(await node('n1')).spec?.taints?.some((x) => x.effect === 'NoExecute'); i++) {
    await advance(100);
    await new Promise((r) => setTimeout(r, 20));
  }
  const taint = (await node('n1')).spec!.taints!.find((x) => x.effect === 'NoExecute');
  assert.equal(taint?.key, 'node.kubernetes.io/unreachable');
  assert.ok(taint?.timeAdded);

  await eventually(() => gone(client, 'zero'));
  await eventually(() => eviction.scheduledEvictions().has('default/fast') && eviction.scheduledEvictions().has('default/defaulted'));
  assert.equal(await gone(client, 'fast'), false);
  await advance(30_000);
  await eventually(() => gone(client, 'fast'));
  assert.equal(await gone(client, 'defaulted'), false);
  await advance(270_000);
  await eventually(() => gone(client, 'defaulted'));
  assert.equal(await gone(client, 'other-node'), false);
  const deletedFast = recorder.events.filter((e) => e.startsWith('Normal TaintManagerEviction Marking for deletion Pod default/'));
  assert.deepEqual(deletedFast.sort(), ['default/defaulted', 'default/fast', 'default/zero'].map((k) => `Normal TaintManagerEviction Marking for deletion Pod ${k}`));
});
