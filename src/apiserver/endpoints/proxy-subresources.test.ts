// The proxy subresources of pods, services and nodes: target resolution with upstream's errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strategyFor } from '../registry/strategies.js';
import { splitSchemeNamePort } from './proxy-subresources.js';
import { newTestServer } from './testing/harness.js';

test('splitSchemeNamePort accepts name, name:port and scheme:name:port', () => {
  const cases: Array<[string, ReturnType<typeof splitSchemeNamePort>]> = [
    ['web', { scheme: '', name: 'web', port: '' }],
    ['web:8080', { scheme: '', name: 'web', port: '8080' }],
    ['https:web:443', { scheme: 'https', name: 'web', port: '443' }],
    ['ftp:web:21', undefined],
    [':80', undefined],
    ['a:b:c:d', undefined],
  ];
  for (const [id, want] of cases) assert.deepEqual(splitSchemeNamePort(id), want, id);
});

test('proxy: upstream answers for pods without IPs, services without endpoints, missing objects and nodes', async () => {
  const s = await newTestServer({ strategyFor: (g, r) => strategyFor(g, r) });
  const ns = '/api/v1/namespaces/default';
  const pod = await s.request('POST', `${ns}/pods`, { body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } });
  assert.equal(pod.status, 201, pod.text);
  const withIP = await s.request('PUT', `${ns}/pods/p/status`, { body: { ...pod.json, status: { ...pod.json.status, podIP: '10.244.0.5', podIPs: [{ ip: '10.244.0.5' }] } } });
  assert.equal(withIP.status, 200, withIP.text);
  await s.request('POST', `${ns}/pods`, { body: { metadata: { name: 'noip' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } });
  const svc = await s.request('POST', `${ns}/services`, { body: { metadata: { name: 'web' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } } });
  assert.equal(svc.status, 201, svc.text);
  await s.request('POST', '/api/v1/nodes', { body: { metadata: { name: 'n1' }, status: {} } });

  const cases: Array<{ url: string; status: number; message: string | RegExp }> = [
    { url: `${ns}/pods/noip/proxy/`, status: 400, message: 'address not allowed' },
    { url: `${ns}/pods/p:8080/proxy/healthz`, status: 503, message: /proxying to pod p \(10\.244\.0\.5\) is not supported/ },
    { url: `${ns}/pods/nope/proxy/`, status: 404, message: 'pods "nope" not found' },
    { url: `${ns}/pods/a:b:c:d/proxy/`, status: 400, message: 'invalid pod request "a:b:c:d"' },
    { url: `${ns}/services/web:80/proxy/`, status: 503, message: 'no endpoints available for service "web:80"' },
    { url: `${ns}/services/nope/proxy/`, status: 404, message: 'services "nope" not found' },
    { url: '/api/v1/nodes/n1/proxy/metrics', status: 500, message: 'no preferred addresses found; known addresses: []' },
    { url: '/api/v1/nodes/ghost/proxy/', status: 404, message: 'nodes "ghost" not found' },
  ];
  for (const c of cases) {
    const r = await s.request('GET', c.url);
    assert.equal(r.status, c.status, `${c.url}: ${r.text}`);
    if (typeof c.message === 'string') assert.equal(r.json.message, c.message, c.url);
    else assert.match(r.json.message, c.message, c.url);
  }
  s.close();
});
