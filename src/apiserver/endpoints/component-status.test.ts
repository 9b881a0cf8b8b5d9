import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { ComponentStatuses, healthzProbe, storageProbe, type ComponentProbe } from './component-status.js';
import { newTestServer } from './testing/harness.js';

test('componentstatuses: healthy, unhealthy and storage probes in upstream shape', async () => {
  const healthy: ComponentProbe = { name: 'scheduler', probe: async () => 'ok' };
  // A port with nothing listening: connection refused, as when the controller-manager is not running.
  const closed = await new Promise<number>((resolve) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
  const cs = new ComponentStatuses([healthy, healthzProbe('controller-manager', closed, 500), storageProbe(async () => 1)]);
  const s = await newTestServer({ handlerOptions: { componentStatuses: cs } });
  const list = await s.request('GET', '/api/v1/componentstatuses');
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.kind, 'ComponentStatusList');
  assert.equal(list.headers.Warning, '299 - "v1 ComponentStatus is deprecated in v1.19+"');
  assert.deepEqual(list.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['scheduler', 'controller-manager', 'etcd-0']);
  assert.deepEqual(list.json.items[0].conditions, [{ type: 'Healthy', status: 'True', message: 'ok' }]);
  assert.deepEqual(list.json.items[1].conditions, [
    { type: 'Healthy', status: 'False', error: `Get "https://127.0.0.1:${closed}/healthz": dial tcp 127.0.0.1:${closed}: connect: connection refused` },
  ]);
  assert.equal(list.json.items[2].conditions[0].message, '{"health":"true","reason":""}');
  const one = await s.request('GET', '/api/v1/componentstatuses/etcd-0');
  assert.equal(one.json.metadata.name, 'etcd-0');
  assert.equal((await s.request('GET', '/api/v1/componentstatuses/nope')).status, 404);
  assert.equal((await s.request('DELETE', '/api/v1/componentstatuses/etcd-0')).status, 405);
  const table = await s.request('GET', '/api/v1/componentstatuses', { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' } });
  assert.equal(table.json.kind, 'Table');
  assert.equal(table.json.rows.length, 3);
  s.close();
});
