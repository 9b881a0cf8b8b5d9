// ResourceQuota across apiservers: two in-process apiservers on one real etcd (same prefix) admit exactly one of
// ten concurrent creates split between them against a quota of 1 — the quota status write is the lock.
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { startEtcd } from '../../../storage/testing/etcd-process.js';
import { defaultAPIServerOptions } from '../../options.js';
import { runAPIServer, type APIServer } from '../../server.js';

/** A loopback port nobody listened on a moment ago (0 turns the plain-HTTP port off, so one is picked here). */
const unusedPort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

async function request(port: number, method: string, path: string, body?: unknown): Promise<{ status: number; json: { message?: string; items?: unknown[]; status?: unknown } }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, json: (await res.json()) as { message?: string } };
}

const cases = [
  {
    name: 'count/configmaps: 1',
    hard: { 'count/configmaps': '1' },
    path: 'configmaps',
    body: (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } }),
    refusal: /^configmaps "c\d+" is forbidden: exceeded quota: one, requested: count\/configmaps=1, used: count\/configmaps=1, limited: count\/configmaps=1$/,
  },
  {
    name: 'pods: 1',
    hard: { pods: '1' },
    path: 'pods',
    body: (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { automountServiceAccountToken: false, containers: [{ name: 'app', image: 'nginx' }] } }),
    refusal: /^pods "c\d+" is forbidden: exceeded quota: one, requested: pods=1, used: pods=1, limited: pods=1$/,
  },
];

test('two apiservers on one etcd admit exactly one of ten concurrent creates against a quota of 1', async () => {
  const etcd = await startEtcd();
  const ac = new AbortController();
  const servers: APIServer[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      const opts = { ...defaultAPIServerOptions('/nonexistent'), etcdServers: etcd.endpoints, securePort: 0, insecurePort: await unusedPort() };
      servers.push(await runAPIServer(opts, ac.signal));
    }
    const [a, b] = servers.map((s) => s.insecurePort) as [number, number];
    for (const [i, c] of cases.entries()) {
      const ns = `quota-${i}`;
      assert.equal((await request(a, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status, 201);
      // No controller manager here: the ServiceAccount plugin needs the namespace's default account.
      assert.equal((await request(a, 'POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } })).status, 201);
      const quota = await request(b, 'POST', `/api/v1/namespaces/${ns}/resourcequotas`, { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'one' }, spec: { hard: c.hard } });
      assert.equal(quota.status, 201, JSON.stringify(quota.json));
      // Both apiservers must know the quota and the account before the race (read from their watch caches).
      for (const port of [a, b]) {
        for (const resource of ['resourcequotas', 'serviceaccounts']) {
          for (let tries = 0; (await request(port, 'GET', `/api/v1/namespaces/${ns}/${resource}?resourceVersion=0`)).json.items?.length !== 1; tries++) {
            assert.ok(tries < 500, `the ${resource} never reached the watch cache`);
            await new Promise((r) => setTimeout(r, 10));
          }
        }
      }
      const results = await Promise.all(Array.from({ length: 10 }, (_, n) => request(n % 2 ? b : a, 'POST', `/api/v1/namespaces/${ns}/${c.path}`, c.body(`c${n}`))));
      assert.deepEqual(
        results.map((r) => r.status).sort(),
        [201, 403, 403, 403, 403, 403, 403, 403, 403, 403],
        `${c.name}: ${results.map((r) => r.json.message ?? r.status).join(' | ')}`,
      );
      for (const r of results.filter((x) => x.status === 403)) assert.match(r.json.message ?? '', c.refusal, c.name);
      assert.equal((await request(b, 'GET', `/api/v1/namespaces/${ns}/${c.path}`)).json.items?.length, 1, c.name);
      const status = (await request(a, 'GET', `/api/v1/namespaces/${ns}/resourcequotas/one`)).json.status;
      assert.deepEqual(status, { hard: c.hard, used: Object.fromEntries(Object.keys(c.hard).map((k) => [k, '1'])) }, c.name);
    }
  } finally {
    ac.abort();
    for (const s of servers) await s.close();
    await etcd.stop();
  }
});
