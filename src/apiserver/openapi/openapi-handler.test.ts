// Tests for the OpenAPI endpoints: the v3 root and per-group-version documents (what kubectl's field
// validation, explain and apply read), caching semantics, and /openapi/v2 as JSON and gnostic protobuf.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import protobuf from 'protobufjs';
import type { ResourceInfo } from '../../api/resource-info.js';
import { resources } from '../../api/resources.js';
import { allDefinitions } from '../../api/schema.js';
import type { HTTPRequest } from '../http-types.js';
import type { OpenAPISource } from './documents.js';
import { OpenAPIHandler } from './openapi-handler.js';

const source: OpenAPISource = { resources, definitions: allDefinitions(), isBuiltin: () => true };

function get(pathAndQuery: string, headers: Record<string, string> = {}): HTTPRequest {
  const [path, query] = pathAndQuery.split('?');
  return { method: 'GET', path: path!, query: new URLSearchParams(query ?? ''), headers };
}

async function fetchJSON(h: OpenAPIHandler, url: string, headers: Record<string, string> = {}) {
  const res = await h.handle(get(url, headers));
  assert.ok(res, `no reply for ${url}`);
  assert.equal(res.status, 200, `${url}: ${String(res.body).slice(0, 200)}`);
  return { res, body: JSON.parse(Buffer.from(res.body as Uint8Array).toString()) };
}

test('/openapi/v3 root lists every served group-version with its hash', async () => {
  const h = new OpenAPIHandler(source);
  const { res, body } = await fetchJSON(h, '/openapi/v3');
  assert.equal(res.headers['Content-Type'], 'application/json');
  assert.match(res.headers.ETag!, /^"[0-9A-F]{128}"$/);
  const keys = Object.keys(body.paths);
  for (const k of ['api/v1', 'apis/apps/v1', 'apis/autoscaling/v1', 'apis/autoscaling/v2', 'apis/policy/v1', 'apis/batch/v1']) {
    assert.ok(keys.includes(k), `root lacks ${k}`);
  }
  for (const [key, entry] of Object.entries(body.paths as Record<string, { serverRelativeURL: string }>)) {
    assert.match(entry.serverRelativeURL, new RegExp(`^/openapi/v3/${key.replace(/\./g, '\\.')}\\?hash=[0-9A-F]{128}$`));
  }
});

test('group-version documents carry what kubectl field validation, explain and apply need', async () => {
  const h = new OpenAPIHandler(source);
  const root = (await fetchJSON(h, '/openapi/v3')).body;
  const cases: Array<{ gv: string; path: string; kind: string; group: string; version: string; schema: string }> = [
    { gv: 'apis/apps/v1', path: '/apis/apps/v1/namespaces/{namespace}/deployments/{name}', kind: 'Deployment', group: 'apps', version: 'v1', schema: 'io.k8s.api.apps.v1.Deployment' },
    { gv: 'api/v1', path: '/api/v1/namespaces/{namespace}/pods/{name}', kind: 'Pod', group: '', version: 'v1', schema: 'io.k8s.api.core.v1.Pod' },
    { gv: 'api/v1', path: '/api/v1/namespaces/{name}', kind: 'Namespace', group: '', version: 'v1', schema: 'io.k8s.api.core.v1.Namespace' },
    { gv: 'apis/batch/v1', path: '/apis/batch/v1/namespaces/{namespace}/jobs/{name}', kind: 'Job', group: 'batch', version: 'v1', schema: 'io.k8s.api.batch.v1.Job' },
    { gv: 'apis/rbac.authorization.k8s.io/v1', path: '/apis/rbac.authorization.k8s.io/v1/clusterroles/{name}', kind: 'ClusterRole', group: 'rbac.authorization.k8s.io', version: 'v1', schema: 'io.k8s.api.rbac.v1.ClusterRole' },
  ];
  for (const c of cases) {
    const { res, body } = await fetchJSON(h, root.paths[c.gv].serverRelativeURL, { accept: 'application/json' });
    assert.equal(body.openapi, '3.0.0');
    assert.equal(res.headers['Cache-Control'], 'public, immutable');
    assert.equal(res.headers.Vary, 'Accept');
    assert.ok(res.headers.Expires);
    const patch = body.paths[c.path]?.patch;
    assert.ok(patch, `${c.path} has no patch operation`);
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: c.group, kind: c.kind, version: c.version });
    assert.equal(patch['x-kubernetes-action'], 'patch');
    const paramNames = patch.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`);
    for (const p of ['query:fieldValidation', 'query:dryRun', 'query:fieldManager']) assert.ok(paramNames.includes(p), `${c.path} patch lacks ${p}`);
    assert.deepEqual(Object.keys(patch.requestBody.content), [
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
      'application/apply-patch+yaml',
    ]);
    for (const method of ['get', 'put', 'delete']) assert.equal(body.paths[c.path][method]?.['x-kubernetes-group-version-kind']?.kind, c.kind);
    const schema = body.components.schemas[c.schema];
    assert.ok(schema, `${c.gv} lacks ${c.schema}`);
    assert.deepEqual(schema['x-kubernetes-group-version-kind'], [{ group: c.group, kind: c.kind, version: c.version }]);
    // Every reference resolves inside the document.
    const text = JSON.stringify(body);
    for (const m of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) assert.ok(body.components.schemas[m[1]!], `${c.gv}: dangling ref ${m[1]}`);
  }

  const apps = (await fetchJSON(h, root.paths['apis/apps/v1'].serverRelativeURL)).body;
  const spec = apps.components.schemas['io.k8s.api.apps.v1.DeploymentSpec'];
  assert.deepEqual(spec.required, ['selector', 'template']);
  assert.deepEqual(spec.properties.replicas, { type: 'integer', format: 'int32' });
  assert.deepEqual(spec.properties.strategy, {
    allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy' }],
    'x-kubernetes-patch-strategy': 'retainKeys',
  });
  const containers = apps.components.schemas['io.k8s.api.core.v1.PodSpec'].properties.containers;
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(containers['x-kubernetes-list-type'], 'map');
  assert.deepEqual(containers.items, { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' });
  assert.deepEqual(apps.components.schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString'], { type: 'string', format: 'int-or-string' });
  assert.deepEqual(apps.components.schemas['io.k8s.apimachinery.pkg.api.resource.Quantity'], { type: 'string' });
  const scale = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
  assert.deepEqual(scale.put['x-kubernetes-group-version-kind'], { group: 'autoscaling', kind: 'Scale', version: 'v1' });
  assert.ok(apps.components.schemas['io.k8s.api.autoscaling.v1.Scale']);

  const autoscaling = (await fetchJSON(h, root.paths['apis/autoscaling/v1'].serverRelativeURL)).body;
  assert.ok(autoscaling.components.schemas['io.k8s.api.autoscaling.v1.Scale'], 'autoscaling/v1 carries Scale for edit --subresource=scale');

  const core = (await fetchJSON(h, root.paths['api/v1'].serverRelativeURL)).body;
  assert.equal(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/exec'].post['x-kubernetes-action'], 'connect');
  assert.equal(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/eviction'].post['x-kubernetes-group-version-kind'].group, 'policy');
  assert.equal(core.paths['/api/v1/namespaces/{namespace}/pods'].get.operationId, 'listCoreV1NamespacedPod');
  assert.equal(core.paths['/api/v1/pods'].get.operationId, 'listCoreV1PodForAllNamespaces');
});

test('custom resources do not advertise strategic merge patch', async () => {
  const crd: ResourceInfo = {
    group: 'stable.example.com', version: 'v1', kind: 'CronTab', listKind: 'CronTabList', plural: 'crontabs', singular: 'crontab',
    namespaced: true, verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: [],
    categories: [], subresources: [], definition: 'com.example.stable.v1.CronTab',
  };
  const definitions = {
    ...allDefinitions(),
    'com.example.stable.v1.CronTab': {
      name: 'com.example.stable.v1.CronTab', type: 'object' as const,
      fields: { apiVersion: { type: 'string' as const }, kind: { type: 'string' as const }, spec: { type: 'object' as const, preserveUnknownFields: true } },
      gvks: [{ group: 'stable.example.com', version: 'v1', kind: 'CronTab' }],
    },
  };
  const h = new OpenAPIHandler({ resources: [...resources, crd], definitions, isBuiltin: (r) => r.group !== 'stable.example.com' });
  const doc = (await fetchJSON(h, '/openapi/v3/apis/stable.example.com/v1')).body;
  const patch = doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}'].patch;
  assert.deepEqual(Object.keys(patch.requestBody.content), ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']);
  assert.deepEqual(doc.components.schemas['com.example.stable.v1.CronTab'].properties.spec, { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  // No CronTabList definition was given: the list operation has no schema rather than a dangling reference.
  const list = doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs'].get;
  assert.deepEqual(list.responses['200'], { description: 'OK' });
  assert.ok(!JSON.stringify(doc).includes('CronTabList'));
});

test('hash redirect, ETag/304, 404, 406 and cache invalidation', async () => {
  let clock = new Date('2026-01-01T00:00:00Z');
  const h = new OpenAPIHandler(source, () => clock);
  const root = (await fetchJSON(h, '/openapi/v3')).body;
  const url: string = root.paths['apis/apps/v1'].serverRelativeURL;

  const stale = await h.handle(get('/openapi/v3/apis/apps/v1?hash=0123'));
  assert.equal(stale?.status, 301);
  assert.equal(stale?.headers.Location, url);

  const fresh = await h.handle(get(url));
  assert.equal(fresh?.headers.Expires, 'Fri, 01 Jan 2027 00:00:00 GMT');
  const unhashed = await h.handle(get('/openapi/v3/apis/apps/v1'));
  assert.equal(unhashed?.status, 200);
  assert.equal(unhashed?.headers['Cache-Control'], undefined, 'only hashed URLs are immutable');
  const notModified = await h.handle(get('/openapi/v3/apis/apps/v1', { 'if-none-match': fresh!.headers.ETag! }));
  assert.equal(notModified?.status, 304);

  assert.equal((await h.handle(get('/openapi/v3/apis/nope/v1')))?.status, 404);
  assert.equal((await h.handle(get(url, { accept: 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf' })))?.status, 406);
  assert.equal(await h.handle(get('/openapi/v4')), undefined);
  assert.equal(await h.handle(get('/openapiz')), undefined);

  clock = new Date('2026-02-01T00:00:00Z');
  const fewer = resources.filter((r) => r.group !== 'batch');
  h.setSource({ ...source, resources: fewer });
  const after = (await fetchJSON(h, '/openapi/v3')).body;
  assert.equal(after.paths['apis/batch/v1'], undefined);
  assert.equal(after.paths['apis/apps/v1'].serverRelativeURL, url, 'an unchanged document keeps its hash');
});

test('/openapi/v2 as JSON and as gnostic protobuf', async () => {
  const h = new OpenAPIHandler(source);
  h.warm();
  const { res, body } = await fetchJSON(h, '/openapi/v2', { accept: 'application/json' });
  assert.equal(res.headers['Content-Type'], 'application/json');
  assert.equal(body.swagger, '2.0');
  const patch = body.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
  assert.equal(patch.operationId, 'patchAppsV1NamespacedDeployment');
  assert.ok(patch.consumes.includes('application/strategic-merge-patch+json'));
  assert.deepEqual(body.definitions['io.k8s.api.apps.v1.DeploymentSpec'].properties.selector, { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector' });

  // kubectl 1.27/1.28 ask with the "@" spelling and need the "." spelling back.
  const pb = await h.handle(get('/openapi/v2', { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' }));
  assert.equal(pb?.status, 200);
  assert.equal(pb?.headers['Content-Type'], 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');

  // Decode with an independent reader built from gnostic's field numbers.
  const root = protobuf.Root.fromJSON({
    nested: {
      Document: { fields: { swagger: { type: 'string', id: 1 }, info: { type: 'Info', id: 2 }, paths: { type: 'Paths', id: 8 }, definitions: { type: 'Definitions', id: 9 } } },
      Info: { fields: { title: { type: 'string', id: 1 }, version: { type: 'string', id: 2 } } },
      Paths: { fields: { path: { rule: 'repeated', type: 'NamedPathItem', id: 2 } } },
      NamedPathItem: { fields: { name: { type: 'string', id: 1 }, value: { type: 'PathItem', id: 2 } } },
      PathItem: { fields: { get: { type: 'Operation', id: 2 }, patch: { type: 'Operation', id: 8 } } },
      Operation: { fields: { operationId: { type: 'string', id: 5 }, consumes: { rule: 'repeated', type: 'string', id: 7 }, vendorExtension: { rule: 'repeated', type: 'NamedAny', id: 13 } } },
      NamedAny: { fields: { name: { type: 'string', id: 1 }, value: { type: 'Any', id: 2 } } },
      Any: { fields: { yaml: { type: 'string', id: 2 } } },
      Definitions: { fields: { additionalProperties: { rule: 'repeated', type: 'NamedSchema', id: 1 } } },
      NamedSchema: { fields: { name: { type: 'string', id: 1 }, value: { type: 'Schema', id: 2 } } },
      Schema: { fields: { ref: { type: 'string', id: 1 }, required: { rule: 'repeated', type: 'string', id: 19 }, type: { type: 'TypeItem', id: 22 }, properties: { type: 'Properties', id: 25 }, vendorExtension: { rule: 'repeated', type: 'NamedAny', id: 31 } } },
      TypeItem: { fields: { value: { rule: 'repeated', type: 'string', id: 1 } } },
      Properties: { fields: { additionalProperties: { rule: 'repeated', type: 'NamedSchema', id: 1 } } },
    },
  });
  const decoded = root.lookupType('Document').decode(pb!.body as Uint8Array).toJSON() as any;
  assert.equal(decoded.swagger, '2.0');
  assert.equal(decoded.info.title, 'Kubernetes');
  const item = decoded.paths.path.find((p: any) => p.name === '/apis/apps/v1/namespaces/{namespace}/deployments/{name}');
  assert.equal(item.value.patch.operationId, 'patchAppsV1NamespacedDeployment');
  const gvk = item.value.patch.vendorExtension.find((e: any) => e.name === 'x-kubernetes-group-version-kind');
  assert.deepEqual(JSON.parse(gvk.value.yaml), { group: 'apps', kind: 'Deployment', version: 'v1' });
  const deploymentSpec = decoded.definitions.additionalProperties.find((d: any) => d.name === 'io.k8s.api.apps.v1.DeploymentSpec');
  assert.deepEqual(deploymentSpec.value.required, ['selector', 'template']);
  const replicas = deploymentSpec.value.properties.additionalProperties.find((p: any) => p.name === 'replicas');
  assert.deepEqual(replicas.value.type.value, ['integer']);
  assert.equal(decoded.definitions.additionalProperties.length, Object.keys(body.definitions).length);
});
