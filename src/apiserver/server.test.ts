// The apiserver over real sockets: HTTPS (HTTP/1.1 and HTTP/2) on a random loopback port, memory store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import http2 from 'node:http2';
import { openMemoryStore } from '../storage/memory/memory-store.js';
import { defaultAPIServerOptions } from './options.js';
import { runAPIServer } from './server.js';
import { generateSelfSigned } from './serving-cert.js';

function request(port: number, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, method, path, rejectUnauthorized: false, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('runAPIServer serves HTTPS over HTTP/1.1 and HTTP/2, rejects oversized bodies, and closes', async () => {
  const cert = await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] });
  const opts = { ...defaultAPIServerOptions('/nonexistent'), securePort: 0, bindAddress: '127.0.0.1', maxRequestBodyBytes: 4096 };
  const ac = new AbortController();
  const server = await runAPIServer(opts, ac.signal, {
    openStore: async () => openMemoryStore(),
    servingCert: cert,
    postStartHooks: [{ name: 'test-namespaces', run: async (ctx) => void (await ctx.registries.get('', 'namespaces')!.create({ namespace: '', obj: { metadata: { name: 'default' } } })) }],
  });
  try {
    assert.ok(server.securePort > 0);
    assert.equal(server.ready, true);
    const ready = await request(server.securePort, 'GET', '/readyz');
    assert.equal(ready.status, 200, ready.text);
    const version = await request(server.securePort, 'GET', '/version');
    assert.equal(JSON.parse(version.text).major, '1');
    const created = await request(server.securePort, 'POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ metadata: { name: 'a' }, data: { k: 'v' } }));
    assert.equal(created.status, 201, created.text);
    const escaped = await request(server.securePort, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', JSON.stringify({ metadata: { name: 'system:x' }, rules: [] }));
    assert.equal(escaped.status, 201, escaped.text);
    assert.equal((await request(server.securePort, 'GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles/system%3Ax')).status, 200, 'escaped names are decoded');
    const missing = await request(server.securePort, 'GET', '/nope');
    assert.equal(missing.status, 404);
    assert.equal(JSON.parse(missing.text).message, 'the server could not find the requested resource');
    const big = await request(server.securePort, 'POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ metadata: { name: 'b' }, data: { k: 'x'.repeat(5000) } }));
    assert.equal(big.status, 413);
    assert.equal(JSON.parse(big.text).message, 'Request entity too large: limit is 4096');

    // A watch over HTTP/1.1: chunked, one event per line, flushed per event.
    const events: string[] = [];
    let chunked = '';
    const watchReq = https.request({ host: '127.0.0.1', port: server.securePort, path: '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0', rejectUnauthorized: false });
    const gotTwo = new Promise<void>((resolve, reject) => {
      watchReq.on('response', (res) => {
        chunked = String(res.headers['transfer-encoding']);
        let buf = '';
        res.on('data', (c: Buffer) => {
          buf += c.toString();
          const lines = buf.split('\n');
          buf = lines.pop() ?? '';
          events.push(...lines.filter(Boolean));
          if (events.length >= 2) resolve();
        });
      });
      watchReq.on('error', reject);
    });
    watchReq.end();
    while (events.length < 1) await new Promise((r) => setTimeout(r, 10));
    await request(server.securePort, 'POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ metadata: { name: 'w' } }));
    await gotTwo;
    watchReq.destroy();
    // The server notices the client leaving: the watch ends (its long-running gauge drops back to 0).
    const gauge = /apiserver_longrunning_requests\{[^}]*resource="configmaps"[^}]*verb="WATCH"[^}]*\} (\d+)|apiserver_longrunning_requests\{[^}]*verb="WATCH"[^}]*resource="configmaps"[^}]*\} (\d+)/;
    let open = -1;
    for (let i = 0; i < 100 && open !== 0; i++) {
      const m = gauge.exec((await request(server.securePort, 'GET', '/metrics')).text);
      open = m ? Number(m[1] ?? m[2]) : -1;
      if (open !== 0) await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(open, 0, 'the watch ended when its client went away');
    assert.equal(chunked, 'chunked');
    assert.deepEqual(events.map((e) => `${JSON.parse(e).type} ${JSON.parse(e).object.metadata.name}`), ['ADDED a', 'ADDED w']);

    // HTTP/2 (what client-go negotiates by ALPN).
    const session = http2.connect(`https://127.0.0.1:${server.securePort}`, { rejectUnauthorized: false });
    const h2 = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const s = session.request({ ':path': '/api/v1/namespaces/default/configmaps/a', ':method': 'GET' });
      let status = 0;
      const chunks: Buffer[] = [];
      s.on('response', (h) => (status = Number(h[':status'])));
      s.on('data', (c: Buffer) => chunks.push(c));
      s.on('end', () => resolve({ status, text: Buffer.concat(chunks).toString() }));
      s.on('error', reject);
    });
    session.close();
    assert.equal(h2.status, 200);
    assert.equal(JSON.parse(h2.text).data.k, 'v');
  } finally {
    ac.abort();
    await server.close();
  }
  await assert.rejects(request(server.securePort, 'GET', '/version'), 'no longer listening');
});

test('runAPIServer with the built-in bootstrap: system namespaces, the kubernetes Service, OpenAPI', async () => {
  const cert = await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] });
  const opts = { ...defaultAPIServerOptions('/nonexistent'), securePort: 0, bindAddress: '127.0.0.1', advertiseAddress: '127.0.0.1' };
  const ac = new AbortController();
  const server = await runAPIServer(opts, ac.signal, { openStore: async () => openMemoryStore(), servingCert: cert });
  try {
    const ns = await request(server.securePort, 'GET', '/api/v1/namespaces');
    assert.deepEqual(JSON.parse(ns.text).items.map((i: { metadata: { name: string } }) => i.metadata.name), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const svc = await request(server.securePort, 'GET', '/api/v1/namespaces/default/services/kubernetes');
    assert.equal(svc.status, 200, svc.text);
    assert.equal(JSON.parse(svc.text).spec.clusterIP, '10.0.0.1');
    const openapi = await request(server.securePort, 'GET', '/openapi/v3');
    assert.equal(openapi.status, 200);
    assert.ok(JSON.parse(openapi.text).paths['apis/apps/v1']);
    const verbose = await request(server.securePort, 'GET', '/readyz?verbose');
    assert.match(verbose.text, /\[\+\]poststarthook\/start-storage-compaction ok/);
    const metrics = await request(server.securePort, 'GET', '/metrics');
    assert.match(metrics.text, /apiserver_storage_objects\{resource="namespaces"\} 4/);
    assert.match(metrics.text, /apiserver_request_total\{[^}]*resource="namespaces"[^}]*\} \d+/);
    assert.match(metrics.text, /etcd_request_duration_seconds_count\{[^}]*\} \d+/);
    const root = JSON.parse((await request(server.securePort, 'GET', '/')).text) as { paths: string[] };
    for (const p of ['/api', '/api/v1', '/apis', '/apis/apps', '/apis/apps/v1', '/healthz', '/readyz/poststarthook/start-storage-compaction', '/openapi/v2', '/version']) {
      assert.ok(root.paths.includes(p), `GET / lists ${p}`);
    }
  } finally {
    ac.abort();
    await server.close();
  }
});

test('close() ends open watches (HTTP/1.1 and HTTP/2) and returns promptly', async () => {
  const cert = await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] });
  const opts = { ...defaultAPIServerOptions('/nonexistent'), securePort: 0, bindAddress: '127.0.0.1' };
  const server = await runAPIServer(opts, new AbortController().signal, { openStore: async () => openMemoryStore(), servingCert: cert });
  const h1Ended = new Promise<string>((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port: server.securePort, path: '/api/v1/namespaces?watch=true', rejectUnauthorized: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve(text));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
  const session = http2.connect(`https://127.0.0.1:${server.securePort}`, { rejectUnauthorized: false });
  const h2Ended = new Promise<void>((resolve) => {
    const s = session.request({ ':path': '/api/v1/namespaces?watch=true' });
    s.on('data', () => undefined);
    s.on('close', () => resolve());
  });
  // A watch on a quiet resource gets its status line at once (client-go waits for it).
  const quiet = await new Promise<number>((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port: server.securePort, path: '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1', rejectUnauthorized: false }, (res) => resolve(res.statusCode ?? 0));
    req.on('error', reject);
    req.end();
  });
  assert.equal(quiet, 200);
  // Both watches are open once their initial events (the four system namespaces) arrived.
  await new Promise((r) => setTimeout(r, 200));
  const started = Date.now();
  await server.close();
  assert.ok(Date.now() - started < 2000, `close took ${Date.now() - started} ms`);
  const text = await h1Ended;
  assert.equal(text.trim().split('\n').length, 4, 'the HTTP/1.1 watch ended cleanly after its events');
  await h2Ended;
  session.close();
});

test('a failing post-start hook fails runAPIServer and leaves nothing listening', async () => {
  const cert = await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] });
  const opts = { ...defaultAPIServerOptions('/nonexistent'), securePort: 0, bindAddress: '127.0.0.1' };
  let port = 0;
  await assert.rejects(
    runAPIServer(opts, new AbortController().signal, {
      openStore: async () => openMemoryStore(),
      servingCert: cert,
      postStartHooks: [{ name: 'broken', run: async (ctx) => { port = ctx.securePort; throw new Error('boom'); } }],
    }),
    /boom/,
  );
  assert.ok(port > 0);
  await assert.rejects(request(port, 'GET', '/version'));
});

test('--insecure-port serves plain HTTP on 127.0.0.1 (lab mode) with HTTPS off', async () => {
  const { createServer } = await import('node:net');
  const http = await import('node:http');
  const free = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
  const opts = { ...defaultAPIServerOptions('/nonexistent'), securePort: 0, insecurePort: free };
  const server = await runAPIServer(opts, new AbortController().signal, { openStore: async () => openMemoryStore() });
  try {
    assert.equal(server.securePort, 0);
    assert.equal(server.insecurePort, free);
    const body = await new Promise<string>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: free, path: '/api/v1/namespaces/default' }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      }).on('error', reject);
    });
    assert.equal(JSON.parse(body).metadata.name, 'default');
    // Headers up to Go's 1 MiB are accepted on this listener, more is 431.
    const statusWith = (size: number) =>
      new Promise<number>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: free, path: '/version', headers: { 'x-large': 'a'.repeat(size) } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject);
      });
    assert.equal(await statusWith(500_000), 200);
    assert.equal(await statusWith(1_100_000), 431);
  } finally {
    await server.close();
  }
});

/** One HTTP/2 GET with extra headers; the status, or the error that ended the stream. */
function http2Get(port: number, path: string, headers: Record<string, string>): Promise<number | string> {
  return new Promise((resolve) => {
    const session = http2.connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false, maxSendHeaderBlockLength: 4 << 20 });
    session.on('error', (e) => resolve(e.message));
    const req = session.request({ ':path': path, ...headers });
    req.on('response', (h) => {
      resolve(Number(h[':status']));
      session.close();
    });
    req.on('error', (e) => {
      resolve(e.message);
      session.close();
    });
    req.end();
  });
}

test('large request headers: HTTP/2 takes header lists past 64 KiB; HTTP/1.1 over TLS answers 431 above 16 KiB and keeps serving', async () => {
  const cert = await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] });
  const opts = { ...defaultAPIServerOptions('/nonexistent'), securePort: 0, bindAddress: '127.0.0.1', advertiseAddress: '127.0.0.1' };
  const ac = new AbortController();
  const server = await runAPIServer(opts, ac.signal, { openStore: async () => openMemoryStore(), servingCert: cert });
  try {
    // Several large headers (e.g. many Impersonate-Group values), 120 KB in all.
    const many: Record<string, string> = {};
    for (let i = 0; i < 3; i++) many[`x-large-${i}`] = 'a'.repeat(40_000);
    assert.equal(await http2Get(server.securePort, '/version', many), 200);
    const big = await request(server.securePort, 'GET', '/version', undefined, { 'x-large': 'a'.repeat(60_000) });
    assert.equal(big.status, 431);
    assert.equal((await request(server.securePort, 'GET', '/version')).status, 200, 'the server still serves');
  } finally {
    ac.abort();
    await server.close();
  }
});
