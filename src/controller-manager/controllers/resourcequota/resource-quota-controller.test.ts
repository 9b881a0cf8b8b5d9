// Quota usage against fakes: per-object usage (counts, compute, services, claims), scopes, and the status
// the controller writes (hard copied, used for every hard key, zero when nothing counts), and usage charged at
// admission lowered again after deletions (a watched kind at once, others at the periodic resync).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { FakeClock } from '../../../base/clock.js';
import { newLogger } from '../../../base/logger.js';
import type { KubeObject } from '../../../client/rest/interface.js';
import type { InformerHandle } from '../../controller-context.js';
import { FakeClient } from '../../testing/fake-client.js';
import { FakeInformer } from '../../testing/fake-informer.js';
import { RecordingQueue } from '../../testing/recording-queue.js';
import { objectUsage, quotaSelects, resourceForQuotaKey } from './evaluators.js';
import { ResourceQuotaController, resourceQuotasResource, type ResourceQuota } from './resource-quota-controller.js';

const pods = { group: '', resource: 'pods' };

function pod(name: string, requests: Record<string, string>, limits: Record<string, string> = {}, extra: Partial<corev1.PodSpec> = {}, phase = 'Running'): KubeObject {
  return { metadata: { name, namespace: 'team' }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests, limits } }], ...extra }, status: { phase } } as KubeObject;
}

const plain = (u: Map<string, { toString(): string }>) => Object.fromEntries([...u].map(([k, v]) => [k, v.toString()]));

test('objectUsage follows upstream evaluators', () => {
  assert.deepEqual(plain(objectUsage(pods, pod('a', { cpu: '250m', memory: '64Mi' }, { cpu: '1' }))), {
    'count/pods': '1',
    pods: '1',
    'requests.cpu': '250m',
    cpu: '250m',
    'requests.memory': '64Mi',
    memory: '64Mi',
    'limits.cpu': '1',
  });
  assert.deepEqual(plain(objectUsage(pods, pod('done', { cpu: '1' }, {}, {}, 'Succeeded'))), {}, 'terminal pods use nothing');
  const initHeavy = pod('i', { cpu: '100m' }, {}, { initContainers: [{ name: 'init', image: 'x', resources: { requests: { cpu: '500m' } } }] });
  assert.equal(objectUsage(pods, initHeavy).get('requests.cpu')!.toString(), '500m');
  const lb = { metadata: { name: 's' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }, { port: 443 }] } } as KubeObject;
  assert.deepEqual(plain(objectUsage({ group: '', resource: 'services' }, lb)), { 'count/services': '1', services: '1', 'services.loadbalancers': '1', 'services.nodeports': '2' });
  const pvc = { metadata: { name: 'c' }, spec: { storageClassName: 'fast', resources: { requests: { storage: '10Gi' } } } } as KubeObject;
  assert.equal(objectUsage({ group: '', resource: 'persistentvolumeclaims' }, pvc).get('fast.storageclass.storage.k8s.io/requests.storage')!.toString(), '10Gi');
  assert.deepEqual(plain(objectUsage({ group: 'apps', resource: 'deployments' }, { metadata: { name: 'd' } })), { 'count/deployments.apps': '1' });
  assert.deepEqual(resourceForQuotaKey('count/deployments.apps'), { group: 'apps', resource: 'deployments' });
  assert.deepEqual(resourceForQuotaKey('limits.memory'), pods);
  assert.equal(resourceForQuotaKey('bogus'), undefined);
});

test('scopes select pods only', () => {
  const quota = (scopes: string[]): corev1.ResourceQuota => ({ spec: { scopes } });
  const be = pod('be', {});
  const burst = pod('b', { cpu: '1' }, {}, { activeDeadlineSeconds: 60, priorityClassName: 'high' });
  assert.equal(quotaSelects(quota(['BestEffort']), 'pods', be), true);
  assert.equal(quotaSelects(quota(['BestEffort']), 'pods', burst), false);
  assert.equal(quotaSelects(quota(['NotBestEffort', 'Terminating']), 'pods', burst), true);
  assert.equal(quotaSelects(quota(['NotTerminating']), 'pods', burst), false);
  assert.equal(quotaSelects({ spec: { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } } }, 'pods', burst), true);
  assert.equal(quotaSelects(quota(['BestEffort']), 'services', { metadata: {} }), false);
  assert.equal(quotaSelects(quota([]), 'services', { metadata: {} }), true);
});

test('the controller writes hard and used for every hard resource', async () => {
  const quota: ResourceQuota = {
    metadata: { name: 'q', namespace: 'team', resourceVersion: '1' },
    spec: { hard: { pods: '10', 'requests.cpu': '2', 'limits.memory': '1Gi', 'count/configmaps': '5', services: '3' } },
  };
  const client = new FakeClient();
  client.seed(resourceQuotasResource, quota);
  client.seed({ group: '', version: 'v1', resource: 'configmaps' }, { metadata: { name: 'cm', namespace: 'team' } });
  const podInformer = new FakeInformer<KubeObject>([pod('a', { cpu: '500m' }, { memory: '128Mi' }), pod('b', { cpu: '1' }), pod('old', { cpu: '4' }, {}, {}, 'Failed')]);
  const services = new FakeInformer<KubeObject>([]);
  const controller = new ResourceQuotaController({
    client,
    monitorDeletions: false,
    quotas: new FakeInformer<ResourceQuota>([quota]),
    watched: new Map<string, InformerHandle>([['pods', podInformer], ['services', services]]),
    queue: new RecordingQueue(),
    resyncPeriodMs: 300_000,
    clock: new FakeClock(),
    logger: newLogger({ write: () => {} }),
  });
  await controller.syncResourceQuota('team/q');
  const stored = client.objects.get(client.key(resourceQuotasResource, 'team', 'q')) as ResourceQuota;
  assert.deepEqual(stored.status, {
    hard: quota.spec!.hard,
    used: { 'count/configmaps': '1', 'limits.memory': '128Mi', pods: '2', 'requests.cpu': '1500m', services: '0' },
  });
});

test('usage charged at admission goes down again when the controller recomputes after deletions', async () => {
  // As the ResourceQuota admission plugin left it: two pods and two config maps charged, one of each since deleted.
  const quota: ResourceQuota = {
    metadata: { name: 'q', namespace: 'team', resourceVersion: '7' },
    spec: { hard: { pods: '2', 'count/configmaps': '2' } },
    status: { hard: { pods: '2', 'count/configmaps': '2' }, used: { pods: '2', 'count/configmaps': '2' } },
  };
  const client = new FakeClient();
  client.seed(resourceQuotasResource, quota);
  client.seed({ group: '', version: 'v1', resource: 'configmaps' }, { metadata: { name: 'kept', namespace: 'team' } });
  const gone = pod('gone', {});
  const podInformer = new FakeInformer<KubeObject>([pod('kept', {}), gone]);
  const queue = new RecordingQueue();
  const clock = new FakeClock();
  const controller = new ResourceQuotaController({
    client,
    monitorDeletions: false,
    quotas: new FakeInformer<ResourceQuota>([quota]),
    watched: new Map<string, InformerHandle>([['pods', podInformer]]),
    queue,
    resyncPeriodMs: 300_000,
    clock,
    logger: newLogger({ write: () => {} }),
  });
  // A watched kind's deletion queues the namespace's quotas at once; without deletion monitors (an apiserver
  // with discovery: see the integration test), other kinds wait for the periodic resync.
  const queued = () => queue.added.slice(before);
  const before = queue.added.length;
  podInformer.delete(gone);
  assert.deepEqual(queued(), ['team/q']);
  const ac = new AbortController();
  const running = controller.run({ workers: 1, signal: ac.signal });
  for (let i = 0; clock.pendingTimers() === 0; i++) {
    assert.ok(i < 1000, 'the resync timer was never armed');
    await new Promise((r) => setImmediate(r));
  }
  clock.step(300_000);
  for (let i = 0; queued().length < 2 && i < 1000; i++) await new Promise((r) => setImmediate(r));
  assert.deepEqual(queued(), ['team/q', 'team/q']);
  ac.abort();
  await running;

  await controller.syncResourceQuota('team/q');
  const stored = client.objects.get(client.key(resourceQuotasResource, 'team', 'q')) as ResourceQuota;
  assert.deepEqual(stored.status?.used, { 'count/configmaps': '1', pods: '1' });
});
