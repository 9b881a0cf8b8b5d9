// pods/binding, the bindings resource, pods/eviction with PodDisruptionBudgets, and the kubelet connection
// subresources, driven through the in-process apiserver with the built-in strategies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strategyFor } from '../registry/strategies.js';
import { newTestServer, type TestServer } from './testing/harness.js';

const withStrategies = () => newTestServer({ strategyFor: (g, r) => strategyFor(g, r) });
const podsURL = '/api/v1/namespaces/default/pods';

function pod(name: string, extra: { nodeName?: string; labels?: Record<string, string>; containers?: string[] } = {}) {
  const containers = (extra.containers ?? ['c']).map((c) => ({ name: c, image: 'nginx' }));
  return { metadata: { name, labels: extra.labels }, spec: { containers, ...(extra.nodeName ? { nodeName: extra.nodeName } : {}) } };
}

async function createPod(s: TestServer, body: unknown) {
  const res = await s.request('POST', podsURL, { body });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

/** Marks a pod Running (and Ready when asked) as a kubelet would, through pods/status. */
async function setRunning(s: TestServer, name: string, ready: boolean) {
  const cur = (await s.request('GET', `${podsURL}/${name}`)).json;
  const conditions = [{ type: 'Ready', status: ready ? 'True' : 'False' }];
  const res = await s.request('PUT', `${podsURL}/${name}/status`, { body: { ...cur, status: { ...cur.status, phase: 'Running', conditions } } });
  assert.equal(res.status, 200, res.text);
}

const binding = (name: string, node: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Binding',
  metadata: { name, ...extra },
  target: { apiVersion: 'v1', kind: 'Node', name: node },
});

test('pods/binding sets spec.nodeName once and marks PodScheduled', async () => {
  const s = await withStrategies();
  await createPod(s, pod('p'));
  const res = await s.request('POST', `${podsURL}/p/binding`, { body: binding('p', 'n1', { annotations: { a: 'b' } }) });
  assert.equal(res.status, 201, res.text);
  assert.deepEqual(res.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  const got = (await s.request('GET', `${podsURL}/p`)).json;
  assert.equal(got.spec.nodeName, 'n1');
  assert.equal(got.metadata.annotations.a, 'b');
  assert.deepEqual(got.status.conditions, [{ type: 'PodScheduled', status: 'True' }]);

  const again = await s.request('POST', `${podsURL}/p/binding`, { body: binding('p', 'n2') });
  assert.equal(again.status, 409, again.text);
  assert.equal(again.json.reason, 'Conflict');
  assert.equal(again.json.message, 'Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "n1"');
  s.close();
});

test('pods/binding and bindings: upstream refusals', async () => {
  const s = await withStrategies();
  await createPod(s, pod('p'));
  await createPod(s, { ...pod('gated'), spec: { ...pod('gated').spec, schedulingGates: [{ name: 'wait' }] } });
  const cases: Array<{ name: string; url: string; body: unknown; status: number; message: string | RegExp }> = [
    { name: 'URL and body disagree', url: `${podsURL}/p/binding`, body: binding('q', 'n1'), status: 400, message: 'name in URL does not match name in Binding object' },
    { name: 'missing pod', url: `${podsURL}/nope/binding`, body: binding('nope', 'n1'), status: 404, message: 'pods "nope" not found' },
    { name: 'no target', url: `${podsURL}/p/binding`, body: { metadata: { name: 'p' }, target: {} }, status: 500, message: 'target.name: Required value' },
    { name: 'target not a node', url: `${podsURL}/p/binding`, body: { metadata: { name: 'p' }, target: { kind: 'Pod', name: 'x' } }, status: 500, message: /^target.kind: Unsupported value: "Pod"/ },
    { name: 'stale uid', url: `${podsURL}/p/binding`, body: binding('p', 'n1', { uid: 'other' }), status: 409, message: /pods\/binding "p": the UID in the precondition \(other\) does not match/ },
    { name: 'scheduling gates', url: `${podsURL}/gated/binding`, body: binding('gated', 'n1'), status: 409, message: /pod gated has non-empty \.spec\.schedulingGates$/ },
    { name: 'bindings without namespace', url: '/api/v1/bindings', body: binding('p', 'n1'), status: 404, message: /could not find the requested resource/ },
  ];
  for (const c of cases) {
    const res = await s.request('POST', c.url, { body: c.body });
    assert.equal(res.status, c.status, `${c.name}: ${res.text}`);
    if (typeof c.message === 'string') assert.equal(res.json.message, c.message, c.name);
    else assert.match(res.json.message, c.message, c.name);
  }
  const get = await s.request('GET', `${podsURL}/p/binding`);
  assert.equal(get.status, 405, get.text);
  const dry = await s.request('POST', '/api/v1/namespaces/default/bindings?dryRun=All', { body: binding('p', 'n1') });
  assert.equal(dry.status, 201, dry.text);
  assert.equal((await s.request('GET', `${podsURL}/p`)).json.spec.nodeName, undefined, 'dry run stores nothing');
  const legacy = await s.request('POST', '/api/v1/namespaces/default/bindings', { body: binding('p', 'n1') });
  assert.equal(legacy.status, 201, legacy.text);
  assert.equal((await s.request('GET', `${podsURL}/p`)).json.spec.nodeName, 'n1');
  s.close();
});

test('pods/binding refuses a pod being deleted', async () => {
  const s = await withStrategies();
  await createPod(s, { ...pod('p'), metadata: { name: 'p', finalizers: ['example.com/hold'] } });
  assert.equal((await s.request('DELETE', `${podsURL}/p`)).status, 200);
  const res = await s.request('POST', `${podsURL}/p/binding`, { body: binding('p', 'n1') });
  assert.equal(res.status, 409, res.text);
  assert.equal(res.json.message, 'Operation cannot be fulfilled on pods/binding "p": pod p is being deleted, cannot be assigned to a host');
  s.close();
});

const eviction = (name: string, deleteOptions: Record<string, unknown> = {}, apiVersion = 'policy/v1') => ({
  apiVersion,
  kind: 'Eviction',
  metadata: { name, namespace: 'default' },
  deleteOptions,
});

async function createPDB(s: TestServer, name: string, status: Record<string, unknown>) {
  const res = await s.request('POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', {
    body: { metadata: { name }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } },
  });
  assert.equal(res.status, 201, res.text);
  const put = await s.request('PUT', `/apis/policy/v1/namespaces/default/poddisruptionbudgets/${name}/status`, { body: { ...res.json, status: { observedGeneration: 1, ...status } } });
  assert.equal(put.status, 200, put.text);
}

test('pods/eviction deletes unguarded pods (v1 and v1beta1 bodies) and answers 201 Success', async () => {
  const s = await withStrategies();
  for (const [name, apiVersion] of [['a', 'policy/v1'], ['b', 'policy/v1beta1']]) {
    await createPod(s, pod(name));
    const res = await s.request('POST', `${podsURL}/${name}/eviction`, { body: eviction(name, {}, apiVersion) });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.status, 'Success');
    assert.equal((await s.request('GET', `${podsURL}/${name}`)).status, 404, `${name} deleted`);
  }
  const missing = await s.request('POST', `${podsURL}/gone/eviction`, { body: eviction('gone') });
  assert.equal(missing.status, 404);
  const mismatch = await s.request('POST', `${podsURL}/x/eviction`, { body: eviction('y') });
  assert.equal(mismatch.status, 400);
  assert.equal(mismatch.json.message, 'name in URL does not match name in Eviction object');
  s.close();
});

test('pods/eviction honours deleteOptions: a scheduled pod stays terminating unless gracePeriodSeconds is 0', async () => {
  const s = await withStrategies();
  await createPod(s, pod('slow', { nodeName: 'n1' }));
  await createPod(s, pod('fast', { nodeName: 'n1' }));
  const slow = await s.request('POST', `${podsURL}/slow/eviction`, { body: eviction('slow') });
  assert.equal(slow.status, 201, slow.text);
  const kept = await s.request('GET', `${podsURL}/slow`);
  assert.equal(kept.status, 200);
  assert.ok(kept.json.metadata.deletionTimestamp, 'graceful deletion started');
  assert.equal(kept.json.metadata.deletionGracePeriodSeconds, 30);
  const target = kept.json.status.conditions.find((c: { type: string }) => c.type === 'DisruptionTarget');
  assert.deepEqual([target?.status, target?.reason, target?.message], ['True', 'EvictionByEvictionAPI', 'Eviction API: evicting'], 'marked as evicted');
  const fast = await s.request('POST', `${podsURL}/fast/eviction`, { body: eviction('fast', { gracePeriodSeconds: 0 }) });
  assert.equal(fast.status, 201, fast.text);
  assert.equal((await s.request('GET', `${podsURL}/fast`)).status, 404);
  s.close();
});

test('pods/eviction with a PodDisruptionBudget: spends a disruption, then 429 DisruptionBudget', async () => {
  const s = await withStrategies();
  const labels = { app: 'web' };
  for (const name of ['w1', 'w2', 'w3']) {
    await createPod(s, pod(name, { nodeName: 'n1', labels }));
    await setRunning(s, name, true);
  }
  await createPDB(s, 'web', { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 });

  const dry = await s.request('POST', `${podsURL}/w1/eviction?dryRun=All`, { body: eviction('w1', { gracePeriodSeconds: 0 }) });
  assert.equal(dry.status, 201, dry.text);
  assert.equal((await s.request('GET', `${podsURL}/w1`)).status, 200, 'dry run deletes nothing');
  assert.equal((await s.request('GET', '/apis/policy/v1/namespaces/default/poddisruptionbudgets/web')).json.status.disruptionsAllowed, 1);

  const first = await s.request('POST', `${podsURL}/w1/eviction`, { body: eviction('w1', { gracePeriodSeconds: 0 }) });
  assert.equal(first.status, 201, first.text);
  assert.equal((await s.request('GET', `${podsURL}/w1`)).status, 404);
  const pdb = (await s.request('GET', '/apis/policy/v1/namespaces/default/poddisruptionbudgets/web')).json;
  assert.equal(pdb.status.disruptionsAllowed, 0);
  assert.ok(pdb.status.disruptedPods.w1, 'the eviction is recorded for the disruption controller');
  assert.deepEqual(
    pdb.status.conditions.map((c: Record<string, unknown>) => [c.type, c.status, c.reason]),
    [['DisruptionAllowed', 'False', 'InsufficientPods']],
  );

  const second = await s.request('POST', `${podsURL}/w2/eviction`, { body: eviction('w2') });
  assert.equal(second.status, 429, second.text);
  assert.equal(second.json.reason, 'TooManyRequests');
  assert.equal(second.json.message, "Cannot evict pod as it would violate the pod's disruption budget.");
  assert.deepEqual(second.json.details.causes, [{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 2 healthy pods and has 3 currently' }]);
  assert.equal((await s.request('GET', `${podsURL}/w2`)).status, 200, 'the pod stays');
  s.close();
});

test('pods/eviction: stale budgets, unready pods, several budgets, ignorable pods', async () => {
  const s = await withStrategies();
  const labels = { app: 'web' };
  await createPod(s, pod('ready', { nodeName: 'n1', labels }));
  await setRunning(s, 'ready', true);
  await createPod(s, pod('unready', { nodeName: 'n1', labels }));
  await setRunning(s, 'unready', false);
  await createPod(s, pod('pending', { labels }));
  // observedGeneration 0 < generation 1: the disruption controller has not processed the budget yet.
  await createPDB(s, 'web', { observedGeneration: 0, disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 1 });

  const stale = await s.request('POST', `${podsURL}/ready/eviction`, { body: eviction('ready') });
  assert.equal(stale.status, 429, stale.text);
  assert.equal(stale.headers['Retry-After'], '10');
  assert.equal(stale.json.details.causes[0].message, 'The disruption budget web is still being processed by the server.');

  const unready = await s.request('POST', `${podsURL}/unready/eviction`, { body: eviction('unready', { gracePeriodSeconds: 0 }) });
  assert.equal(unready.status, 201, `an unready pod with enough healthy ones needs no disruption: ${unready.text}`);
  const pending = await s.request('POST', `${podsURL}/pending/eviction`, { body: eviction('pending') });
  assert.equal(pending.status, 201, `a Pending pod ignores budgets: ${pending.text}`);

  const pdb = (await s.request('GET', '/apis/policy/v1/namespaces/default/poddisruptionbudgets/web')).json;
  const always = await s.request('PUT', '/apis/policy/v1/namespaces/default/poddisruptionbudgets/web', { body: { ...pdb, spec: { ...pdb.spec, unhealthyPodEvictionPolicy: 'AlwaysAllow' } } });
  assert.equal(always.status, 200, always.text);
  await createPod(s, pod('sick', { nodeName: 'n1', labels }));
  await setRunning(s, 'sick', false);
  const sick = await s.request('POST', `${podsURL}/sick/eviction`, { body: eviction('sick', { gracePeriodSeconds: 0 }) });
  assert.equal(sick.status, 201, `AlwaysAllow lets an unready pod go even while the budget is stale: ${sick.text}`);

  await createPDB(s, 'web2', { disruptionsAllowed: 5 });
  const two = await s.request('POST', `${podsURL}/ready/eviction`, { body: eviction('ready') });
  assert.equal(two.status, 500, two.text);
  assert.equal(two.json.message, 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  s.close();
});

test('kubelet subresources: upstream errors without a node, 404 for a missing node, empty log when unscheduled', async () => {
  const s = await withStrategies();
  await createPod(s, pod('solo'));
  await createPod(s, pod('two', { containers: ['a', 'b'] }));
  await createPod(s, pod('lost', { nodeName: 'ghost' }));
  await createPod(s, pod('placed', { nodeName: 'n1' }));
  const node = await s.request('POST', '/api/v1/nodes', { body: { metadata: { name: 'n1' } } });
  assert.equal(node.status, 201, node.text);
  const cases: Array<{ method: string; url: string; status: number; message?: string | RegExp }> = [
    { method: 'GET', url: `${podsURL}/solo/log`, status: 200 },
    { method: 'POST', url: `${podsURL}/solo/exec?command=ls`, status: 400, message: 'pod solo does not have a host assigned' },
    { method: 'GET', url: `${podsURL}/solo/attach`, status: 400, message: 'pod solo does not have a host assigned' },
    { method: 'POST', url: `${podsURL}/solo/portforward`, status: 400, message: 'pod solo does not have a host assigned' },
    { method: 'GET', url: `${podsURL}/solo/log?container=zz`, status: 400, message: 'container zz is not valid for pod solo' },
    { method: 'GET', url: `${podsURL}/two/log`, status: 400, message: 'a container name must be specified for pod two, choose one of: [a b]' },
    { method: 'GET', url: `${podsURL}/nope/log`, status: 404, message: 'pods "nope" not found' },
    { method: 'GET', url: `${podsURL}/lost/log`, status: 404, message: 'nodes "ghost" not found' },
    { method: 'POST', url: `${podsURL}/lost/exec?command=ls`, status: 404, message: 'nodes "ghost" not found' },
    { method: 'GET', url: `${podsURL}/placed/log`, status: 500, message: 'no preferred addresses found; known addresses: []' },
    { method: 'POST', url: `${podsURL}/solo/log`, status: 405 },
  ];
  for (const c of cases) {
    const res = await s.request(c.method, c.url);
    assert.equal(res.status, c.status, `${c.method} ${c.url}: ${res.text}`);
    if (c.status === 200) assert.equal(res.text, '');
    if (typeof c.message === 'string') assert.equal(res.json.message, c.message, c.url);
  }
  s.close();
});
