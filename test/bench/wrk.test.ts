// The wrk driver and its Lua scripts, against a small loopback HTTP server that records what arrives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { type AddressInfo } from 'node:net';
import { parseWrkSummary, runWrk } from '../../bench/wrk.js';

async function recordingServer(reply: (req: IncomingMessage, body: string) => number) {
  const seen: Array<{ method: string; url: string; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body });
      res.writeHead(reply(req, body), { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise((r) => server.close(r)) };
}

test('create.lua POSTs ConfigMaps of the requested size with unique names', async (t) => {
  const srv = await recordingServer(() => 201);
  t.after(() => srv.close());
  const r = await runWrk({ url: srv.url, script: 'create', vars: { namespace: 'ns1', prefix: 'cm', objectBytes: 1024 }, connections: 4, threads: 2, durationSeconds: 1 });
  assert.ok(r.requests > 50, `only ${r.requests} requests`);
  assert.equal(r.statusErrors, 0);
  assert.ok(srv.seen.length >= r.requests, `server saw ${srv.seen.length}, wrk counted ${r.requests}`);
  const names = new Set<string>();
  for (const s of srv.seen) {
    assert.equal(s.method, 'POST');
    assert.equal(s.url, '/api/v1/namespaces/ns1/configmaps');
    assert.equal(s.body.length, 1024);
    const cm = JSON.parse(s.body);
    assert.equal(cm.kind, 'ConfigMap');
    assert.match(cm.metadata.name, /^cm-[01]-\d{8}$/);
    names.add(cm.metadata.name);
  }
  assert.equal(names.size, srv.seen.length, 'names are unique across threads');
  assert.ok(r.latencyMs.p50 > 0 && r.latencyMs.p50 <= r.latencyMs.p99 && r.latencyMs.p99 <= r.latencyMs.max);
});

test('get.lua GETs random objects of the prepared set and non-2xx replies are counted', async (t) => {
  const srv = await recordingServer((req) => (req.url?.endsWith('-0') ? 404 : 200));
  t.after(() => srv.close());
  const r = await runWrk({ url: srv.url, script: 'get', vars: { namespace: 'ns2', prefix: 'obj', objectCount: 3 }, connections: 2, threads: 1, durationSeconds: 1 });
  const urls = new Set(srv.seen.map((s) => s.url));
  assert.deepEqual([...urls].sort(), ['/api/v1/namespaces/ns2/configmaps/obj-0', '/api/v1/namespaces/ns2/configmaps/obj-1', '/api/v1/namespaces/ns2/configmaps/obj-2']);
  const notFound = srv.seen.filter((s) => s.url.endsWith('-0')).length;
  assert.ok(Math.abs(r.statusErrors - notFound) <= 2, `wrk counted ${r.statusErrors} errors, server sent ${notFound} 404s`);
});

test('parseWrkSummary converts microseconds and totals', () => {
  const r = parseWrkSummary('{"requests":1000,"durationUs":2000000,"bytes":5,"errors":{"connect":1,"read":2,"write":3,"status":4,"timeout":5},"latencyUs":{"p50":1500,"p90":2000,"p99":9000,"max":12000,"mean":1600.5}}');
  assert.equal(r.requestsPerSecond, 500);
  assert.equal(r.statusErrors, 4);
  assert.equal(r.socketErrors, 11);
  assert.deepEqual(r.latencyMs, { p50: 1.5, p90: 2, p99: 9, max: 12, mean: 1.6005 });
});
