// End to end durability on the SQLite backend: objects and the revision counter survive a restart, and a
// create that got 201 survives `kill -9` in the middle of a burst of concurrent creates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type APIClient } from '../harness/api-client.js';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { runBoundedLoad } from '../harness/bounded-load.js';
import { kubectl } from '../harness/kubectl.js';

interface ObjectMeta {
  name: string;
  uid: string;
  resourceVersion: string;
}
interface ConfigMapList {
  metadata: { resourceVersion: string; continue?: string };
  items: Array<{ metadata: ObjectMeta; data?: Record<string, string> }>;
}

async function createNamespace(client: APIClient, name: string): Promise<void> {
  await client.expectJSON({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, expected: [201] });
}

async function listConfigMaps(client: APIClient, ns: string, limit = 0): Promise<ConfigMapList> {
  if (limit === 0) return client.expectJSON<ConfigMapList>({ method: 'GET', path: `/api/v1/namespaces/${ns}/configmaps`, expected: [200] });
  const all: ConfigMapList = { metadata: { resourceVersion: '' }, items: [] };
  let token = '';
  for (let page = 0; page < 10_000; page++) {
    const q = `limit=${limit}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
    const l = await client.expectJSON<ConfigMapList>({ method: 'GET', path: `/api/v1/namespaces/${ns}/configmaps?${q}`, expected: [200] });
    all.items.push(...l.items);
    if (page === 0) all.metadata.resourceVersion = l.metadata.resourceVersion;
    else assert.equal(l.metadata.resourceVersion, all.metadata.resourceVersion, 'every page is read at the first page revision');
    token = l.metadata.continue ?? '';
    if (!token) return all;
  }
  throw new Error('too many pages');
}

const rv = (o: { metadata: { resourceVersion: string } }) => Number(o.metadata.resourceVersion);

test('sqlite: a restart on the same data dir keeps every object and the revision counter', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-durability-'));
  let server: APIServerProcess | undefined;
  t.after(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  server = await startAPIServer({ backend: 'sqlite', dataDir });
  let client = server.client();
  await createNamespace(client, 'dur');
  for (let i = 0; i < 50; i++) {
    await client.expectJSON({ method: 'POST', path: '/api/v1/namespaces/dur/configmaps', body: { metadata: { name: `cm-${i}` }, data: { v: '0' } }, expected: [201] });
  }
  for (let i = 0; i < 10; i++) {
    await client.expectJSON({
      method: 'PATCH',
      path: `/api/v1/namespaces/dur/configmaps/cm-${i}`,
      contentType: 'application/merge-patch+json',
      body: { data: { v: 'updated' } },
      expected: [200],
    });
  }
  for (let i = 45; i < 50; i++) await client.expectJSON({ method: 'DELETE', path: `/api/v1/namespaces/dur/configmaps/cm-${i}`, expected: [200] });
  const before = await listConfigMaps(client, 'dur');
  assert.equal(before.items.length, 45);
  client.close();
  await server.stop();

  server = await startAPIServer({ backend: 'sqlite', dataDir });
  client = server.client();
  const afterRestart = await listConfigMaps(client, 'dur');
  const byName = (l: ConfigMapList) => new Map(l.items.map((o) => [o.metadata.name, { uid: o.metadata.uid, rv: o.metadata.resourceVersion, data: o.data }]));
  assert.deepEqual(byName(afterRestart), byName(before), 'the same objects, uids, resourceVersions and data');
  assert.ok(rv(afterRestart) >= rv(before), `list revision went back: ${rv(before)} → ${rv(afterRestart)}`);
  const fresh = await client.expectJSON({ method: 'POST', path: '/api/v1/namespaces/dur/configmaps', body: { metadata: { name: 'after-restart' } }, expected: [201] });
  assert.ok(rv(fresh) > rv(before), `a write after the restart has resourceVersion ${rv(fresh)}, not above ${rv(before)}`);
  const ns = await client.expectJSON({ method: 'GET', path: '/api/v1/namespaces/dur', expected: [200] });
  assert.equal(ns.status.phase, 'Active');
  client.close();

  // The real client sees the same state through a kubeconfig written for the restarted server.
  const r = await kubectl({ version: '1.33', kubeconfig: server.kubeconfigPath, args: ['get', 'configmaps', '-n', 'dur', '-o', 'name'] });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').filter((l) => l.startsWith('configmap/cm-')).length, 45);
});

test('sqlite: kill -9 during 64 concurrent creates loses no acknowledged create', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-durability-'));
  let server: APIServerProcess | undefined;
  t.after(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  server = await startAPIServer({ backend: 'sqlite', dataDir });
  let client = server.client({ maxSockets: 64 });
  await createNamespace(client, 'burst');
  const acknowledged = new Set<string>();
  let attempted = 0;
  let transportErrors = 0;
  const serverGone = new AbortController();
  const killer = (async () => {
    // Kill once the burst is well under way: at least 1 s in and some hundreds of creates acknowledged.
    const start = performance.now();
    while (performance.now() - start < 1000 || (acknowledged.size < 300 && performance.now() - start < 10_000)) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await server!.kill('SIGKILL');
  })();
  const load = await runBoundedLoad({
    count: 200_000,
    concurrency: 64,
    maxDurationMs: 15_000,
    signal: serverGone.signal,
    task: async (i) => {
      const name = `burst-${i}`;
      attempted++;
      try {
        const reply = await client.request({
          method: 'POST',
          path: '/api/v1/namespaces/burst/configmaps',
          body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { payload: 'x'.repeat(1000) } },
          timeoutMs: 10_000,
        });
        if (reply.status === 201) acknowledged.add(name);
        else if (reply.status < 500) assert.fail(`create ${name}: status ${reply.status}: ${reply.body.slice(0, 300)}`);
      } catch (err) {
        if (err instanceof assert.AssertionError) throw err;
        transportErrors++;
        serverGone.abort();
      }
    },
  });
  await killer;
  client.close();
  assert.equal(load.stoppedBy, 'signal', 'the burst ran until the server was killed');
  assert.ok(acknowledged.size >= 300, `only ${acknowledged.size} creates acknowledged before the kill`);
  assert.ok(transportErrors > 0);

  server = await startAPIServer({ backend: 'sqlite', dataDir });
  client = server.client();
  const list = await listConfigMaps(client, 'burst');
  const stored = new Set(list.items.map((o) => o.metadata.name));
  const lost = [...acknowledged].filter((n) => !stored.has(n));
  assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.size} acknowledged creates are gone after kill -9`);
  // Creates in flight at the kill may or may not have committed; nothing else may appear.
  assert.ok(stored.size <= attempted, `${stored.size} stored but only ${attempted} attempted`);
  for (const name of stored) assert.match(name, /^burst-\d+$/);

  // Consistency: distinct resourceVersions at or below the list's, the same set when paged, and new writes above.
  const rvs = list.items.map(rv);
  assert.equal(new Set(rvs).size, rvs.length, 'every object has its own resourceVersion');
  assert.ok(Math.max(...rvs) <= rv(list), 'no object is newer than the list');
  const paged = await listConfigMaps(client, 'burst', 500);
  assert.deepEqual(paged.items.map((o) => o.metadata.name).sort(), [...stored].sort(), 'a paged list sees the same objects');
  // Point reads agree with the list: same objects at the same resourceVersions.
  const listed = new Map(list.items.map((o) => [o.metadata.name, o.metadata.resourceVersion]));
  await runBoundedLoad({
    count: list.items.length,
    concurrency: 16,
    maxDurationMs: 60_000,
    task: async (i) => {
      const name = list.items[i]!.metadata.name;
      const got = await client.expectJSON<{ metadata: ObjectMeta }>({ method: 'GET', path: `/api/v1/namespaces/burst/configmaps/${name}`, expected: [200] });
      assert.equal(got.metadata.resourceVersion, listed.get(name), `GET ${name}`);
    },
  });
  const fresh = await client.expectJSON({ method: 'POST', path: '/api/v1/namespaces/burst/configmaps', body: { metadata: { name: 'after-kill' } }, expected: [201] });
  assert.ok(rv(fresh) > rv(list), 'the revision counter continues above everything stored');
  client.close();
  t.diagnostic(`acknowledged ${acknowledged.size}, attempted ${attempted}, stored ${stored.size} (${stored.size - acknowledged.size} unacknowledged but committed)`);
});
