// Defaults a CRD gains later apply to custom resources already stored, as upstream's storage decoder applies
// them: in GETs (watch cache and storage), lists, watch events and through another served version; the next
// write persists them. Through the in-process apiserver.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isStreamResponse } from '../endpoints/resource-handler.js';
import { startCRDTestServer, type CRDTestServer } from './cel-testing.js';

const group = 'defaults.example.com';
const base = `/apis/${group}/v1/namespaces/default/gadgets`;
const crdPath = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.${group}`;

function crd(replicasDefault?: number) {
  const replicas: Record<string, unknown> = { type: 'integer' };
  if (replicasDefault !== undefined) replicas.default = replicasDefault;
  const schema = { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { color: { type: 'string' }, replicas } } } } };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `gadgets.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'gadgets', kind: 'Gadget' },
      versions: [
        { name: 'v1', served: true, storage: true, schema },
        { name: 'v2', served: true, storage: false, schema },
      ],
    },
  };
}

let t: CRDTestServer;
before(async () => {
  t = await startCRDTestServer();
  await t.createCRD(crd());
  const created = await t.call('POST', base, { apiVersion: `${group}/v1`, kind: 'Gadget', metadata: { name: 'old' }, spec: { color: 'red' } });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  assert.deepEqual(created.json.spec, { color: 'red' });
});
after(() => t?.stop());

async function firstWatchEvent(path: string): Promise<{ type: string; object: { spec: unknown } }> {
  const ac = new AbortController();
  const res = await t.server.handler({ method: 'GET', path, query: new URLSearchParams('watch=true&resourceVersion=0'), headers: {}, body: new Uint8Array() }, ac.signal);
  assert.ok(isStreamResponse(res));
  try {
    for await (const chunk of res.stream) {
      const line = chunk.split('\n').find(Boolean);
      if (line) return JSON.parse(line) as { type: string; object: { spec: unknown } };
    }
    throw new Error('the watch ended without an event');
  } finally {
    ac.abort();
  }
}

test('a default added to the CRD shows on objects stored before it, however they are read', async () => {
  const current = await t.call('GET', crdPath);
  const updated = await t.call('PUT', crdPath, { ...crd(3), metadata: current.json.metadata });
  assert.equal(updated.status, 200, JSON.stringify(updated.json));
  let got: { status: number; json: { spec?: unknown } } | undefined;
  for (let i = 0; i < 500; i++) {
    await t.server.crds.idle();
    got = await t.call('GET', `${base}/old`);
    if ((got.json.spec as { replicas?: number } | undefined)?.replicas === 3) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.deepEqual(got?.json.spec, { color: 'red', replicas: 3 }, 'GET (watch cache)');
  assert.deepEqual((await t.call('GET', base)).json.items[0].spec, { color: 'red', replicas: 3 }, 'consistent LIST');
  assert.deepEqual((await t.call('GET', `${base}?limit=1`)).json.items[0].spec, { color: 'red', replicas: 3 }, 'paged LIST from storage');
  assert.deepEqual((await t.call('GET', `/apis/${group}/v2/namespaces/default/gadgets/old`)).json.spec, { color: 'red', replicas: 3 }, 'another version');
  assert.deepEqual((await firstWatchEvent(base)).object.spec, { color: 'red', replicas: 3 }, 'watch');

  // A write that leaves spec alone persists the default with the object.
  const put = await t.call('PUT', `${base}/old`, { apiVersion: `${group}/v1`, kind: 'Gadget', metadata: { name: 'old', labels: { a: 'b' } }, spec: { color: 'red' } });
  assert.equal(put.status, 200, JSON.stringify(put.json));
  assert.deepEqual(put.json.spec, { color: 'red', replicas: 3 });
});

test('an explicit value is kept', async () => {
  const created = await t.call('POST', base, { apiVersion: `${group}/v1`, kind: 'Gadget', metadata: { name: 'explicit' }, spec: { color: 'blue', replicas: 7 } });
  assert.equal(created.status, 201);
  assert.equal(created.json.spec.replicas, 7);
});
