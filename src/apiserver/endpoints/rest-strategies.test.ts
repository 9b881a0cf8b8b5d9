// The REST core with the built-in per-resource strategies: kind validation, namespace two-phase delete and
// the finalize subresource, and resources served in one version but stored in another.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strategyFor } from '../registry/strategies.js';
import type { StreamResponse } from './resource-handler.js';
import { newTestServer } from './testing/harness.js';

const withStrategies = () => newTestServer({ strategyFor: (g, r) => strategyFor(g, r) });

test('kind validation from the strategy is a 422 and stores nothing', async () => {
  const s = await withStrategies();
  const bad = await s.request('POST', '/api/v1/namespaces/default/pods', { body: { metadata: { name: 'p' }, spec: { containers: [] } } });
  assert.equal(bad.status, 422, bad.text);
  assert.equal(bad.json.reason, 'Invalid');
  assert.equal(bad.json.details.kind, 'Pod');
  assert.equal((await s.request('GET', '/api/v1/namespaces/default/pods/p')).status, 404);
  const badName = await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'Bad_Name' } } });
  assert.equal(badName.status, 422);
  assert.match(badName.json.message, /^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  s.close();
});

test('namespaces: delete turns them Terminating; finalize empties spec.finalizers and removes them', async () => {
  const s = await withStrategies();
  const created = await s.request('POST', '/api/v1/namespaces', { body: { metadata: { name: 'n1' } } });
  assert.equal(created.status, 201, created.text);
  assert.deepEqual(created.json.spec.finalizers, ['kubernetes']);
  const del = await s.request('DELETE', '/api/v1/namespaces/n1');
  assert.equal(del.status, 200, del.text);
  assert.equal(del.json.status.phase, 'Terminating');
  assert.ok(del.json.metadata.deletionTimestamp);
  const forbidden = await s.request('POST', '/api/v1/namespaces/n1/configmaps', { body: { metadata: { name: 'c' } } });
  assert.equal(forbidden.status, 403);
  const cur = await s.request('GET', '/api/v1/namespaces/n1');
  const fin = await s.request('PUT', '/api/v1/namespaces/n1/finalize', { body: { ...cur.json, spec: { finalizers: [] } } });
  assert.equal(fin.status, 200, fin.text);
  assert.equal((await s.request('GET', '/api/v1/namespaces/n1')).status, 404, 'finalized and deleted');
  s.close();
});

test('events.k8s.io/v1 and core/v1 events share storage, each served in its own version (list, get, watch)', async () => {
  const s = await withStrategies();
  const w = await s.stream('/apis/events.k8s.io/v1/namespaces/default/events?watch=true&resourceVersion=0', new AbortController().signal);
  const core = await s.request('POST', '/api/v1/namespaces/default/events', {
    body: { metadata: { name: 'e1' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' }, reason: 'Started', message: 'hello', type: 'Normal', source: { component: 'kubelet' } },
  });
  assert.equal(core.status, 201, core.text);
  const v1 = await s.request('GET', '/apis/events.k8s.io/v1/namespaces/default/events/e1');
  assert.equal(v1.status, 200, v1.text);
  assert.equal(v1.json.apiVersion, 'events.k8s.io/v1');
  assert.equal(v1.json.note, 'hello');
  assert.equal(v1.json.regarding.name, 'p');
  const list = await s.request('GET', '/apis/events.k8s.io/v1/namespaces/default/events');
  assert.equal(list.json.kind, 'EventList');
  assert.equal(list.json.items[0].apiVersion, 'events.k8s.io/v1');
  const it = (w as StreamResponse).stream[Symbol.asyncIterator]();
  const first = JSON.parse(String((await it.next()).value).split('\n')[0]);
  assert.equal(first.type, 'ADDED');
  assert.equal(first.object.apiVersion, 'events.k8s.io/v1');
  assert.equal(first.object.note, 'hello');
  await it.return?.(undefined);
  s.close();
});

test('graceful deletion of pods: scheduled pods wait for a zero grace period, unscheduled ones go at once', async () => {
  const s = await withStrategies();
  const podURL = '/api/v1/namespaces/default/pods';
  const pod = (name: string, nodeName?: string) => ({ metadata: { name }, spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }] } });
  assert.equal((await s.request('POST', podURL, { body: pod('free') })).status, 201);
  const free = await s.request('DELETE', `${podURL}/free`);
  assert.equal(free.status, 200);
  assert.equal((await s.request('GET', `${podURL}/free`)).status, 404, 'unscheduled pods are deleted at once');

  const created = await s.request('POST', podURL, { body: pod('bound', 'n1') });
  assert.equal(created.status, 201, created.text);
  const first = await s.request('DELETE', `${podURL}/bound`);
  assert.equal(first.status, 200);
  assert.equal(first.json.metadata.deletionGracePeriodSeconds, 30, 'terminationGracePeriodSeconds default');
  const delay = Date.parse(first.json.metadata.deletionTimestamp) - Date.now();
  assert.ok(delay > 25_000 && delay <= 31_000, `deletionTimestamp about 30 s ahead (${delay} ms)`);
  const again = await s.request('DELETE', `${podURL}/bound`);
  assert.equal(again.json.metadata.resourceVersion, first.json.metadata.resourceVersion, 'a pending graceful deletion is not changed');
  const shorter = await s.request('DELETE', `${podURL}/bound`, { body: { gracePeriodSeconds: 5 } });
  assert.equal(shorter.json.metadata.deletionGracePeriodSeconds, 5);
  const now = await s.request('DELETE', `${podURL}/bound`, { body: { gracePeriodSeconds: 0, preconditions: { uid: created.json.metadata.uid } } });
  assert.equal(now.status, 200, now.text);
  assert.equal((await s.request('GET', `${podURL}/bound`)).status, 404, 'the kubelet-style final delete removes it');
  s.close();
});

test('a status update of a pod in its grace period does not delete it', async () => {
  const s = await withStrategies();
  const podURL = '/api/v1/namespaces/default/pods';
  await s.request('POST', podURL, { body: { metadata: { name: 'p' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] } } });
  const deleting = await s.request('DELETE', `${podURL}/p`);
  assert.equal(deleting.json.metadata.deletionGracePeriodSeconds, 30);
  const st = await s.request('PUT', `${podURL}/p/status`, { body: { ...deleting.json, status: { phase: 'Running' } } });
  assert.equal(st.status, 200, st.text);
  assert.equal((await s.request('GET', `${podURL}/p`)).status, 200, 'still there until the final DELETE');
  s.close();
});
