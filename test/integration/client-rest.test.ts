// The client library's REST layer against an in-process apiserver (memory store): CRUD, patches, watches,
// Status errors, over HTTPS (HTTP/2, CA-verified) and over the plain insecure port.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlreadyExists, isConflict, isNotFound, isResourceExpired, isInvalid, type Status } from '../../src/apimachinery/errors.js';
import { defaultAPIServerOptions } from '../../src/apiserver/options.js';
import { type APIServer, runAPIServer } from '../../src/apiserver/server.js';
import { generateSelfSigned } from '../../src/apiserver/serving-cert.js';
import type { Interface, KubeObject, WatchEvent } from '../../src/client/rest/interface.js';
import type { RESTConfig } from '../../src/client/rest/config.js';
import { newClient } from '../../src/client/rest/rest-client.js';
import { typedClient } from '../../src/client/typed.js';
import { loadClientConfig } from '../../src/client/kubeconfig/loader.js';
import { openMemoryStore } from '../../src/storage/memory/memory-store.js';
import { freePort } from '../harness/free-port.js';

const configmaps = { group: '', version: 'v1', resource: 'configmaps' };
const namespaces = { group: '', version: 'v1', resource: 'namespaces' };

interface Cluster {
  server: APIServer;
  ca: string;
}

/** A server whose store already holds a few configmaps, so the watch cache's history starts after them. */
async function startServer(t: TestContext): Promise<Cluster> {
  const cert = await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] });
  const store = openMemoryStore();
  for (let i = 0; i < 3; i++) {
    await store.create(`/registry/configmaps/old/pre${i}`, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `pre${i}`, namespace: 'old' } }));
  }
  const opts = { ...defaultAPIServerOptions('/nonexistent'), securePort: 0, insecurePort: 0, bindAddress: '127.0.0.1', advertiseAddress: '127.0.0.1' };
  const ac = new AbortController();
  const server = await runAPIServer({ ...opts, insecurePort: await freePort() }, ac.signal, { openStore: async () => store, servingCert: cert });
  t.after(async () => {
    ac.abort();
    await server.close();
  });
  return { server, ca: cert.ca };
}

/**
 * Runs `body` once per transport, each with its own client and a fresh namespace `<prefix>-tls` or
 * `<prefix>-plain`.
 */
async function forEachTransport(t: TestContext, prefix: string, body: (client: Interface, ns: string, config: RESTConfig) => Promise<void>): Promise<void> {
  const c = await startServer(t);
  const transports: Array<[string, string, RESTConfig]> = [
    ['https (HTTP/2)', 'tls', { host: `https://127.0.0.1:${c.server.securePort}`, caData: c.ca, qps: -1 }],
    ['http (insecure port)', 'plain', { host: `http://127.0.0.1:${c.server.insecurePort}`, qps: -1 }],
  ];
  for (const [name, suffix, config] of transports) {
    const client = newClient(config);
    t.after(() => client.close());
    await t.test(name, async () => {
      const ns = `${prefix}-${suffix}`;
      await client.resource(namespaces).create({ metadata: { name: ns } });
      await body(client, ns, config);
    });
  }
}

/** Collects events until `done` says so; the watch's signal is aborted afterwards. */
async function collect<T extends KubeObject>(events: AsyncIterable<WatchEvent<T>>, done: (seen: WatchEvent<T>[]) => boolean): Promise<WatchEvent<T>[]> {
  const seen: WatchEvent<T>[] = [];
  for await (const e of events) {
    seen.push(e);
    if (done(seen)) break;
  }
  return seen;
}

test('CRUD, patches, subresources and Status errors through the dynamic and typed clients', async (t) => {
  await forEachTransport(t, 'crud', async (client, ns, config) => {
    const cms = client.resource(configmaps, ns);

    const created = await cms.create({ metadata: { name: 'a', labels: { app: 'x' } }, data: { k: 'v' } });
    assert.equal(created.metadata?.namespace, ns);
    assert.ok(created.metadata?.resourceVersion);
    await assert.rejects(cms.create({ metadata: { name: 'a' } }), isAlreadyExists);

    const got = await cms.get('a');
    assert.deepEqual(got.data, { k: 'v' });
    await assert.rejects(cms.get('missing'), (err: Error) => isNotFound(err) && err.message === 'configmaps "missing" not found');

    const updated = await cms.update({ ...got, data: { k: 'v2' } });
    assert.notEqual(updated.metadata?.resourceVersion, got.metadata?.resourceVersion);
    await assert.rejects(cms.update({ ...got, data: { k: 'stale' } }), isConflict, 'a stale resourceVersion conflicts');

    const patchCases: Array<{ type: 'merge' | 'json' | 'strategic' | 'apply'; patch: unknown; want: Record<string, string>; fieldManager?: string }> = [
      { type: 'merge', patch: { data: { m: '1' } }, want: { k: 'v2', m: '1' } },
      { type: 'json', patch: [{ op: 'add', path: '/data/j', value: '2' }], want: { k: 'v2', m: '1', j: '2' } },
      { type: 'strategic', patch: { data: { s: '3' } }, want: { k: 'v2', m: '1', j: '2', s: '3' } },
      { type: 'apply', patch: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { a: '4' } }, want: { k: 'v2', m: '1', j: '2', s: '3', a: '4' }, fieldManager: 'test' },
    ];
    for (const pc of patchCases) {
      const patched = await cms.patch('a', pc.type, pc.patch, { fieldManager: pc.fieldManager });
      assert.deepEqual(patched.data, pc.want, `${pc.type} patch`);
    }
    await assert.rejects(cms.patch('a', 'json', [{ op: 'test', path: '/data/k', value: 'nope' }]), (err: Error & { code?: number }) => err.code === 422 || isInvalid(err));

    const warned: string[] = [];
    const warnClient = newClient(config, { warningHandler: (w) => warned.push(w) });
    await warnClient.resource(configmaps, ns).create({ metadata: { name: 'warned' }, bogus: 1 }, { fieldValidation: 'Warn', dryRun: true });
    warnClient.close();
    assert.deepEqual(warned, ['unknown field "bogus"'], 'Warning headers reach the warning handler');

    const dry = await cms.create({ metadata: { name: 'dry' } }, { dryRun: true });
    assert.equal(dry.metadata?.name, 'dry');
    await assert.rejects(cms.get('dry'), isNotFound, 'dry run stored nothing');

    await cms.create({ metadata: { name: 'b', labels: { app: 'y' } } });
    const all = await cms.list();
    assert.deepEqual(all.items.map((i) => i.metadata?.name).sort(), ['a', 'b']);
    assert.ok(all.metadata.resourceVersion);
    const selected = await cms.list({ labelSelector: 'app=y' });
    assert.deepEqual(selected.items.map((i) => i.metadata?.name), ['b']);
    const page = await cms.list({ limit: 1 });
    assert.equal(page.items.length, 1);
    assert.ok(page.metadata.continue, 'a limited list returns a continue token');

    const deleted = await cms.delete('b');
    assert.equal(deleted.kind === 'Status' ? (deleted as Status).details?.name : (deleted as KubeObject).metadata?.name, 'b', 'the reply names what was deleted');
    await assert.rejects(cms.delete('b'), isNotFound);
    await assert.rejects(cms.delete('a', { preconditions: { uid: 'not-the-uid' } }), isConflict);
    await cms.deleteCollection({ labelSelector: 'app=x' });
    assert.deepEqual((await cms.list()).items, []);

    // Typed client: same calls, generated types.
    const deployments = typedClient(client, 'apps/v1', 'Deployment', ns);
    const d = await deployments.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    assert.equal(d.spec?.replicas, 1, 'defaulted by the server');
    const scale = await deployments.getSubresource<{ spec: { replicas: number } }>('web', 'scale');
    assert.equal(scale.spec.replicas, 1);
    const withStatus = await deployments.updateStatus({ ...d, status: { observedGeneration: 1, replicas: 0 } });
    assert.equal(withStatus.status?.observedGeneration, 1);

    // Cluster-scoped built-ins ignore a namespace; the raw client answers every status without throwing.
    const nsClient = client.resource(namespaces, 'ignored');
    assert.equal((await nsClient.get(ns)).metadata?.name, ns);
    const raw = await client.raw({ method: 'GET', path: '/api/v1/namespaces/nope' });
    assert.equal(raw.status, 404);
    assert.equal((JSON.parse(raw.body.toString()) as Status).reason, 'NotFound');
  });
});

test('watch: events arrive in order, abort ends the stream quietly, a compacted resourceVersion is a 410', async (t) => {
  await forEachTransport(t, 'watch', async (client, ns) => {
    const cms = client.resource(configmaps, ns);
    const list = await cms.list();

    const ac = new AbortController();
    const events = await cms.watch({ resourceVersion: list.metadata.resourceVersion, signal: ac.signal });
    await cms.create({ metadata: { name: 'w' } });
    await cms.patch('w', 'merge', { data: { x: '1' } });
    await cms.delete('w');
    const iterator = events[Symbol.asyncIterator]();
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const next = await iterator.next();
      assert.ok(!next.done);
      seen.push(`${next.value.type} ${(next.value.object as KubeObject).metadata?.name}`);
    }
    assert.deepEqual(seen, ['ADDED w', 'MODIFIED w', 'DELETED w']);
    const pending = iterator.next();
    ac.abort();
    assert.deepEqual(await pending, { done: true, value: undefined }, 'abort ends the watch without an error');

    // A resourceVersion older than the watch cache's history: 410 as a StatusError or an ERROR event.
    const old = client.resource(configmaps, 'old');
    const stale = new AbortController();
    try {
      const first = await collect(await old.watch({ resourceVersion: '1', signal: stale.signal }), () => true);
      assert.equal(first[0]?.type, 'ERROR');
      const status = first[0]!.object as Status;
      assert.equal(status.code, 410);
      assert.equal(status.reason, 'Expired');
    } catch (err) {
      assert.ok(isResourceExpired(err), String(err));
    } finally {
      stale.abort();
    }

    // Watching a collection that does not exist rejects before any event.
    await assert.rejects(client.resource({ group: 'nope.example.com', version: 'v1', resource: 'things' }).watch({ signal: new AbortController().signal }), isNotFound);
  });
});

test('a kubeconfig written by kubectl drives the client to the server (embedded CA, token, context namespace)', async (t) => {
  const c = await startServer(t);
  const dir = mkdtempSync(join(tmpdir(), 'client-kubeconfig-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'ca.crt'), c.ca);
  const file = join(dir, 'config');
  const kubectl = (...args: string[]) =>
    execFileSync('/usr/lib/google-cloud-sdk/bin/kubectl.1.33', ['config', ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir, KUBECONFIG: file }, stdio: 'pipe' });
  kubectl('set-cluster', 'k8ts', `--server=https://127.0.0.1:${c.server.securePort}`, '--certificate-authority=ca.crt', '--embed-certs=true');
  kubectl('set-credentials', 'admin', '--token=any');
  kubectl('set-context', 'k8ts', '--cluster=k8ts', '--user=admin', '--namespace=kube-system');
  kubectl('use-context', 'k8ts');

  const loaded = loadClientConfig({ kubeconfig: file });
  const client = newClient(loaded.config);
  t.after(() => client.close());
  const names = (await client.resource(namespaces).list()).items.map((n) => n.metadata?.name);
  assert.ok(names.includes(loaded.namespace), `${loaded.namespace} is among ${names.join(', ')}`);
  const plain = newClient(loadClientConfig({ kubeconfig: file, master: `http://127.0.0.1:${c.server.insecurePort}` }).config);
  t.after(() => plain.close());
  assert.equal((await plain.resource(namespaces).get('kube-system')).metadata?.name, 'kube-system', '--master switches to the insecure port');
});
