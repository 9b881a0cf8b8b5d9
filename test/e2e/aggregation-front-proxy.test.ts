// k8ts behind k8ts: one in-process apiserver is the aggregator, a second one (with --requestheader-* flags) is
// the extension apiserver serving a CRD group. Requests are authorized on both sides with the front-proxy
// identity in between (the backend publishes its trust in kube-system/extension-apiserver-authentication);
// aggregated discovery (apidiscovery.k8s.io/v2) merges the backend's group with an ETag, and turns it Stale —
// with 503s for its requests — once the backend is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMemoryStore } from '../../src/storage/memory/memory-store.js';
import { defaultAPIServerOptions, type APIServerOptions } from '../../src/apiserver/options.js';
import { runAPIServer, type APIServer } from '../../src/apiserver/server.js';
import { generateSelfSigned } from '../../src/apiserver/serving-cert.js';
import type { APIObject } from '../../src/apiserver/registry/strategy.js';
import { generateFrontProxyPKI } from '../harness/extension-apiserver.js';
import { waitFor } from '../harness/wait-for.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function request(port: number, path: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path, method, rejectUnauthorized: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const tokens = 'admin-token,admin,1,"system:masters"\nalice-token,alice,2,"dev"\nbob-token,bob,3,"dev"\n';
const aggregatedAccept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

async function start(opts: Partial<APIServerOptions>, dns: string[], deps: Parameters<typeof runAPIServer>[2] = {}): Promise<{ server: APIServer; ca: string }> {
  const cert = await generateSelfSigned({ dns: ['localhost', ...dns], ips: ['127.0.0.1'] });
  const server = await runAPIServer({ ...defaultAPIServerOptions('/nonexistent'), securePort: 0, bindAddress: '127.0.0.1', authorizationMode: ['RBAC'], ...opts }, new AbortController().signal, {
    openStore: async () => openMemoryStore(),
    servingCert: cert,
    ...deps,
  });
  return { server, ca: cert.ca };
}

/** A ClusterRole on `resource` of `group` bound to `user`, written straight into a server's registries. */
async function grant(server: APIServer, user: string, group: string, resource: string): Promise<void> {
  const name = `${user}-${resource}`;
  await server.registries.get('rbac.authorization.k8s.io', 'clusterroles')!.create({
    namespace: '',
    obj: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules: [{ apiGroups: [group], resources: [resource], verbs: ['get', 'list', 'watch'] }] } as APIObject,
  });
  await server.registries.get('rbac.authorization.k8s.io', 'clusterrolebindings')!.create({
    namespace: '',
    obj: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
    } as APIObject,
  });
}

test('an aggregator k8ts in front of an extension k8ts that trusts its front-proxy certificate', async (t) => {
  const pki = await generateFrontProxyPKI();
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-front-proxy-e2e-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  t.after(() => rm(pki.dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'tokens.csv'), tokens);

  const backend = await start(
    {
      requestheaderClientCAFile: pki.caFile,
      requestheaderAllowedNames: [pki.clientCN],
      requestheaderUsernameHeaders: ['X-Remote-User'],
      requestheaderGroupHeaders: ['X-Remote-Group'],
      requestheaderExtraHeadersPrefix: ['X-Remote-Extra-'],
    },
    ['widgets-api.ext.svc'],
  );
  let backendClosed = false;
  t.after(async () => {
    if (!backendClosed) await backend.server.close();
  });
  const aggregator = await start({ tokenAuthFile: join(dir, 'tokens.csv'), proxyClientCertFile: pki.clientCertFile, proxyClientKeyFile: pki.clientKeyFile }, [], {
    aggregator: { resyncMs: 100, retryMs: 100 },
  });
  t.after(() => aggregator.server.close());

  // The backend publishes how it trusts front proxies, as upstream's cluster authentication trust controller does.
  const published = (await backend.server.registries.get('', 'configmaps')!.get({ namespace: 'kube-system', name: 'extension-apiserver-authentication' })) as { data: Record<string, string> };
  assert.deepEqual(Object.keys(published.data).sort(), [
    'requestheader-allowed-names',
    'requestheader-client-ca-file',
    'requestheader-extra-headers-prefix',
    'requestheader-group-headers',
    'requestheader-uid-headers',
    'requestheader-username-headers',
  ]);
  assert.equal(published.data['requestheader-client-ca-file'], pki.caPEM);
  assert.equal(published.data['requestheader-allowed-names'], '["front-proxy-client"]');
  assert.equal(published.data['requestheader-username-headers'], '["X-Remote-User"]');

  // The extension apiserver serves widgets.example.com; alice may read them on both sides, bob only on the aggregator.
  const schema = { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } };
  await backend.server.registries.get('apiextensions.k8s.io', 'customresourcedefinitions')!.create({
    namespace: '',
    obj: {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true, schema }] },
    } as APIObject,
  });
  await waitFor('the widgets CRD served', async () => (backend.server.registries.get('example.com', 'widgets', 'v1') ? true : undefined));
  await backend.server.registries.get('', 'namespaces')!.create({ namespace: '', obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as APIObject }).catch(() => undefined);
  await backend.server.registries.get('example.com', 'widgets', 'v1')!.create({ namespace: 'default', obj: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w-1', namespace: 'default' } } as APIObject });
  await grant(backend.server, 'alice', 'example.com', 'widgets');
  await grant(aggregator.server, 'alice', 'example.com', 'widgets');
  await grant(aggregator.server, 'bob', 'example.com', 'widgets');

  // Register the backend: an ExternalName Service towards 127.0.0.1 and the APIService.
  await aggregator.server.registries.get('', 'namespaces')!.create({ namespace: '', obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ext' } } as APIObject });
  await aggregator.server.registries.get('', 'services')!.create({
    namespace: 'ext',
    obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'widgets-api', namespace: 'ext' }, spec: { type: 'ExternalName', externalName: '127.0.0.1' } } as APIObject,
  });
  await aggregator.server.registries.get('apiregistration.k8s.io', 'apiservices')!.create({
    namespace: '',
    obj: {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1.example.com' },
      spec: {
        group: 'example.com',
        version: 'v1',
        groupPriorityMinimum: 1000,
        versionPriority: 15,
        caBundle: Buffer.from(backend.ca).toString('base64'),
        service: { namespace: 'ext', name: 'widgets-api', port: backend.server.securePort },
      },
    } as APIObject,
  });
  const port = aggregator.server.securePort;
  const as = (user: string) => ({ authorization: `Bearer ${user}-token`, accept: 'application/json' });
  await waitFor('v1.example.com available', async () => {
    const r = await request(port, '/apis/apiregistration.k8s.io/v1/apiservices/v1.example.com', as('admin'));
    const c = JSON.parse(r.text).status?.conditions?.find((x: { type: string }) => x.type === 'Available');
    return c?.status === 'True' ? c : undefined;
  });

  // alice: allowed by both; the backend sees her through the request headers.
  const list = await request(port, '/apis/example.com/v1/namespaces/default/widgets', as('alice'));
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(
    JSON.parse(list.text).items.map((w: { metadata: { name: string } }) => w.metadata.name),
    ['w-1'],
  );
  // bob: allowed by the aggregator, refused by the extension apiserver, which names him.
  const bob = await request(port, '/apis/example.com/v1/namespaces/default/widgets', as('bob'));
  assert.equal(bob.status, 403, bob.text);
  assert.equal(JSON.parse(bob.text).message, 'widgets.example.com is forbidden: User "bob" cannot list resource "widgets" in API group "example.com" in the namespace "default"');
  // Impersonation is resolved by the aggregator: the backend sees the impersonated user, not the impersonator.
  const asBob = await request(port, '/apis/example.com/v1/namespaces/default/widgets', { ...as('admin'), 'impersonate-user': 'bob' });
  assert.equal(asBob.status, 403, asBob.text);
  assert.match(JSON.parse(asBob.text).message, /User "bob" cannot list resource "widgets"/);
  const asAlice = await request(port, '/apis/example.com/v1/namespaces/default/widgets', { ...as('admin'), 'impersonate-user': 'alice' });
  assert.equal(asAlice.status, 200, asAlice.text);

  // A write carries its body through; the backend authorizes admin by the forwarded system:masters group.
  const created = await request(port, '/apis/example.com/v1/namespaces/default/widgets', { ...as('admin'), 'content-type': 'application/json' }, 'POST', JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w-2' } }));
  assert.equal(created.status, 201, created.text);
  assert.equal(JSON.parse(created.text).metadata.namespace, 'default');
  const refused = await request(port, '/apis/example.com/v1/namespaces/default/widgets', { ...as('alice'), 'content-type': 'application/json' }, 'POST', JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w-3' } }));
  assert.equal(refused.status, 403, refused.text);
  assert.match(JSON.parse(refused.text).message, /User "alice" cannot create resource "widgets" in API group "example\.com"/);

  // Nobody reaches the backend without the aggregator's certificate: a direct request with headers is anonymous.
  const direct = await request(backend.server.securePort, '/apis/example.com/v1/namespaces/default/widgets', { 'x-remote-user': 'alice', accept: 'application/json' });
  assert.equal(direct.status, 403, direct.text);
  assert.match(JSON.parse(direct.text).message, /User "system:anonymous" cannot list/);

  // Aggregated discovery: example.com/v1 is merged in, with an ETag that answers 304.
  const discovery = await waitFor('example.com in aggregated discovery', async () => {
    const r = await request(port, '/apis', { ...as('alice'), accept: aggregatedAccept });
    const doc = JSON.parse(r.text);
    const item = doc.items.find((i: { metadata: { name?: string } }) => i.metadata.name === 'example.com');
    return item ? { r, item } : undefined;
  });
  assert.equal(discovery.r.headers['content-type'], aggregatedAccept);
  assert.deepEqual(discovery.item.versions[0].resources.map((r: { resource: string; scope: string }) => `${r.resource} ${r.scope}`), ['widgets Namespaced']);
  assert.equal(discovery.item.versions[0].freshness, 'Current');
  const etag = String(discovery.r.headers.etag);
  const notModified = await request(port, '/apis', { ...as('alice'), accept: aggregatedAccept, 'if-none-match': etag });
  assert.equal(notModified.status, 304);
  const legacy = JSON.parse((await request(port, '/apis', as('alice'))).text);
  assert.deepEqual(legacy.groups.at(-1), { name: 'example.com', versions: [{ groupVersion: 'example.com/v1', version: 'v1' }], preferredVersion: { groupVersion: 'example.com/v1', version: 'v1' } });

  // OpenAPI v3: the root lists the remote group-version; its document comes from the backend.
  const root = JSON.parse((await request(port, '/openapi/v3', as('alice'))).text) as { paths: Record<string, { serverRelativeURL: string }> };
  assert.ok(root.paths['apis/apps/v1'], 'local group-versions stay listed');
  const remoteURL = root.paths['apis/example.com/v1']?.serverRelativeURL ?? '';
  assert.match(remoteURL, /^\/openapi\/v3\/apis\/example\.com\/v1\?hash=[0-9A-F]+$/);
  const spec = await request(port, remoteURL, as('alice'));
  assert.equal(spec.status, 200, spec.text);
  assert.ok(Object.keys(JSON.parse(spec.text).components.schemas).some((k) => k === 'com.example.v1.Widget'), spec.text.slice(0, 300));

  // The backend goes away: FailedDiscoveryCheck, Stale discovery, 503 for its requests.
  await backend.server.close();
  backendClosed = true;
  const down = await waitFor('v1.example.com unavailable', async () => {
    const r = await request(port, '/apis/apiregistration.k8s.io/v1/apiservices/v1.example.com', as('admin'));
    const c = JSON.parse(r.text).status?.conditions?.find((x: { type: string }) => x.type === 'Available');
    return c?.status === 'False' ? c : undefined;
  });
  assert.equal(down.reason, 'FailedDiscoveryCheck');
  const metrics = (await request(port, '/metrics', as('admin'))).text;
  assert.match(metrics, /\naggregator_unavailable_apiservice\{name="v1\.example\.com"\} 1\n/);
  assert.match(metrics, /\naggregator_unavailable_apiservice\{name="v1\.apps"\} 0\n/);
  assert.match(metrics, /\naggregator_unavailable_apiservice_total\{name="v1\.example\.com",reason="FailedDiscoveryCheck"\} 1\n/);
  const stale = JSON.parse((await request(port, '/apis', { ...as('alice'), accept: aggregatedAccept })).text);
  assert.equal(stale.items.find((i: { metadata: { name?: string } }) => i.metadata.name === 'example.com').versions[0].freshness, 'Stale');
  const unavailable = await request(port, '/apis/example.com/v1/namespaces/default/widgets', as('alice'));
  assert.equal(unavailable.status, 503);
  assert.equal(unavailable.text, 'service unavailable\n');
});
