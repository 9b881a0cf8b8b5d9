import { test } from 'node:test';
import assert from 'node:assert/strict';
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
