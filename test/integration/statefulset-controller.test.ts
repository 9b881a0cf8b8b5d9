// The StatefulSet controller against an in-process apiserver with the harness kubelet: OrderedReady creates
// pod-1 only after pod-0 is Ready, claims come from volumeClaimTemplates, a template change rolls from the
// highest ordinal down through a new ControllerRevision, scale-down removes the highest ordinal first,
// and Parallel creates every pod at once.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type * as appsv1 from '../../src/api/generated/apps/v1.js';
import { realClock } from '../../src/base/clock.js';
import { newLogger } from '../../src/base/logger.js';
import { poll } from '../../src/base/wait.js';
import { SharedInformerFactory } from '../../src/client/cache/informer-factory.js';
import type { Interface } from '../../src/client/rest/interface.js';
import { defaultControllerRateLimiter } from '../../src/client/workqueue/rate-limiters.js';
import { newRateLimitingQueue } from '../../src/client/workqueue/rate-limiting-queue.js';
import { controllerRevisionsResource, type ControllerRevision } from '../../src/controller-manager/controller-history.js';
import { resources } from '../../src/controller-manager/controller-context.js';
import type { PersistentVolumeClaim, Pod, StatefulSet } from '../../src/controller-manager/controllers/statefulset/stateful-pods.js';
import { persistentVolumeClaimsResource, StatefulSetController, statefulSetsResource } from '../../src/controller-manager/controllers/statefulset/statefulset-controller.js';
import { RecordingRecorder } from '../../src/controller-manager/testing/recording-recorder.js';
import { startFakeKubelet, type FakeKubelet } from '../harness/fake-kubelet.js';
import { startInProcessAPIServer } from '../harness/in-process-apiserver.js';

const until = (cond: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> => poll({ intervalMs: 20, timeoutMs }, cond);

async function startStatefulSetController(t: TestContext, ready: (pod: Pod) => boolean): Promise<{ client: Interface; kubelet: FakeKubelet; recorder: RecordingRecorder }> {
  const cluster = await startInProcessAPIServer(t);
  await cluster.client.resource({ group: '', version: 'v1', resource: 'serviceaccounts' }, 'default').create({ metadata: { name: 'default' } });
  const logger = newLogger({ write: () => {} });
  const factory = new SharedInformerFactory({ client: cluster.newClient(), logger });
  const recorder = new RecordingRecorder();
  const controller = new StatefulSetController({
    client: cluster.newClient(),
    sets: factory.forResource<StatefulSet>(statefulSetsResource),
    pods: factory.forResource<Pod>(resources.pods),
    claims: factory.forResource<PersistentVolumeClaim>(persistentVolumeClaimsResource),
    revisions: factory.forResource<ControllerRevision>(controllerRevisionsResource),
    recorder,
    queue: newRateLimitingQueue(defaultControllerRateLimiter<string>(realClock), { name: 'statefulset', clock: realClock }),
    clock: realClock,
    logger,
  });
  const ac = new AbortController();
  factory.start(ac.signal);
  const running = controller.run({ workers: 2, signal: ac.signal });
  const kubelet = startFakeKubelet({ client: cluster.newClient(), ready: ready as never, signal: ac.signal });
  t.after(async () => {
    ac.abort();
    await kubelet.stop();
    await running;
    await factory.shutdown();
  });
  return { client: cluster.client, kubelet, recorder };
}

function statefulSet(name: string, spec: Partial<appsv1.StatefulSetSpec>): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default' },
    spec: {
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } },
      ...spec,
    },
  };
}

const pods = (client: Interface) => client.resource<Pod>(resources.pods, 'default');
const sets = (client: Interface) => client.resource<StatefulSet>(statefulSetsResource, 'default');
const names = async (client: Interface, app: string) => (await pods(client).list({ labelSelector: `app=${app}` })).items.filter((p) => !p.metadata?.deletionTimestamp).map((p) => p.metadata!.name!).sort();

test('OrderedReady: pod-1 only after pod-0 is Ready; claims, labels, identity; scale down from the top', async (t) => {
  let readyNames = new Set<string>();
  const { client, kubelet, recorder } = await startStatefulSetController(t, (p) => readyNames.has(p.metadata?.name ?? ''));
  const volumeClaimTemplates = [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }];
  await sets(client).create(statefulSet('web', { replicas: 3, volumeClaimTemplates }));
  await until(async () => (await names(client, 'web')).length === 1);
  // web-0 runs but is not Ready: nothing else may appear.
  await until(async () => (await pods(client).get('web-0')).status?.phase === 'Running');
  await until(async () => (await sets(client).get('web')).status?.replicas === 1);
  assert.deepEqual(await names(client, 'web'), ['web-0']);

  readyNames = new Set(['web-0']);
  await kubelet.setReady((p) => readyNames.has(p.metadata?.name ?? ''));
  await until(async () => (await names(client, 'web')).includes('web-1'));
  assert.deepEqual(await names(client, 'web'), ['web-0', 'web-1'], 'web-2 waits for web-1');
  readyNames = new Set(['web-0', 'web-1', 'web-2']);
  await kubelet.setReady((p) => readyNames.has(p.metadata?.name ?? ''));
  await until(async () => (await sets(client).get('web')).status?.readyReplicas === 3);

  const pod1 = await pods(client).get('web-1');
  assert.equal(pod1.metadata?.labels?.['statefulset.kubernetes.io/pod-name'], 'web-1');
  assert.equal(pod1.metadata?.labels?.['apps.kubernetes.io/pod-index'], '1');
  assert.equal(pod1.spec?.hostname, 'web-1');
  assert.equal(pod1.spec?.subdomain, 'web');
  assert.deepEqual(pod1.spec?.volumes?.find((v) => v.name === 'data')?.persistentVolumeClaim, { claimName: 'data-web-1' });
  const claims = (await client.resource<PersistentVolumeClaim>(persistentVolumeClaimsResource, 'default').list()).items.map((c) => c.metadata!.name!).sort();
  assert.deepEqual(claims, ['data-web-0', 'data-web-1', 'data-web-2']);
  const status = (await sets(client).get('web')).status!;
  assert.equal(status.currentRevision, status.updateRevision);
  assert.equal(pod1.metadata?.labels?.['controller-revision-hash'], status.updateRevision);
  assert.match(status.updateRevision ?? '', /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.ok(recorder.events.includes('Normal SuccessfulCreate create Pod web-0 in StatefulSet web successful'));
  assert.ok(recorder.events.includes('Normal SuccessfulCreate create Claim data-web-0 Pod web-0 in StatefulSet web success'));

  await sets(client).patch('web', 'merge', { spec: { replicas: 1 } });
  await until(async () => (await names(client, 'web')).length === 1);
  assert.deepEqual(await names(client, 'web'), ['web-0']);
  const deletions = recorder.events.filter((e) => e.startsWith('Normal SuccessfulDelete'));
  assert.deepEqual(deletions, ['Normal SuccessfulDelete delete Pod web-2 in StatefulSet web successful', 'Normal SuccessfulDelete delete Pod web-1 in StatefulSet web successful']);
});

test('RollingUpdate replaces pods from the highest ordinal, honouring the partition', async (t) => {
  const { client } = await startStatefulSetController(t, () => true);
  await sets(client).create(statefulSet('db', { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }));
  await until(async () => (await sets(client).get('db')).status?.readyReplicas === 3);
  const first = (await sets(client).get('db')).status!.currentRevision!;
  await sets(client).patch('db', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } });
  await until(async () => {
    const s = (await sets(client).get('db')).status!;
    return s.updatedReplicas === 2 && s.readyReplicas === 3 && s.updateRevision !== first;
  });
  const image = async (name: string) => (await pods(client).get(name)).spec?.containers[0]?.image;
  assert.equal(await image('db-2'), 'nginx:2');
  assert.equal(await image('db-1'), 'nginx:2');
  assert.equal(await image('db-0'), 'nginx:1', 'below the partition: untouched');
  const s = (await sets(client).get('db')).status!;
  assert.equal(s.currentRevision, first, 'not every pod updated: the current revision stays');
  const revisions = (await client.resource<ControllerRevision>(controllerRevisionsResource, 'default').list()).items;
  assert.deepEqual(revisions.map((r) => r.revision).sort(), [1, 2]);
  assert.ok(revisions.every((r) => r.metadata?.ownerReferences?.[0]?.kind === 'StatefulSet'));

  await sets(client).patch('db', 'merge', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } });
  await until(async () => {
    const st = (await sets(client).get('db')).status!;
    return st.currentRevision === st.updateRevision && st.updatedReplicas === 3 && st.readyReplicas === 3;
  });
  assert.equal(await image('db-0'), 'nginx:2');
});

test('Parallel creates all pods without waiting, starting at ordinals.start', async (t) => {
  const { client } = await startStatefulSetController(t, () => false);
  await sets(client).create(statefulSet('par', { replicas: 3, podManagementPolicy: 'Parallel', ordinals: { start: 5 } }));
  await until(async () => (await names(client, 'par')).length === 3);
  assert.deepEqual(await names(client, 'par'), ['par-5', 'par-6', 'par-7']);
});
