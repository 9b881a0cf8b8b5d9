// The horizontal pod autoscaler against an in-process apiserver: PodMetrics are served by a CRD standing in for
// metrics-server (same URL and JSON), and the HPA scales a Deployment through its /scale subresource.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';
import type { HorizontalPodAutoscaler } from '../../src/controller-manager/controllers/podautoscaler/horizontal-controller.js';
import { eventually, startControllers } from '../harness/in-process-controller-manager.js';

const pods = { group: '', version: 'v1', resource: 'pods' };
const deployments = { group: 'apps', version: 'v1', resource: 'deployments' };
const hpas = { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers' };
const podMetrics = { group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods' };

/**
 * Stands in for metrics-server: a namespaced CRD metrics.k8s.io/v1beta1 PodMetrics with plural `pods`, so
 * /apis/metrics.k8s.io/v1beta1/namespaces/<ns>/pods?labelSelector= answers exactly as metrics-server would.
 */
async function servePodMetricsAPI(client: Interface): Promise<void> {
  await client.resource({ group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' }).create({
    metadata: { name: 'pods.metrics.k8s.io' },
    spec: {
      group: 'metrics.k8s.io',
      scope: 'Namespaced',
      names: { plural: 'pods', singular: 'podmetrics', kind: 'PodMetrics', listKind: 'PodMetricsList' },
      versions: [{ name: 'v1beta1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  } as KubeObject);
  await eventually(async () => {
    try {
      await client.resource(podMetrics, 'default').list();
      return true;
    } catch {
      return false;
    }
  });
}

async function setPodMetrics(client: Interface, name: string, cpu: string): Promise<void> {
  const obj = {
    apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetrics',
    metadata: { name, labels: { app: 'web' } },
    timestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), window: '30s',
    containers: [{ name: 'app', usage: { cpu, memory: '10Mi' } }],
  } as KubeObject;
  try {
    await client.resource(podMetrics, 'default').delete(name);
  } catch { /* not there yet */ }
  await client.resource(podMetrics, 'default').create(obj);
}

async function createRunningPod(client: Interface, name: string): Promise<void> {
  const p = await client.resource(pods, 'default').create({
    metadata: { name, labels: { app: 'web' } },
    spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '100m' } } }] },
  } as KubeObject);
  const longAgo = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  (p as { status?: unknown }).status = { phase: 'Running', startTime: longAgo, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: longAgo }] };
  await client.resource(pods, 'default').update(p, { subresource: 'status' });
}

test('HPA: scales a Deployment up from cpu utilization, reports missing metrics, clamps to minReplicas', async (t) => {
  const { client, recorder } = await startControllers(t, {
    controllers: ['horizontalpodautoscaling'],
    configure: (o) => {
      o.horizontalPodAutoscalerSyncPeriodMs = 100;
      o.horizontalPodAutoscalerDownscaleStabilizationWindowMs = 0;
    },
  });
  await client.resource({ group: '', version: 'v1', resource: 'serviceaccounts' }, 'default').create({ metadata: { name: 'default' } });
  await servePodMetricsAPI(client);
  await client.resource(deployments, 'default').create({
    metadata: { name: 'web' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '100m' } } }] } },
    },
  } as KubeObject);
  await createRunningPod(client, 'web-1');
  await setPodMetrics(client, 'web-1', '150m');
  // What `kubectl autoscale deployment web --min=1 --max=5 --cpu-percent=50` creates.
  await client.resource(hpas, 'default').create({
    metadata: { name: 'web' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    },
  } as KubeObject);
  const replicas = async () => ((await client.resource(deployments, 'default').get('web')).spec as { replicas: number }).replicas;
  const hpa = () => client.resource<HorizontalPodAutoscaler>(hpas, 'default').get('web');
  const condition = (h: HorizontalPodAutoscaler, type: string) => {
    const c = h.status?.conditions?.find((x) => x.type === type);
    return c && [c.status, c.reason, c.message];
  };

  // 150m of 100m requested is 150%: three times the 50% target → 3 replicas.
  await eventually(async () => (await replicas()) === 3);
  await eventually(async () => (await hpa()).status?.currentReplicas === 3);
  const scaled = await hpa();
  assert.equal(scaled.status?.desiredReplicas, 3);
  assert.ok(scaled.status?.lastScaleTime);
  assert.ok(recorder.events.includes('Normal SuccessfulRescale New size: 3; reason: cpu resource utilization (percentage of request) above target'), recorder.events.join('\n'));
  assert.deepEqual(condition(scaled, 'ScalingActive'), ['True', 'ValidMetricFound', 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)']);
  assert.deepEqual(scaled.status?.currentMetrics, [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 150, averageValue: '150m' } } }]);

  // The metrics disappear: the HPA cannot compute a count and says why.
  await client.resource(podMetrics, 'default').delete('web-1');
  await eventually(async () => condition(await hpa(), 'ScalingActive')?.[1] === 'FailedGetResourceMetric');
  assert.deepEqual(condition(await hpa(), 'ScalingActive'), ['False', 'FailedGetResourceMetric',
    'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API']);
  assert.ok(recorder.events.includes('Warning FailedComputeMetricsReplicas invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API'), recorder.events.join('\n'));

  // Low usage proposes 1 replica, but minReplicas is 2.
  const current = await hpa();
  current.spec.minReplicas = 2;
  await client.resource<HorizontalPodAutoscaler>(hpas, 'default').update(current);
  await setPodMetrics(client, 'web-1', '10m');
  await eventually(async () => (await replicas()) === 2);
  await eventually(async () => condition(await hpa(), 'ScalingLimited')?.[1] === 'TooFewReplicas');
  assert.deepEqual(condition(await hpa(), 'ScalingLimited'), ['True', 'TooFewReplicas', 'the desired replica count is less than the minimum replica count']);
});
