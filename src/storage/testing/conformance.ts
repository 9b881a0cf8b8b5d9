// The one behavioural test suite every Store backend must pass (memory, sqlite, etcd), in the manner of
// containerd's snapshotter testsuite: a backend's test file calls describeStoreConformance with a factory.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isStorageError, type KeyValue, type Store, type StorageErrorCode, type WatchEvent } from '../interface.js';
import { runModelCheck, type ModelCheckOptions } from './model-check.js';
import { describeEvent, recordWatch } from './watch-recorder.js';

export interface ConformanceOptions {
  /**
   * Opens a store for one test; the suite closes it. Stores may share one backend (one etcd server): each
   * test writes only under its own fresh key prefix and asserts revisions relative to what it observed.
   * Tests run one after another, so within a test nothing else writes.
   */
  open(): Promise<Store>;
  /** Sizing of the randomized model check (defaults in runModelCheck). */
  modelCheck?: Partial<Omit<ModelCheckOptions, 'store' | 'root'>>;
}

let rootCounter = 0;
/** A key prefix no other test (or earlier run against a shared etcd) has used. */
export function freshRoot(): string {
  rootCounter++;
  return `/registry/conformance-${process.pid}-${Date.now().toString(36)}-${rootCounter}/`;
}

async function withStore(opts: ConformanceOptions, fn: (store: Store, root: string) => Promise<void>): Promise<void> {
  const store = await opts.open();
  try {
    await fn(store, freshRoot());
  } finally {
    await store.close();
  }
}

/** Asserts that `promise` rejects with a StorageError of `code`; returns the error. */
export async function rejectsWith<T>(promise: Promise<T>, code: StorageErrorCode): Promise<Error & { code: StorageErrorCode; current?: KeyValue; revision?: number; key?: string }> {
  try {
    const value = await promise;
    assert.fail(`expected ${code}, got ${JSON.stringify(value)}`);
  } catch (err) {
    if (!isStorageError(err, code)) throw err;
    return err;
  }
}

const describeEvents = (events: WatchEvent[]): string[] => events.map(describeEvent);

export function describeStoreConformance(name: string, opts: ConformanceOptions): void {
  describe(`${name} store conformance`, () => {
    test('create, get, AlreadyExists, revision +1 per write', () =>
      withStore(opts, async (store, root) => {
        const before = await store.currentRevision();
        const a = await store.create(`${root}a`, 'one');
        assert.equal(a.modRevision, before + 1);
        assert.equal(a.createRevision, a.modRevision);
        assert.deepEqual(a, { key: `${root}a`, value: 'one', createRevision: before + 1, modRevision: before + 1 });
        assert.equal(await store.currentRevision(), before + 1);
        assert.deepEqual(await store.get(`${root}a`), a);
        assert.equal(await store.get(`${root}missing`), undefined);

        const err = await rejectsWith(store.create(`${root}a`, 'two'), 'AlreadyExists');
        assert.equal(err.key, `${root}a`);
        assert.equal(await store.currentRevision(), before + 1, 'a failed write does not use a revision');

        const b = await store.create(`${root}b`, '');
        assert.equal(b.modRevision, before + 2);
        assert.equal((await store.get(`${root}b`))?.value, '', 'empty values are values');
      }));

    test('update: new revision, same createRevision; stale → Conflict with current; absent → NotFound', () =>
      withStore(opts, async (store, root) => {
        const key = `${root}k`;
        const created = await store.create(key, 'v1');
        const updated = await store.update(key, 'v2', created.modRevision);
        assert.equal(updated.modRevision, created.modRevision + 1);
        assert.equal(updated.createRevision, created.createRevision);
        assert.equal(updated.value, 'v2');

        const conflict = await rejectsWith(store.update(key, 'v3', created.modRevision), 'Conflict');
        assert.deepEqual(conflict.current, updated, 'Conflict carries the current value');
        assert.equal((await store.get(key))?.value, 'v2');
        assert.equal(await store.currentRevision(), updated.modRevision);

        await rejectsWith(store.update(`${root}absent`, 'x', 1), 'NotFound');
        const same = await store.update(key, 'v2', updated.modRevision);
        assert.equal(same.modRevision, updated.modRevision + 1, 'an update with the same value is still a write');
      }));

    test('delete with and without precondition', () =>
      withStore(opts, async (store, root) => {
        const a = await store.create(`${root}a`, 'va');
        const b = await store.create(`${root}b`, 'vb');

        const plain = await store.delete(`${root}a`);
        assert.equal(plain.revision, b.modRevision + 1);
        assert.deepEqual(plain.prevKv, a);
        assert.equal(await store.get(`${root}a`), undefined);
        await rejectsWith(store.delete(`${root}a`), 'NotFound');

        const stale = await rejectsWith(store.delete(`${root}b`, b.modRevision - 1), 'Conflict');
        assert.deepEqual(stale.current, b);
        assert.deepEqual(await store.get(`${root}b`), b);
        const guarded = await store.delete(`${root}b`, b.modRevision);
        assert.equal(guarded.revision, plain.revision + 1);
        assert.deepEqual(guarded.prevKv, b);

        const again = await store.create(`${root}a`, 'reborn');
        assert.equal(again.createRevision, guarded.revision + 1, 'a re-created key starts a new incarnation');
        await rejectsWith(store.update(`${root}b`, 'x', b.modRevision), 'NotFound');
      }));

    test('get and list at older revisions', () =>
      withStore(opts, async (store, root) => {
        const a1 = await store.create(`${root}a`, '1');
        const b1 = await store.create(`${root}b`, '1');
        const a2 = await store.update(`${root}a`, '2', a1.modRevision);
        const del = await store.delete(`${root}b`);
        const c1 = await store.create(`${root}c`, '1');

        assert.deepEqual(await store.get(`${root}a`, { revision: a1.modRevision }), a1);
        assert.deepEqual(await store.get(`${root}a`, { revision: b1.modRevision }), a1);
        assert.deepEqual(await store.get(`${root}a`, { revision: a2.modRevision }), a2);
        assert.deepEqual(await store.get(`${root}b`, { revision: a2.modRevision }), b1);
        assert.equal(await store.get(`${root}b`, { revision: del.revision }), undefined);
        assert.equal(await store.get(`${root}c`, { revision: del.revision }), undefined);

        const at = async (revision: number): Promise<string[]> =>
          (await store.list({ prefix: root, revision })).kvs.map((kv) => `${kv.key.slice(root.length)}=${kv.value}@${kv.modRevision}`);
        assert.deepEqual(await at(a1.modRevision), [`a=1@${a1.modRevision}`]);
        assert.deepEqual(await at(a2.modRevision), [`a=2@${a2.modRevision}`, `b=1@${b1.modRevision}`]);
        assert.deepEqual(await at(del.revision), [`a=2@${a2.modRevision}`]);
        const now = await store.list({ prefix: root });
        assert.equal(now.revision, c1.modRevision, 'list without revision reads at the current one');
        assert.deepEqual(now.kvs, [a2, c1]);
        const old = await store.list({ prefix: root, revision: b1.modRevision });
        assert.equal(old.revision, b1.modRevision, 'list echoes the revision it read at');
      }));

    test('paginated list with startKey, limit, more and remaining', () =>
      withStore(opts, async (store, root) => {
        const names = Array.from({ length: 25 }, (_, i) => `item-${String(i).padStart(2, '0')}`);
        for (const n of [...names].reverse()) await store.create(`${root}items/${n}`, n);
        await store.create(`${root}itemsx`, 'outside the prefix');
        await store.create(`${root}item`, 'outside too');
        const prefix = `${root}items/`;
        const readAt = await store.currentRevision();
        await store.create(`${root}items/item-99`, 'written after the first page');

        const seen: string[] = [];
        let startKey: string | undefined;
        const pages: { count: number; more: boolean; remaining: number }[] = [];
        for (;;) {
          const page = await store.list({ prefix, startKey, limit: 10, revision: readAt });
          assert.equal(page.revision, readAt);
          pages.push({ count: page.kvs.length, more: page.more, remaining: page.remaining });
          seen.push(...page.kvs.map((kv) => kv.value));
          if (!page.more) break;
          startKey = page.kvs[page.kvs.length - 1].key + '\u0000';
        }
        assert.deepEqual(seen, names, 'pages concatenate to the sorted full list');
        assert.deepEqual(pages, [
          { count: 10, more: true, remaining: 15 },
          { count: 10, more: true, remaining: 5 },
          { count: 5, more: false, remaining: 0 },
        ]);
        const exact = await store.list({ prefix, limit: 26 });
        assert.equal(exact.kvs.length, 26);
        assert.equal(exact.more, false);
        const unlimited = await store.list({ prefix, limit: 0 });
        assert.equal(unlimited.kvs.length, 26);
        const fromMiddle = await store.list({ prefix, startKey: `${prefix}item-20`, revision: readAt });
        assert.deepEqual(fromMiddle.kvs.map((kv) => kv.value), names.slice(20), 'startKey is inclusive');
        assert.deepEqual((await store.list({ prefix: `${root}nothing/` })).kvs, []);
      }));

    test('list prefix isolation: /a/ does not see /ab/', () =>
      withStore(opts, async (store, root) => {
        await store.create(`${root}a/1`, 'x');
        await store.create(`${root}ab/1`, 'x');
        await store.create(`${root}a`, 'x');
        await store.create(`${root}a0`, 'x');
        const keys = (await store.list({ prefix: `${root}a/` })).kvs.map((kv) => kv.key);
        assert.deepEqual(keys, [`${root}a/1`]);
        const all = (await store.list({ prefix: root })).kvs.map((kv) => kv.key.slice(root.length));
        assert.deepEqual(all, ['a', 'a/1', 'a0', 'ab/1'], 'keys in byte order');
      }));

    test('FutureRevision for reads beyond the current revision', () =>
      withStore(opts, async (store, root) => {
        const kv = await store.create(`${root}k`, 'v');
        const current = await store.currentRevision();
        assert.ok(current >= kv.modRevision);
        const err = await rejectsWith(store.list({ prefix: root, revision: current + 10 }), 'FutureRevision');
        assert.equal(err.revision, current);
        await rejectsWith(store.get(`${root}k`, { revision: current + 1 }), 'FutureRevision');
      }));

    test('compaction: old revisions → Compacted, current values kept, idempotent, never goes back', () =>
      withStore(opts, async (store, root) => {
        const a1 = await store.create(`${root}a`, '1');
        const b1 = await store.create(`${root}b`, '1');
        const a2 = await store.update(`${root}a`, '2', a1.modRevision);
        const del = await store.delete(`${root}b`);
        const c1 = await store.create(`${root}c`, '1');
        const after = await store.create(`${root}d`, '1');

        await store.compact(c1.modRevision);
        assert.ok((await store.compactedRevision()) >= c1.modRevision);
        for (const revision of [a1.modRevision, b1.modRevision, del.revision, c1.modRevision]) {
          const err = await rejectsWith(store.list({ prefix: root, revision }), 'Compacted');
          assert.ok((err.revision ?? 0) >= c1.modRevision, 'Compacted carries the compacted revision');
          await rejectsWith(store.get(`${root}a`, { revision }), 'Compacted');
        }
        assert.deepEqual((await store.list({ prefix: root })).kvs, [a2, c1, after], 'current values survive');
        assert.deepEqual((await store.list({ prefix: root, revision: after.modRevision })).kvs, [a2, c1, after]);
        assert.equal(await store.get(`${root}b`), undefined, 'a deleted key stays deleted');

        await store.compact(c1.modRevision);
        await store.compact(a1.modRevision);
        assert.ok((await store.compactedRevision()) >= c1.modRevision, 'compaction never goes back');
        const a3 = await store.update(`${root}a`, '3', a2.modRevision);
        assert.equal(a3.modRevision, after.modRevision + 1, 'revisions continue after compaction');
        assert.deepEqual(await store.get(`${root}a`, { revision: after.modRevision }), a2);
      }));

    test('watch replays exactly the events since startRevision, then continues live', () =>
      withStore(opts, async (store, root) => {
        const a1 = await store.create(`${root}a`, '1');
        const a2 = await store.update(`${root}a`, '2', a1.modRevision);
        const b1 = await store.create(`${root}b`, '1');
        const delA = await store.delete(`${root}a`);

        const rec = await recordWatch(store, { prefix: root, startRevision: a2.modRevision });
        try {
          await rec.waitFor('replay', () => rec.events.length >= 3);
          const b2 = await store.update(`${root}b`, '2', b1.modRevision);
          const c1 = await store.create(`${root}c`, '1');
          const delB = await store.delete(`${root}b`, b2.modRevision);
          await rec.waitFor('live events', () => rec.events.length >= 6);
          assert.deepEqual(describeEvents(rec.events), describeEvents([
            { type: 'put', kv: a2, prevKv: a1 },
            { type: 'put', kv: b1 },
            { type: 'delete', key: `${root}a`, revision: delA.revision, prevKv: a2 },
            { type: 'put', kv: b2, prevKv: b1 },
            { type: 'put', kv: c1 },
            { type: 'delete', key: `${root}b`, revision: delB.revision, prevKv: b2 },
          ]));
          const e = rec.events[0];
          assert.ok(e.type === 'put' && e.prevKv, 'updates carry prevKv');
          assert.deepEqual(e.prevKv, a1);
          const d = rec.events[2];
          assert.ok(d.type === 'delete');
          assert.deepEqual(d.prevKv, a2, 'deletes carry the last value');
          assert.equal(rec.events[1].type === 'put' && rec.events[1].prevKv, undefined, 'creates carry no prevKv');
          assert.deepEqual(rec.errors, []);
        } finally {
          rec.stop();
        }
      }));

    test('watch from the next revision sees only new events; each revision in one call', () =>
      withStore(opts, async (store, root) => {
        await store.create(`${root}old`, 'x');
        const rev = await store.currentRevision();
        const rec = await recordWatch(store, { prefix: root, startRevision: rev + 1 });
        try {
          const created = await Promise.all([1, 2, 3].map((i) => store.create(`${root}new-${i}`, String(i))));
          await rec.waitFor('3 events', () => rec.events.length >= 3);
          const revisions = rec.events.map((e) => (e.type === 'put' ? e.kv.modRevision : e.revision));
          assert.deepEqual(revisions, created.map((kv) => kv.modRevision).sort((x, y) => x - y));
          for (const batch of rec.batches) {
            for (let i = 1; i < batch.length; i++) {
              const prev = batch[i - 1];
              const cur = batch[i];
              const pr = prev.type === 'put' ? prev.kv.modRevision : prev.revision;
              const cr = cur.type === 'put' ? cur.kv.modRevision : cur.revision;
              assert.ok(cr > pr, 'batches are in revision order');
            }
          }
        } finally {
          rec.stop();
        }
      }));

    test('watch with startRevision 0 starts from now', () =>
      withStore(opts, async (store, root) => {
        await store.create(`${root}before`, 'x');
        const rec = await recordWatch(store, { prefix: root, startRevision: 0 });
        try {
          const kv = await store.create(`${root}after`, 'y');
          await rec.waitFor('the new event', () => rec.events.length >= 1);
          assert.deepEqual(describeEvents(rec.events), describeEvents([{ type: 'put', kv }]));
        } finally {
          rec.stop();
        }
      }));

    test('close ends watches without onError', async () => {
      const store = await opts.open();
      const root = freshRoot();
      const rec = await recordWatch(store, { prefix: root, startRevision: 0 });
      await store.create(`${root}k`, 'v');
      await rec.waitFor('the event', () => rec.events.length >= 1);
      await store.close();
      // Let callbacks already queued (microtasks, stream events of this turn) run before checking.
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(rec.errors, []);
      rec.stop();
    });

    test('watch at a compacted revision → onError(Compacted)', () =>
      withStore(opts, async (store, root) => {
        const a1 = await store.create(`${root}a`, '1');
        const a2 = await store.update(`${root}a`, '2', a1.modRevision);
        await store.create(`${root}b`, '1');
        await store.compact(a2.modRevision);
        for (const startRevision of [a1.modRevision, a2.modRevision]) {
          const rec = await recordWatch(store, { prefix: root, startRevision });
          try {
            await rec.waitFor('Compacted', () => rec.errors.length > 0);
            assert.equal(rec.errors[0].code, 'Compacted');
            assert.deepEqual(rec.events, []);
          } finally {
            rec.stop();
          }
        }
        const ok = await recordWatch(store, { prefix: root, startRevision: a2.modRevision + 1 });
        try {
          await ok.waitFor('the event after the compacted revision', () => ok.events.length >= 1);
          assert.deepEqual(ok.errors, []);
        } finally {
          ok.stop();
        }
      }));

    test('watch prefix isolation: /a/ does not see /ab/', () =>
      withStore(opts, async (store, root) => {
        const start = (await store.currentRevision()) + 1;
        const a = await recordWatch(store, { prefix: `${root}a/`, startRevision: start });
        const ab = await recordWatch(store, { prefix: `${root}ab/`, startRevision: start });
        try {
          await store.create(`${root}ab/1`, 'x');
          await store.create(`${root}a/1`, 'x');
          await store.create(`${root}a`, 'x');
          await store.create(`${root}ab/2`, 'x');
          await store.create(`${root}a/2`, 'x');
          await a.waitFor('2 events under a/', () => a.events.length >= 2);
          await ab.waitFor('2 events under ab/', () => ab.events.length >= 2);
          // A last write on both prefixes proves nothing else was queued before it.
          await store.create(`${root}a/3`, 'x');
          await store.create(`${root}ab/3`, 'x');
          await a.waitFor('3 events under a/', () => a.events.length >= 3);
          await ab.waitFor('3 events under ab/', () => ab.events.length >= 3);
          const keys = (r: typeof a): string[] => r.events.map((e) => (e.type === 'put' ? e.kv.key : e.key).slice(root.length));
          assert.deepEqual(keys(a), ['a/1', 'a/2', 'a/3']);
          assert.deepEqual(keys(ab), ['ab/1', 'ab/2', 'ab/3']);
        } finally {
          a.stop();
          ab.stop();
        }
      }));

    test('an aborted watch receives nothing more and no error', () =>
      withStore(opts, async (store, root) => {
        const start = (await store.currentRevision()) + 1;
        const stopped = await recordWatch(store, { prefix: root, startRevision: start });
        const live = await recordWatch(store, { prefix: root, startRevision: start });
        try {
          await store.create(`${root}1`, 'x');
          await stopped.waitFor('first event', () => stopped.events.length === 1);
          stopped.stop();
          await store.create(`${root}2`, 'x');
          await live.waitFor('both events on the live watch', () => live.events.length === 2);
          assert.equal(stopped.events.length, 1);
          assert.deepEqual(stopped.errors, []);
        } finally {
          live.stop();
        }
      }));

    test('unicode keys and values round-trip through get, list and watch', () =>
      withStore(opts, async (store, root) => {
        const start = (await store.currentRevision()) + 1;
        const rec = await recordWatch(store, { prefix: root, startRevision: start });
        try {
          const values = ['héllo wörld', '中文字符', '😀 emoji \u{1F680}', 'nul\u0000inside', '\uffff\u{10FFFF}'];
          const keys = ['é', 'z', 'ä中', '😀', 'ￚ'];
          for (let i = 0; i < values.length; i++) await store.create(`${root}${keys[i]}`, values[i]);
          for (let i = 0; i < values.length; i++) assert.equal((await store.get(`${root}${keys[i]}`))?.value, values[i]);
          const listed = (await store.list({ prefix: root })).kvs;
          const byteOrder = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
          assert.deepEqual(listed.map((kv) => kv.key.slice(root.length)), byteOrder, 'listed in UTF-8 byte order');
          await rec.waitFor('5 events', () => rec.events.length >= 5);
          assert.deepEqual(rec.events.map((e) => (e.type === 'put' ? e.kv.value : '')), values);
        } finally {
          rec.stop();
        }
      }));

    test('concurrent creates of one key: exactly one wins', () =>
      withStore(opts, async (store, root) => {
        const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => store.create(`${root}contended`, String(i))));
        const won = results.filter((r) => r.status === 'fulfilled');
        assert.equal(won.length, 1);
        for (const r of results) {
          if (r.status === 'rejected') assert.ok(isStorageError(r.reason, 'AlreadyExists'), String(r.reason));
        }
      }));

    test('randomized model check: concurrent writers and watchers agree with a reference model', () =>
      withStore(opts, async (store, root) => {
        await runModelCheck({ ...opts.modelCheck, store, root });
      }));
  });
}
