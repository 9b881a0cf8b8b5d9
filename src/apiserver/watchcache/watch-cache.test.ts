import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { everything, type SelectionPredicate } from '../registry/generic/selection.js';
import { CacheEvent, frameFor, WatchCache, type CachedObject } from './watch-cache.js';

const obj = (key: string, rv: number, labels: Record<string, string> = {}): CachedObject => ({
  key,
  rv,
  json: JSON.stringify({ metadata: { name: key.split('/').pop(), resourceVersion: String(rv), labels } }),
  labels,
  fields: { 'metadata.name': key.split('/').pop() ?? '' },
});
const labelIs = (k: string, v: string): SelectionPredicate => ({ empty: false, matches: (l) => l[k] === v });
const restamp = (json: string, rv: number) => {
  const o = JSON.parse(json);
  o.metadata.resourceVersion = String(rv);
  return JSON.stringify(o);
};

test('frameFor: upstream event types for selector entry, exit, change and deletion', () => {
  const f = { prefix: '/r/ns/', predicate: labelIs('app', 'web') };
  const web = obj('/r/ns/a', 2, { app: 'web' });
  const db = obj('/r/ns/a', 3, { app: 'db' });
  const cases: Array<[string, CacheEvent, string | undefined]> = [
    ['created, selected', new CacheEvent('ADDED', 2, web, undefined, restamp), 'ADDED'],
    ['created, not selected', new CacheEvent('ADDED', 3, db, undefined, restamp), undefined],
    ['enters', new CacheEvent('MODIFIED', 3, web, db, restamp), 'ADDED'],
    ['leaves', new CacheEvent('MODIFIED', 3, db, web, restamp), 'DELETED'],
    ['stays', new CacheEvent('MODIFIED', 3, web, web, restamp), 'MODIFIED'],
    ['deleted, was selected', new CacheEvent('DELETED', 4, web, web, restamp), 'DELETED'],
    ['deleted, was not selected', new CacheEvent('DELETED', 4, db, db, restamp), undefined],
    ['other namespace', new CacheEvent('ADDED', 2, obj('/r/other/a', 2, { app: 'web' }), undefined, restamp), undefined],
  ];
  for (const [name, e, want] of cases) {
    const frame = frameFor(e, f);
    assert.equal(frame === undefined ? undefined : JSON.parse(frame).type, want, name);
  }
  const leaving = JSON.parse(frameFor(cases[3][1], f) as string);
  assert.equal(leaving.object.metadata.labels.app, 'web', 'leaving sends the previous state');
  assert.equal(leaving.object.metadata.resourceVersion, '3', 'at the event revision');
});

test('events are serialized once however many watchers receive them', () => {
  let restamps = 0;
  const cache = new WatchCache({ root: '/r/', restamp: (j, rv) => (restamps++, restamp(j, rv)) });
  cache.replace([obj('/r/ns/a', 1, { app: 'web' })], 1);
  const watchers = Array.from({ length: 50 }, () => cache.watch({ prefix: '/r/', predicate: labelIs('app', 'web') }, 1));
  cache.apply('MODIFIED', obj('/r/ns/a', 2, { app: 'db' }), cache.get('/r/ns/a'), 2);
  assert.equal(restamps, 1);
  const frames = new Set(watchers.map((w) => (w as unknown as { queue: string[] }).queue[0]));
  assert.equal(frames.size, 1);
});

test('the ring keeps the newest events; older resourceVersions are no longer resumable', async () => {
  const cache = new WatchCache({ root: '/r/', restamp, capacity: 3 });
  cache.replace([], 10);
  assert.equal(cache.oldestResourceVersion, 10);
  for (let rv = 11; rv <= 15; rv++) cache.apply('ADDED', obj(`/r/ns/o${rv}`, rv), undefined, rv);
  assert.equal(cache.oldestResourceVersion, 12, 'events 13..15 are buffered, so resuming after 12 works');
  const w = cache.watch({ prefix: '/r/', predicate: everything }, 12);
  const frames = await w.next(new AbortController().signal);
  assert.deepEqual(frames.map((f) => JSON.parse(f).object.metadata.resourceVersion), ['13', '14', '15']);
  assert.deepEqual(cache.list('/r/ns/', everything).map((o) => o.rv), [11, 12, 13, 14, 15]);
});

test('a watcher beyond its queue bound is ended with overflow; replace() resets every watcher', () => {
  const cache = new WatchCache({ root: '/r/', restamp, watcherCapacity: 2 });
  cache.replace([], 1);
  const slow = cache.watch({ prefix: '/r/', predicate: everything }, 1);
  const other = cache.watch({ prefix: '/r/', predicate: everything }, 1);
  for (let rv = 2; rv <= 4; rv++) cache.apply('ADDED', obj(`/r/ns/o${rv}`, rv), undefined, rv);
  assert.equal(slow.endReason, 'overflow');
  assert.equal(other.endReason, 'overflow');
  const fresh = cache.watch({ prefix: '/r/', predicate: everything }, 4);
  cache.replace([], 9);
  assert.equal(fresh.endReason, 'reset');
  assert.equal(cache.watcherCount, 0);
});

test('a watch starting ahead of the cache never receives late events at or below its revision', async () => {
  const cache = new WatchCache({ root: '/r/', restamp });
  cache.replace([], 5);
  const w = cache.watch({ prefix: '/r/', predicate: everything }, 8);
  cache.apply('ADDED', obj('/r/ns/late', 7), undefined, 7);
  cache.apply('ADDED', obj('/r/ns/new', 9), undefined, 9);
  const frames = await w.next(new AbortController().signal);
  assert.deepEqual(frames.map((f) => JSON.parse(f).object.metadata.name), ['new']);
});

test('batched watchers get the events of one turn as one batch, in order, none lost or repeated', async () => {
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const cases: Array<{ name: string; batched: boolean; events: number; capacity: number; yieldBetween: boolean; batches: [number, number] }> = [
    { name: 'synchronous burst', batched: true, events: 20, capacity: 100, yieldBetween: false, batches: [1, 1] },
    { name: 'one event per microtask', batched: true, events: 20, capacity: 100, yieldBetween: true, batches: [1, 1] },
    // More than half the bound within one turn: the consumer is woken early instead of overflowing.
    { name: 'long run of microtask events', batched: true, events: 60, capacity: 10, yieldBetween: true, batches: [6, 60] },
    // Unbatched (in-process controllers): each event is handed out as soon as the consumer can run.
    { name: 'unbatched, one event per microtask', batched: false, events: 20, capacity: 100, yieldBetween: true, batches: [20, 20] },
  ];
  for (const c of cases) {
    const cache = new WatchCache({ root: '/r/', restamp, watcherCapacity: c.capacity });
    cache.replace([], 1);
    const w = cache.watch({ prefix: '/r/', predicate: everything }, 1, { batchWakeups: c.batched });
    const stop = new AbortController();
    const batches: string[][] = [];
    const consumer = (async () => {
      for (let got = 0; got < c.events; ) {
        const frames = await w.next(stop.signal);
        if (frames.length === 0) return;
        batches.push(frames);
        got += frames.length;
      }
    })();
    await turn();
    for (let rv = 2; rv < 2 + c.events; rv++) {
      cache.apply('ADDED', obj(`/r/ns/o${rv}`, rv), undefined, rv);
      if (c.yieldBetween) await Promise.resolve();
    }
    if (c.batches[1] === 1) assert.equal(batches.length, 0, `${c.name}: nothing is handed out before the turn ends`);
    await turn();
    await consumer;
    assert.equal(w.endReason, undefined, `${c.name}: the watcher was not dropped`);
    const rvs = batches.flat().map((f) => Number(JSON.parse(f).object.metadata.resourceVersion));
    assert.deepEqual(rvs, Array.from({ length: c.events }, (_, i) => i + 2), `${c.name}: every event once, in order`);
    assert.ok(batches.length >= c.batches[0] && batches.length <= c.batches[1], `${c.name}: ${batches.length} batches`);
    stop.abort();
  }
});

test('a waiting batched watcher wakes at once when it ends or its signal aborts, with queued frames first', async () => {
  const cases: Array<{ name: string; finish: (w: ReturnType<WatchCache['watch']>, stop: AbortController) => void; queued: number }> = [
    { name: 'end() with nothing queued', finish: (w) => w.end(), queued: 0 },
    { name: 'abort with nothing queued', finish: (_w, stop) => stop.abort(), queued: 0 },
    { name: 'end() with a batch pending', finish: (w) => w.end(), queued: 3 },
  ];
  for (const c of cases) {
    const cache = new WatchCache({ root: '/r/', restamp });
    cache.replace([], 1);
    const w = cache.watch({ prefix: '/r/', predicate: everything }, 1, { batchWakeups: true });
    const stop = new AbortController();
    const first = w.next(stop.signal);
    await Promise.resolve();
    for (let rv = 2; rv < 2 + c.queued; rv++) cache.apply('ADDED', obj(`/r/ns/o${rv}`, rv), undefined, rv);
    c.finish(w, stop);
    // Resolves within microtasks: no need to wait for the batched wake-up.
    const got = await Promise.race([first, Promise.resolve().then(() => Promise.resolve()).then(() => 'pending' as const)]);
    assert.notEqual(got, 'pending', c.name);
    assert.equal((got as string[]).length, c.queued, c.name);
    assert.deepEqual(await w.next(stop.signal), [], `${c.name}: then the stream is over`);
  }
});

test('a consumer signal shared by many watchers keeps one abort listener per live watcher', async () => {
  const cache = new WatchCache({ root: '/r/', restamp });
  cache.replace([], 1);
  const shared = new AbortController();
  const listeners = () => getEventListeners(shared.signal, 'abort').length;
  for (const batchWakeups of [false, true]) {
    for (let i = 0; i < 20; i++) {
      const w = cache.watch({ prefix: '/r/', predicate: everything }, 1, { batchWakeups });
      const waiting = w.next(shared.signal);
      await Promise.resolve();
      assert.equal(listeners(), 1, 'listening while waiting');
      w.end('reset');
      assert.deepEqual(await waiting, []);
    }
  }
  assert.equal(listeners(), 0, 'ended watchers stop listening');
});
