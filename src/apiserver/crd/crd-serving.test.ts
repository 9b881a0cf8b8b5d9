// CustomResourceDefinitions through the whole apiserver (runAPIServer over a memory store, requests
// through its socket-free handler): establishing, discovery, CRUD, schema validation, subresources,
// printer columns, deletion with cleanup, and serving again after a restart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from '../../storage/interface.js';
import { openMemoryStore } from '../../storage/memory/memory-store.js';
import { isStreamResponse } from '../endpoints/resource-handler.js';
import { defaultAPIServerOptions } from '../options.js';
import { runAPIServer, type APIServer } from '../server.js';
import { generateSelfSigned } from '../serving-cert.js';

const cert = await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] });

export const cronTabCRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'crontabs.stable.example.com' },
  spec: {
    group: 'stable.example.com',
    scope: 'Namespaced',
    names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', shortNames: ['ct'], categories: ['all'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' } },
        additionalPrinterColumns: [
          { name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec' },
          { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['cronSpec'],
                properties: {
                  cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$' },
                  image: { type: 'string', maxLength: 20 },
                  replicas: { type: 'integer', minimum: 1, maximum: 10, default: 1 },
                  mode: { type: 'string', enum: ['fast', 'slow'] },
                  tags: { type: 'array', maxItems: 3, items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
                  port: { 'x-kubernetes-int-or-string': true },
                  extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                },
              },
              status: { type: 'object', properties: { replicas: { type: 'integer' }, labelSelector: { type: 'string' } } },
            },
          },
        },
      },
      { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
    ],
  },
};

interface Reply {
  status: number;
  headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

async function call(server: APIServer, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const u = new URL(url, 'http://x');
  const res = await server.handler(
    {
      method,
      path: u.pathname,
      query: u.searchParams,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? new Uint8Array() : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    },
    new AbortController().signal,
  );
  assert.ok(!isStreamResponse(res));
  const text = String(res.body);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, json };
}

/** A store whose close() leaves the data in place, so a second apiserver can open it (a restart). */
function persistentStore(): { open: () => Promise<Store>; store: Store } {
  const store = openMemoryStore();
  const keep = new Proxy(store, { get: (t, p) => (p === 'close' ? async () => undefined : Reflect.get(t, p, t)) });
  return { open: async () => keep, store };
}

async function start(open: () => Promise<Store>): Promise<{ server: APIServer; ac: AbortController }> {
  const ac = new AbortController();
  const opts = { ...defaultAPIServerOptions('/nonexistent'), securePort: 0, bindAddress: '127.0.0.1', advertiseAddress: '127.0.0.1' };
  const server = await runAPIServer(opts, ac.signal, { openStore: open, servingCert: cert });
  return { server, ac };
}

async function established(server: APIServer, name: string): Promise<Reply> {
  for (let i = 0; i < 1000; i++) {
    await server.crds.idle();
    const got = await call(server, 'GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
    const cond = (got.json.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Established');
    if (cond?.status === 'True') return got;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`${name} was not established`);
}

test('a CRD is established, discoverable and served; CRs are validated, pruned, defaulted and printed', async () => {
  const { open } = persistentStore();
  let { server, ac } = await start(open);
  try {
    const created = await call(server, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', cronTabCRD);
    assert.equal(created.status, 201, JSON.stringify(created.json));
    assert.deepEqual(created.json.metadata.finalizers, ['customresourcecleanup.apiextensions.k8s.io']);
    const crd = await established(server, 'crontabs.stable.example.com');
    const byType = Object.fromEntries(crd.json.status.conditions.map((c: { type: string; status: string; reason: string }) => [c.type, `${c.status}/${c.reason}`]));
    assert.deepEqual(byType, { NamesAccepted: 'True/NoConflicts', Established: 'True/InitialNamesAccepted' });
    assert.deepEqual(crd.json.status.acceptedNames, { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList', shortNames: ['ct'], categories: ['all'] });
    assert.deepEqual(crd.json.status.storedVersions, ['v1']);

    // Discovery: legacy and aggregated.
    const legacy = await call(server, 'GET', '/apis/stable.example.com/v1');
    assert.equal(legacy.status, 200);
    const names = legacy.json.resources.map((r: { name: string }) => r.name);
    assert.deepEqual(names, ['crontabs', 'crontabs/scale', 'crontabs/status']);
    const main = legacy.json.resources[0];
    assert.deepEqual([main.kind, main.namespaced, main.singularName, main.shortNames, main.categories], ['CronTab', true, 'crontab', ['ct'], ['all']]);
    const group = await call(server, 'GET', '/apis/stable.example.com');
    assert.equal(group.json.preferredVersion.version, 'v1');
    assert.deepEqual(group.json.versions.map((v: { version: string }) => v.version), ['v1', 'v1beta1']);
    const aggregated = await call(server, 'GET', '/apis', undefined, { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' });
    const g = aggregated.json.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'stable.example.com');
    assert.ok(g, 'aggregated discovery lists the group');
    assert.equal(g.versions[0].resources[0].resource, 'crontabs');

    // CRUD, defaults, pruning (Ignore keeps going; Strict refuses), validation.
    const base = '/apis/stable.example.com/v1/namespaces/default/crontabs';
    const cr = { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'c1', color: 'blue' }, spec: { cronSpec: '* * * * */5', image: 'img', bogus: 1, extra: { anything: true } }, status: { replicas: 9 } };
    const strict = await call(server, 'POST', `${base}?fieldValidation=Strict`, cr);
    assert.equal(strict.status, 400);
    assert.equal(strict.json.message, 'CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "metadata.color", unknown field "spec.bogus"');
    const c1 = await call(server, 'POST', `${base}?fieldValidation=Warn`, cr);
    assert.equal(c1.status, 201, JSON.stringify(c1.json));
    assert.match(c1.headers.Warning ?? '', /unknown field \\"spec.bogus\\"/);
    assert.deepEqual(c1.json.spec, { cronSpec: '* * * * */5', image: 'img', replicas: 1, extra: { anything: true } });
    assert.equal(c1.json.metadata.color, undefined, 'unknown metadata fields are dropped');
    assert.equal(c1.json.status, undefined, 'status is not set through the main resource');
    assert.equal(c1.json.metadata.generation, 1);

    const bad = await call(server, 'POST', base, {
      apiVersion: 'stable.example.com/v1',
      kind: 'CronTab',
      metadata: { name: 'bad' },
      spec: { cronSpec: 'nope', image: 'x'.repeat(21), replicas: 11, mode: 'medium', tags: ['a', 'a', 'b', 'c'], port: true },
    });
    assert.equal(bad.status, 422);
    assert.equal(bad.json.reason, 'Invalid');
    assert.deepEqual(
      bad.json.details.causes.map((c: { field: string; message: string }) => `${c.field}: ${c.message}`),
      [
        `spec.cronSpec: Invalid value: "nope": spec.cronSpec in body should match '${cronTabCRD.spec.versions[0].schema.openAPIV3Schema.properties!.spec.properties.cronSpec.pattern}'`,
        'spec.image: Too long: may not be more than 20 bytes',
        'spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10',
        'spec.mode: Unsupported value: "medium": supported values: "fast", "slow"',
        'spec.tags: Too many: 4: must have at most 3 items',
        'spec.tags[1]: Duplicate value: "a"',
        'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
      ],
    );
    const badName = await call(server, 'POST', base, { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'Bad_Name' }, spec: { cronSpec: '* * * * *' } });
    assert.equal(badName.status, 422, 'metadata is validated as for built-ins');
    assert.match(badName.json.message, /metadata.name: Invalid value: "Bad_Name"/);
    const missing = await call(server, 'POST', base, { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'm' }, spec: {} });
    assert.equal(missing.status, 422);
    assert.match(missing.json.message, /spec.cronSpec: Required value/);

    // Watches are served from the CRD's watch cache: the current objects, then changes.
    const ac2 = new AbortController();
    const watch = await server.handler({ method: 'GET', path: base, query: new URLSearchParams('watch=true&resourceVersion=0'), headers: {}, body: new Uint8Array() }, ac2.signal);
    assert.ok(isStreamResponse(watch), 'a watch streams');
    const events: string[] = [];
    const reading = (async () => {
      for await (const chunk of watch.stream) {
        for (const line of chunk.split('\n').filter(Boolean)) {
          const e = JSON.parse(line) as { type: string; object: { metadata: { name: string } } };
          events.push(`${e.type} ${e.object.metadata.name}`);
        }
        if (events.length >= 2) break;
      }
    })();
    assert.equal((await call(server, 'POST', base, { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'c2' }, spec: { cronSpec: '* * * * *' } })).status, 201);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([reading, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
    clearTimeout(timer);
    ac2.abort();
    assert.deepEqual(events, ['ADDED c1', 'ADDED c2']);

    // Another served version reads the same objects (conversion None: only apiVersion differs).
    const beta = await call(server, 'GET', '/apis/stable.example.com/v1beta1/namespaces/default/crontabs/c1');
    assert.equal(beta.status, 200);
    assert.equal(beta.json.apiVersion, 'stable.example.com/v1beta1');
    assert.equal(beta.json.spec.image, 'img');

    // status subresource: the main resource ignores status, /status ignores the rest; generation on spec only.
    const withStatus = { ...c1.json, status: { replicas: 2, labelSelector: 'app=cron' } };
    const st = await call(server, 'PUT', `${base}/c1/status`, { ...withStatus, spec: { ...c1.json.spec, image: 'ignored' } });
    assert.equal(st.status, 200, JSON.stringify(st.json));
    assert.deepEqual(st.json.status, { replicas: 2, labelSelector: 'app=cron' });
    assert.equal(st.json.spec.image, 'img');
    assert.equal(st.json.metadata.generation, 1);
    const upd = await call(server, 'PUT', `${base}/c1`, { ...st.json, spec: { ...st.json.spec, image: 'img2' }, status: { replicas: 7 } });
    assert.equal(upd.status, 200);
    assert.equal(upd.json.metadata.generation, 2);
    assert.deepEqual(upd.json.status, { replicas: 2, labelSelector: 'app=cron' });

    // scale subresource over the CRD's paths.
    const scale = await call(server, 'GET', `${base}/c1/scale`);
    assert.equal(scale.status, 200, JSON.stringify(scale.json));
    assert.deepEqual([scale.json.kind, scale.json.apiVersion, scale.json.spec.replicas, scale.json.status.replicas, scale.json.status.selector], ['Scale', 'autoscaling/v1', 1, 2, 'app=cron']);
    const scaled = await call(server, 'PATCH', `${base}/c1/scale`, { spec: { replicas: 5 } }, { 'content-type': 'application/merge-patch+json' });
    assert.equal(scaled.status, 200, JSON.stringify(scaled.json));
    assert.equal((await call(server, 'GET', `${base}/c1`)).json.spec.replicas, 5);

    // Strategic merge patch is not supported for custom resources.
    const smp = await call(server, 'PATCH', `${base}/c1`, { spec: { image: 'z' } }, { 'content-type': 'application/strategic-merge-patch+json' });
    assert.equal(smp.status, 415);

    // Table output with the printer columns.
    const table = await call(server, 'GET', base, undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    assert.equal(table.status, 200);
    assert.deepEqual(table.json.columnDefinitions.map((c: { name: string }) => c.name), ['Name', 'Spec', 'Replicas', 'Age']);
    assert.deepEqual(table.json.rows[0].cells.slice(0, 3), ['c1', '* * * * */5', 5]);
    assert.deepEqual(table.json.rows[1].cells.slice(0, 3), ['c2', '* * * * *', 1]);

    // OpenAPI v3: the CRD's group-version is published with its schema (kubectl's field validation and explain).
    const root = await call(server, 'GET', '/openapi/v3');
    const gvURL = root.json.paths['apis/stable.example.com/v1']?.serverRelativeURL;
    assert.ok(gvURL, 'the /openapi/v3 root lists the CRD group-version');
    const gvDoc = await call(server, 'GET', gvURL, undefined, { accept: 'application/json' });
    assert.equal(gvDoc.status, 200);
    const schema = gvDoc.json.components.schemas['com.example.stable.v1.CronTab'];
    assert.deepEqual(schema['x-kubernetes-group-version-kind'], [{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);
    assert.ok(schema.properties.spec, 'spec is described');
    const patchOp = gvDoc.json.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}']?.patch;
    assert.ok(patchOp, 'the object path has a PATCH operation');
    assert.ok(!Object.keys(patchOp.requestBody.content).includes('application/strategic-merge-patch+json'), 'no strategic merge patch for CRs');

    // Changing the CRD re-serves it: a new served version and new printer columns show at once.
    const current = (await call(server, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.stable.example.com')).json;
    const changed = structuredClone(current);
    changed.spec.versions[0].additionalPrinterColumns = [{ name: 'Image', type: 'string', jsonPath: '.spec.image' }];
    changed.spec.versions.push({ name: 'v2', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } });
    assert.equal((await call(server, 'PUT', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.stable.example.com', changed)).status, 200);
    let v2 = 404;
    for (let i = 0; i < 1000 && v2 !== 200; i++) {
      await server.crds.idle();
      v2 = (await call(server, 'GET', '/apis/stable.example.com/v2/namespaces/default/crontabs/c1')).status;
      if (v2 !== 200) await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(v2, 200, 'the new version serves the stored objects');
    assert.equal((await call(server, 'GET', '/apis/stable.example.com')).json.preferredVersion.version, 'v2', 'kube-aware version priority');
    const table2 = await call(server, 'GET', base, undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    assert.deepEqual(table2.json.columnDefinitions.map((c: { name: string }) => c.name), ['Name', 'Image']);

    // Restart: the CRD and its objects are served again before the server is ready.
    ac.abort();
    await server.close();
    ({ server, ac } = await start(open));
    const again = await call(server, 'GET', `${base}/c1`);
    assert.equal(again.status, 200, JSON.stringify(again.json));
    assert.equal((await call(server, 'GET', '/apis/stable.example.com/v1')).status, 200);

    // Deleting the CRD: Terminating, its objects deleted, then it and its discovery entries are gone.
    const del = await call(server, 'DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.stable.example.com');
    assert.equal(del.status, 200, JSON.stringify(del.json));
    for (let i = 0; i < 1000; i++) {
      await server.crds.idle();
      if ((await call(server, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.stable.example.com')).status === 404) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal((await call(server, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.stable.example.com')).status, 404);
    assert.equal((await call(server, 'GET', '/apis/stable.example.com/v1')).status, 404);
    assert.equal((await call(server, 'GET', `${base}/c1`)).status, 404);
    const left = await server.store.list({ prefix: '/registry/stable.example.com/' });
    assert.equal(left.kvs.length, 0, 'custom resources are removed from storage');
  } finally {
    ac.abort();
    await server.close();
  }
});

test('a CRD whose names are taken is not established (NamesAccepted False)', async () => {
  const { open } = persistentStore();
  const { server, ac } = await start(open);
  try {
    assert.equal((await call(server, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', cronTabCRD)).status, 201);
    await established(server, 'crontabs.stable.example.com');
    const clash = structuredClone(cronTabCRD);
    clash.metadata.name = 'crons.stable.example.com';
    clash.spec.names = { plural: 'crons', singular: 'cron', kind: 'CronTab', shortNames: [], categories: [] };
    assert.equal((await call(server, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', clash)).status, 201);
    let cond: { status: string; reason: string; message: string } | undefined;
    for (let i = 0; i < 1000 && !cond; i++) {
      await server.crds.idle();
      const got = await call(server, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crons.stable.example.com');
      cond = (got.json.status?.conditions ?? []).find((c: { type: string }) => c.type === 'NamesAccepted');
      if (!cond) await new Promise((r) => setTimeout(r, 10));
    }
    assert.deepEqual(cond && [cond.status, cond.reason, cond.message], ['False', 'KindConflict', '"CronTab" is already in use']);
    assert.equal((await call(server, 'GET', '/apis/stable.example.com/v1/namespaces/default/crons')).status, 404);
    // Once the CRD holding the names is gone, the other one is accepted and served.
    assert.equal((await call(server, 'DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.stable.example.com')).status, 200);
    await established(server, 'crons.stable.example.com');
    assert.equal((await call(server, 'GET', '/apis/stable.example.com/v1/namespaces/default/crons')).status, 200);
    const invalid = await call(server, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { ...structuredClone(cronTabCRD), metadata: { name: 'wrong.stable.example.com' } });
    assert.equal(invalid.status, 422);
    assert.match(invalid.json.message, /metadata.name: Invalid value: "wrong.stable.example.com": must be spec.names.plural\+"."\+spec.group/);
  } finally {
    ac.abort();
    await server.close();
  }
});

test('a CRD being deleted refuses new objects and waits for its objects\' finalizers', async () => {
  const { open } = persistentStore();
  const { server, ac } = await start(open);
  try {
    assert.equal((await call(server, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', cronTabCRD)).status, 201);
    await established(server, 'crontabs.stable.example.com');
    const base = '/apis/stable.example.com/v1/namespaces/default/crontabs';
    const held = { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'held', finalizers: ['example.com/hold'] }, spec: { cronSpec: '* * * * *' } };
    assert.equal((await call(server, 'POST', base, held)).status, 201);
    assert.equal((await call(server, 'DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.stable.example.com')).status, 200);
    let crd: Reply | undefined;
    for (let i = 0; i < 1000; i++) {
      crd = await call(server, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.stable.example.com');
      if ((crd.json.status?.conditions ?? []).some((c: { type: string }) => c.type === 'Terminating')) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const terminating = crd?.json.status.conditions.find((c: { type: string }) => c.type === 'Terminating');
    assert.deepEqual([terminating?.status, terminating?.reason, terminating?.message], ['True', 'InstanceDeletionInProgress', 'CustomResource deletion is in progress']);
    const refused = await call(server, 'POST', base, { ...held, metadata: { name: 'new' } });
    assert.equal(refused.status, 405);
    assert.equal(refused.json.message, 'create not allowed while custom resource definition is terminating');
    const current = await call(server, 'GET', `${base}/held`);
    assert.ok(current.json.metadata.deletionTimestamp, 'the object is being deleted');
    // Releasing the object's finalizer lets the retry finish the CRD's cleanup.
    const released = await call(server, 'PATCH', `${base}/held`, { metadata: { finalizers: null } }, { 'content-type': 'application/merge-patch+json' });
    assert.equal(released.status, 200, JSON.stringify(released.json));
    let gone = false;
    // The cleanup retries every second while objects remain.
    for (let i = 0; i < 1000 && !gone; i++) {
      gone = (await call(server, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.stable.example.com')).status === 404;
      if (!gone) await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(gone, 'the CRD is removed once its objects are gone');
  } finally {
    ac.abort();
    await server.close();
  }
});

test('a cluster-scoped CRD preserving unknown fields serves objects outside namespaces and keeps every field', async () => {
  const { open } = persistentStore();
  const { server, ac } = await start(open);
  try {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'regions.geo.example.com' },
      spec: { group: 'geo.example.com', scope: 'Cluster', names: { plural: 'regions', kind: 'Region' }, versions: [{ name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
    };
    assert.equal((await call(server, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status, 201);
    await established(server, 'regions.geo.example.com');
    const discovery = await call(server, 'GET', '/apis/geo.example.com/v1alpha1');
    assert.deepEqual(
      discovery.json.resources.map((r: { name: string; namespaced: boolean; singularName: string; kind: string }) => [r.name, r.namespaced, r.singularName, r.kind]),
      [['regions', false, 'region', 'Region']],
    );
    const region = { apiVersion: 'geo.example.com/v1alpha1', kind: 'Region', metadata: { name: 'eu' }, anything: { goes: [1, 2] }, status: { up: true } };
    const created = await call(server, 'POST', '/apis/geo.example.com/v1alpha1/regions?fieldValidation=Strict', region);
    assert.equal(created.status, 201, JSON.stringify(created.json));
    assert.deepEqual([created.json.anything, created.json.status], [{ goes: [1, 2] }, { up: true }], 'preserved: nothing pruned; no status subresource');
    assert.equal((await call(server, 'GET', '/apis/geo.example.com/v1alpha1/regions/eu')).status, 200);
    assert.equal((await call(server, 'GET', '/apis/geo.example.com/v1alpha1/namespaces/default/regions/eu')).status, 404);
    assert.equal((await call(server, 'GET', '/apis/geo.example.com/v1alpha1/regions/eu/status')).status, 404, 'no status subresource declared');
    const updated = await call(server, 'PUT', '/apis/geo.example.com/v1alpha1/regions/eu', { ...created.json, status: { up: false } });
    assert.equal(updated.status, 200);
    assert.deepEqual([updated.json.status, updated.json.metadata.generation], [{ up: false }, 2], 'without a status subresource status is written and bumps the generation');
  } finally {
    ac.abort();
    await server.close();
  }
});
