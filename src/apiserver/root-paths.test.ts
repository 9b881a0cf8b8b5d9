import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RootPathsHandler } from './root-paths.js';

test('GET / lists the paths sorted and without duplicates; other paths are not its own', async () => {
  const h = new RootPathsHandler(() => ['/version', '/api', '/apis/apps/v1', '/api', '/healthz/ping']);
  const res = await h.handle({ method: 'GET', path: '/', query: new URLSearchParams(), headers: {} });
  assert.equal(res?.status, 200);
  assert.deepEqual(JSON.parse(String(res?.body)), { paths: ['/api', '/apis/apps/v1', '/healthz/ping', '/version'] });
  assert.equal(await h.handle({ method: 'GET', path: '/foo', query: new URLSearchParams(), headers: {} }), undefined);
});
