// Table tests of one metric's proposal per source type (Pods, Object, External, Resource) with in-memory
// metrics readers: the replicas, the status entry and metric name, and upstream's failure wording.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as autoscalingv2 from '../../../api/generated/autoscaling/v2.js';
import type { CustomMetricsReader } from './custom-metrics-client.js';
import { computeMetric, type MetricContext, type MetricOutcome } from './metric-sources.js';
import type { MetricsClient, PodMetricsInfo } from './metrics-client.js';
import { defaultReplicaCalculatorOptions, type CalculatorPod } from './replica-calculator.js';

const now = Date.parse('2026-01-01T00:10:00Z');
const sampled = now - 10_000;

function pod(name: string, ready = true): CalculatorPod {
  return {
    metadata: { name },
    spec: { containers: [{ name: 'app', resources: { requests: { cpu: '100m' } } }] },
    status: { phase: 'Running', startTime: '2026-01-01T00:00:00Z', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
  };
}

/** Samples per pod in milli-units, or an error message to fail with; the same for every reader. */
interface Fixture {
  podSamples?: Record<string, number> | string;
  objectValue?: number | string;
  externalValues?: number[] | string;
}

function readers(f: Fixture, calls: string[]): { resourceMetrics: MetricsClient; customMetrics: CustomMetricsReader } {
  const samples = (): PodMetricsInfo => {
    if (typeof f.podSamples === 'string') throw new Error(f.podSamples);
    return { metrics: new Map(Object.entries(f.podSamples ?? {}).map(([n, v]) => [n, { value: v, timestamp: sampled, windowMs: 30_000 }])), timestamp: sampled };
  };
  return {
    resourceMetrics: { getResourceMetric: async (a) => (calls.push(`resource ${a.resource} ${a.selector}`), samples()) },
    customMetrics: {
      getRawMetric: async (a) => (calls.push(`pods ${a.metric} ${a.selector} ${a.metricSelector}`), samples()),
      getObjectMetric: async (a) => {
        calls.push(`object ${a.object.kind}/${a.object.name} ${a.metric} ${a.metricSelector}`);
        if (typeof f.objectValue === 'string') throw new Error(f.objectValue);
        return { value: f.objectValue ?? 0, timestamp: sampled };
      },
      getExternalMetric: async (a) => {
        calls.push(`external ${a.metric} ${a.metricSelector}`);
        if (typeof f.externalValues === 'string') throw new Error(f.externalValues);
        return { values: f.externalValues ?? [], timestamp: sampled };
      },
    },
  };
}

const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' };
const queueSelector = { matchLabels: { queue: 'jobs' } };

const cases: Array<{ name: string; spec: autoscalingv2.MetricSpec; fixture: Fixture; pods?: CalculatorPod[]; replicas?: number; calls: string[]; want: MetricOutcome }> = [
  {
    name: 'Pods: 300m average against a 100m target on 2 pods → 6',
    spec: { type: 'Pods', pods: { metric: { name: 'rps', selector: { matchLabels: { verb: 'GET' } } }, target: { type: 'AverageValue', averageValue: '100m' } } },
    fixture: { podSamples: { a: 200, b: 400 } },
    calls: ['pods rps app=web verb=GET'],
    want: {
      ok: true, replicas: 6, name: 'pods metric rps', timestamp: sampled,
      status: { type: 'Pods', pods: { metric: { name: 'rps', selector: { matchLabels: { verb: 'GET' } } }, current: { averageValue: '300m' } } },
    },
  },
  {
    name: 'Pods: the API fails',
    spec: { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '1' } } },
    fixture: { podSamples: 'unable to fetch metrics from custom metrics API: the server could not find the requested resource' },
    calls: ['pods rps app=web '],
    want: {
      ok: false, reason: 'FailedGetPodsMetric',
      message: 'unable to get metric rps: unable to fetch metrics from custom metrics API: the server could not find the requested resource',
      error: 'failed to get pods metric value: unable to get metric rps: unable to fetch metrics from custom metrics API: the server could not find the requested resource',
    },
  },
  {
    name: 'Pods: no sample from a ready pod',
    spec: { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '1' } } },
    fixture: { podSamples: { a: 5 } },
    pods: [{ ...pod('a'), status: { phase: 'Pending' } }],
    calls: ['pods rps app=web '],
    want: { ok: false, reason: 'FailedGetPodsMetric', message: 'did not receive metrics for any ready pods', error: 'failed to get pods metric value: did not receive metrics for any ready pods' },
  },
  {
    name: 'Object Value: 10 against a target of 2 scales the 2 ready pods (of 3) to 10',
    spec: { type: 'Object', object: { describedObject: ingress, metric: { name: 'hits' }, target: { type: 'Value', value: '2' } } },
    fixture: { objectValue: 10_000 },
    pods: [pod('a'), pod('b'), pod('c', false)],
    calls: ['object Ingress/main hits '],
    want: {
      ok: true, replicas: 10, name: 'Ingress metric hits', timestamp: sampled,
      status: { type: 'Object', object: { describedObject: ingress, metric: { name: 'hits' }, current: { value: '10' } } },
    },
  },
  {
    name: 'Object Value: within tolerance keeps the current size',
    spec: { type: 'Object', object: { describedObject: ingress, metric: { name: 'hits' }, target: { type: 'Value', value: '10' } } },
    fixture: { objectValue: 10_500 },
    calls: ['object Ingress/main hits '],
    want: {
      ok: true, replicas: 2, name: 'Ingress metric hits', timestamp: sampled,
      status: { type: 'Object', object: { describedObject: ingress, metric: { name: 'hits' }, current: { value: '10500m' } } },
    },
  },
  {
    name: 'Object AverageValue: 9 over 3 replicas against 1 per pod → 9, reported per pod',
    spec: { type: 'Object', object: { describedObject: ingress, metric: { name: 'hits' }, target: { type: 'AverageValue', averageValue: '1' } } },
    fixture: { objectValue: 9_000 },
    replicas: 3,
    calls: ['object Ingress/main hits '],
    want: {
      ok: true, replicas: 9, name: 'external metric hits(nil)', timestamp: sampled,
      status: { type: 'Object', object: { describedObject: { kind: '', name: '' }, metric: { name: 'hits' }, current: { averageValue: '3' } } },
    },
  },
  {
    name: 'Object: the API fails (upstream orders the kind before the namespace)',
    spec: { type: 'Object', object: { describedObject: ingress, metric: { name: 'hits' }, target: { type: 'Value', value: '1' } } },
    fixture: { objectValue: 'unable to fetch metrics from custom metrics API: boom' },
    calls: ['object Ingress/main hits '],
    want: {
      ok: false, reason: 'FailedGetObjectMetric',
      message: 'unable to get metric hits: Ingress on ns main/unable to fetch metrics from custom metrics API: boom',
      error: 'failed to get object metric value: unable to get metric hits: Ingress on ns main/unable to fetch metrics from custom metrics API: boom',
    },
  },
  {
    name: 'Object: no target value',
    spec: { type: 'Object', object: { describedObject: ingress, metric: { name: 'hits' }, target: { type: 'Utilization', averageUtilization: 50 } } },
    fixture: {},
    calls: [],
    want: {
      ok: false, reason: 'FailedGetObjectMetric',
      message: 'invalid object metric source: neither a value target nor an average value target was set',
      error: 'failed to get object metric value: invalid object metric source: neither a value target nor an average value target was set',
    },
  },
  {
    name: 'External AverageValue: 30 queued over 2 replicas against 5 per pod → 6',
    spec: { type: 'External', external: { metric: { name: 'queue', selector: queueSelector }, target: { type: 'AverageValue', averageValue: '5' } } },
    fixture: { externalValues: [20_000, 10_000] },
    calls: ['external queue queue=jobs'],
    want: {
      ok: true, replicas: 6, name: 'external metric queue(&LabelSelector{MatchLabels:map[string]string{queue: jobs,},MatchExpressions:[]LabelSelectorRequirement{},})', timestamp: sampled,
      status: { type: 'External', external: { metric: { name: 'queue', selector: queueSelector }, current: { averageValue: '15' } } },
    },
  },
  {
    name: 'External Value: 4 against 2 doubles the ready pods',
    spec: { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '2' } } },
    fixture: { externalValues: [4_000] },
    calls: ['external queue '],
    want: {
      ok: true, replicas: 4, name: 'external metric queue(nil)', timestamp: sampled,
      status: { type: 'External', external: { metric: { name: 'queue' }, current: { value: '4' } } },
    },
  },
  {
    name: 'External Value: the API fails',
    spec: { type: 'External', external: { metric: { name: 'queue', selector: queueSelector }, target: { type: 'Value', value: '2' } } },
    fixture: { externalValues: 'no metrics returned from external metrics API' },
    calls: ['external queue queue=jobs'],
    want: {
      ok: false, reason: 'FailedGetExternalMetric',
      message: 'unable to get external metric ns/queue/&LabelSelector{MatchLabels:map[string]string{queue: jobs,},MatchExpressions:[]LabelSelectorRequirement{},}: no metrics returned from external metrics API',
      error: 'failed to get queue external metric value: failed to get external metric queue: unable to get external metric ns/queue/&LabelSelector{MatchLabels:map[string]string{queue: jobs,},MatchExpressions:[]LabelSelectorRequirement{},}: no metrics returned from external metrics API',
    },
  },
  {
    name: 'Resource utilization: samples missing',
    spec: { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
    fixture: { podSamples: 'no metrics returned from resource metrics API' },
    calls: ['resource cpu app=web'],
    want: {
      ok: false, reason: 'FailedGetResourceMetric',
      message: 'failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
      error: 'failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    },
  },
  {
    name: 'an unknown source type',
    spec: { type: 'Magic' },
    fixture: {},
    calls: [],
    want: { ok: false, reason: 'InvalidMetricSourceType', message: 'unknown metric source type "Magic"', error: 'unknown metric source type "Magic"' },
  },
];

for (const tc of cases) {
  test(`metric source: ${tc.name}`, async () => {
    const calls: string[] = [];
    const ctx: MetricContext = {
      namespace: 'ns',
      specReplicas: tc.replicas ?? 2,
      statusReplicas: tc.replicas ?? 2,
      selector: 'app=web',
      pods: tc.pods ?? [pod('a'), pod('b')],
      ...readers(tc.fixture, calls),
      calculator: defaultReplicaCalculatorOptions,
      now,
    };
    const got = await computeMetric(tc.spec, ctx);
    assert.deepEqual({ got, calls }, { got: tc.want, calls: tc.calls });
  });
}
