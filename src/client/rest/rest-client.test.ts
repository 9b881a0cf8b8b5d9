// The REST client against a loopback fake server: client-go's retry rule (429/5xx with Retry-After), rate
// limiting, credentials and User-Agent headers, token-file refresh, and the per-request timeout, under a fake clock.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { FakeClock } from '../../base/clock.js';
import { isNotFound, StatusError } from '../../apimachinery/errors.js';
import type { RESTConfig } from './config.js';
import { newClient } from './rest-client.js';

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Never answer (to test timeouts). */
  hang?: boolean;
  /** Reset the connection instead of answering. */
  reset?: boolean;
}

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A loopback server answering from `replies` in order (the last one repeats), recording every request. */
async function fakeServer(t: TestContext, replies: Reply[]): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      const reply = replies[Math.min(seen.length - 1, replies.length - 1)]!;
      if (reply.hang) return;
      if (reply.reset) return void req.socket.destroy();
      const body = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'content-type': typeof reply.body === 'string' ? 'text/plain' : 'application/json', ...reply.headers });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

/** Runs `work` while stepping the fake clock by `stepMs` whenever a timer is waiting; returns the time spent. */
async function driveClock<R>(clock: FakeClock, stepMs: number, work: Promise<R>): Promise<{ result: R; elapsedMs: number }> {
  const start = clock.now();
  let done = false;
  const settled = work.finally(() => (done = true));
  for (let spins = 0; !done; spins++) {
    assert.ok(spins < 100_000, 'the request never finished');
    await new Promise<void>((r) => setImmediate(r));
    if (!done && clock.pendingTimers() > 0) clock.step(stepMs);
  }
  return { result: await settled, elapsedMs: clock.now() - start };
}

const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default' } };
const configmaps = { group: '', version: 'v1', resource: 'configmaps' };
const tooMany = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 429, reason: 'TooManyRequests', message: 'slow down', details: { retryAfterSeconds: 2 } };

test('retries 429 and 5xx that carry Retry-After, waiting the given seconds, at most maxRetries times', async (t) => {
  const cases: Array<{ name: string; replies: Reply[]; maxRetries?: number; wantRequests: number; wantElapsedMs: number; want: 'ok' | ((err: unknown) => boolean) }> = [
    { name: '429 twice, then 200', replies: [{ status: 429, headers: { 'retry-after': '2' }, body: tooMany }, { status: 429, headers: { 'retry-after': '2' }, body: tooMany }, { status: 200, body: cm }], wantRequests: 3, wantElapsedMs: 4000, want: 'ok' },
    { name: '503 with Retry-After, then 200', replies: [{ status: 503, headers: { 'retry-after': '1' }, body: 'busy' }, { status: 200, body: cm }], wantRequests: 2, wantElapsedMs: 1000, want: 'ok' },
    { name: '500 without Retry-After is not retried', replies: [{ status: 500, body: 'boom' }], wantRequests: 1, wantElapsedMs: 0, want: (e) => e instanceof StatusError && e.code === 500 && e.message === 'an error on the server ("boom") has prevented the request from succeeding (get configmaps a)' },
    { name: '429 without Retry-After is not retried', replies: [{ status: 429, body: tooMany }], wantRequests: 1, wantElapsedMs: 0, want: (e) => e instanceof StatusError && e.reason === 'TooManyRequests' && e.message === 'slow down' },
    { name: '404 with Retry-After is not retried', replies: [{ status: 404, headers: { 'retry-after': '1' }, body: 'nope' }], wantRequests: 1, wantElapsedMs: 0, want: isNotFound },
    { name: 'gives up after maxRetries', replies: [{ status: 429, headers: { 'retry-after': '1' }, body: tooMany }], maxRetries: 3, wantRequests: 4, wantElapsedMs: 3000, want: (e) => e instanceof StatusError && e.code === 429 },
  ];
  for (const c of cases) {
    await t.test(c.name, async (t) => {
      const server = await fakeServer(t, c.replies);
      const clock = new FakeClock();
      const client = newClient({ host: server.url, qps: -1 }, { clock, maxRetries: c.maxRetries });
      t.after(() => client.close());
      const got = driveClock(clock, 100, client.resource(configmaps, 'default').get('a').then((v) => ({ ok: v }), (err: unknown) => ({ err })));
      const { result, elapsedMs } = await got;
      if (c.want === 'ok') assert.deepEqual(result, { ok: cm });
      else assert.ok('err' in result && c.want(result.err), String('err' in result ? result.err : 'resolved'));
      assert.equal(server.seen.length, c.wantRequests);
      assert.equal(elapsedMs, c.wantElapsedMs);
    });
  }
});

test('a GET whose connection is reset is sent again a second later; other verbs fail', async (t) => {
  const server = await fakeServer(t, [{ status: 0, reset: true }, { status: 200, body: cm }]);
  const clock = new FakeClock();
  const client = newClient({ host: server.url, qps: -1 }, { clock });
  t.after(() => client.close());
  const cms = client.resource(configmaps, 'default');
  const { result, elapsedMs } = await driveClock(clock, 100, cms.get('a'));
  assert.deepEqual(result, cm);
  assert.equal(elapsedMs, 1000);
  assert.equal(server.seen.length, 2);

  const resetting = await fakeServer(t, [{ status: 0, reset: true }]);
  const writer = newClient({ host: resetting.url, qps: -1 }, { clock });
  t.after(() => writer.close());
  await assert.rejects(writer.resource(configmaps, 'default').create(cm), { code: 'ECONNRESET' });
  assert.equal(resetting.seen.length, 1, 'a create is never repeated blindly');
});

test('requests wait for the rate limiter', async (t) => {
  const server = await fakeServer(t, [{ status: 200, body: cm }]);
  const clock = new FakeClock();
  const client = newClient({ host: server.url, qps: 2, burst: 2 }, { clock });
  t.after(() => client.close());
  const cms = client.resource(configmaps, 'default');
  const { elapsedMs } = await driveClock(clock, 50, Promise.all(Array.from({ length: 6 }, () => cms.get('a'))));
  assert.equal(server.seen.length, 6);
  assert.equal(elapsedMs, 2000, 'two at once, then four more at 2 per second');
});

test('headers: User-Agent, Accept, bearer token, basic auth; a token file is re-read once a minute', async (t) => {
  const server = await fakeServer(t, [{ status: 200, body: cm }]);
  const dir = mkdtempSync(join(tmpdir(), 'rest-client-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, 'first\n');
  const clock = new FakeClock();
  const cases: Array<{ config: Omit<RESTConfig, 'host'>; wantAuth: string | undefined; wantAgent: RegExp }> = [
    { config: { bearerToken: 'abc', userAgent: 'kube-scheduler/v1' }, wantAuth: 'Bearer abc', wantAgent: /^kube-scheduler\/v1$/ },
    { config: { username: 'admin', password: 'secret' }, wantAuth: `Basic ${Buffer.from('admin:secret').toString('base64')}`, wantAgent: /^k8ts\/v1\.\d+\.\d+\S* \(\w+\/\w+\) kubernetes\/k8ts$/ },
    { config: {}, wantAuth: undefined, wantAgent: /^k8ts\// },
    { config: { bearerTokenFile: tokenFile }, wantAuth: 'Bearer first', wantAgent: /^k8ts\// },
  ];
  for (const c of cases) {
    const client = newClient({ host: server.url, qps: -1, ...c.config }, { clock });
    t.after(() => client.close());
    await client.resource(configmaps, 'default').get('a');
    const seen = server.seen.at(-1)!;
    assert.equal(seen.headers.authorization, c.wantAuth);
    assert.match(seen.headers['user-agent'] ?? '', c.wantAgent);
    assert.equal(seen.headers.accept, 'application/json');
  }

  const client = newClient({ host: server.url, qps: -1, bearerTokenFile: tokenFile }, { clock });
  t.after(() => client.close());
  const cms = client.resource(configmaps, 'default');
  const steps = [
    { stepMs: 0, want: 'Bearer first' },
    { stepMs: 59_000, want: 'Bearer first' }, // rotated below, but the cached copy is younger than a minute
    { stepMs: 1_000, want: 'Bearer second' },
  ];
  await cms.get('a');
  writeFileSync(tokenFile, 'second\n');
  for (const s of steps) {
    clock.step(s.stepMs);
    await cms.get('a');
    assert.equal(server.seen.at(-1)!.headers.authorization, s.want, `after ${s.stepMs} ms`);
  }
});

test('the config timeout aborts a request that gets no reply', async (t) => {
  const server = await fakeServer(t, [{ status: 200, hang: true }]);
  const clock = new FakeClock();
  const client = newClient({ host: server.url, qps: -1, timeout: 5000 }, { clock });
  t.after(() => client.close());
  const { result, elapsedMs } = await driveClock(clock, 1000, client.resource(configmaps, 'default').get('a').then(() => 'resolved', (err: Error) => err.message));
  assert.match(result, /context deadline exceeded/);
  assert.equal(elapsedMs, 5000);
});

test('writes send JSON bodies, patch content types and write options as query parameters', async (t) => {
  const server = await fakeServer(t, [{ status: 200, body: cm }]);
  const client = newClient({ host: server.url, qps: -1 });
  t.after(() => client.close());
  const cms = client.resource(configmaps, 'default');
  const nodes = client.resource({ group: '', version: 'v1', resource: 'nodes' }, 'ignored');
  const widgets = client.resource({ group: 'example.com', version: 'v1', resource: 'widgets' }, 'ns1');
  const cases: Array<{ name: string; call: () => Promise<unknown>; want: { method: string; url: string; contentType?: string; body?: unknown } }> = [
    { name: 'create dry run', call: () => cms.create(cm, { dryRun: true, fieldManager: 'me' }), want: { method: 'POST', url: '/api/v1/namespaces/default/configmaps?dryRun=All&fieldManager=me', contentType: 'application/json', body: cm } },
    { name: 'update status', call: () => cms.updateStatus(cm), want: { method: 'PUT', url: '/api/v1/namespaces/default/configmaps/a/status', contentType: 'application/json', body: cm } },
    { name: 'apply with force', call: () => cms.patch('a', 'apply', cm, { fieldManager: 'me', force: true }), want: { method: 'PATCH', url: '/api/v1/namespaces/default/configmaps/a?fieldManager=me&force=true', contentType: 'application/apply-patch+yaml', body: cm } },
    { name: 'strategic patch', call: () => cms.patch('a', 'strategic', { data: {} }), want: { method: 'PATCH', url: '/api/v1/namespaces/default/configmaps/a', contentType: 'application/strategic-merge-patch+json', body: { data: {} } } },
    { name: 'delete foreground', call: () => cms.delete('a', { propagationPolicy: 'Foreground', gracePeriodSeconds: 0 }), want: { method: 'DELETE', url: '/api/v1/namespaces/default/configmaps/a', contentType: 'application/json', body: { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0, propagationPolicy: 'Foreground' } } },
    { name: 'list with selectors', call: () => cms.list({ labelSelector: 'a=b', fieldSelector: 'metadata.name=x', limit: 5, resourceVersion: '0' }), want: { method: 'GET', url: '/api/v1/namespaces/default/configmaps?labelSelector=a%3Db&fieldSelector=metadata.name%3Dx&resourceVersion=0&limit=5' } },
    { name: 'all namespaces', call: () => client.resource(configmaps).list(), want: { method: 'GET', url: '/api/v1/configmaps' } },
    { name: 'cluster-scoped ignores the namespace', call: () => nodes.get('n1'), want: { method: 'GET', url: '/api/v1/nodes/n1' } },
    { name: 'custom resource in a namespace', call: () => widgets.get('w:1'), want: { method: 'GET', url: '/apis/example.com/v1/namespaces/ns1/widgets/w%3A1' } },
    { name: 'binding subresource', call: () => client.resource({ group: '', version: 'v1', resource: 'pods' }, 'default').createSubresource('p', 'binding', { target: { name: 'n1' } }), want: { method: 'POST', url: '/api/v1/namespaces/default/pods/p/binding', contentType: 'application/json', body: { target: { name: 'n1' } } } },
  ];
  for (const c of cases) {
    await c.call();
    const seen = server.seen.at(-1)!;
    assert.equal(seen.method, c.want.method, c.name);
    assert.equal(seen.url, c.want.url, c.name);
    assert.equal(seen.headers['content-type'], c.want.contentType, c.name);
    assert.deepEqual(seen.body === '' ? undefined : JSON.parse(seen.body), c.want.body, c.name);
  }
});
