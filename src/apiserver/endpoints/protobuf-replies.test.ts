// Protobuf replies through the real apiserver: built-in kinds come back as application/vnd.kubernetes.protobuf
// when the client prefers it (GET, LIST, create, scale), JSON otherwise and for watch streams.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { decodeProtobufObject } from '../../api/protobuf.js';
import { openMemoryStore } from '../../storage/memory/memory-store.js';
import { defaultAPIServerOptions } from '../options.js';
import { runAPIServer } from '../server.js';
import { generateSelfSigned } from '../serving-cert.js';

const protobufFirst = 'application/vnd.kubernetes.protobuf,application/json';

function request(port: number, req: { method: string; path: string; body?: string; accept: string }): Promise<{ status: number; contentType: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: req.accept, ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}) };
    const r = https.request({ host: '127.0.0.1', port, method: req.method, path: req.path, rejectUnauthorized: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
    });
    r.on('error', reject);
    r.end(req.body);
  });
}

test('built-in kinds are replied in protobuf when preferred; JSON otherwise', async () => {
  const cert = await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] });
  const ac = new AbortController();
  const server = await runAPIServer({ ...defaultAPIServerOptions('/nonexistent'), securePort: 0, bindAddress: '127.0.0.1' }, ac.signal, {
    openStore: async () => openMemoryStore(),
    servingCert: cert,
    postStartHooks: [{ name: 'test-namespaces', run: async (ctx) => void (await ctx.registries.get('', 'namespaces')!.create({ namespace: '', obj: { metadata: { name: 'default' } } })) }],
  });
  const port = server.securePort;
  try {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    };
    const created = await request(port, { method: 'POST', path: '/apis/apps/v1/namespaces/default/deployments', body: JSON.stringify(deployment), accept: protobufFirst });
    assert.equal(created.status, 201, created.body.toString());
    assert.equal(created.contentType, 'application/vnd.kubernetes.protobuf');
    const createdObj = decodeProtobufObject(created.body) as { kind: string; metadata: { name: string; uid: string }; spec: { replicas: number } };
    assert.equal(createdObj.kind, 'Deployment');
    assert.equal(createdObj.spec.replicas, 2);

    const cases: Array<{ name: string; path: string; accept: string; contentType: string; kind: string }> = [
      { name: 'get', path: '/apis/apps/v1/namespaces/default/deployments/web', accept: protobufFirst, contentType: 'application/vnd.kubernetes.protobuf', kind: 'Deployment' },
      { name: 'list', path: '/apis/apps/v1/namespaces/default/deployments', accept: protobufFirst, contentType: 'application/vnd.kubernetes.protobuf', kind: 'DeploymentList' },
      { name: 'scale', path: '/apis/apps/v1/namespaces/default/deployments/web/scale', accept: protobufFirst, contentType: 'application/vnd.kubernetes.protobuf', kind: 'Scale' },
      { name: 'json preferred', path: '/apis/apps/v1/namespaces/default/deployments/web', accept: 'application/json,application/vnd.kubernetes.protobuf', contentType: 'application/json', kind: 'Deployment' },
      { name: 'table stays JSON', path: '/apis/apps/v1/namespaces/default/deployments/web', accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json', contentType: 'application/json;as=Table;v=v1;g=meta.k8s.io', kind: 'Table' },
    ];
    for (const c of cases) {
      const res = await request(port, { method: 'GET', path: c.path, accept: c.accept });
      assert.equal(res.status, 200, `${c.name}: ${res.body.toString()}`);
      assert.equal(res.contentType, c.contentType, c.name);
      const obj = c.contentType === 'application/vnd.kubernetes.protobuf' ? decodeProtobufObject(res.body) : (JSON.parse(res.body.toString()) as Record<string, unknown>);
      assert.equal(obj.kind, c.kind, c.name);
    }
    const list = decodeProtobufObject((await request(port, { method: 'GET', path: '/apis/apps/v1/namespaces/default/deployments', accept: protobufFirst })).body) as { items: Array<{ metadata: { uid: string } }> };
    assert.deepEqual(list.items.map((d) => d.metadata.uid), [createdObj.metadata.uid]);

    const watch = await request(port, { method: 'GET', path: '/apis/apps/v1/namespaces/default/deployments?watch=true&resourceVersion=0&timeoutSeconds=1', accept: protobufFirst });
    assert.equal(watch.status, 200);
    assert.equal(watch.contentType, 'application/json', 'watch streams stay JSON');
  } finally {
    ac.abort();
    await server.close();
  }
});
