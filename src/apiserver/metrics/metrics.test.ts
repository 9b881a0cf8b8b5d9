// Tests for the metrics interface helpers, the Prometheus registry and the /metrics handler.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dryRunLabel, reportedVerb } from './interface.js';
import { MetricsHandler } from './metrics-handler.js';
import { PrometheusAPIServerMetrics } from './registry.js';

test('reportedVerb follows upstream', () => {
  const cases: Array<[Parameters<typeof reportedVerb>[0], string]> = [
    [{ method: 'GET', requestVerb: 'get', subresource: '' }, 'GET'],
    [{ method: 'GET', requestVerb: 'list', subresource: '' }, 'LIST'],
    [{ method: 'GET', requestVerb: 'watch', subresource: '' }, 'WATCH'],
    [{ method: 'POST', requestVerb: 'create', subresource: '' }, 'POST'],
    [{ method: 'PUT', requestVerb: 'update', subresource: 'status' }, 'PUT'],
    [{ method: 'PATCH', requestVerb: 'patch', subresource: '', contentType: 'application/merge-patch+json' }, 'PATCH'],
    [{ method: 'PATCH', requestVerb: 'patch', subresource: '', contentType: 'application/apply-patch+yaml; charset=utf-8' }, 'APPLY'],
    [{ method: 'DELETE', requestVerb: 'deletecollection', subresource: '' }, 'DELETE'],
    [{ method: 'GET', requestVerb: 'get', subresource: 'log' }, 'CONNECT'],
    [{ method: 'POST', requestVerb: 'create', subresource: 'exec' }, 'CONNECT'],
    [{ method: 'HEAD', requestVerb: 'get', subresource: '' }, 'GET'],
  ];
  for (const [input, want] of cases) assert.equal(reportedVerb(input), want, JSON.stringify(input));
});

test('dryRunLabel sorts and de-duplicates', () => {
  assert.equal(dryRunLabel(new URLSearchParams('')), '');
  assert.equal(dryRunLabel(new URLSearchParams('dryRun=All')), 'All');
  assert.equal(dryRunLabel(new URLSearchParams('dryRun=b&dryRun=All&dryRun=b')), 'All,b');
});

test('registry exposes upstream names and labels', async () => {
  const m = new PrometheusAPIServerMetrics({ processMetrics: false });
  const req = { verb: 'LIST', group: 'apps', version: 'v1', resource: 'deployments', subresource: '', scope: 'namespace' };
  m.observeRequest({ ...req, code: 200, seconds: 0.01 });
  m.observeRequest({ ...req, code: 200, seconds: 0.3 });
  m.observeRequest({ ...req, verb: 'POST', scope: 'resource', dryRun: 'All', code: 201, seconds: 0.002 });
  m.observeStorage({ operation: 'list', group: 'apps', resource: 'deployments', seconds: 0.001 });
  m.observeStorage({ operation: 'create', group: 'apps', resource: 'deployments', seconds: 0.004, failed: true });
  const watch = { verb: 'WATCH', group: '', version: 'v1', resource: 'pods', subresource: '', scope: 'namespace' };
  m.watchStarted(watch);
  m.watchStarted(watch);
  m.watchEnded(watch);
  m.watchEvents({ group: '', version: 'v1', resource: 'pods' }, 3);
  m.setStorageObjects('deployments.apps', 7);

  const { contentType, body } = await m.exposition();
  assert.match(contentType, /^text\/plain; version=0\.0\.4/);
  const expected = [
    'apiserver_request_total{verb="LIST",dry_run="",group="apps",version="v1",resource="deployments",subresource="",scope="namespace",component="apiserver",code="200"} 2',
    'apiserver_request_total{verb="POST",dry_run="All",group="apps",version="v1",resource="deployments",subresource="",scope="resource",component="apiserver",code="201"} 1',
    'apiserver_request_duration_seconds_bucket{le="0.025",verb="LIST",dry_run="",group="apps",version="v1",resource="deployments",subresource="",scope="namespace",component="apiserver"} 1',
    'apiserver_request_duration_seconds_bucket{le="0.4",verb="LIST",dry_run="",group="apps",version="v1",resource="deployments",subresource="",scope="namespace",component="apiserver"} 2',
    'apiserver_request_duration_seconds_count{verb="LIST",dry_run="",group="apps",version="v1",resource="deployments",subresource="",scope="namespace",component="apiserver"} 2',
    'etcd_requests_total{operation="list",group="apps",resource="deployments"} 1',
    'etcd_request_errors_total{operation="create",group="apps",resource="deployments"} 1',
    'etcd_request_duration_seconds_count{operation="create",group="apps",resource="deployments"} 1',
    'apiserver_longrunning_requests{verb="WATCH",group="",version="v1",resource="pods",subresource="",scope="namespace",component="apiserver"} 1',
    'apiserver_watch_events_total{group="",version="v1",resource="pods"} 3',
    'apiserver_storage_objects{resource="deployments.apps"} 7',
  ];
  const lines = new Set(body.split('\n'));
  for (const line of expected) assert.ok(lines.has(line), `missing line: ${line}`);
  assert.ok(!body.includes('process_cpu'), 'process metrics were disabled');
});

test('/metrics handler serves, resets and ignores other paths', async () => {
  const m = new PrometheusAPIServerMetrics({ processMetrics: true });
  const h = new MetricsHandler(m);
  const req = (method: string, path = '/metrics') => ({ method, path, query: new URLSearchParams(), headers: {} });
  m.watchEvents({ group: 'apps', version: 'v1', resource: 'deployments' }, 2);

  assert.equal(await h.handle(req('GET', '/metricsz')), undefined);
  const got = await h.handle(req('GET'));
  assert.equal(got?.status, 200);
  assert.match(String(got?.body), /apiserver_watch_events_total\{group="apps",version="v1",resource="deployments"\} 2/);
  assert.match(String(got?.body), /process_cpu_user_seconds_total/);

  const reset = await h.handle(req('DELETE'));
  assert.equal(reset?.status, 200);
  const after = await h.handle(req('GET'));
  assert.doesNotMatch(String(after?.body), /apiserver_watch_events_total\{group="apps"[^\n]* 2/);

  assert.equal((await h.handle(req('POST')))?.status, 405);
});

test('apiserver_current_inflight_requests shows the most requests executing at once in the last whole second', async () => {
  const m = new PrometheusAPIServerMetrics({ processMetrics: false });
  const a = m.requestExecuting('readOnly');
  const b = m.requestExecuting('readOnly');
  const c = m.requestExecuting('mutating');
  a();
  a(); // a second call changes nothing
  b();
  c();
  const gauge = async () => (await m.registry.metrics()).split('\n').filter((l) => l.startsWith('apiserver_current_inflight_requests{')).sort();
  await new Promise((r) => setTimeout(r, 1050));
  assert.deepEqual(await gauge(), ['apiserver_current_inflight_requests{request_kind="mutating"} 1', 'apiserver_current_inflight_requests{request_kind="readOnly"} 2']);
});
