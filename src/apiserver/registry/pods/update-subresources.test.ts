// pods/ephemeralcontainers and pods/resize through the in-process apiserver: what each may change, and
// upstream's refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newTestServer, type TestServer } from '../../endpoints/testing/harness.js';
import { strategyFor } from '../strategies.js';

const podsURL = '/api/v1/namespaces/default/pods';
const mergePatch = { 'content-type': 'application/merge-patch+json' };
const jsonPatch = { 'content-type': 'application/json-patch+json' };

async function withPod(resources?: unknown): Promise<{ s: TestServer; pod: Record<string, any> }> {
  const s = await newTestServer({ strategyFor: (g, r) => strategyFor(g, r) });
  const res = await s.request('POST', podsURL, {
    body: { metadata: { name: 'p', labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx', ...(resources ? { resources } : {}) }] } },
  });
  assert.equal(res.status, 201, res.text);
  return { s, pod: res.json };
}

const debug = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: 'busybox', ...extra });

test('ephemeralcontainers: adds a debug container and nothing else; existing ones stay', async () => {
  const { s, pod } = await withPod();
  const body = { ...pod, metadata: { ...pod.metadata, labels: { a: 'changed' } }, spec: { ...pod.spec, nodeName: 'elsewhere', ephemeralContainers: [debug('dbg')] } };
  const res = await s.request('PUT', `${podsURL}/p/ephemeralcontainers`, { body });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json.spec.ephemeralContainers.map((c: { name: string }) => c.name), ['dbg']);
  assert.equal(res.json.spec.nodeName, undefined, 'other spec fields are not taken');
  assert.deepEqual(res.json.metadata.labels, { a: 'b' }, 'metadata is not taken');
  const got = await s.request('GET', `${podsURL}/p/ephemeralcontainers`);
  assert.equal(got.json.spec.ephemeralContainers[0].name, 'dbg');

  const cases: Array<{ name: string; patch: unknown; message: RegExp }> = [
    { name: 'removal', patch: [{ op: 'replace', path: '/spec/ephemeralContainers', value: [] }], message: /existing ephemeral containers "dbg" may not be removed/ },
    { name: 'change', patch: [{ op: 'replace', path: '/spec/ephemeralContainers/0/image', value: 'alpine' }], message: /existing ephemeral containers "dbg" may not be changed/ },
    { name: 'name clash', patch: [{ op: 'add', path: '/spec/ephemeralContainers/-', value: debug('c') }], message: /spec.ephemeralContainers\[1\].name: Duplicate value: "c"/ },
    {
      name: 'ports',
      patch: [{ op: 'add', path: '/spec/ephemeralContainers/-', value: debug('x', { ports: [{ containerPort: 80 }] }) }],
      message: /spec.ephemeralContainers\[1\].ports: Forbidden: cannot be set for an Ephemeral Container/,
    },
    { name: 'no image', patch: [{ op: 'add', path: '/spec/ephemeralContainers/-', value: { name: 'y' } }], message: /spec.ephemeralContainers\[1\].image: Required value/ },
  ];
  for (const c of cases) {
    const r = await s.request('PATCH', `${podsURL}/p/ephemeralcontainers`, { body: JSON.stringify(c.patch), headers: jsonPatch });
    assert.equal(r.status, 422, `${c.name}: ${r.text}`);
    assert.match(r.json.message, c.message, c.name);
  }
  s.close();
});

test('resize: changes cpu and memory only, keeping the QoS class', async () => {
  const { s } = await withPod({ requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } });
  const ok = await s.request('PATCH', `${podsURL}/p/resize`, {
    body: JSON.stringify({ spec: { containers: [{ name: 'c', resources: { requests: { cpu: '150m', memory: '64Mi' }, limits: { cpu: '300m', memory: '128Mi' } } }] } }),
    headers: { 'content-type': 'application/strategic-merge-patch+json' },
  });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.spec.containers[0].resources.requests.cpu, '150m');
  assert.equal(ok.json.spec.containers[0].image, 'nginx');

  const cases: Array<{ name: string; resources: unknown; message: RegExp }> = [
    { name: 'QoS change', resources: { requests: { cpu: '300m', memory: '128Mi' }, limits: { cpu: '300m', memory: '128Mi' } }, message: /spec: Invalid value: "Burstable": Pod QOS Class may not change as a result of resizing/ },
    // (A request left out is defaulted from its limit, so removals show up as missing limits.)
    { name: 'removal', resources: { requests: { cpu: '150m', memory: '64Mi' }, limits: { cpu: '300m' } }, message: /spec.containers\[0\].resources.limits\[memory\]: Forbidden: resource limits cannot be removed/ },
    {
      name: 'other resource',
      resources: { requests: { cpu: '150m', memory: '64Mi', 'ephemeral-storage': '1Gi' }, limits: { cpu: '300m', memory: '128Mi' } },
      message: /spec: Forbidden: only cpu and memory resources are mutable/,
    },
  ];
  for (const c of cases) {
    const r = await s.request('PATCH', `${podsURL}/p/resize`, { body: JSON.stringify({ spec: { containers: [{ name: 'c', image: 'other', resources: c.resources }] } }), headers: mergePatch });
    assert.equal(r.status, 422, `${c.name}: ${r.text}`);
    assert.match(r.json.message, c.message, c.name);
  }
  const viaMain = await s.request('PATCH', `${podsURL}/p`, { body: JSON.stringify({ spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '1' } } }] } }), headers: mergePatch });
  assert.equal(viaMain.status, 422, 'the main resource still refuses resource changes');
  s.close();
});
