// Tests for discovery: Accept negotiation, legacy documents, aggregated v2/v2beta1, ETags, ordering and 404s,
// against a small hand-made resource list and against the real served-resource table.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResourceInfo } from '../../api/resource-info.js';
import { apiGroupOrder, resources as servedResources, storageResourceFor } from '../../api/resources.js';
import type { HTTPRequest } from '../http-types.js';
import { DiscoveryHandler } from './discovery-handler.js';
import { negotiateDiscovery } from './negotiation.js';
import { storageVersionHash } from './storage-version-hash.js';
import { compareKubeAwareVersions } from './version-priority.js';

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function resource(r: Partial<ResourceInfo> & Pick<ResourceInfo, 'group' | 'version' | 'kind' | 'plural'>): ResourceInfo {
  return {
    listKind: `${r.kind}List`,
    singular: r.kind.toLowerCase(),
    namespaced: true,
    verbs: allVerbs,
    shortNames: [],
    categories: [],
    subresources: [],
    definition: `test.${r.kind}`,
    ...r,
  };
}

const small: ResourceInfo[] = [
  resource({
    group: '',
    version: 'v1',
    kind: 'Pod',
    plural: 'pods',
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      { name: 'status', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
      { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
    ],
  }),
  resource({ group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'] }),
  resource({
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: [{ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] }],
  }),
  resource({ group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers' }),
  resource({ group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers' }),
  resource({ group: 'stable.example.com', version: 'v1beta1', kind: 'CronTab', plural: 'crontabs' }),
  resource({ group: 'stable.example.com', version: 'v1', kind: 'CronTab', plural: 'crontabs' }),
  resource({ group: 'authentication.k8s.io', version: 'v1', kind: 'TokenReview', plural: 'tokenreviews', namespaced: false, verbs: ['create'] }),
];

const order = [
  { group: '', versions: ['v1'] },
  { group: 'apps', versions: ['v1'] },
  { group: 'authentication.k8s.io', versions: ['v1'] },
  { group: 'autoscaling', versions: ['v2', 'v1'] },
];

const v2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const v2beta1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';
const kubectl127Accept = `${v2beta1},application/json`;
const kubectl133Accept = `${v2},${v2beta1},application/json`;

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): HTTPRequest {
  return { method, path, query: new URLSearchParams(), headers };
}

async function json(h: DiscoveryHandler, path: string, headers: Record<string, string> = {}) {
  const res = await h.handle(get(path, headers));
  assert.ok(res, `no reply for ${path}`);
  return { res, body: JSON.parse(String(res.body)) };
}

test('negotiateDiscovery picks exactly what the client asks for', () => {
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'legacy'],
    ['', 'legacy'],
    ['application/json', 'legacy'],
    ['*/*', 'legacy'],
    [kubectl127Accept, 'v2beta1'],
    [kubectl133Accept, 'v2'],
    [v2, 'v2'],
    [`${v2beta1};q=0.5,${v2}`, 'v2'],
    ['application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json', 'legacy'],
    ['application/vnd.kubernetes.protobuf, */*', 'legacy'],
    ['application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json', 'legacy'],
    ['application/json;as=Table;v=v1;g=meta.k8s.io', 'none'],
    ['application/vnd.kubernetes.protobuf', 'none'],
  ];
  for (const [accept, want] of cases) {
    const got = negotiateDiscovery(accept);
    const name = got === undefined ? 'none' : got.kind === 'legacy' ? 'legacy' : got.version;
    assert.equal(name, want, `Accept: ${accept}`);
    if (got?.kind === 'aggregated') assert.equal(got.contentType, got.version === 'v2' ? v2 : v2beta1);
  }
});

test('compareKubeAwareVersions orders GA > beta > alpha, then by number', () => {
  const sorted = ['v1alpha1', 'foo', 'v1', 'v2beta1', 'v1beta2', 'v2', 'v11alpha2', 'v1beta1'].sort(compareKubeAwareVersions);
  assert.deepEqual(sorted, ['v2', 'v1', 'v2beta1', 'v1beta2', 'v1beta1', 'v11alpha2', 'v1alpha1', 'foo']);
});

test('legacy /api and /apis', async () => {
  const h = new DiscoveryHandler({ resources: small, groupOrder: order, serverAddress: '10.0.0.1:6443' });
  const api = await json(h, '/api', { accept: 'application/json' });
  assert.equal(api.res.headers['Content-Type'], 'application/json');
  assert.deepEqual(api.body, {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:6443' }],
  });

  const apis = await json(h, '/apis');
  assert.equal(apis.body.kind, 'APIGroupList');
  assert.equal(apis.body.apiVersion, 'v1');
  assert.deepEqual(
    apis.body.groups.map((g: { name: string }) => g.name),
    ['apps', 'authentication.k8s.io', 'autoscaling', 'stable.example.com'],
  );
  const autoscaling = apis.body.groups[2];
  assert.deepEqual(autoscaling.versions, [
    { groupVersion: 'autoscaling/v2', version: 'v2' },
    { groupVersion: 'autoscaling/v1', version: 'v1' },
  ]);
  assert.deepEqual(autoscaling.preferredVersion, { groupVersion: 'autoscaling/v2', version: 'v2' });
  assert.deepEqual(apis.body.groups[3].preferredVersion, { groupVersion: 'stable.example.com/v1', version: 'v1' });

  // Without a configured address the request's Host is advertised.
  const h2 = new DiscoveryHandler({ resources: small, groupOrder: order });
  assert.equal((await json(h2, '/api/', { host: '127.0.0.1:6443' })).body.serverAddressByClientCIDRs[0].serverAddress, '127.0.0.1:6443');
});

test('legacy APIResourceList with subresources and storage version hashes', async () => {
  const h = new DiscoveryHandler({ resources: small, groupOrder: order });
  const core = (await json(h, '/api/v1')).body;
  assert.equal(core.kind, 'APIResourceList');
  assert.equal(core.groupVersion, 'v1');
  assert.deepEqual(
    core.resources.map((r: { name: string }) => r.name),
    ['namespaces', 'pods', 'pods/eviction', 'pods/log', 'pods/status'],
  );
  const pods = core.resources[1];
  assert.deepEqual(pods, {
    name: 'pods',
    singularName: 'pod',
    namespaced: true,
    kind: 'Pod',
    verbs: allVerbs,
    shortNames: ['po'],
    categories: ['all'],
    storageVersionHash: storageVersionHash('', 'v1', 'Pod'),
  });
  assert.deepEqual(core.resources[2], {
    name: 'pods/eviction',
    singularName: '',
    namespaced: true,
    group: 'policy',
    version: 'v1',
    kind: 'Eviction',
    verbs: ['create'],
  });
  assert.equal(core.resources[4].group, undefined, 'same-group subresources carry no group');

  const apps = (await json(h, '/apis/apps/v1')).body;
  assert.deepEqual(apps.resources[1], {
    name: 'deployments/scale',
    singularName: '',
    namespaced: true,
    group: 'autoscaling',
    version: 'v1',
    kind: 'Scale',
    verbs: ['get', 'patch', 'update'],
  });
  const auth = (await json(h, '/apis/authentication.k8s.io/v1')).body;
  assert.equal(auth.resources[0].storageVersionHash, undefined, 'virtual resources have no storage version');

  const group = (await json(h, '/apis/autoscaling')).body;
  assert.equal(group.kind, 'APIGroup');
  assert.equal(group.preferredVersion.version, 'v2');
});

test('storageVersionHash is the upstream value and follows the storage version', async () => {
  // A real 1.x apiserver reports this hash for pods.
  assert.equal(storageVersionHash('', 'v1', 'Pod'), 'xPOwRZ+Yhw8=');
  const h = new DiscoveryHandler({
    resources: small,
    groupOrder: order,
    storageVersionOf: (r) => (r.group === 'autoscaling' ? { group: 'autoscaling', version: 'v2', kind: r.kind } : r),
  });
  const v1 = (await json(h, '/apis/autoscaling/v1')).body.resources[0].storageVersionHash;
  const v2 = (await json(h, '/apis/autoscaling/v2')).body.resources[0].storageVersionHash;
  assert.equal(v1, v2);
});

test('unknown groups and versions are 404, resource paths are not ours, writes are 405', async () => {
  const h = new DiscoveryHandler({ resources: small, groupOrder: order });
  for (const path of ['/apis/nope', '/apis/nope/v1', '/apis/apps/v2', '/api/v2']) {
    const { res, body } = await json(h, path);
    assert.equal(res.status, 404, path);
    assert.equal(body.reason, 'NotFound');
    assert.equal(body.message, 'the server could not find the requested resource');
  }
  for (const path of ['/api/v1/pods', '/apis/apps/v1/deployments', '/version', '/openapi/v2', '/apisx']) {
    assert.equal(await h.handle(get(path)), undefined, path);
  }
  assert.equal((await h.handle(get('/apis', {}, 'POST')))?.status, 405);
  const head = await h.handle(get('/api/v1', {}, 'HEAD'));
  assert.deepEqual([head?.status, head?.body, head?.headers['Content-Type']], [200, '', 'application/json']);
});

test('aggregated discovery: exact version, content type, Vary and ETag', async () => {
  const h = new DiscoveryHandler({ resources: small, groupOrder: order });
  for (const [accept, version] of [
    [kubectl127Accept, 'v2beta1'],
    [kubectl133Accept, 'v2'],
  ] as const) {
    const { res, body } = await json(h, '/apis', { accept });
    assert.equal(res.headers['Content-Type'], version === 'v2' ? v2 : v2beta1);
    assert.equal(res.headers.Vary, 'Accept');
    assert.match(res.headers.ETag!, /^"[0-9A-F]{128}"$/);
    assert.equal(body.kind, 'APIGroupDiscoveryList');
    assert.equal(body.apiVersion, `apidiscovery.k8s.io/${version}`);
    assert.deepEqual(
      body.items.map((i: { metadata: { name: string } }) => i.metadata.name),
      ['apps', 'authentication.k8s.io', 'autoscaling', 'stable.example.com'],
    );
    assert.deepEqual(
      body.items[2].versions.map((v: { version: string }) => v.version),
      ['v2', 'v1'],
    );
    const deployments = body.items[0].versions[0].resources[0];
    assert.deepEqual(deployments, {
      resource: 'deployments',
      responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      scope: 'Namespaced',
      singularResource: 'deployment',
      verbs: allVerbs,
      shortNames: ['deploy'],
      categories: ['all'],
      subresources: [{ subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] }],
    });
    assert.equal(body.items[0].versions[0].freshness, 'Current');

    const core = await json(h, '/api', { accept });
    assert.equal(core.body.items.length, 1);
    assert.deepEqual(core.body.items[0].metadata, {});
    const pods = core.body.items[0].versions[0].resources.find((r: { resource: string }) => r.resource === 'pods');
    assert.deepEqual(
      pods.subresources.map((s: { subresource: string; responseKind: { group: string } }) => `${s.subresource}:${s.responseKind.group}`),
      ['eviction:policy', 'log:', 'status:'],
    );
    const ns = core.body.items[0].versions[0].resources.find((r: { resource: string }) => r.resource === 'namespaces');
    assert.equal(ns.scope, 'Cluster');

    const again = await h.handle(get('/apis', { accept, 'if-none-match': res.headers.ETag! }));
    assert.equal(again?.status, 304);
    assert.equal(again?.body, '');
  }
  const other = await h.handle(get('/apis', { accept: v2, 'if-none-match': '"stale"' }));
  assert.equal(other?.status, 200);
});

test('setResources changes the documents and the ETag', async () => {
  const h = new DiscoveryHandler({ resources: small.slice(0, 3), groupOrder: order });
  const before = await json(h, '/apis', { accept: v2 });
  assert.equal((await h.handle(get('/apis/stable.example.com/v1')))?.status, 404);
  h.setResources(small);
  const after = await json(h, '/apis', { accept: v2 });
  assert.notEqual(before.res.headers.ETag, after.res.headers.ETag);
  assert.equal((await h.handle(get('/apis/stable.example.com/v1')))?.status, 200);
});

test('the real resource table: upstream group order, kubectl-relevant subresources', async () => {
  const h = new DiscoveryHandler({ resources: servedResources, groupOrder: apiGroupOrder, storageVersionOf: storageResourceFor });
  const apis = (await json(h, '/apis')).body;
  const names: string[] = apis.groups.map((g: { name: string }) => g.name);
  for (const [a, b] of [
    ['apps', 'events.k8s.io'],
    ['autoscaling', 'batch'],
    ['rbac.authorization.k8s.io', 'storage.k8s.io'],
    ['admissionregistration.k8s.io', 'apiextensions.k8s.io'],
  ]) {
    assert.ok(names.indexOf(a) >= 0 && names.indexOf(a) < names.indexOf(b), `${a} before ${b}`);
  }
  // Every listed group-version must answer: a failing GV breaks `kubectl api-resources`.
  for (const g of apis.groups) {
    for (const v of g.versions) assert.equal((await h.handle(get(`/apis/${v.groupVersion}`)))?.status, 200, v.groupVersion);
  }
  const core = (await json(h, '/api/v1')).body.resources as Array<{ name: string; group?: string; version?: string; kind: string }>;
  const find = (name: string) => core.find((r) => r.name === name);
  assert.deepEqual([find('pods/eviction')?.group, find('pods/eviction')?.kind], ['policy', 'Eviction']);
  assert.deepEqual([find('serviceaccounts/token')?.group, find('serviceaccounts/token')?.kind], ['authentication.k8s.io', 'TokenRequest']);
  const hpaV1 = (await json(h, '/apis/autoscaling/v1')).body.resources[0];
  const hpaV2 = (await json(h, '/apis/autoscaling/v2')).body.resources[0];
  assert.equal(hpaV1.storageVersionHash, hpaV2.storageVersionHash);
});
