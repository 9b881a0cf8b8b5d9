// The HPA controller's reconcile against a real in-process apiserver (discovery, /scale, HPA status) with the
// metrics client and informers replaced by in-memory fakes: scale up, failing metrics, clamping to minReplicas.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../src/base/clock.js';
import { newLogger } from '../../src/base/logger.js';
import type { KubeObject } from '../../src/client/rest/interface.js';
import { HorizontalController, hpaResource, type HorizontalControllerDeps, type HorizontalPodAutoscaler } from '../../src/controller-manager/controllers/podautoscaler/horizontal-controller.js';
import type { MetricsClient, PodMetricsInfo } from '../../src/controller-manager/controllers/podautoscaler/metrics-client.js';
import { defaultReplicaCalculatorOptions } from '../../src/controller-manager/controllers/podautoscaler/replica-calculator.js';
import { FakeInformer } from '../../src/controller-manager/testing/fake-informer.js';
import { RecordingQueue } from '../../src/controller-manager/testing/recording-queue.js';
import { RecordingRecorder } from '../../src/controller-manager/testing/recording-recorder.js';
import { startInProcessAPIServer } from '../harness/in-process-apiserver.js';

const deployments = { group: 'apps', version: 'v1', resource: 'deployments' };

/** Answers with whatever the test set; `undefined` fails like an empty metrics API. */
class SettableMetrics implements MetricsClient {
  cpuMilli: number | undefined;
  constructor(private readonly clock: FakeClock) {}
  async getResourceMetric(): Promise<PodMetricsInfo> {
    if (this.cpuMilli === undefined) throw new Error('no metrics returned from resource metrics API');
    const at = this.clock.now() - 5_000;
    return { metrics: new Map([['web-1', { value: this.cpuMilli, timestamp: at, windowMs: 30_000 }]]), timestamp: at };
  }
}

test('HPA reconcile: scale up from utilization, FailedGetResourceMetric, TooFewReplicas', async (t) => {
  const { client } = await startInProcessAPIServer(t);
  const clock = new FakeClock(Date.now());
  const longAgo = new Date(clock.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  await client.resource(deployments, 'default').create({
    metadata: { name: 'web' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
  } as KubeObject);
  const hpa = await client.resource<HorizontalPodAutoscaler>(hpaResource, 'default').create({
    metadata: { name: 'web', namespace: 'default' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
  });
  const pod = {
    metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '100m' } } }] },
    status: { phase: 'Running', startTime: longAgo, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: longAgo }] },
  } as KubeObject;
  const hpas = new FakeInformer<HorizontalPodAutoscaler>([hpa]);
  const metrics = new SettableMetrics(clock);
  const recorder = new RecordingRecorder();
  const controller = new HorizontalController({
    client, hpas, pods: new FakeInformer([pod]) as unknown as HorizontalControllerDeps['pods'], metrics, recorder, queue: new RecordingQueue(), clock,
    logger: newLogger({ write: () => {} }), syncPeriodMs: 15_000, downscaleStabilizationWindowMs: 0, calculator: defaultReplicaCalculatorOptions,
  });
  const sync = async () => {
    const fresh = await client.resource<HorizontalPodAutoscaler>(hpaResource, 'default').get('web');
    hpas.update(fresh);
    return controller.sync('default/web');
  };
  const replicas = async () => ((await client.resource(deployments, 'default').get('web')).spec as { replicas: number }).replicas;
  const conditions = async () => (await client.resource<HorizontalPodAutoscaler>(hpaResource, 'default').get('web')).status?.conditions?.map((c) => [c.type, c.status, c.reason]);

  metrics.cpuMilli = 150;
  assert.deepEqual(await sync(), { requeueAfterMs: 15_000 });
  assert.equal(await replicas(), 3);
  assert.deepEqual(await conditions(), [['AbleToScale', 'True', 'SucceededRescale'], ['ScalingActive', 'True', 'ValidMetricFound'], ['ScalingLimited', 'False', 'DesiredWithinRange']]);
  assert.deepEqual(recorder.events, ['Normal SuccessfulRescale New size: 3; reason: cpu resource utilization (percentage of request) above target']);

  metrics.cpuMilli = undefined;
  recorder.events.length = 0;
  clock.step(15_000);
  await sync();
  assert.equal(await replicas(), 3);
  assert.deepEqual(await conditions(), [['AbleToScale', 'True', 'SucceededGetScale'], ['ScalingActive', 'False', 'FailedGetResourceMetric'], ['ScalingLimited', 'False', 'DesiredWithinRange']]);
  assert.deepEqual(recorder.events, [
    'Warning FailedGetResourceMetric failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    'Warning FailedComputeMetricsReplicas invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
  ]);

  const current = await client.resource<HorizontalPodAutoscaler>(hpaResource, 'default').get('web');
  current.spec.minReplicas = 2;
  await client.resource<HorizontalPodAutoscaler>(hpaResource, 'default').update(current);
  metrics.cpuMilli = 10;
  clock.step(15_000);
  await sync();
  assert.equal(await replicas(), 2);
  assert.deepEqual(await conditions(), [['AbleToScale', 'True', 'SucceededRescale'], ['ScalingActive', 'True', 'ValidMetricFound'], ['ScalingLimited', 'True', 'TooFewReplicas']]);
  const status = (await client.resource<HorizontalPodAutoscaler>(hpaResource, 'default').get('web')).status!;
  assert.deepEqual([status.currentReplicas, status.desiredReplicas, status.currentMetrics], [3, 2, [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 10, averageValue: '10m' } } }]]);
});

test('HPA reconcile: an External metric scales up; a second HPA over the same pods makes both AmbiguousSelector', async (t) => {
  const { client } = await startInProcessAPIServer(t);
  const clock = new FakeClock(Date.now());
  const longAgo = new Date(clock.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const worker = await client.resource(deployments, 'default').create({
    metadata: { name: 'worker' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'worker' } }, template: { metadata: { labels: { app: 'worker' } }, spec: { containers: [{ name: 'app', image: 'busybox' }] } } },
  } as KubeObject);
  // No deployment controller runs here: the status the scale subresource reports (status.replicas) is set by hand.
  await client.resource(deployments, 'default').updateStatus({ ...worker, status: { replicas: 2 } } as KubeObject);
  const hpaSpec = (name: string): HorizontalPodAutoscaler => ({
    metadata: { name, namespace: 'default' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker' }, minReplicas: 1, maxReplicas: 10,
      metrics: [{ type: 'External', external: { metric: { name: 'queue_depth', selector: { matchLabels: { queue: 'jobs' } } }, target: { type: 'AverageValue', averageValue: '5' } } }],
    },
  } as HorizontalPodAutoscaler);
  const first = await client.resource<HorizontalPodAutoscaler>(hpaResource, 'default').create(hpaSpec('queue'));
  const pods = ['worker-1', 'worker-2'].map((name) => ({
    metadata: { name, namespace: 'default', labels: { app: 'worker' } },
    spec: { containers: [{ name: 'app', image: 'busybox' }] },
    status: { phase: 'Running', startTime: longAgo, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: longAgo }] },
  }) as KubeObject);
  const queueDepth = { value: 30_000 };
  const asked: string[] = [];
  const hpas = new FakeInformer<HorizontalPodAutoscaler>([first]);
  const recorder = new RecordingRecorder();
  const controller = new HorizontalController({
    client, hpas, pods: new FakeInformer(pods) as unknown as HorizontalControllerDeps['pods'], recorder, queue: new RecordingQueue(), clock,
    metrics: { getResourceMetric: async () => { throw new Error('not used'); } },
    customMetrics: {
      getRawMetric: async () => { throw new Error('not used'); },
      getObjectMetric: async () => { throw new Error('not used'); },
      getExternalMetric: async (a) => (asked.push(`${a.namespace}/${a.metric} ${a.metricSelector}`), { values: [queueDepth.value], timestamp: clock.now() }),
    },
    logger: newLogger({ write: () => {} }), syncPeriodMs: 15_000, downscaleStabilizationWindowMs: 0, calculator: defaultReplicaCalculatorOptions,
  });
  const hpaClient = client.resource<HorizontalPodAutoscaler>(hpaResource, 'default');
  const sync = async (name: string) => {
    hpas.update(await hpaClient.get(name));
    return controller.sync(`default/${name}`);
  };

  await sync('queue');
  assert.deepEqual(asked, ['default/queue_depth queue=jobs']);
  // 30 queued over 2 replicas against 5 each proposes 6; without `behavior` one step may at most double (or reach 4).
  assert.equal(((await client.resource(deployments, 'default').get('worker')).spec as { replicas: number }).replicas, 4);
  const status = (await hpaClient.get('queue')).status!;
  assert.deepEqual(status.currentMetrics, [{ type: 'External', external: { metric: { name: 'queue_depth', selector: { matchLabels: { queue: 'jobs' } } }, current: { averageValue: '15' } } }]);
  assert.deepEqual(recorder.events, [
    'Normal SuccessfulRescale New size: 4; reason: external metric queue_depth(&LabelSelector{MatchLabels:map[string]string{queue: jobs,},MatchExpressions:[]LabelSelectorRequirement{},}) above target',
  ]);

  // A second HPA on the same Deployment: once both have read the target's selector, neither may act.
  recorder.events.length = 0;
  await hpaClient.create(hpaSpec('queue-copy'));
  clock.step(15_000);
  await sync('queue-copy');
  await sync('queue');
  const ambiguous = 'pods by selector app=worker are controlled by multiple HPAs: [default/queue default/queue-copy]';
  for (const name of ['queue', 'queue-copy']) {
    const active = (await hpaClient.get(name)).status?.conditions?.find((c) => c.type === 'ScalingActive');
    assert.deepEqual([active?.status, active?.reason, active?.message], ['False', 'AmbiguousSelector', ambiguous], name);
  }
  assert.deepEqual(recorder.events, [
    `Warning AmbiguousSelector ${ambiguous}`,
    `Warning FailedComputeMetricsReplicas ${ambiguous}`,
    `Warning AmbiguousSelector ${ambiguous}`,
    `Warning FailedComputeMetricsReplicas ${ambiguous}`,
  ]);

  // Deleting the copy lifts the ambiguity at the next sync.
  const copy = await hpaClient.get('queue-copy');
  await hpaClient.delete('queue-copy');
  hpas.delete(copy);
  clock.step(15_000);
  await sync('queue');
  const active = (await hpaClient.get('queue')).status?.conditions?.find((c) => c.type === 'ScalingActive');
  assert.equal(active?.reason, 'ValidMetricFound');
});
