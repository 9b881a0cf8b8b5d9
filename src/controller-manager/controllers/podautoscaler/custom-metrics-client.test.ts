// Tests of the custom/external metrics reader against a fake transport: the URLs upstream's clients request,
// the parsing of MetricValueList/ExternalMetricValueList, and the error wording.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Interface, RawRequest, RawResponse } from '../../../client/rest/interface.js';
import { RESTCustomMetricsReader } from './custom-metrics-client.js';

/** A client whose raw() answers from `routes` (path → status and body) and records each request. */
function fakeClient(routes: Record<string, { status: number; body: unknown }>): { client: Interface; requests: string[] } {
  const requests: string[] = [];
  const client = {
    raw: async (req: RawRequest): Promise<RawResponse> => {
      const query = new URLSearchParams(Object.entries(req.query ?? {}).map(([k, v]) => [k, String(v)])).toString();
      requests.push(`${req.method} ${req.path}${query ? `?${query}` : ''}`);
      const route = routes[req.path];
      if (!route) return { status: 404, headers: { 'content-type': 'text/plain' }, body: Buffer.from('404 page not found') };
      return { status: route.status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(route.body)) };
    },
  } as unknown as Interface;
  return { client, requests };
}

const resourceFor = async (apiVersion: string, kind: string) =>
  apiVersion === 'networking.k8s.io/v1' && kind === 'Ingress' ? { group: 'networking.k8s.io', resource: 'ingresses' } : undefined;

const ts = '2026-01-01T00:00:00Z';

/** The /apis discovery document of a server whose custom metrics adapter serves `versions` (preferred first). */
function apisServing(...versions: string[]): { status: number; body: unknown } {
  const gv = (v: string) => ({ groupVersion: `custom.metrics.k8s.io/${v}`, version: v });
  return { status: 200, body: { kind: 'APIGroupList', groups: [{ name: 'custom.metrics.k8s.io', versions: versions.map(gv), preferredVersion: gv(versions[0]!) }] } };
}

test('custom metrics: Pods samples by pod name, with the default window when none is given', async () => {
  const { client, requests } = fakeClient({
    '/apis': apisServing('v1beta2', 'v1beta1'),
    '/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/pods/*/rps': {
      status: 200,
      body: { kind: 'MetricValueList', items: [
        { describedObject: { kind: 'Pod', name: 'a' }, metric: { name: 'rps' }, timestamp: ts, windowSeconds: 30, value: '1500m' },
        { describedObject: { kind: 'Pod', name: 'b' }, metric: { name: 'rps' }, timestamp: ts, value: '2' },
      ] },
    },
  });
  const got = await new RESTCustomMetricsReader(client, resourceFor).getRawMetric({ metric: 'rps', namespace: 'ns', selector: 'app=web', metricSelector: 'verb=GET' });
  const at = Date.parse(ts);
  assert.deepEqual(got, { metrics: new Map([['a', { value: 1500, timestamp: at, windowMs: 30_000 }], ['b', { value: 2000, timestamp: at, windowMs: 60_000 }]]), timestamp: at });
  assert.deepEqual(requests, ['GET /apis', 'GET /apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/pods/*/rps?labelSelector=app%3Dweb&metricLabelSelector=verb%3DGET']);
});

test('custom metrics: Object metrics by qualified resource; a namespace\'s own metrics; exactly one value', async () => {
  const one = { status: 200, body: { items: [{ describedObject: { kind: 'Ingress', name: 'main' }, metric: { name: 'hits' }, timestamp: ts, value: '42' }] } };
  const { client, requests } = fakeClient({
    '/apis': apisServing('v1beta2'),
    '/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/ingresses.networking.k8s.io/main/hits': one,
    '/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/metrics/hits': one,
    '/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/ingresses.networking.k8s.io/two/hits': { status: 200, body: { items: [one.body.items[0], one.body.items[0]] } },
  });
  const reader = new RESTCustomMetricsReader(client, resourceFor);
  const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' };
  assert.deepEqual(await reader.getObjectMetric({ metric: 'hits', namespace: 'ns', object: ingress, metricSelector: '' }), { value: 42_000, timestamp: Date.parse(ts) });
  assert.deepEqual(await reader.getObjectMetric({ metric: 'hits', namespace: 'ns', object: { apiVersion: 'v1', kind: 'Namespace', name: 'elsewhere' }, metricSelector: 'a=b' }), {
    value: 42_000,
    timestamp: Date.parse(ts),
  });
  await assert.rejects(reader.getObjectMetric({ metric: 'hits', namespace: 'ns', object: { ...ingress, name: 'two' }, metricSelector: '' }), {
    message: 'unable to fetch metrics from custom metrics API: the custom metrics API server returned 2 results when we asked for exactly one',
  });
  await assert.rejects(reader.getObjectMetric({ metric: 'hits', namespace: 'ns', object: { apiVersion: 'example.com/v1', kind: 'Widget', name: 'w' }, metricSelector: '' }), {
    message: 'unable to fetch metrics from custom metrics API: unable to map kind Widget.example.com to resource: no matches for kind "Widget" in group "example.com"',
  });
  assert.deepEqual(requests, [
    'GET /apis',
    'GET /apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/ingresses.networking.k8s.io/main/hits',
    'GET /apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/metrics/hits?metricLabelSelector=a%3Db',
    'GET /apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/ingresses.networking.k8s.io/two/hits',
  ]);
});

test('external metrics: every series; none, or no API, is an error', async () => {
  const { client, requests } = fakeClient({
    '/apis/external.metrics.k8s.io/v1beta1/namespaces/ns/queue': { status: 200, body: { items: [{ metricName: 'queue', timestamp: ts, value: '3' }, { metricName: 'queue', timestamp: ts, value: '250m' }] } },
    '/apis/external.metrics.k8s.io/v1beta1/namespaces/ns/empty': { status: 200, body: { items: [] } },
  });
  const reader = new RESTCustomMetricsReader(client, resourceFor);
  assert.deepEqual(await reader.getExternalMetric({ metric: 'queue', namespace: 'ns', metricSelector: 'q=jobs' }), { values: [3000, 250], timestamp: Date.parse(ts) });
  await assert.rejects(reader.getExternalMetric({ metric: 'empty', namespace: 'ns', metricSelector: '' }), { message: 'no metrics returned from external metrics API' });
  await assert.rejects(reader.getExternalMetric({ metric: 'gone', namespace: 'ns', metricSelector: '' }), {
    message: 'unable to fetch metrics from external metrics API: the server could not find the requested resource (get gone.external.metrics.k8s.io)',
  });
  assert.equal(requests[0], 'GET /apis/external.metrics.k8s.io/v1beta1/namespaces/ns/queue?labelSelector=q%3Djobs');
});

test('custom metrics: an adapter serving only v1beta1 is asked in v1beta1; the choice is rediscovered after the sync period', async () => {
  const v1beta1Items = { status: 200, body: { kind: 'MetricValueList', apiVersion: 'custom.metrics.k8s.io/v1beta1', items: [{ describedObject: { kind: 'Pod', name: 'a' }, metricName: 'rps', timestamp: ts, value: '3' }] } };
  const routes: Record<string, { status: number; body: unknown }> = {
    '/apis': apisServing('v1beta1'),
    '/apis/custom.metrics.k8s.io/v1beta1/namespaces/ns/pods/*/rps': v1beta1Items,
    '/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/pods/*/rps': v1beta1Items,
  };
  const { client, requests } = fakeClient(routes);
  let now = 0;
  const reader = new RESTCustomMetricsReader(client, resourceFor, { rediscoverAfterMs: 15_000, now: () => now });
  const args = { metric: 'rps', namespace: 'ns', selector: '', metricSelector: '' };
  assert.equal((await reader.getRawMetric(args)).metrics.get('a')?.value, 3000);
  now = 10_000;
  await reader.getRawMetric(args);
  routes['/apis'] = apisServing('v1beta2', 'v1beta1');
  now = 16_000;
  await reader.getRawMetric(args);
  assert.deepEqual(requests, [
    'GET /apis',
    'GET /apis/custom.metrics.k8s.io/v1beta1/namespaces/ns/pods/*/rps',
    'GET /apis/custom.metrics.k8s.io/v1beta1/namespaces/ns/pods/*/rps',
    'GET /apis',
    'GET /apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/pods/*/rps',
  ]);
});

test("custom metrics: no adapter registered, or none in a version the reader speaks: upstream's errors", async () => {
  const args = { metric: 'rps', namespace: 'ns', selector: '', metricSelector: '' };
  const none = fakeClient({ '/apis': { status: 200, body: { kind: 'APIGroupList', groups: [] } } });
  await assert.rejects(new RESTCustomMetricsReader(none.client, resourceFor).getRawMetric(args), {
    message: 'unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered',
  });
  const alpha = fakeClient({ '/apis': apisServing('v1alpha9') });
  await assert.rejects(new RESTCustomMetricsReader(alpha.client, resourceFor).getRawMetric(args), {
    message: 'unable to fetch metrics from custom metrics API: no known available metric versions found',
  });
});
