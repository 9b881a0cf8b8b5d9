// Server-side printing through the REST endpoints: `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`
// on GET, LIST and WATCH (what kubectl get sends), with kubectl's plain-JSON fallback kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StreamResponse } from './resource-handler.js';
import { newTestServer } from './testing/harness.js';

const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

test('LIST and GET as Table: printer columns, PartialObjectMetadata rows, list metadata', async () => {
  const s = await newTestServer();
  await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'a' }, data: { x: '1', y: '2' } } });
  const list = await s.request('GET', '/api/v1/namespaces/default/configmaps?limit=500', { headers: { accept: tableAccept } });
  assert.equal(list.status, 200, list.text);
  assert.equal(list.headers['Content-Type'], 'application/json;as=Table;v=v1;g=meta.k8s.io');
  assert.equal(list.json.kind, 'Table');
  assert.deepEqual(list.json.columnDefinitions.map((c: { name: string }) => c.name), ['Name', 'Data', 'Age']);
  assert.deepEqual(list.json.rows[0].cells.slice(0, 2), ['a', 2]);
  assert.equal(list.json.rows[0].object.kind, 'PartialObjectMetadata');
  assert.equal(list.json.metadata.resourceVersion, String(await s.store.currentRevision()));
  const one = await s.request('GET', '/api/v1/namespaces/default/configmaps/a?includeObject=Object', { headers: { accept: tableAccept } });
  assert.equal(one.json.rows.length, 1);
  assert.equal(one.json.rows[0].object.kind, 'ConfigMap');
  const plain = await s.request('GET', '/api/v1/namespaces/default/configmaps/a', { headers: { accept: 'application/json' } });
  assert.equal(plain.json.kind, 'ConfigMap');
  s.close();
});

test('WATCH as Table: one-row Tables, column definitions only on the first event', async () => {
  const s = await newTestServer();
  await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'a' } } });
  const res = (await s.stream('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0', new AbortController().signal, { accept: tableAccept })) as StreamResponse;
  const it = res.stream[Symbol.asyncIterator]();
  const first = JSON.parse(String((await it.next()).value).trim());
  await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'b' } } });
  const second = JSON.parse(String((await it.next()).value).trim());
  await it.return?.(undefined);
  assert.equal(first.type, 'ADDED');
  assert.equal(first.object.kind, 'Table');
  assert.ok(Array.isArray(first.object.columnDefinitions));
  assert.equal(first.object.rows[0].cells[0], 'a');
  assert.equal(second.object.columnDefinitions, null);
  assert.equal(second.object.rows[0].cells[0], 'b');
  s.close();
});

test('PartialObjectMetadata(List) for metadata clients: GET, LIST, WATCH, and 406 for the wrong shape', async () => {
  const s = await newTestServer();
  await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'a', labels: { x: 'y' } }, data: { secret: 'not in metadata' } } });
  const listAccept = 'application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
  const list = await s.request('GET', '/api/v1/namespaces/default/configmaps', { headers: { accept: listAccept } });
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.kind, 'PartialObjectMetadataList');
  assert.equal(list.json.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(list.json.items.map((i: { kind: string; metadata: { name: string } }) => [i.kind, i.metadata.name]), [['PartialObjectMetadata', 'a']]);
  assert.equal(list.json.items[0].data, undefined);
  const one = await s.request('GET', '/api/v1/namespaces/default/configmaps/a', { headers: { accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1beta1' } });
  assert.equal(one.json.kind, 'PartialObjectMetadata');
  assert.equal(one.json.apiVersion, 'meta.k8s.io/v1beta1');
  assert.deepEqual(one.json.metadata.labels, { x: 'y' });
  const wrong = await s.request('GET', '/api/v1/namespaces/default/configmaps', { headers: { accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1' } });
  assert.equal(wrong.status, 406);
  assert.match(wrong.json.message, /you requested PartialObjectMetadata, but the requested object is a list/);
  const res = (await s.stream('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0', new AbortController().signal, {
    accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json',
  })) as StreamResponse;
  const it = res.stream[Symbol.asyncIterator]();
  const ev = JSON.parse(String((await it.next()).value).trim());
  await it.return?.(undefined);
  assert.equal(ev.type, 'ADDED');
  assert.equal(ev.object.kind, 'PartialObjectMetadata');
  assert.equal(ev.object.metadata.name, 'a');
  const none = await s.request('GET', '/api/v1/namespaces/default/configmaps', { headers: { accept: 'application/vnd.kubernetes.protobuf' } });
  assert.equal(none.status, 406);
  s.close();
});
