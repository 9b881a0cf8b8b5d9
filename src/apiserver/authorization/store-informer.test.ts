// StoreInformer: the first list, then adds/updates/deletes from the watch, and a relist after the watch fails.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../base/clock.js';
import { poll } from '../../base/wait.js';
import { StorageError, type Store, type WatchOptions } from '../../storage/interface.js';
import { openMemoryStore } from '../../storage/memory/memory-store.js';
import type { APIObject } from '../registry/strategy.js';
import { StoreInformer, type StoreEventHandler } from './store-informer.js';

const root = '/registry/things/';
const registry = {
  keys: { root, namespaced: false },
  decodeStored: (kv: { value: string; modRevision: number }): APIObject => ({ ...(JSON.parse(kv.value) as APIObject), metadata: { ...(JSON.parse(kv.value) as APIObject).metadata, resourceVersion: String(kv.modRevision) } }),
};
const thing = (name: string, v: string) => JSON.stringify({ metadata: { name }, v });

function recorder(): { events: string[]; handler: StoreEventHandler<APIObject> } {
  const events: string[] = [];
  const name = (o: APIObject) => `${o.metadata?.name}=${(o as { v?: string }).v}`;
  return {
    events,
    handler: {
      onReplace: (objs) => events.push(`replace[${objs.map(name).join(',')}]`),
      onAdd: (o) => events.push(`add ${name(o)}`),
      onUpdate: (old, o) => events.push(`update ${name(old)}→${name(o)}`),
      onDelete: (o) => events.push(`delete ${name(o)}`),
    },
  };
}

const until = (cond: () => boolean) => poll({ intervalMs: 5, timeoutMs: 10_000 }, cond);

test('list, then watch events in order; undecodable values are skipped', async () => {
  const store = openMemoryStore();
  const stop = new AbortController();
  try {
    await store.create(`${root}a`, thing('a', '1'));
    await store.create('/registry/other/x', thing('x', '1'));
    const { events, handler } = recorder();
    await new StoreInformer({ store, registry, handler, signal: stop.signal }).start();
    assert.deepEqual(events, ['replace[a=1]']);
    const a = await store.get(`${root}a`);
    await store.update(`${root}a`, thing('a', '2'), a!.modRevision);
    await store.create(`${root}b`, thing('b', '1'));
    await store.create(`${root}broken`, '{not json');
    await store.delete(`${root}a`);
    await until(() => events.length === 4);
    assert.deepEqual(events, ['replace[a=1]', 'update a=1→a=2', 'add b=1', 'delete a=2']);
  } finally {
    stop.abort();
    await store.close();
  }
});

test('a failed watch relists after the delay (fake clock) and catches up', async () => {
  const inner = openMemoryStore();
  const clock = new FakeClock(0);
  let failNext = true;
  let failWatch: (() => void) | undefined;
  // The first watch is made to fail on demand, as a compaction would.
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'watch') {
        return async (opts: WatchOptions) => {
          await target.watch(opts);
          if (failNext) {
            failNext = false;
            failWatch = () => opts.onError(new StorageError('Compacted', 'required revision has been compacted'));
          }
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as Store;
  const stop = new AbortController();
  try {
    await inner.create(`${root}a`, thing('a', '1'));
    const { events, handler } = recorder();
    await new StoreInformer({ store, registry, handler, signal: stop.signal, clock, relistDelayMs: 1000 }).start();
    failWatch!();
    await inner.create(`${root}b`, thing('b', '1'));
    await until(() => clock.pendingTimers() > 0);
    clock.step(1000);
    await until(() => events.length === 2);
    assert.deepEqual(events, ['replace[a=1]', 'replace[a=1,b=1]']);
  } finally {
    stop.abort();
    await inner.close();
  }
});
