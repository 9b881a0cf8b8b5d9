// The built-in bootstrap through a real runAPIServer: system objects, the kubernetes Service and its
// endpoints, ClusterIPs that survive a restart on the same SQLite file, two apiservers on one store,
// and the repair pass.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Store } from '../../storage/interface.js';
import { openMemoryStore } from '../../storage/memory/memory-store.js';
import { openSqliteStore } from '../../storage/sqlite/sqlite-store.js';
import { defaultAPIServerOptions, type APIServerOptions } from '../options.js';
import type { APIObject } from '../registry/strategy.js';
import { runAPIServer, type APIServer } from '../server.js';
import { generateSelfSigned } from '../serving-cert.js';
import { builtinBootstrap } from './builtin.js';

let cert: { cert: string; key: string };
let dir: string;
before(async () => {
  cert = await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] });
  dir = await mkdtemp(path.join(tmpdir(), 'k8ts-bootstrap-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function options(overrides: Partial<APIServerOptions> = {}): APIServerOptions {
  return { ...defaultAPIServerOptions(dir), securePort: 0, bindAddress: '127.0.0.1', advertiseAddress: '127.0.0.1', ...overrides };
}

async function start(store: () => Promise<Store>, opts: APIServerOptions, repairGraceMs = 60_000): Promise<{ server: APIServer; stop: () => Promise<void> }> {
  const ac = new AbortController();
  const boot = builtinBootstrap({ repairGraceMs });
  const server = await runAPIServer(opts, ac.signal, {
    openStore: store,
    servingCert: cert,
    strategyDependencies: boot.strategyDependencies,
    postStartHooks: boot.postStartHooks,
  });
  return { server, stop: () => server.close() };
}

async function get(server: APIServer, group: string, resource: string, namespace: string, name: string): Promise<APIObject> {
  return server.registries.get(group, resource)!.get({ namespace, name });
}

async function createService(server: APIServer, name: string, spec: Record<string, unknown> = { ports: [{ port: 80 }] }): Promise<APIObject> {
  return server.registries.get('', 'services')!.create({ namespace: 'default', obj: { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec } });
}

const ipOf = (svc: APIObject) => (svc.spec as { clusterIP: string }).clusterIP;

/** A store shared by several servers: only the last close() closes it. */
function shared(store: Store, users: number): () => Promise<Store> {
  let open = users;
  return async () =>
    new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'close') return async () => (--open === 0 ? target.close() : undefined);
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
}

test('bootstrap objects, and no double allocation after a restart on the same SQLite file', async () => {
  const dbPath = path.join(dir, 'restart.db');
  const opts = options();
  const first = await start(async () => openSqliteStore({ path: dbPath }), opts);
  let taken: string;
  try {
    const s = first.server;
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      assert.equal((await get(s, '', 'namespaces', '', ns)).metadata?.name, ns);
    }
    const k = await get(s, '', 'services', 'default', 'kubernetes');
    assert.equal(ipOf(k), '10.0.0.1');
    assert.deepEqual((k.spec as any).ports, [{ name: 'https', port: 443, protocol: 'TCP', targetPort: s.securePort }]);
    const ep = await get(s, '', 'endpoints', 'default', 'kubernetes');
    assert.deepEqual(ep.subsets, [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: s.securePort, protocol: 'TCP' }] }]);
    const slice = await get(s, 'discovery.k8s.io', 'endpointslices', 'default', 'kubernetes');
    assert.equal(slice.addressType, 'IPv4');
    assert.deepEqual(slice.endpoints, [{ addresses: ['127.0.0.1'], conditions: { ready: true } }]);
    const cidr = await get(s, 'networking.k8s.io', 'servicecidrs', '', 'kubernetes');
    assert.deepEqual((cidr.spec as any).cidrs, ['10.0.0.0/24']);
    assert.equal((cidr.status as any).conditions[0].type, 'Ready');
    const ipObj = await get(s, 'networking.k8s.io', 'ipaddresses', '', '10.0.0.1');
    assert.deepEqual((ipObj.spec as any).parentRef, { group: '', resource: 'services', namespace: 'default', name: 'kubernetes' });
    taken = ipOf(await createService(s, 'a'));
  } finally {
    await first.stop();
  }

  const second = await start(async () => openSqliteStore({ path: dbPath }), opts);
  try {
    const s = second.server;
    assert.equal(ipOf(await get(s, '', 'services', 'default', 'kubernetes')), '10.0.0.1');
    const ips = await Promise.all(Array.from({ length: 40 }, async (_, i) => ipOf(await createService(s, `s${i}`))));
    assert.ok(!ips.includes(taken) && !ips.includes('10.0.0.1'), `reused: ${ips.join(',')}`);
    assert.equal(new Set(ips).size, 40);
  } finally {
    await second.stop();
  }
});

test('two apiservers on one store: distinct ClusterIPs, both in the kubernetes endpoints', async () => {
  const open = shared(openMemoryStore(), 2);
  const a = await start(open, options({ serviceClusterIPRange: '10.0.0.0/26' }));
  const b = await start(open, options({ serviceClusterIPRange: '10.0.0.0/26', advertiseAddress: '127.0.0.2' }));
  try {
    const services = await Promise.all(Array.from({ length: 50 }, (_, i) => createService(i % 2 ? a.server : b.server, `s${i}`)));
    const ips = services.map(ipOf);
    assert.equal(new Set([...ips, '10.0.0.1']).size, 51);
    const ep = await get(b.server, '', 'endpoints', 'default', 'kubernetes');
    assert.deepEqual((ep.subsets as any)[0].addresses, [{ ip: '127.0.0.1' }, { ip: '127.0.0.2' }]);
  } finally {
    await a.stop();
    await b.stop();
  }
});

test('repair at start restores missing records and frees leaked ones', async () => {
  const store = openMemoryStore();
  const open = shared(store, 2);
  const first = await start(open, options());
  const svc = await createService(first.server, 'np', { type: 'NodePort', ports: [{ port: 80 }] });
  const nodePort = (svc.spec as any).ports[0].nodePort as number;
  // A lost record (the Service holds 10.0.0.x but its IPAddress vanished) and leaked ones.
  await first.server.registries.get('networking.k8s.io', 'ipaddresses')!.delete({ namespace: '', name: ipOf(svc) });
  await first.server.registries.get('networking.k8s.io', 'ipaddresses')!.create({
    namespace: '',
    obj: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IPAddress',
      metadata: { name: '10.0.0.200', labels: { 'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io' } },
      spec: { parentRef: { group: '', resource: 'services', namespace: 'default', name: 'gone' } },
    },
  });
  await store.create(`/registry/ranges/servicenodeports/31999`, JSON.stringify({ port: 31999, service: { namespace: 'default', name: 'gone' }, allocatedAt: '2020-01-01T00:00:00Z' }));
  await store.delete(`/registry/ranges/servicenodeports/${nodePort}`);
  await first.stop();

  const second = await start(open, options(), 0);
  try {
    const ipaddresses = second.server.registries.get('networking.k8s.io', 'ipaddresses')!;
    assert.equal((await ipaddresses.get({ namespace: '', name: ipOf(svc) })).metadata?.name, ipOf(svc));
    await assert.rejects(ipaddresses.get({ namespace: '', name: '10.0.0.200' }), (err: any) => err.code === 404);
    assert.equal(await store.get('/registry/ranges/servicenodeports/31999'), undefined);
    assert.ok(await store.get(`/registry/ranges/servicenodeports/${nodePort}`));
  } finally {
    await second.stop();
  }
});
