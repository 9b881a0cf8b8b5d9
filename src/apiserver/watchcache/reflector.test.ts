import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StorageError, type Store, type WatchOptions } from '../../storage/interface.js';
import { openMemoryStore } from '../../storage/memory/memory-store.js';
import { everything } from '../registry/generic/selection.js';
import { restampJSON, WatchCacheSet } from './cache-set.js';

const value = (name: string) => JSON.stringify({ metadata: { name } });

test('one storage watch feeds every cache, nested roots included, and advances all of them', async () => {
  const store = openMemoryStore();
  await store.create('/registry/pods/ns/p0', value('p0'));
  const caches = new WatchCacheSet({
    store,
    etcdPrefix: '/registry',
    resources: [{ root: '/registry/pods/' }, { root: '/registry/services/specs/' }, { root: '/registry/services/endpoints/' }],
  });
  const stop = new AbortController();
  await caches.start(stop.signal);
  const pods = caches.cacheFor('/registry/pods/')!;
  const svcs = caches.cacheFor('/registry/services/specs/')!;
  const eps = caches.cacheFor('/registry/services/endpoints/')!;
  assert.deepEqual(pods.list('/registry/pods/', everything).map((o) => o.key), ['/registry/pods/ns/p0']);
  await store.create('/registry/services/specs/ns/s', value('s'));
  const rv = (await store.create('/registry/services/endpoints/ns/s', value('s'))).modRevision;
  assert.equal(await caches.waitFor(rv), true);
  assert.equal(svcs.size, 1);
  assert.equal(eps.size, 1);
  assert.equal(pods.rv, rv, 'a cache is fresh up to the newest revision even without own events');
  const other = (await store.create('/elsewhere/x', value('x'))).modRevision;
  assert.equal(await caches.reflector.waitFor(other, 50), false, 'writes outside the prefix are not seen: waiting times out');
  stop.abort();
});

test('a failed storage watch rebuilds the caches from a fresh list and resets their watchers', async () => {
  const store = openMemoryStore();
  let failWatch: ((err: StorageError) => void) | undefined;
  const wrapped: Store = Object.create(store, {
    watch: {
      value: (opts: WatchOptions) => {
        failWatch = opts.onError;
        return store.watch(opts);
      },
    },
  });
  await store.create('/registry/pods/ns/a', value('a'));
  const caches = new WatchCacheSet({ store: wrapped, etcdPrefix: '/registry', resources: [{ root: '/registry/pods/' }] });
  (caches.reflector as unknown as { opts: { relistDelayMs: number } }).opts.relistDelayMs = 5;
  const stop = new AbortController();
  await caches.start(stop.signal);
  const pods = caches.cacheFor('/registry/pods/')!;
  const w = pods.watch({ prefix: '/registry/pods/', predicate: everything }, pods.rv);
  await store.create('/registry/pods/ns/b', value('b'));
  failWatch!(new StorageError('Compacted', 'compacted', { revision: 2 }));
  const rv = (await store.create('/registry/pods/ns/c', value('c'))).modRevision;
  for (let i = 0; i < 200 && w.endReason === undefined; i++) await new Promise((r) => setTimeout(r, 5));
  assert.equal(await caches.waitFor(rv), true);
  assert.deepEqual(pods.list('/registry/pods/', everything).map((o) => o.key.split('/').pop()), ['a', 'b', 'c']);
  assert.equal(w.endReason, 'reset', 'watchers re-watch after a relist');
  assert.equal(restampJSON(value('z'), 7), JSON.stringify({ metadata: { name: 'z', resourceVersion: '7' } }));
  stop.abort();
});
