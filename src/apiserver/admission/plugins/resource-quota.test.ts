import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openMemoryStore } from '../../../storage/memory/memory-store.js';
import { parseCIDR } from '../../allocators/cidr.js';
import { ClusterIPAllocator } from '../../allocators/ip-allocator.js';
import { NodePortAllocator } from '../../allocators/port-allocator.js';
import { storeIPAddressClient } from '../../allocators/testing-ip-addresses.js';
import { newTestServer } from '../../endpoints/testing/harness.js';
import { ServiceAllocation } from '../../registry/services/allocation.js';
import { strategyFor } from '../../registry/strategies.js';
import { AdmissionChain } from '../chain.js';
import { registryReader } from '../object-reader.js';
import { newResourceQuota, usageOf } from './resource-quota.js';

test('usage of one object: counts, pod requests/limits (init containers, overhead), services, claims', () => {
  const show = (u: ReturnType<typeof usageOf>) => Object.fromEntries([...u].map(([k, v]) => [k, v.toString()]));
  assert.deepEqual(show(usageOf({ group: '', resource: 'configmaps' }, { metadata: { name: 'c' } })), { 'count/configmaps': '1', configmaps: '1' });
  assert.deepEqual(show(usageOf({ group: 'apps', resource: 'deployments' }, { metadata: { name: 'd' } })), { 'count/deployments.apps': '1' });
  const pod = {
    spec: {
      initContainers: [{ name: 'i', resources: { requests: { cpu: '2' } } }],
      containers: [
        { name: 'a', resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } } },
        { name: 'b', resources: { requests: { cpu: '250m' } } },
      ],
      overhead: { cpu: '100m' },
    },
  };
  assert.deepEqual(show(usageOf({ group: '', resource: 'pods' }, pod)), {
    'count/pods': '1',
    pods: '1',
    'requests.cpu': '2100m',
    cpu: '2100m',
    'requests.memory': '1Gi',
    memory: '1Gi',
    'limits.memory': '2Gi',
  });
  assert.deepEqual(show(usageOf({ group: '', resource: 'pods' }, { ...pod, status: { phase: 'Succeeded' } })), {});
  assert.deepEqual(show(usageOf({ group: '', resource: 'services' }, { spec: { type: 'NodePort', ports: [{ port: 80 }, { port: 443 }] } })), { 'count/services': '1', services: '1', 'services.nodeports': '2' });
  assert.deepEqual(show(usageOf({ group: '', resource: 'persistentvolumeclaims' }, { spec: { storageClassName: 'fast', resources: { requests: { storage: '5Gi' } } } })), {
    'count/persistentvolumeclaims': '1',
    persistentvolumeclaims: '1',
    'requests.storage': '5Gi',
    'fast.storageclass.storage.k8s.io/persistentvolumeclaims': '1',
    'fast.storageclass.storage.k8s.io/requests.storage': '5Gi',
  });
});

test('through the REST core: exceeded quota, must specify, usage recorded in the quota status', async () => {
  let chain: AdmissionChain | undefined;
  const server = await newTestServer({ strategyFor, namespaces: ['q'], handlerOptions: { admissionFor: (req) => chain?.hooksFor(req) } });
  try {
    chain = new AdmissionChain([newResourceQuota({ reader: registryReader(server.registries), registries: server.registries })]);
    const quota = (name: string, hard: Record<string, string>) =>
      server.request('POST', '/api/v1/namespaces/q/resourcequotas', { body: { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name }, spec: { hard } } });
    assert.equal((await quota('objects', { configmaps: '2' })).status, 201);
    assert.equal((await quota('compute', { 'requests.cpu': '1', 'limits.memory': '1Gi' })).status, 201);
    const cm = (name: string) => server.request('POST', '/api/v1/namespaces/q/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } } });
    assert.equal((await cm('a')).status, 201);
    assert.equal((await cm('b')).status, 201);
    const third = await cm('c');
    assert.equal(third.status, 403, third.text);
    assert.equal(third.json.message, 'configmaps "c" is forbidden: exceeded quota: objects, requested: configmaps=1, used: configmaps=2, limited: configmaps=2');
    assert.deepEqual((await server.request('GET', '/api/v1/namespaces/q/resourcequotas/objects')).json.status, { hard: { configmaps: '2' }, used: { configmaps: '2' } });
    // A deletion frees its unit when the quota controller recomputes usage from the objects (written here as it would).
    assert.equal((await server.request('DELETE', '/api/v1/namespaces/q/configmaps/a')).status, 200);
    assert.equal((await cm('c')).status, 403);
    assert.equal((await recompute(server, 'q', 'objects', { configmaps: '1' })).status, 200);
    assert.equal((await cm('c')).status, 201);

    const pod = (name: string, resources: Record<string, unknown>) =>
      server.request('POST', '/api/v1/namespaces/q/pods', { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'app', image: 'nginx', resources }] } } });
    const unspecified = await pod('p0', { requests: { cpu: '100m' } });
    assert.equal(unspecified.status, 403, unspecified.text);
    assert.equal(unspecified.json.message, 'pods "p0" is forbidden: failed quota: compute: must specify limits.memory for: app');
    assert.equal((await pod('p1', { requests: { cpu: '600m' }, limits: { memory: '512Mi' } })).status, 201);
    const over = await pod('p2', { requests: { cpu: '600m' }, limits: { memory: '256Mi' } });
    assert.equal(over.status, 403, over.text);
    assert.equal(over.json.message, 'pods "p2" is forbidden: exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=600m, limited: requests.cpu=1');

    const status = (await server.request('GET', '/api/v1/namespaces/q/resourcequotas/compute')).json.status;
    assert.deepEqual(status, { hard: { 'requests.cpu': '1', 'limits.memory': '1Gi' }, used: { 'requests.cpu': '600m', 'limits.memory': '512Mi' } });
  } finally {
    server.close();
  }
});

test('racing creates cannot both take the last unit of a quota; dry runs charge nothing; the unit of a failed create waits for the controller', async () => {
  let chain: AdmissionChain | undefined;
  const server = await newTestServer({ strategyFor, namespaces: ['race'], handlerOptions: { admissionFor: (req) => chain?.hooksFor(req) } });
  try {
    chain = new AdmissionChain([newResourceQuota({ reader: registryReader(server.registries), registries: server.registries })]);
    const created = await server.request('POST', '/api/v1/namespaces/race/resourcequotas', { body: { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'one' }, spec: { hard: { configmaps: '1', secrets: '2' } } } });
    assert.equal(created.status, 201, created.text);
    const cm = (name: string) => server.request('POST', '/api/v1/namespaces/race/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } } });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => cm(`c${i}`)));
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 403, 403, 403, 403, 403, 403, 403, 403, 403]);
    for (const r of results.filter((x) => x.status === 403)) {
      assert.match(r.json.message, /^configmaps "c\d" is forbidden: exceeded quota: one, requested: configmaps=1, used: configmaps=1, limited: configmaps=1$/);
    }
    assert.equal((await server.request('GET', '/api/v1/namespaces/race/configmaps')).json.items.length, 1);

    // Dry runs charge nothing. A create refused after admission (its name is taken) keeps its unit until the quota
    // controller recomputes usage from the objects; the status is the reservation, nothing lapses with time.
    const sec = (name: string, query = '') => server.request('POST', `/api/v1/namespaces/race/secrets${query}`, { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name } } });
    for (let i = 0; i < 3; i++) assert.equal((await sec(`dry${i}`, '?dryRun=All')).status, 201);
    assert.equal((await sec('s1')).status, 201);
    assert.equal((await sec('s1')).status, 409);
    const leaked = await sec('s2');
    assert.equal(leaked.status, 403, leaked.text);
    assert.equal(leaked.json.message, 'secrets "s2" is forbidden: exceeded quota: one, requested: secrets=1, used: secrets=2, limited: secrets=2');
    assert.equal((await recompute(server, 'race', 'one', { configmaps: '1', secrets: '1' })).status, 200);
    assert.equal((await sec('s2')).status, 201);
    assert.equal((await sec('s3')).status, 403);
  } finally {
    server.close();
  }
});

test('a quota without status.used counts the objects already there; the first admitted create writes it', async () => {
  let chain: AdmissionChain | undefined;
  const server = await newTestServer({ strategyFor, namespaces: ['pre'], handlerOptions: { admissionFor: (req) => chain?.hooksFor(req) } });
  try {
    chain = new AdmissionChain([newResourceQuota({ reader: registryReader(server.registries), registries: server.registries })]);
    const cm = (name: string) => server.request('POST', '/api/v1/namespaces/pre/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } } });
    for (const name of ['a', 'b']) assert.equal((await cm(name)).status, 201);
    const created = await server.request('POST', '/api/v1/namespaces/pre/resourcequotas', { body: { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard: { 'count/configmaps': '3', secrets: '5' } } } });
    assert.equal(created.status, 201, created.text);
    assert.equal((await cm('c')).status, 201);
    assert.deepEqual((await server.request('GET', '/api/v1/namespaces/pre/resourcequotas/q')).json.status, { hard: { 'count/configmaps': '3', secrets: '5' }, used: { 'count/configmaps': '3' } });
    const over = await cm('d');
    assert.equal(over.status, 403, over.text);
    assert.equal(over.json.message, 'configmaps "d" is forbidden: exceeded quota: q, requested: count/configmaps=1, used: count/configmaps=3, limited: count/configmaps=3');
  } finally {
    server.close();
  }
});

test('two plugin instances (as two apiservers) on one store: conflicting status writes re-evaluate, one create admitted', async () => {
  const chains: AdmissionChain[] = [];
  let turn = 0;
  const server = await newTestServer({ strategyFor, namespaces: ['two'], handlerOptions: { admissionFor: (req) => chains[turn++ % 2]?.hooksFor(req) } });
  try {
    for (let i = 0; i < 2; i++) chains.push(new AdmissionChain([newResourceQuota({ reader: registryReader(server.registries), registries: server.registries })]));
    const created = await server.request('POST', '/api/v1/namespaces/two/resourcequotas', { body: { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard: { 'count/secrets': '3' } } } });
    assert.equal(created.status, 201, created.text);
    const sec = (name: string) => server.request('POST', '/api/v1/namespaces/two/secrets', { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name } } });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => sec(`s${i}`)));
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 201, 201, 403, 403, 403, 403, 403, 403, 403], results.map((r) => r.text).join('\n'));
    assert.equal((await server.request('GET', '/api/v1/namespaces/two/resourcequotas/q')).json.status.used['count/secrets'], '3');
  } finally {
    server.close();
  }
});

test('updates are charged what they add: a Service turned NodePort, a pod resized; other updates charge nothing', async () => {
  let chain: AdmissionChain | undefined;
  const store = openMemoryStore();
  const serviceAllocation = new ServiceAllocation({
    clusterIPs: new ClusterIPAllocator({ cidr: parseCIDR('10.0.0.0/24'), client: storeIPAddressClient(store) }),
    nodePorts: new NodePortAllocator({ store, prefix: '/registry', range: { base: 30000, size: 2768 } }),
  });
  const server = await newTestServer({
    store,
    strategyFor: (g, r) => strategyFor(g, r, { serviceAllocation }),
    namespaces: ['upd'],
    handlerOptions: { admissionFor: (req) => chain?.hooksFor(req) },
  });
  try {
    chain = new AdmissionChain([newResourceQuota({ reader: registryReader(server.registries), registries: server.registries })]);
    const quota = await server.request('POST', '/api/v1/namespaces/upd/resourcequotas', {
      body: { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard: { services: '1', 'services.nodeports': '1', 'requests.cpu': '1' } } },
    });
    assert.equal(quota.status, 201, quota.text);
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }, { port: 443, name: 'https' }] } };
    (svc.spec.ports[0] as Record<string, unknown>).name = 'http';
    const created = await server.request('POST', '/api/v1/namespaces/upd/services', { body: svc });
    assert.equal(created.status, 201, created.text);
    const used = async () => (await server.request('GET', '/api/v1/namespaces/upd/resourcequotas/q')).json.status.used;
    assert.deepEqual(await used(), { services: '1' });
    // A label changes no usage: admitted although services is at its limit (the count does not move).
    const labelled = await server.request('PATCH', '/api/v1/namespaces/upd/services/web', { body: { metadata: { labels: { tier: 'front' } } }, headers: { 'content-type': 'application/merge-patch+json' } });
    assert.equal(labelled.status, 200, labelled.text);
    // Two node ports against a hard limit of one: refused, and the Service stays a ClusterIP Service.
    const nodePort = await server.request('PATCH', '/api/v1/namespaces/upd/services/web', { body: { spec: { type: 'NodePort' } }, headers: { 'content-type': 'application/merge-patch+json' } });
    assert.equal(nodePort.status, 403, nodePort.text);
    assert.equal(nodePort.json.message, 'services "web" is forbidden: exceeded quota: q, requested: services.nodeports=2, used: services.nodeports=0, limited: services.nodeports=1');
    assert.equal((await server.request('GET', '/api/v1/namespaces/upd/services/web')).json.spec.type, 'ClusterIP');

    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '400m' } } }] } };
    assert.equal((await server.request('POST', '/api/v1/namespaces/upd/pods', { body: pod })).status, 201);
    const resize = (cpu: string) =>
      server.request('PATCH', '/api/v1/namespaces/upd/pods/p/resize', { body: { spec: { containers: [{ name: 'app', resources: { requests: { cpu } } }] } }, headers: { 'content-type': 'application/strategic-merge-patch+json' } });
    const grown = await resize('800m');
    assert.equal(grown.status, 200, grown.text);
    assert.equal((await used())['requests.cpu'], '800m');
    const tooBig = await resize('1200m');
    assert.equal(tooBig.status, 403, tooBig.text);
    assert.equal(tooBig.json.message, 'pods "p" is forbidden: exceeded quota: q, requested: requests.cpu=400m, used: requests.cpu=800m, limited: requests.cpu=1');
    // Shrinking adds nothing: admitted, and the units come back when the quota controller recomputes usage.
    assert.equal((await resize('200m')).status, 200);
  } finally {
    server.close();
  }
});

/** Writes a quota's status.used as the quota controller does after recomputing usage from the objects. */
async function recompute(server: Awaited<ReturnType<typeof newTestServer>>, namespace: string, name: string, used: Record<string, string>) {
  const quota = (await server.request('GET', `/api/v1/namespaces/${namespace}/resourcequotas/${name}`)).json;
  return server.request('PUT', `/api/v1/namespaces/${namespace}/resourcequotas/${name}/status`, { body: { ...quota, status: { hard: quota.spec.hard, used } } });
}
