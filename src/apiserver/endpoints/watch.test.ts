// WATCH through the in-process handler and the watch cache: initial events, resume, selectors entering
// and leaving, bookmarks, sendInitialEvents, timeouts, too-old versions and slow watchers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../base/clock.js';
import { discardMetrics } from '../metrics/interface.js';
import { openMemoryStore } from '../../storage/memory/memory-store.js';
import type { StreamResponse } from './resource-handler.js';
import { newTestServer, type TestServer } from './testing/harness.js';

interface Event {
  type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  object: any;
}

/** Reads events from a watch stream; `take(n)` resolves with the next n events (fails after 5 s). */
function reader(res: StreamResponse) {
  const it = res.stream[Symbol.asyncIterator]();
  let buffered: Event[] = [];
  let ended = false;
  let partial = '';
  async function take(n: number): Promise<Event[]> {
    const deadline = Date.now() + 5000;
    while (buffered.length < n) {
      if (ended) throw new Error(`stream ended after ${buffered.length} of ${n} events`);
      let timer: NodeJS.Timeout | undefined;
      const r = await Promise.race([it.next(), new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(1, deadline - Date.now()))))]);
      clearTimeout(timer);
      if (r === 'timeout') throw new Error(`timed out with ${buffered.length} of ${n} events: ${JSON.stringify(buffered)}`);
      if (r.done) {
        ended = true;
        continue;
      }
      partial += r.value;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) if (l) buffered.push(JSON.parse(l) as Event);
    }
    const out = buffered.slice(0, n);
    buffered = buffered.slice(n);
    return out;
  }
  async function end(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const r = await Promise.race([it.next(), new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 5000)))]);
    clearTimeout(timer);
    return r !== 'timeout' && r.done === true;
  }
  return { take, end, close: () => it.return?.(undefined) };
}

async function watch(s: TestServer, url: string, signal = new AbortController().signal) {
  const res = await s.stream(url, signal);
  assert.ok('stream' in res, `expected a stream: ${JSON.stringify(res)}`);
  return reader(res as StreamResponse);
}

const cmURL = '/api/v1/namespaces/default/configmaps';
const cm = (name: string, labels: Record<string, string> = {}) => ({ metadata: { name, labels }, data: { k: name } });
const names = (evs: Event[]) => evs.map((e) => `${e.type} ${e.object.metadata?.name ?? ''}`);

test('legacy watch without resourceVersion: initial ADDED events, then live ADDED/MODIFIED/DELETED', async () => {
  const s = await newTestServer();
  await s.request('POST', cmURL, { body: cm('a') });
  await s.request('POST', cmURL, { body: cm('b') });
  const w = await watch(s, `${cmURL}?watch=true`);
  assert.deepEqual(names(await w.take(2)), ['ADDED a', 'ADDED b']);
  const c = await s.request('POST', cmURL, { body: cm('c') });
  await s.request('PATCH', `${cmURL}/c`, { body: { data: { k: 'x' } }, headers: { 'content-type': 'application/merge-patch+json' } });
  await s.request('DELETE', `${cmURL}/a`);
  const live = await w.take(3);
  assert.deepEqual(names(live), ['ADDED c', 'MODIFIED c', 'DELETED a']);
  assert.equal(live[0].object.metadata.resourceVersion, c.json.metadata.resourceVersion);
  assert.equal(live[1].object.data.k, 'x');
  assert.ok(Number(live[2].object.metadata.resourceVersion) > Number(live[1].object.metadata.resourceVersion), 'DELETED carries the deletion revision');
  w.close();
  s.close();
});

test('watch from a resourceVersion sends only later events; other namespaces are not seen', async () => {
  const s = await newTestServer({ namespaces: ['default', 'other'] });
  const a = await s.request('POST', cmURL, { body: cm('a') });
  await s.request('POST', cmURL, { body: cm('b') });
  await s.request('POST', '/api/v1/namespaces/other/configmaps', { body: cm('o') });
  const w = await watch(s, `${cmURL}?watch=true&resourceVersion=${a.json.metadata.resourceVersion}`);
  await s.request('POST', cmURL, { body: cm('c') });
  assert.deepEqual(names(await w.take(2)), ['ADDED b', 'ADDED c']);
  const all = await watch(s, `/api/v1/configmaps?watch=1&resourceVersion=${a.json.metadata.resourceVersion}`);
  assert.deepEqual(names(await all.take(3)), ['ADDED b', 'ADDED o', 'ADDED c']);
  w.close();
  all.close();
  s.close();
});

test('selectors: objects entering the selection are ADDED, leaving are DELETED with the previous state', async () => {
  const s = await newTestServer();
  await s.request('POST', cmURL, { body: cm('a', { app: 'web' }) });
  const w = await watch(s, `${cmURL}?watch=true&labelSelector=app%3Dweb`);
  assert.deepEqual(names(await w.take(1)), ['ADDED a']);
  await s.request('POST', cmURL, { body: cm('b', { app: 'db' }) });
  const moved = await s.request('PATCH', `${cmURL}/b`, { body: { metadata: { labels: { app: 'web' } } }, headers: { 'content-type': 'application/merge-patch+json' } });
  const left = await s.request('PATCH', `${cmURL}/a`, { body: { metadata: { labels: { app: 'db' } } }, headers: { 'content-type': 'application/merge-patch+json' } });
  const evs = await w.take(2);
  assert.deepEqual(names(evs), ['ADDED b', 'DELETED a']);
  assert.equal(evs[0].object.metadata.resourceVersion, moved.json.metadata.resourceVersion);
  assert.equal(evs[1].object.metadata.labels.app, 'web', 'the previous state');
  assert.equal(evs[1].object.metadata.resourceVersion, left.json.metadata.resourceVersion, 'at the revision it left');
  const bad = await s.stream(`${cmURL}?watch=true&fieldSelector=spec.x%3D1`, new AbortController().signal);
  assert.equal((bad as { status: number }).status, 400);
  w.close();
  s.close();
});

test('single-object watches by field selector and by the /watch/ path', async () => {
  const s = await newTestServer();
  await s.request('POST', cmURL, { body: cm('a') });
  await s.request('POST', cmURL, { body: cm('ab') });
  const byField = await watch(s, `${cmURL}?watch=true&fieldSelector=metadata.name%3Da`);
  const byPath = await watch(s, '/api/v1/watch/namespaces/default/configmaps/a');
  assert.deepEqual(names(await byField.take(1)), ['ADDED a']);
  assert.deepEqual(names(await byPath.take(1)), ['ADDED a']);
  await s.request('DELETE', `${cmURL}/ab`);
  await s.request('DELETE', `${cmURL}/a`);
  assert.deepEqual(names(await byField.take(1)), ['DELETED a']);
  assert.deepEqual(names(await byPath.take(1)), ['DELETED a']);
  byField.close();
  byPath.close();
  s.close();
});

test('sendInitialEvents: ADDED events, then the initial-events-end bookmark; invalid combinations are 422', async () => {
  const s = await newTestServer();
  await s.request('POST', cmURL, { body: cm('a') });
  const w = await watch(s, `${cmURL}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
  const evs = await w.take(2);
  assert.deepEqual(evs.map((e) => e.type), ['ADDED', 'BOOKMARK']);
  assert.equal(evs[1].object.kind, 'ConfigMap');
  assert.equal(evs[1].object.apiVersion, 'v1');
  assert.deepEqual(evs[1].object.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
  assert.equal(evs[1].object.metadata.resourceVersion, String(await s.store.currentRevision()));
  w.close();
  const bad = await s.stream(`${cmURL}?watch=true&sendInitialEvents=true`, new AbortController().signal);
  assert.equal((bad as { status: number }).status, 422);
  assert.match((bad as { json: { message: string } }).json.message, /sendInitialEvents requires setting resourceVersionMatch to NotOlderThan/);
  s.close();
});

test('bookmarks are sent every minute when allowed; timeoutSeconds ends the stream', async () => {
  const clock = new FakeClock();
  const s = await newTestServer({ watchOptions: { clock } });
  const rv = String(await s.store.currentRevision());
  const w = await watch(s, `${cmURL}?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}&timeoutSeconds=150`);
  const first = w.take(1);
  clock.step(60_000);
  const [b] = await first;
  assert.equal(b.type, 'BOOKMARK');
  assert.equal(b.object.kind, 'ConfigMap');
  assert.equal(b.object.metadata.resourceVersion, rv);
  const second = w.take(1);
  clock.step(60_000);
  assert.equal((await second)[0].type, 'BOOKMARK');
  const ended = w.end();
  clock.step(30_000);
  assert.ok(await ended, 'ended by timeoutSeconds');
  const plain = await watch(s, `${cmURL}?watch=true&resourceVersion=${rv}&timeoutSeconds=5`);
  const plainEnded = plain.end();
  clock.step(5_000);
  assert.ok(await plainEnded, 'no bookmarks without allowWatchBookmarks; ended at 5 s');
  s.close();
});

test('a resourceVersion older than the cache history is a 410 ERROR event', async () => {
  const store = openMemoryStore();
  for (let i = 0; i < 5; i++) await store.create(`/registry/configmaps/default/pre${i}`, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `pre${i}`, namespace: 'default' } }));
  const s = await newTestServer({ store });
  const oldest = s.caches.cacheFor('/registry/configmaps/')!.oldestResourceVersion;
  const w = await watch(s, `${cmURL}?watch=true&resourceVersion=2`);
  const [e] = await w.take(1);
  assert.equal(e.type, 'ERROR');
  assert.equal(e.object.kind, 'Status');
  assert.equal(e.object.code, 410);
  assert.equal(e.object.reason, 'Expired');
  assert.equal(e.object.message, `too old resource version: 2 (${oldest})`);
  assert.ok(await w.end(), 'the stream ends after the error');
  const future = await s.stream(`${cmURL}?watch=true&resourceVersion=99999`, new AbortController().signal);
  assert.equal((future as { status: number }).status, 504);
  s.close();
});

test('a watcher that does not keep up is dropped without slowing the others', async () => {
  const s = await newTestServer({ watcherCapacity: 100 });
  const cache = s.caches.cacheFor('/registry/configmaps/')!;
  const rv = String(await s.store.currentRevision());
  const slow = await watch(s, `${cmURL}?watch=true&resourceVersion=${rv}`);
  const fast = await watch(s, `${cmURL}?watch=true&resourceVersion=${rv}`);
  // The slow watcher never reads while more events than its queue holds arrive.
  const total = 150;
  const fastSeen = (async () => {
    let n = 0;
    while (n < total) n += (await fast.take(1)).length;
    return n;
  })();
  for (let i = 0; i < total; i++) await s.request('POST', cmURL, { body: cm(`c${i}`) });
  assert.equal(await fastSeen, total);
  assert.ok(cache.watcherCount <= 1, 'the slow watcher was dropped');
  const firstSlow = await slow.take(1).catch(() => []);
  assert.ok(firstSlow.length <= 1);
  fast.close();
  slow.close();
  s.close();
});

test('writes outside the watched prefix (another apiserver sharing the store) delay reads only briefly', async () => {
  const s = await newTestServer();
  await s.request('POST', cmURL, { body: cm('a') });
  await s.store.create('/other-prefix/x', '{}');
  const started = Date.now();
  const list = await s.request('GET', cmURL);
  assert.deepEqual(list.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['a']);
  const get = await s.request('GET', `${cmURL}/a`);
  assert.equal(get.status, 200);
  const w = await watch(s, `${cmURL}?watch=true`);
  assert.deepEqual(names(await w.take(1)), ['ADDED a']);
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  w.close();
  s.close();
});

test('watch events are counted for every watcher, summed into one metrics update per turn', async () => {
  const updates: Array<{ resource: string; n: number }> = [];
  const metrics = { ...discardMetrics, watchEvents: (gvr: { resource: string }, n: number) => void updates.push({ resource: gvr.resource, n }) };
  const s = await newTestServer({ watchOptions: { metrics } });
  const rv = String(await s.store.currentRevision());
  const watchers = await Promise.all([0, 1, 2].map(() => watch(s, `${cmURL}?watch=true&resourceVersion=${rv}`)));
  const reading = watchers.map((w) => w.take(5));
  for (let i = 0; i < 5; i++) await s.request('POST', cmURL, { body: cm(`m${i}`) });
  for (const evs of await Promise.all(reading)) assert.deepEqual(names(evs), ['ADDED m0', 'ADDED m1', 'ADDED m2', 'ADDED m3', 'ADDED m4']);
  await new Promise<void>((resolve) => setImmediate(resolve));
  assert.equal(updates.reduce((sum, u) => sum + u.n, 0), 15, 'five events sent to each of three watchers');
  assert.ok(updates.every((u) => u.resource === 'configmaps'));
  assert.ok(updates.length < 15, `${updates.length} metrics updates for 15 events sent`);
  for (const w of watchers) w.close();
  s.close();
});
