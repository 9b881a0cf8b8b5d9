// Tests for the timing Store decorator and the key → resource resolver, on the memory store.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resources } from '../../api/resources.js';
import { isStorageError } from '../../storage/interface.js';
import { openMemoryStore } from '../../storage/memory/memory-store.js';
import type { StorageObservation } from './interface.js';
import { discardMetrics } from './interface.js';
import { instrumentStore, keyResourceResolver } from './instrumented-store.js';

test('keyResourceResolver maps keys to resources, including upstream special prefixes', () => {
  const resolve = keyResourceResolver({ etcdPrefix: '/registry', resources });
  const cases: Array<[string, string | undefined]> = [
    ['/registry/pods/default/web-1', 'pods'],
    ['/registry/pods/', 'pods'],
    ['/registry/services/specs/default/kubernetes', 'services'],
    ['/registry/services/endpoints/default/kubernetes', 'endpoints'],
    ['/registry/minions/node-1', 'nodes'],
    ['/registry/deployments/default/web', 'deployments'],
    ['/registry/apiextensions.k8s.io/customresourcedefinitions/crontabs.stable.example.com', 'customresourcedefinitions'],
    ['/registry/nonesuch/x', undefined],
    ['/elsewhere/pods/x', undefined],
    ['/registry/pods', undefined],
    ['', undefined],
  ];
  for (const [key, want] of cases) assert.equal(resolve(key)?.resource, want, key);
  assert.equal(resolve('/registry/deployments/default/web')?.group, 'apps');
});

test('instrumentStore reports every call with its resource, and only real failures as errors', async () => {
  const seen: StorageObservation[] = [];
  const metrics = { ...discardMetrics, observeStorage: (o: StorageObservation) => void seen.push(o) };
  const store = instrumentStore(openMemoryStore(), { metrics, resourceOf: keyResourceResolver({ etcdPrefix: '/registry', resources }) });

  const kv = await store.create('/registry/pods/default/a', '{}');
  await store.get('/registry/pods/default/a');
  await store.update('/registry/pods/default/a', '{"x":1}', kv.modRevision);
  await store.list({ prefix: '/registry/pods/default/' });
  await assert.rejects(store.create('/registry/pods/default/a', '{}'), (err: unknown) => isStorageError(err, 'AlreadyExists'));
  await store.delete('/registry/pods/default/a');
  await store.compact(1);

  assert.deepEqual(
    seen.map((o) => `${o.operation} ${o.group}/${o.resource}${o.failed ? ' failed' : ''}`),
    ['create /pods', 'get /pods', 'update /pods', 'list /pods', 'create /pods', 'delete /pods', 'compact /'],
  );
  assert.ok(seen.every((o) => o.seconds >= 0 && o.seconds < 5));
  assert.equal(store.backend, 'memory');
  await store.close();
});
