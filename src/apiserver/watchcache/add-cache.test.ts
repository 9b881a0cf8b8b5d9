// Caches added and removed at run time (custom resources): filled from a list at the reflector's revision,
// with the events that arrive meanwhile applied afterwards, exactly once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ListOptions, Store } from '../../storage/interface.js';
import { openMemoryStore } from '../../storage/memory/memory-store.js';
import { everything } from '../registry/generic/selection.js';
import { WatchCacheSet } from './cache-set.js';

const value = (name: string) => JSON.stringify({ metadata: { name } });
const root = '/registry/example.com/things/';

test('add() fills a new cache from storage, keeps writes made while it lists, and remove() drops it', async () => {
  const base = openMemoryStore();
  await base.create(`${root}ns/before`, value('before'));
  let writeDuringList = true;
  // A write lands while the new cache is being listed: its event must not be lost or applied twice.
  const store: Store = Object.create(base, {
    list: {
      value: async (opts: ListOptions) => {
        if (opts.prefix === root && writeDuringList) {
          writeDuringList = false;
          await base.create(`${root}ns/during`, value('during'));
          await new Promise((r) => setTimeout(r, 20));
        }
        return base.list(opts);
      },
    },
  });
  const caches = new WatchCacheSet({ store, etcdPrefix: '/registry', resources: [{ root: '/registry/pods/' }] });
  const stop = new AbortController();
  await caches.start(stop.signal);
  try {
    assert.equal(caches.cacheFor(root), undefined);
    await caches.add({ root });
    const cache = caches.cacheFor(root)!;
    assert.ok(cache);
    assert.equal(cache.rv, caches.reflector.rv, 'a filled cache is as fresh as the reflector');
    const rv = (await base.create(`${root}ns/after`, value('after'))).modRevision;
    assert.equal(await caches.waitFor(rv), true);
    assert.deepEqual(cache.list(root, everything).map((o) => o.key), [`${root}ns/after`, `${root}ns/before`, `${root}ns/during`]);
    const watcher = cache.watch({ prefix: root, predicate: everything }, 0);
    const frames = (await watcher.next(stop.signal)).map((f) => `${JSON.parse(f).type} ${JSON.parse(f).object.metadata.name}`);
    assert.deepEqual(frames, ['ADDED during', 'ADDED after'], 'each event once, in order');
    await caches.add({ root });
    assert.equal(caches.cacheFor(root), cache, 'adding an existing root changes nothing');

    caches.remove(root);
    assert.equal(caches.cacheFor(root), undefined);
    assert.equal(watcher.endReason, 'closed');
    const later = (await base.create(`${root}ns/gone`, value('gone'))).modRevision;
    assert.equal(await caches.waitFor(later), true, 'the other caches keep up');
    assert.equal(cache.get(`${root}ns/gone`), undefined, 'a removed cache gets no more events');
  } finally {
    stop.abort();
  }
});
