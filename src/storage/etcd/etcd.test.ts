// The store conformance suite against a real etcd started for this file, plus failover and TLS.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStoreConformance, rejectsWith } from '../testing/conformance.js';
import { recordWatch } from '../testing/watch-recorder.js';
import { startEtcd, type EtcdProcess } from '../testing/etcd-process.js';
import { openEtcdStore } from './etcd-store.js';

let etcd: EtcdProcess;
before(async () => {
  etcd = await startEtcd();
});
after(async () => {
  await etcd?.stop();
});

describeStoreConformance('etcd', { open: async () => openEtcdStore({ endpoints: etcd.endpoints }) });

test('etcd: keys are stored as given', async () => {
  const store = openEtcdStore({ endpoints: etcd.endpoints });
  try {
    const kv = await store.create('/registry/pods/default/nginx', '{"kind":"Pod"}');
    const raw = (await store.list({ prefix: '/registry/pods/' })).kvs;
    assert.deepEqual(raw, [kv]);
  } finally {
    await store.close();
  }
});

test('etcd: fails over past an unreachable endpoint', async () => {
  // A port nobody listens on: bind one, note it, close it.
  const { createServer } = await import('node:net');
  const dead = await new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
  const store = openEtcdStore({ endpoints: [`http://127.0.0.1:${dead}`, ...etcd.endpoints] });
  try {
    const kv = await store.create(`/registry/failover-${Date.now()}`, 'v');
    assert.deepEqual(await store.get(kv.key), kv);
    const rec = await recordWatch(store, { prefix: kv.key, startRevision: kv.modRevision });
    await rec.waitFor('the create event', () => rec.events.length === 1);
    rec.stop();
  } finally {
    await store.close();
  }
});

test('etcd: TLS with CA, client certificate and key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-etcd-tls-'));
  const files = makeTestPKI(dir);
  const secure = await startEtcd({ tls: { caFile: files.ca, certFile: files.serverCert, keyFile: files.serverKey } });
  try {
    assert.match(secure.endpoints[0], /^https:\/\/127\.0\.0\.1:\d+$/);
    const store = openEtcdStore({ endpoints: secure.endpoints, caFile: files.ca, certFile: files.clientCert, keyFile: files.clientKey });
    try {
      const kv = await store.create('/registry/secrets/default/s', 'over TLS');
      assert.deepEqual(await store.get(kv.key), kv);
    } finally {
      await store.close();
    }
    const anonymous = openEtcdStore({ endpoints: secure.endpoints, caFile: files.ca, requestTimeoutMs: 5000 });
    try {
      await rejectsWith(anonymous.get('/registry/secrets/default/s'), 'Unavailable');
    } finally {
      await anonymous.close();
    }
  } finally {
    await secure.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A throwaway CA plus a server certificate for 127.0.0.1 and a client certificate, made with openssl. */
function makeTestPKI(dir: string): { ca: string; serverCert: string; serverKey: string; clientCert: string; clientKey: string } {
  const p = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'pipe' });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', p('ca.key'), '-out', p('ca.crt'), '-subj', '/CN=k8ts-test-ca', '-days', '1');
  for (const [name, ext] of [
    ['server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n'],
    ['client', 'extendedKeyUsage=clientAuth\n'],
  ] as const) {
    writeFileSync(p(`${name}.ext`), ext);
    openssl('req', ...ec, '-keyout', p(`${name}.key`), '-out', p(`${name}.csr`), '-subj', `/CN=k8ts-test-${name}`);
    openssl('x509', '-req', '-in', p(`${name}.csr`), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p(`${name}.crt`), '-days', '1', '-extfile', p(`${name}.ext`));
  }
  return { ca: p('ca.crt'), serverCert: p('server.crt'), serverKey: p('server.key'), clientCert: p('client.crt'), clientKey: p('client.key') };
}

test('etcd: a watch whose connection breaks resumes on the next endpoint without gaps or repeats', async () => {
  const target = new URL(etcd.endpoints[0]);
  const proxy = await startTCPProxy(Number(target.port));
  const store = openEtcdStore({ endpoints: [`http://127.0.0.1:${proxy.port}`, ...etcd.endpoints] });
  try {
    const root = `/registry/resume-${Date.now()}/`;
    const first = await store.create(`${root}0`, 'before');
    const rec = await recordWatch(store, { prefix: root, startRevision: first.modRevision });
    await rec.waitFor('the first event', () => rec.events.length === 1);
    proxy.breakAll();
    const written = [first];
    for (let i = 1; i <= 5; i++) written.push(await store.create(`${root}${i}`, 'after'));
    await rec.waitFor('all six events', () => rec.events.length >= 6);
    assert.deepEqual(
      rec.events.map((e) => (e.type === 'put' ? e.kv.modRevision : -1)),
      written.map((kv) => kv.modRevision),
    );
    assert.deepEqual(rec.errors, []);
    rec.stop();
  } finally {
    await store.close();
    proxy.breakAll();
  }
});

/** A loopback TCP forwarder whose connections (and listener) a test can cut at once. */
async function startTCPProxy(targetPort: number): Promise<{ port: number; breakAll(): void }> {
  const { createServer, connect } = await import('node:net');
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    breakAll() {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}

test('etcd: two clients (two apiservers) share revisions, preconditions and watches', async () => {
  const a = openEtcdStore({ endpoints: etcd.endpoints });
  const b = openEtcdStore({ endpoints: etcd.endpoints });
  try {
    const root = `/registry/shared-${Date.now()}/`;
    const start = (await a.currentRevision()) + 1;
    const rec = await recordWatch(b, { prefix: root, startRevision: start });
    const created = await a.create(`${root}cm`, 'v1');
    await rejectsWith(b.create(`${root}cm`, 'dup'), 'AlreadyExists');
    const updated = await b.update(`${root}cm`, 'v2', created.modRevision);
    const conflict = await rejectsWith(a.update(`${root}cm`, 'v3', created.modRevision), 'Conflict');
    assert.deepEqual(conflict.current, updated);
    await rec.waitFor('both writes', () => rec.events.length >= 2);
    assert.deepEqual(rec.events.map((e) => (e.type === 'put' ? e.kv.value : e.type)), ['v1', 'v2']);
    assert.equal(await b.currentRevision(), await a.currentRevision());
    rec.stop();
  } finally {
    await a.close();
    await b.close();
  }
});
