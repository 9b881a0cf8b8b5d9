// HPA cost per metric source: one proposal for a Pods, Object and External metric (100 pods) with the metrics
// already in memory, and the same three with real HTTP round trips to a metrics adapter on 127.0.0.1 (no
// aggregator in between: bench/aggregator.ts measures that hop). Prints one JSON report:
// node --import tsx bench/hpa-metrics.ts
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as autoscalingv2 from '../src/api/generated/autoscaling/v2.js';
import { newClient } from '../src/client/rest/rest-client.js';
import { RESTCustomMetricsReader, type CustomMetricsReader } from '../src/controller-manager/controllers/podautoscaler/custom-metrics-client.js';
import { computeMetric, type MetricContext } from '../src/controller-manager/controllers/podautoscaler/metric-sources.js';
import { defaultReplicaCalculatorOptions, type CalculatorPod, type PodMetric } from '../src/controller-manager/controllers/podautoscaler/replica-calculator.js';
import { median, round } from './stats.js';

const now = Date.now();
const longAgo = new Date(now - 3_600_000).toISOString();
const stamp = new Date(now - 5_000).toISOString().replace(/\.\d+Z$/, 'Z');
const pods: CalculatorPod[] = [];
const samples = new Map<string, PodMetric>();
for (let i = 0; i < 100; i++) {
  const name = `web-${i}`;
  pods.push({ metadata: { name }, spec: { containers: [{ name: 'app' }] }, status: { phase: 'Running', startTime: longAgo, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: longAgo }] } });
  samples.set(name, { value: 150 + (i % 5) * 10, timestamp: now - 5_000, windowMs: 60_000 });
}

const specs: Record<string, autoscalingv2.MetricSpec> = {
  pods: { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '100m' } } },
  object: { type: 'Object', object: { describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' }, metric: { name: 'hits' }, target: { type: 'Value', value: '10' } } },
  external: { type: 'External', external: { metric: { name: 'queue', selector: { matchLabels: { q: 'jobs' } } }, target: { type: 'AverageValue', averageValue: '5' } } },
};

const inMemory: CustomMetricsReader = {
  getRawMetric: async () => ({ metrics: new Map(samples), timestamp: now - 5_000 }),
  getObjectMetric: async () => ({ value: 25_000, timestamp: now - 5_000 }),
  getExternalMetric: async () => ({ values: [300_000, 200_000], timestamp: now - 5_000 }),
};

function context(customMetrics: CustomMetricsReader): MetricContext {
  return {
    namespace: 'default', specReplicas: 100, statusReplicas: 100, selector: 'app=web', pods,
    resourceMetrics: { getResourceMetric: async () => { throw new Error('not used'); } },
    customMetrics, calculator: defaultReplicaCalculatorOptions, now,
  };
}

/** Median µs per call over `runs` batches of `batch` sequential awaited calls, after a warm-up batch. */
async function microsPerCall(op: () => Promise<unknown>, batch: number, runs = 5): Promise<number> {
  for (let i = 0; i < batch; i++) await op();
  const perRun: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) await op();
    perRun.push(Number(process.hrtime.bigint() - start) / batch / 1000);
  }
  return round(median(perRun), 2);
}

/** A metrics adapter answering the three URLs with fixed documents (100 pod samples for rps). */
async function startAdapter(): Promise<{ url: string; close(): Promise<void> }> {
  const podItems = pods.map((p, i) => ({ describedObject: { kind: 'Pod', namespace: 'default', name: p.metadata.name }, metric: { name: 'rps' }, timestamp: stamp, value: `${150 + (i % 5) * 10}m` }));
  const bodies: Array<[RegExp, unknown]> = [
    [/\/pods\/\*\/rps$/, { kind: 'MetricValueList', items: podItems }],
    [/\/ingresses\.networking\.k8s\.io\/main\/hits$/, { kind: 'MetricValueList', items: [{ describedObject: { kind: 'Ingress', name: 'main' }, metric: { name: 'hits' }, timestamp: stamp, value: '25' }] }],
    [/\/queue$/, { kind: 'ExternalMetricValueList', items: [{ metricName: 'queue', timestamp: stamp, value: '300' }, { metricName: 'queue', timestamp: stamp, value: '200' }] }],
  ];
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://adapter').pathname;
    const hit = bodies.find(([re]) => re.test(path));
    res.writeHead(hit ? 200 : 404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(hit ? hit[1] : { kind: 'Status', code: 404 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

const adapter = await startAdapter();
const client = newClient({ host: adapter.url, qps: -1 });
const overHTTP = new RESTCustomMetricsReader(client, async () => ({ group: 'networking.k8s.io', resource: 'ingresses' }));
const report: Record<string, unknown> = { benchmark: 'hpa-metrics', pods: pods.length };
for (const [name, spec] of Object.entries(specs)) {
  const memCtx = context(inMemory);
  const httpCtx = context(overHTTP);
  const check = await computeMetric(spec, httpCtx);
  if (!check.ok) throw new Error(`${name}: ${check.error}`);
  report[`${name}InMemoryMicros`] = await microsPerCall(() => computeMetric(spec, memCtx), 2_000);
  report[`${name}OverHTTPMicros`] = await microsPerCall(() => computeMetric(spec, httpCtx), 200);
}
client.close();
await adapter.close();
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
