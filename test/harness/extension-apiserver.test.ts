// The test extension apiserver: it refuses requests without the front-proxy certificate, answers discovery
// itself, hands resource paths to the test, and records the identity headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { readFile, rm } from 'node:fs/promises';
import { generateFrontProxyPKI, startExtensionAPIServer } from './extension-apiserver.js';

function get(port: number, path: string, opts: { cert?: string; key?: string; headers?: Record<string, string | string[]> } = {}): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path, rejectUnauthorized: false, cert: opts.cert, key: opts.key, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('extension apiserver: front-proxy certificate required, discovery built in, identity recorded', async (t) => {
  const pki = await generateFrontProxyPKI();
  t.after(() => rm(pki.dir, { recursive: true, force: true }));
  const server = await startExtensionAPIServer({
    group: 'example.com',
    version: 'v1',
    frontProxyCA: pki.caPEM,
    allowedNames: [pki.clientCN],
    dnsNames: ['api.ext.svc'],
    resources: [{ name: 'widgets', singularName: 'widget', namespaced: true, kind: 'Widget', verbs: ['get'] }],
    handle: (req) => (req.path === '/apis/example.com/v1/namespaces/a/widgets/w' ? { status: 200, body: { kind: 'Widget', metadata: { name: 'w' } } } : undefined),
  });
  t.after(() => server.stop());
  const cert = await readFile(pki.clientCertFile, 'utf8');
  const key = await readFile(pki.clientKeyFile, 'utf8');
  const identity = { 'X-Remote-User': 'alice', 'X-Remote-Group': ['dev', 'system:authenticated'], 'X-Remote-Extra-scopes%2Fx': 'read' };

  const anonymous = await get(server.port, '/apis/example.com/v1', { headers: identity });
  assert.equal(anonymous.status, 401);
  assert.equal(server.requests.length, 0);

  const cases: Array<{ path: string; status: number; kind: string }> = [
    { path: '/apis/example.com/v1', status: 200, kind: 'APIResourceList' },
    { path: '/apis/example.com/v1/namespaces/a/widgets/w', status: 200, kind: 'Widget' },
    { path: '/apis/example.com/v1/namespaces/a/widgets/missing', status: 404, kind: 'Status' },
  ];
  for (const c of cases) {
    const r = await get(server.port, c.path, { cert, key, headers: identity });
    assert.equal(r.status, c.status, c.path);
    assert.equal((r.json as { kind: string }).kind, c.kind, c.path);
  }
  assert.deepEqual(
    server.requests.map((r) => [r.path, r.user, r.groups, r.extra, r.clientCN]),
    cases.map((c) => [c.path, 'alice', ['dev', 'system:authenticated'], { 'scopes/x': ['read'] }, 'front-proxy-client']),
  );
});
