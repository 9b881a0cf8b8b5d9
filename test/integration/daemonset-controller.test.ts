// The DaemonSet controller against an in-process apiserver: three Node objects made by the test, one
// tainted without a toleration → pods on the other two only, pinned by node affinity and carrying the
// daemon tolerations; the test binds pods where their affinity points and the harness kubelet runs them;
// a template change rolls node by node; a new matching node gets a pod, an untainted one too.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type * as appsv1 from '../../src/api/generated/apps/v1.js';
import type * as corev1 from '../../src/api/generated/core/v1.js';
import { realClock } from '../../src/base/clock.js';
import { newLogger } from '../../src/base/logger.js';
import { poll } from '../../src/base/wait.js';
import { SharedInformerFactory } from '../../src/client/cache/informer-factory.js';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';
import { defaultControllerRateLimiter } from '../../src/client/workqueue/rate-limiters.js';
import { newRateLimitingQueue } from '../../src/client/workqueue/rate-limiting-queue.js';
import { controllerRevisionsResource, type ControllerRevision } from '../../src/controller-manager/controller-history.js';
import { resources } from '../../src/controller-manager/controller-context.js';
import { DaemonSetsController, daemonSetsResource, nodesResource, type DaemonSet } from '../../src/controller-manager/controllers/daemonset/daemonset-controller.js';
import { targetNodeName } from '../../src/controller-manager/controllers/daemonset/node-eligibility.js';
import { RealPodControl } from '../../src/controller-manager/pod-control.js';
import { RecordingRecorder } from '../../src/controller-manager/testing/recording-recorder.js';
import { startFakeKubelet } from '../harness/fake-kubelet.js';
import { startInProcessAPIServer } from '../harness/in-process-apiserver.js';

type Pod = corev1.Pod & KubeObject;
type Node = corev1.Node & KubeObject;

const until = (cond: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> => poll({ intervalMs: 20, timeoutMs }, cond);
const nodeNames = ['node-a', 'node-b', 'node-c', 'node-d'];

/** Stands in for the scheduler: binds each unbound daemon pod to the node its affinity names. */
function startBinder(client: Interface, signal: AbortSignal): Promise<void> {
  return (async () => {
    while (!signal.aborted) {
      // A list in flight when the test ends may meet a stopped server: only then is its failure expected.
      const items = await client
        .resource<Pod>(resources.pods, 'default')
        .list()
        .then((l) => l.items)
        .catch((err: unknown) => {
          if (signal.aborted) return [];
          throw err;
        });
      for (const pod of items) {
        const node = targetNodeName(pod);
        if (pod.spec?.nodeName || !node || pod.metadata?.deletionTimestamp) continue;
        await client
          .resource(resources.pods, 'default')
          .createSubresource(pod.metadata!.name!, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata!.name }, target: { apiVersion: 'v1', kind: 'Node', name: node } })
          .catch(() => undefined);
      }
      await realClock.sleep(20, signal).catch(() => undefined);
    }
  })();
}

async function startDaemonSetController(t: TestContext): Promise<{ client: Interface; recorder: RecordingRecorder }> {
  const cluster = await startInProcessAPIServer(t);
  const { client } = cluster;
  await client.resource({ group: '', version: 'v1', resource: 'serviceaccounts' }, 'default').create({ metadata: { name: 'default' } });
  const logger = newLogger({ write: process.env.DS_TEST_LOG ? (s: string) => process.stderr.write(s) : () => {} });
  const factory = new SharedInformerFactory({ client: cluster.newClient(), logger });
  const recorder = new RecordingRecorder();
  const controllerClient = cluster.newClient();
  const controller = new DaemonSetsController({
    client: controllerClient,
    daemonSets: factory.forResource<DaemonSet>(daemonSetsResource),
    pods: factory.forResource<Pod>(resources.pods),
    nodes: factory.forResource<Node>(nodesResource),
    revisions: factory.forResource<ControllerRevision>(controllerRevisionsResource),
    podControl: new RealPodControl(controllerClient, recorder),
    recorder,
    queue: newRateLimitingQueue(defaultControllerRateLimiter<string>(realClock), { name: 'daemonset', clock: realClock }),
    clock: realClock,
    logger,
  });
  const ac = new AbortController();
  factory.start(ac.signal);
  const running = controller.run({ workers: 2, signal: ac.signal });
  const kubelet = startFakeKubelet({ client: cluster.newClient(), nodeNames, schedule: false, registerNodes: false, signal: ac.signal });
  const binder = startBinder(cluster.newClient(), ac.signal);
  t.after(async () => {
    ac.abort();
    await kubelet.stop();
    await binder;
    await running;
    await factory.shutdown();
  });
  return { client, recorder };
}

/**
 * A node with exactly `taints`: the TaintNodesByCondition admission gives new nodes not-ready:NoSchedule,
 * which daemon pods do not tolerate; the node lifecycle controller would lift it once the node is Ready.
 */
async function createNode(client: Interface, name: string, taints: corev1.Taint[] = []): Promise<void> {
  const nodes = client.resource<Node>(nodesResource);
  await nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } } });
  await nodes.patch(name, 'merge', { spec: { taints: taints.length > 0 ? taints : null } });
}

function daemonSet(name: string, spec: Partial<appsv1.DaemonSetSpec> = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'agent', image: 'agent:1' }] } }, ...spec },
  };
}

const livePods = async (client: Interface): Promise<Pod[]> => (await client.resource<Pod>(resources.pods, 'default').list()).items.filter((p) => !p.metadata?.deletionTimestamp);
const placement = async (client: Interface): Promise<string[]> => (await livePods(client)).map((p) => targetNodeName(p) ?? '?').sort();

test('one pod per eligible node; a tainted node without toleration gets none; nodes joining and losing taints', async (t) => {
  const { client, recorder } = await startDaemonSetController(t);
  await createNode(client, 'node-a');
  await createNode(client, 'node-b');
  await createNode(client, 'node-c', [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]);
  await client.resource<DaemonSet>(daemonSetsResource, 'default').create(daemonSet('agent'));
  await until(async () => {
    const s = (await client.resource<DaemonSet>(daemonSetsResource, 'default').get('agent')).status;
    return s?.desiredNumberScheduled === 2 && s.numberReady === 2 && s.numberAvailable === 2;
  });
  assert.deepEqual(await placement(client), ['node-a', 'node-b']);
  const pod = (await livePods(client))[0]!;
  assert.equal(pod.metadata?.generateName, 'agent-');
  assert.ok(pod.metadata?.labels?.['controller-revision-hash']);
  assert.equal(pod.metadata?.labels?.['pod-template-generation'], '1');
  const tolerations = (pod.spec?.tolerations ?? []).map((t) => `${t.key}:${t.effect}`);
  for (const want of ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule', 'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule']) {
    assert.ok(tolerations.includes(want), want);
  }
  assert.equal(tolerations.includes('node.kubernetes.io/network-unavailable:NoSchedule'), false, 'only for hostNetwork pods');
  assert.equal(recorder.events.filter((e) => e.startsWith('Normal SuccessfulCreate Created pod: agent-')).length, 2);

  await createNode(client, 'node-d');
  await until(async () => (await placement(client)).includes('node-d'));
  await client.resource<Node>(nodesResource).patch('node-c', 'merge', { spec: { taints: null } });
  await until(async () => (await placement(client)).length === 4);
  assert.deepEqual(await placement(client), ['node-a', 'node-b', 'node-c', 'node-d']);
  // A NoExecute taint evicts the daemon pod from that node.
  await client.resource<Node>(nodesResource).patch('node-a', 'merge', { spec: { taints: [{ key: 'maintenance', effect: 'NoExecute' }] } });
  await until(async () => !(await placement(client)).includes('node-a'));
  await until(async () => (await client.resource<DaemonSet>(daemonSetsResource, 'default').get('agent')).status?.desiredNumberScheduled === 3);
});

test('RollingUpdate replaces pods node by node with a new controller-revision-hash', async (t) => {
  const { client } = await startDaemonSetController(t);
  for (const n of ['node-a', 'node-b', 'node-c']) await createNode(client, n);
  const dss = client.resource<DaemonSet>(daemonSetsResource, 'default');
  await dss.create(daemonSet('agent', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } }));
  await until(async () => (await dss.get('agent')).status?.numberAvailable === 3);
  const firstHash = (await livePods(client))[0]!.metadata!.labels!['controller-revision-hash'];
  await dss.patch('agent', 'merge', { spec: { template: { spec: { containers: [{ name: 'agent', image: 'agent:2' }] } } } });
  await until(async () => {
    const s = (await dss.get('agent')).status;
    const pods = await livePods(client);
    return s?.updatedNumberScheduled === 3 && s.numberAvailable === 3 && pods.length === 3 && pods.every((p) => p.spec?.containers[0]?.image === 'agent:2');
  });
  const hashes = new Set((await livePods(client)).map((p) => p.metadata!.labels!['controller-revision-hash']));
  assert.equal(hashes.size, 1);
  assert.notEqual([...hashes][0], firstHash);
  const revisions = (await client.resource<ControllerRevision>(controllerRevisionsResource, 'default').list()).items;
  assert.deepEqual(revisions.map((r) => r.revision).sort(), [1, 2]);
  assert.ok(revisions.every((r) => r.metadata?.name?.startsWith('agent-')));
});
