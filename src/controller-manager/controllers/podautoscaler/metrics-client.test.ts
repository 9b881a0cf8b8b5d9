// Tests of the resource metrics client: Go durations, summing container usage, missing resources and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClient } from '../../testing/fake-client.js';
import { parseGoDurationMs, podMetricsResource, RESTMetricsClient, type PodMetrics } from './metrics-client.js';

for (const [text, want] of [['30s', 30_000], ['1m0s', 60_000], ['1.5s', 1500], ['250ms', 250], ['0', 0], ['', NaN], ['5x', NaN]] as const) {
  test(`parseGoDurationMs(${JSON.stringify(text)})`, () => assert.equal(parseGoDurationMs(text), want));
}

function podMetrics(name: string, containers: PodMetrics['containers']): PodMetrics {
  return { metadata: { name, namespace: 'ns' }, timestamp: '2026-01-01T00:00:00Z', window: '30s', containers };
}

test('resource metrics: container usage summed per pod; a pod missing the resource is left out', async () => {
  const client = new FakeClient();
  client.seed(podMetricsResource, podMetrics('a', [{ name: 'x', usage: { cpu: '100m' } }, { name: 'y', usage: { cpu: '1' } }]));
  client.seed(podMetricsResource, podMetrics('b', [{ name: 'x', usage: { memory: '1Mi' } }]));
  const got = await new RESTMetricsClient(client).getResourceMetric({ resource: 'cpu', namespace: 'ns', selector: 'app=web' });
  const at = Date.parse('2026-01-01T00:00:00Z');
  assert.deepEqual(got, { metrics: new Map([['a', { value: 1100, timestamp: at, windowMs: 30_000 }]]), timestamp: at });
  const one = await new RESTMetricsClient(client).getResourceMetric({ resource: 'cpu', namespace: 'ns', selector: '', container: 'y' }).catch((e: Error) => e.message);
  assert.equal(one, 'failed to get container metrics: container y not present in metrics for pod ns/b');
});

test('resource metrics: nothing returned is an error', async () => {
  await assert.rejects(new RESTMetricsClient(new FakeClient()).getResourceMetric({ resource: 'cpu', namespace: 'ns', selector: '' }), { message: 'no metrics returned from resource metrics API' });
});
