// The client's HTTP/2 transport against a bare node:http2 server: one session for many requests and
// watches, a fresh session after GOAWAY or a dropped connection, PINGs only while streams are open.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import net, { type AddressInfo } from 'node:net';
import { FakeClock } from '../../src/base/clock.js';
import { generateSelfSigned } from '../../src/apiserver/serving-cert.js';
import { newClient } from '../../src/client/rest/rest-client.js';
import { HTTP2Transport, type TLSOptions } from '../../src/client/rest/transport.js';

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
const configmaps = { group: '', version: 'v1', resource: 'configmaps' };

interface FakeServer {
  origin: string;
  ca: string;
  sessions: http2.ServerHttp2Session[];
  pings: number;
  /** Open watch streams, to push events into. */
  watches: http2.ServerHttp2Stream[];
  /** Serving certificate and key (also usable as a client certificate here: the server does not verify it). */
  cert: string;
  key: string;
  /** Subject CNs of the client certificates presented, one per session. */
  clientCNs: string[];
}

/** GET …/configmaps/<name> answers the object; ?watch=true opens a stream that stays open. */
async function startServer(t: TestContext): Promise<FakeServer> {
  const cert = await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] });
  const state: FakeServer = { origin: '', ca: cert.ca, sessions: [], pings: 0, watches: [], cert: cert.cert, key: cert.key, clientCNs: [] };
  const server = http2.createSecureServer({ cert: cert.cert, key: cert.key, requestCert: true, rejectUnauthorized: false });
  server.on('secureConnection', (socket) => {
    const cn = socket.getPeerCertificate().subject?.CN;
    if (cn) state.clientCNs.push(String(cn));
  });
  server.on('session', (s) => {
    state.sessions.push(s);
    s.on('ping', () => state.pings++);
  });
  server.on('stream', (stream: http2.ServerHttp2Stream, headers) => {
    const url = new URL(String(headers[':path']), 'https://x');
    if (url.searchParams.get('watch') === 'true') {
      stream.respond({ ':status': 200, 'content-type': 'application/json' });
      state.watches.push(stream);
      return;
    }
    stream.respond({ ':status': 200, 'content-type': 'application/json' });
    stream.end(JSON.stringify(cm(url.pathname.split('/').at(-1)!)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    for (const s of state.sessions) s.destroy();
    server.close();
  });
  state.origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

function clientFor(t: TestContext, s: FakeServer, clock = new FakeClock(), tls: TLSOptions = { ca: s.ca }) {
  const transport = new HTTP2Transport({ origin: s.origin, tls, clock });
  const client = newClient({ host: s.origin, qps: -1 }, { transport, clock });
  t.after(() => client.close());
  return { client, transport, cms: client.resource(configmaps, 'default') };
}

test('many requests and a watch share one HTTP/2 session', async (t) => {
  const s = await startServer(t);
  const { transport, cms } = clientFor(t, s);
  const ac = new AbortController();
  const events = await cms.watch({ signal: ac.signal });
  const got = await Promise.all(Array.from({ length: 50 }, (_, i) => cms.get(`c${i}`)));
  assert.deepEqual(got.map((o) => o.metadata?.name), Array.from({ length: 50 }, (_, i) => `c${i}`));
  s.watches[0]!.write(`${JSON.stringify({ type: 'ADDED', object: cm('w') })}\n`);
  const first = await events[Symbol.asyncIterator]().next();
  assert.equal(first.done, false);
  ac.abort();
  assert.equal((await cms.get('after-abort')).metadata?.name, 'after-abort', 'aborting a watch leaves the session usable');
  assert.equal(transport.sessionsOpened, 1);
  assert.equal(s.sessions.length, 1);
});

test('TLS: the serving certificate is verified against the CA and the server name; client certificates are presented', async (t) => {
  const s = await startServer(t);
  const cases: Array<{ name: string; tls: TLSOptions; want: 'ok' | RegExp }> = [
    { name: 'CA', tls: { ca: s.ca }, want: 'ok' },
    { name: 'CA and tls-server-name', tls: { ca: s.ca, servername: 'localhost' }, want: 'ok' },
    { name: 'wrong tls-server-name', tls: { ca: s.ca, servername: 'kubernetes.example' }, want: /Hostname\/IP does not match|altnames/i },
    { name: 'no CA', tls: {}, want: /self[- ]signed|unable to (get|verify)/i },
    { name: 'no CA, insecure', tls: { insecure: true }, want: 'ok' },
    { name: 'client certificate', tls: { ca: s.ca, cert: s.cert, key: s.key }, want: 'ok' },
  ];
  for (const c of cases) {
    const { cms } = clientFor(t, s, new FakeClock(), c.tls);
    const got = cms.get('x');
    if (c.want === 'ok') assert.equal((await got).metadata?.name, 'x', c.name);
    else await assert.rejects(got, c.want, c.name);
  }
  assert.deepEqual(s.clientCNs.map((cn) => cn.split('@')[0]), ['localhost'], 'only the last client presented a certificate');
});

test('after GOAWAY or a dropped connection the next request opens a new session', async (t) => {
  const s = await startServer(t);
  const { transport, cms } = clientFor(t, s);
  const cases: Array<{ name: string; drop: (session: http2.ServerHttp2Session) => void }> = [
    { name: 'GOAWAY', drop: (session) => session.goaway(http2.constants.NGHTTP2_NO_ERROR) },
    { name: 'connection closed', drop: (session) => session.destroy() },
  ];
  await cms.get('first');
  for (const [i, c] of cases.entries()) {
    const closed = new Promise<void>((r) => s.sessions.at(-1)!.once('close', () => r()));
    c.drop(s.sessions.at(-1)!);
    if (c.name === 'connection closed') await closed;
    // The client may learn of GOAWAY only as the next request goes out: it must still succeed.
    for (let n = 0; n < 3; n++) assert.equal((await cms.get(`after-${i}-${n}`)).metadata?.name, `after-${i}-${n}`, c.name);
    assert.equal(transport.sessionsOpened, i + 2, c.name);
  }
});

test('a watch opened before GOAWAY keeps streaming on the old session while new requests use a new one', async (t) => {
  const s = await startServer(t);
  const { transport, cms } = clientFor(t, s);
  const ac = new AbortController();
  t.after(() => ac.abort());
  const events = (await cms.watch({ signal: ac.signal }))[Symbol.asyncIterator]();
  s.sessions[0]!.goaway(http2.constants.NGHTTP2_NO_ERROR);
  assert.equal((await cms.get('new')).metadata?.name, 'new');
  assert.equal(transport.sessionsOpened, 2);
  s.watches[0]!.write(`${JSON.stringify({ type: 'ADDED', object: cm('late') })}\n`);
  const next = await events.next();
  assert.equal(next.done, false);
  assert.equal(next.value?.type === 'ADDED' ? next.value.object.metadata?.name : undefined, 'late');
});

/** Turns the event loop until `cond` holds (loopback I/O completes within a bounded number of turns). */
async function waitFor(what: string, cond: () => boolean): Promise<void> {
  for (let turns = 0; !cond(); turns++) {
    assert.ok(turns < 200_000, `gave up waiting for ${what}`);
    await new Promise<void>((r) => setImmediate(r));
  }
}

test('PINGs are sent every interval while a stream is open, and not when idle', async (t) => {
  const s = await startServer(t);
  const clock = new FakeClock();
  const { cms, transport } = clientFor(t, s, clock);
  await cms.get('warm-up');
  await waitFor('the finished stream to release the ping timer', () => clock.pendingTimers() === 0);
  clock.step(60_000);
  assert.equal(s.pings, 0, 'no streams, no pings');

  const ac = new AbortController();
  await cms.watch({ signal: ac.signal });
  for (const want of [1, 2]) {
    clock.step(30_000);
    await waitFor(`ping ${want} answered`, () => transport.pingsAcked === want);
    assert.equal(s.pings, want);
  }
  ac.abort();
  await waitFor('the closed watch to stop the pings', () => clock.pendingTimers() === 0);
  assert.equal(s.pings, 2);
});

/** A loopback TCP proxy to `port`; `freeze()` stops forwarding on the open connections (a dead peer). */
async function freezableProxy(t: TestContext, port: number): Promise<{ origin: string; freeze(): void }> {
  const pairs: Array<[net.Socket, net.Socket]> = [];
  const proxy = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    pairs.push([client, upstream]);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  t.after(() => {
    for (const [a, b] of pairs) a.destroy(), b.destroy();
    proxy.close();
  });
  return {
    origin: `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    freeze: () => {
      for (const [a, b] of pairs.splice(0)) {
        a.unpipe(b);
        b.unpipe(a);
        a.pause();
        b.pause();
      }
    },
  };
}

test('an unanswered PING drops the session: the open watch fails and the next request reconnects', async (t) => {
  const s = await startServer(t);
  const proxy = await freezableProxy(t, Number(new URL(s.origin).port));
  const clock = new FakeClock();
  const { transport, cms } = clientFor(t, { ...s, origin: proxy.origin }, clock);
  const ac = new AbortController();
  t.after(() => ac.abort());
  const events = (await cms.watch({ signal: ac.signal }))[Symbol.asyncIterator]();
  const next = events.next();
  proxy.freeze();
  clock.step(30_000); // the PING goes out and is never answered
  assert.equal(clock.pendingTimers(), 1, 'only the PING deadline is armed');
  clock.step(15_000);
  await assert.rejects(next, /PING timeout/, 'a broken connection ends the watch with an error');
  assert.equal((await cms.get('again')).metadata?.name, 'again');
  assert.equal(transport.sessionsOpened, 2);
  assert.equal(transport.pingsAcked, 0);
});
