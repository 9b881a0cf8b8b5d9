// Integration tests of the REST core through the in-process handler: create, get, list, delete and
// their error paths, with upstream's codes and messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newTestServer } from './testing/harness.js';

const cm = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' }, ...extra });

test('create fills system metadata and get returns the stored object', async () => {
  const s = await newTestServer();
  const created = await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm('c1') });
  assert.equal(created.status, 201);
  const m = created.json.metadata;
  assert.equal(m.name, 'c1');
  assert.equal(m.namespace, 'default');
  assert.match(m.uid, /^[0-9a-f-]{36}$/);
  assert.match(m.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(m.resourceVersion, /^\d+$/);
  assert.equal(m.generation, undefined, 'configmaps have no spec, so no generation');
  const got = await s.request('GET', '/api/v1/namespaces/default/configmaps/c1');
  assert.equal(got.status, 200);
  assert.deepEqual(got.json, created.json);

  const deploy = await s.request('POST', '/apis/apps/v1/namespaces/default/deployments', {
    body: { metadata: { name: 'd' }, spec: { replicas: 1 }, status: { replicas: 5 } },
  });
  assert.equal(deploy.status, 201);
  assert.equal(deploy.json.kind, 'Deployment', 'kind filled from the URL');
  assert.equal(deploy.json.metadata.generation, 1);
  assert.equal(deploy.json.status, undefined, 'status is not settable on create');
});

test('create error paths', async () => {
  const s = await newTestServer();
  await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm('dup') });
  const cases: Array<{ name: string; url: string; body: unknown; headers?: Record<string, string>; code: number; reason?: string; message?: RegExp }> = [
    { name: 'exists', url: '/api/v1/namespaces/default/configmaps', body: cm('dup'), code: 409, reason: 'AlreadyExists', message: /^configmaps "dup" already exists$/ },
    { name: 'missing namespace', url: '/api/v1/namespaces/nope/configmaps', body: cm('x'), code: 404, reason: 'NotFound', message: /^namespaces "nope" not found$/ },
    { name: 'namespace mismatch', url: '/api/v1/namespaces/default/configmaps', body: { ...cm('x'), metadata: { name: 'x', namespace: 'other' } }, code: 400, message: /the namespace of the provided object does not match the namespace sent on the request/ },
    { name: 'wrong apiVersion', url: '/api/v1/namespaces/default/configmaps', body: { ...cm('x'), apiVersion: 'apps/v1' }, code: 400, message: /the API version in the data \(apps\/v1\) does not match the expected API version \(v1\)/ },
    { name: 'wrong kind', url: '/api/v1/namespaces/default/configmaps', body: { ...cm('x'), kind: 'Secret' }, code: 400, message: /Secret in version "v1" cannot be handled as a ConfigMap/ },
    { name: 'malformed json', url: '/api/v1/namespaces/default/configmaps', body: '{"metadata":', headers: { 'content-type': 'application/json' }, code: 400, message: /^the object provided is unrecognized \(must be of type ConfigMap\): couldn't get version\/kind; json parse error/ },
    { name: 'no name', url: '/api/v1/namespaces/default/configmaps', body: { data: {} }, code: 422, reason: 'Invalid', message: /metadata.name: Required value: name or generateName is required/ },
    { name: 'unknown media type', url: '/api/v1/namespaces/default/configmaps', body: 'x', headers: { 'content-type': 'text/plain' }, code: 415, reason: 'UnsupportedMediaType' },
    { name: 'bad dryRun', url: '/api/v1/namespaces/default/configmaps?dryRun=Some', body: cm('x'), code: 422, reason: 'Invalid' },
    { name: 'unknown resource', url: '/api/v1/namespaces/default/nothings', body: cm('x'), code: 404, message: /^the server could not find the requested resource$/ },
    { name: 'namespaced create without namespace', url: '/api/v1/configmaps', body: cm('x'), code: 404 },
    { name: 'cluster-scoped resource under a namespace', url: '/api/v1/namespaces/default/namespaces', body: { metadata: { name: 'n' } }, code: 404 },
    { name: 'nodes under a namespace', url: '/api/v1/namespaces/default/nodes', body: { metadata: { name: 'n' } }, code: 404 },
  ];
  for (const c of cases) {
    const r = await s.request('POST', c.url, { body: c.body, headers: c.headers });
    assert.equal(r.status, c.code, `${c.name}: ${r.text}`);
    assert.equal(r.json.kind, 'Status', c.name);
    assert.equal(r.json.code, c.code, c.name);
    if (c.reason) assert.equal(r.json.reason, c.reason, c.name);
    if (c.message) assert.match(r.json.message, c.message, c.name);
  }
  const list = await s.request('GET', '/api/v1/namespaces/default/configmaps');
  assert.deepEqual(list.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['dup'], 'failed creates left nothing behind');
});

test('YAML bodies and YAML replies', async () => {
  const s = await newTestServer();
  const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y1\ndata:\n  k: v\n';
  const r = await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: yaml, headers: { 'content-type': 'application/yaml', accept: 'application/yaml' } });
  assert.equal(r.status, 201);
  assert.equal(r.headers['Content-Type'], 'application/yaml');
  assert.match(r.text, /^apiVersion: v1\nkind: ConfigMap\n/);
  const two = await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: `${yaml}---\n${yaml}`, headers: { 'content-type': 'application/yaml' } });
  assert.equal(two.status, 400);
});

test('generateName makes a unique name', async () => {
  const s = await newTestServer();
  const names = new Set<string>();
  for (let i = 0; i < 20; i++) {
    const r = await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { generateName: 'gen-' } } });
    assert.equal(r.status, 201);
    assert.match(r.json.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    names.add(r.json.metadata.name);
  }
  assert.equal(names.size, 20);
});

test('dry-run create persists nothing', async () => {
  const s = await newTestServer();
  const before = await s.store.currentRevision();
  const r = await s.request('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', { body: cm('dry') });
  assert.equal(r.status, 201);
  assert.equal(r.json.metadata.name, 'dry');
  assert.equal(await s.store.currentRevision(), before);
  assert.equal((await s.request('GET', '/api/v1/namespaces/default/configmaps/dry')).status, 404);
});

test('get errors', async () => {
  const s = await newTestServer();
  const r = await s.request('GET', '/api/v1/namespaces/default/configmaps/missing');
  assert.equal(r.status, 404);
  assert.deepEqual(r.json, {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'configmaps "missing" not found', reason: 'NotFound',
    details: { name: 'missing', group: '', kind: 'configmaps' }, code: 404,
  });
  const d = await s.request('GET', '/apis/apps/v1/namespaces/default/deployments/missing');
  assert.equal(d.json.message, 'deployments.apps "missing" not found');
  const future = await s.request('GET', '/api/v1/namespaces/default/configmaps?resourceVersion=999999&resourceVersionMatch=NotOlderThan');
  assert.equal(future.status, 504);
  assert.match(future.json.message, /^Too large resource version: 999999, current: \d+$/);
  const method = await s.request('DELETE', '/api/v1/namespaces');
  assert.equal(method.status, 405, 'namespaces have no deletecollection');
});

test('list: all namespaces, one namespace, cluster scope, list metadata', async () => {
  const s = await newTestServer({ namespaces: ['default', 'a', 'b'] });
  for (const ns of ['a', 'b']) for (const n of ['x', 'y']) await s.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: cm(n) });
  const all = await s.request('GET', '/api/v1/configmaps');
  assert.equal(all.status, 200);
  assert.equal(all.json.kind, 'ConfigMapList');
  assert.equal(all.json.apiVersion, 'v1');
  assert.equal(all.json.metadata.resourceVersion, String(await s.store.currentRevision()));
  assert.deepEqual(all.json.items.map((i: { metadata: { namespace: string; name: string } }) => `${i.metadata.namespace}/${i.metadata.name}`), ['a/x', 'a/y', 'b/x', 'b/y']);
  const one = await s.request('GET', '/api/v1/namespaces/b/configmaps');
  assert.equal(one.json.items.length, 2);
  const nss = await s.request('GET', '/api/v1/namespaces');
  assert.deepEqual(nss.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['a', 'b', 'default']);
  const empty = await s.request('GET', '/apis/apps/v1/deployments');
  assert.equal(empty.text.includes('"items":[]'), true, 'empty lists have items: []');
});

test('list: selectors', async () => {
  const s = await newTestServer();
  for (const [n, tier] of [['a', 'web'], ['b', 'db'], ['c', 'web']]) {
    await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: n, labels: { tier } } } });
  }
  const names = (r: { json: { items: Array<{ metadata: { name: string } }> } }) => r.json.items.map((i) => i.metadata.name);
  const cases: Array<[string, number, string[] | RegExp]> = [
    ['labelSelector=tier%3Dweb', 200, ['a', 'c']],
    ['labelSelector=tier%20notin%20(web)', 200, ['b']],
    ['labelSelector=tier', 200, ['a', 'b', 'c']],
    ['labelSelector=!tier', 200, []],
    ['fieldSelector=metadata.name%3Db', 200, ['b']],
    ['fieldSelector=metadata.name!%3Db', 200, ['a', 'c']],
    ['fieldSelector=metadata.namespace%3Ddefault,metadata.name%3Da&labelSelector=tier%3Dweb', 200, ['a']],
    ['fieldSelector=spec.foo%3Db', 400, /^field label not supported: spec.foo$/],
    ['labelSelector=a%20in', 400, /unable to parse requirement|found/],
  ];
  for (const [q, code, want] of cases) {
    const r = await s.request('GET', `/api/v1/namespaces/default/configmaps?${q}`);
    assert.equal(r.status, code, q);
    if (Array.isArray(want)) assert.deepEqual(names(r), want, q);
    else assert.match(r.json.message, want, q);
  }
});

test('list: limit/continue pages at one revision, remainingItemCount, expired tokens', async () => {
  const s = await newTestServer();
  for (let i = 0; i < 25; i++) await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm(`c${String(i).padStart(2, '0')}`) });
  const seen: string[] = [];
  let token = '';
  let rv = '';
  let pages = 0;
  do {
    const r = await s.request('GET', `/api/v1/namespaces/default/configmaps?limit=10${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    if (!rv) rv = r.json.metadata.resourceVersion;
    assert.equal(r.json.metadata.resourceVersion, rv, 'every page is read at the first page revision');
    seen.push(...r.json.items.map((i: { metadata: { name: string } }) => i.metadata.name));
    token = r.json.metadata.continue ?? '';
    if (pages === 0) {
      assert.equal(r.json.metadata.remainingItemCount, 15);
      // A write between pages must not show up in later pages.
      await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm('c99') });
    }
    pages++;
  } while (token);
  assert.equal(pages, 3);
  assert.equal(seen.length, 25);
  assert.deepEqual(seen, [...seen].sort());

  // Paging with a selector fills pages from later keys.
  const sel = await s.request('GET', '/api/v1/namespaces/default/configmaps?limit=2&fieldSelector=metadata.name!%3Dc00');
  assert.deepEqual(sel.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['c01', 'c02']);
  assert.ok(sel.json.metadata.continue);
  assert.equal(sel.json.metadata.remainingItemCount, undefined, 'unknown with a selector');

  const first = await s.request('GET', '/api/v1/namespaces/default/configmaps?limit=5');
  await s.store.compact(await s.store.currentRevision());
  const expired = await s.request('GET', `/api/v1/namespaces/default/configmaps?limit=5&continue=${encodeURIComponent(first.json.metadata.continue)}`);
  assert.equal(expired.status, 410);
  assert.equal(expired.json.reason, 'Expired');
  assert.match(expired.json.message, /^The provided continue parameter is too old to display a consistent list result\./);
  assert.ok(expired.json.metadata.continue, 'a token to continue at the latest revision');
  const resumed = await s.request('GET', `/api/v1/namespaces/default/configmaps?limit=5&continue=${encodeURIComponent(expired.json.metadata.continue)}`);
  assert.equal(resumed.status, 200);
  assert.equal(resumed.json.items[0].metadata.name, 'c05');

  const bad = await s.request('GET', '/api/v1/namespaces/default/configmaps?limit=5&continue=garbage');
  assert.equal(bad.status, 400);
  const withRV = await s.request('GET', `/api/v1/namespaces/default/configmaps?limit=5&resourceVersion=3&continue=${encodeURIComponent(first.json.metadata.continue)}`);
  assert.equal(withRV.status, 400);
});

test('list: resourceVersion semantics', async () => {
  const s = await newTestServer();
  const a = await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm('a') });
  await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm('b') });
  const exact = await s.request('GET', `/api/v1/namespaces/default/configmaps?resourceVersion=${a.json.metadata.resourceVersion}&resourceVersionMatch=Exact`);
  assert.equal(exact.status, 200);
  assert.equal(exact.json.metadata.resourceVersion, a.json.metadata.resourceVersion);
  assert.deepEqual(exact.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['a']);
  const notOlder = await s.request('GET', `/api/v1/namespaces/default/configmaps?resourceVersion=${a.json.metadata.resourceVersion}&resourceVersionMatch=NotOlderThan`);
  assert.equal(notOlder.json.items.length, 2);
  const any = await s.request('GET', '/api/v1/namespaces/default/configmaps?resourceVersion=0');
  assert.equal(any.status, 200);
  const invalid: Array<[string, RegExp]> = [
    ['resourceVersionMatch=Exact', /resourceVersionMatch is forbidden unless resourceVersion is provided/],
    ['resourceVersion=0&resourceVersionMatch=Exact', /resourceVersionMatch "exact" is forbidden for resourceVersion "0"/],
    ['resourceVersion=1&resourceVersionMatch=Newest', /Unsupported value: "Newest"/],
    ['sendInitialEvents=true', /sendInitialEvents is forbidden for list/],
  ];
  for (const [q, msg] of invalid) {
    const r = await s.request('GET', `/api/v1/namespaces/default/configmaps?${q}`);
    assert.equal(r.status, 422, q);
    assert.match(r.json.message, /^ListOptions.meta.k8s.io "" is invalid: /, q);
    assert.match(r.json.message, msg, q);
  }
  await s.store.compact(await s.store.currentRevision());
  const compacted = await s.request('GET', `/api/v1/namespaces/default/configmaps?resourceVersion=${a.json.metadata.resourceVersion}&resourceVersionMatch=Exact`);
  assert.equal(compacted.status, 410);
  assert.equal(compacted.json.reason, 'Expired');
});

test('delete: Status reply, object reply for pods, preconditions, options validation', async () => {
  const s = await newTestServer();
  const c = await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm('c') });
  const stale = await s.request('DELETE', '/api/v1/namespaces/default/configmaps/c', { body: { preconditions: { resourceVersion: '1' } } });
  assert.equal(stale.status, 409);
  assert.match(stale.json.message, /^Operation cannot be fulfilled on ConfigMap "c": the ResourceVersion in the precondition \(1\) does not match the ResourceVersion in record \(\d+\)\. The object might have been modified$/);
  const wrongUID = await s.request('DELETE', '/api/v1/namespaces/default/configmaps/c', { body: { preconditions: { uid: 'x' } } });
  assert.equal(wrongUID.status, 409);
  assert.match(wrongUID.json.message, /^Operation cannot be fulfilled on ConfigMap "c": the UID in the precondition \(x\) does not match the UID in record \([0-9a-f-]+\)\. The object might have been deleted and then recreated$/);
  const badPolicy = await s.request('DELETE', '/api/v1/namespaces/default/configmaps/c?propagationPolicy=Sometimes');
  assert.equal(badPolicy.status, 422);
  const dry = await s.request('DELETE', '/api/v1/namespaces/default/configmaps/c?dryRun=All');
  assert.equal(dry.status, 200);
  assert.equal((await s.request('GET', '/api/v1/namespaces/default/configmaps/c')).status, 200, 'dry-run delete keeps it');
  const del = await s.request('DELETE', '/api/v1/namespaces/default/configmaps/c', {
    body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background', preconditions: { uid: c.json.metadata.uid } },
  });
  assert.equal(del.status, 200);
  assert.deepEqual(del.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'c', kind: 'configmaps', uid: c.json.metadata.uid } });
  assert.equal((await s.request('GET', '/api/v1/namespaces/default/configmaps/c')).status, 404);
  assert.equal((await s.request('DELETE', '/api/v1/namespaces/default/configmaps/c')).status, 404);

  await s.request('POST', '/api/v1/namespaces/default/pods', { body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } } });
  const pod = await s.request('DELETE', '/api/v1/namespaces/default/pods/p');
  assert.equal(pod.status, 200);
  assert.equal(pod.json.kind, 'Pod', 'pods reply with the deleted object');
});

test('delete: finalizers keep the object terminating until an update removes the last one', async () => {
  const s = await newTestServer();
  await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: { ...cm('f'), metadata: { name: 'f', finalizers: ['example.com/hold'] } } });
  const del = await s.request('DELETE', '/api/v1/namespaces/default/configmaps/f');
  assert.equal(del.status, 200);
  assert.equal(del.json.kind, 'ConfigMap');
  assert.ok(del.json.metadata.deletionTimestamp);
  assert.equal(del.json.metadata.deletionGracePeriodSeconds, 0);
  const again = await s.request('DELETE', '/api/v1/namespaces/default/configmaps/f');
  assert.equal(again.json.metadata.deletionTimestamp, del.json.metadata.deletionTimestamp, 'a second delete keeps the first timestamp');
  const got = await s.request('GET', '/api/v1/namespaces/default/configmaps/f');
  assert.equal(got.status, 200);
  const addFinalizer = await s.request('PUT', '/api/v1/namespaces/default/configmaps/f', {
    body: { ...got.json, metadata: { ...got.json.metadata, finalizers: ['example.com/hold', 'new'] } },
  });
  assert.equal(addFinalizer.status, 422, 'no new finalizers while deleting');
  const put = await s.request('PUT', '/api/v1/namespaces/default/configmaps/f', { body: { ...got.json, metadata: { ...got.json.metadata, finalizers: [] } } });
  assert.equal(put.status, 200, put.text);
  assert.equal((await s.request('GET', '/api/v1/namespaces/default/configmaps/f')).status, 404, 'removing the last finalizer deletes');
});

test('delete: propagation policies add the garbage collector finalizers; orphanDependents=false → 202', async () => {
  const s = await newTestServer();
  const cases: Array<[string, unknown, string[], number]> = [
    ['fg', { propagationPolicy: 'Foreground' }, ['foregroundDeletion'], 200],
    ['or', { propagationPolicy: 'Orphan' }, ['orphan'], 200],
    ['od', { orphanDependents: true }, ['orphan'], 200],
  ];
  for (const [name, body, finalizers, code] of cases) {
    await s.request('POST', '/apis/apps/v1/namespaces/default/deployments', { body: { metadata: { name }, spec: {} } });
    const r = await s.request('DELETE', `/apis/apps/v1/namespaces/default/deployments/${name}`, { body });
    assert.equal(r.status, code, name);
    assert.deepEqual(r.json.metadata.finalizers, finalizers, name);
  }
  await s.request('POST', '/apis/apps/v1/namespaces/default/deployments', { body: { metadata: { name: 'keep', finalizers: ['x/y'] }, spec: {} } });
  const accepted = await s.request('DELETE', '/apis/apps/v1/namespaces/default/deployments/keep', { body: { orphanDependents: false } });
  assert.equal(accepted.status, 202);
});

test('deletecollection deletes what the selector selects', async () => {
  const s = await newTestServer();
  for (const [n, l] of [['a', 'x'], ['b', 'y'], ['c', 'x']]) await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: n, labels: { l } } } });
  const r = await s.request('DELETE', '/api/v1/namespaces/default/configmaps?labelSelector=l%3Dx');
  assert.equal(r.status, 200);
  assert.equal(r.json.kind, 'ConfigMapList');
  assert.deepEqual(r.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['a', 'c']);
  const left = await s.request('GET', '/api/v1/namespaces/default/configmaps');
  assert.deepEqual(left.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['b']);
});

test('namespace lifecycle: creates in a terminating namespace are forbidden', async () => {
  const s = await newTestServer({ namespaces: ['default', 'doomed'] });
  const ns = await s.request('GET', '/api/v1/namespaces/doomed');
  await s.request('PUT', '/api/v1/namespaces/doomed', { body: { ...ns.json, metadata: { ...ns.json.metadata, finalizers: ['hold'] } } });
  await s.request('DELETE', '/api/v1/namespaces/doomed');
  const r = await s.request('POST', '/api/v1/namespaces/doomed/configmaps', { body: cm('x') });
  assert.equal(r.status, 403);
  assert.equal(r.json.reason, 'Forbidden');
  assert.equal(r.json.message, 'configmaps "x" is forbidden: unable to create new content in namespace doomed because it is being terminated');
  assert.deepEqual(r.json.details.causes, [{ reason: 'NamespaceTerminating', message: 'namespace doomed is being terminated', field: 'metadata.namespace' }]);
});

test('protobuf request bodies (what kubectl 1.32+ sends for typed creates)', async () => {
  const { readFileSync } = await import('node:fs');
  const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../api/testdata/protobuf/${name}.pb`, import.meta.url)));
  const s = await newTestServer();
  const headers = { 'content-type': 'application/vnd.kubernetes.protobuf', accept: 'application/vnd.kubernetes.protobuf,application/json' };
  const ns = await s.request('POST', '/api/v1/namespaces', { body: fixture('namespace'), headers });
  assert.equal(ns.status, 201, ns.text);
  assert.equal(ns.json.metadata.name, 'demo');
  assert.match(ns.json.metadata.creationTimestamp, /Z$/, 'the zero creationTimestamp on the wire is treated as unset');
  const cm = await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: fixture('configmap'), headers });
  assert.equal(cm.status, 201, cm.text);
  assert.deepEqual(cm.json.data, { a: '1', greeting: 'hello world' });
  assert.equal(cm.headers['Content-Type'], 'application/json', 'replies stay JSON');
  const garbage = await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: new Uint8Array([1, 2, 3]), headers });
  assert.equal(garbage.status, 400);
  s.close();
});

test('protobuf DeleteOptions bodies (client-go typed deletes, e.g. helm purging its release Secrets) are decoded', async () => {
  const { encodeProtobufObject } = await import('../../api/protobuf.js');
  const s = await newTestServer();
  const headers = { 'content-type': 'application/vnd.kubernetes.protobuf', accept: 'application/vnd.kubernetes.protobuf,application/json' };
  await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm('kept') });
  await s.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm('gone') });
  const dryRun = encodeProtobufObject({ apiVersion: 'v1', kind: 'DeleteOptions', dryRun: ['All'] });
  const dry = await s.request('DELETE', '/api/v1/namespaces/default/configmaps/kept', { body: dryRun, headers });
  assert.equal(dry.status, 200, dry.text);
  assert.equal((await s.request('GET', '/api/v1/namespaces/default/configmaps/kept')).status, 200, 'dryRun from the protobuf body was honoured');
  const real = await s.request('DELETE', '/api/v1/namespaces/default/configmaps/gone', { body: encodeProtobufObject({ apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' }), headers });
  assert.equal(real.status, 200, real.text);
  assert.equal((await s.request('GET', '/api/v1/namespaces/default/configmaps/gone')).status, 404);
  const bad = await s.request('DELETE', '/api/v1/namespaces/default/configmaps/kept', { body: new Uint8Array([1, 2, 3]), headers });
  assert.equal(bad.status, 400);
  assert.equal((await s.request('GET', '/api/v1/namespaces/default/configmaps/kept')).status, 200, 'a bad body deletes nothing');
  s.close();
});
