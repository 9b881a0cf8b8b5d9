// Randomized model check of a Store: concurrent writers doing random create/update/delete on a small key
// space and watchers on overlapping prefixes, all compared with a reference model built from the writes'
// own results. Seeded, bounded in operations and time; a failure message carries the seed.
import assert from 'node:assert/strict';
import { isStorageError, type KeyValue, type Store, type WatchEvent } from '../interface.js';
import { newRng, type Rng } from './rng.js';
import { describeEvent, recordWatch, type WatchRecorder } from './watch-recorder.js';

export interface ModelCheckOptions {
  store: Store;
  /** All keys live under this prefix; nothing else may write under it during the check. */
  root: string;
  /** Default: K8TS_MODEL_SEED from the environment, else random. */
  seed?: number;
  writers?: number;
  operationsPerWriter?: number;
  watchers?: number;
  keysPerPrefix?: number;
  /** The whole check fails after this long (default 30 s). */
  timeoutMs?: number;
}

/** One successful write, as its caller saw it. */
type Write =
  | { op: 'create'; revision: number; kv: KeyValue }
  | { op: 'update'; revision: number; kv: KeyValue; expected: number }
  | { op: 'delete'; revision: number; key: string; prevKv: KeyValue; expected?: number };

/** Runs the check; rejects with an AssertionError naming the seed when the store disagrees with the model. */
export async function runModelCheck(opts: ModelCheckOptions): Promise<void> {
  const envSeed = Number(process.env.K8TS_MODEL_SEED);
  const seed = opts.seed ?? (Number.isFinite(envSeed) && process.env.K8TS_MODEL_SEED ? envSeed : Math.floor(Math.random() * 2 ** 31));
  const timeoutMs = opts.timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`model check timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check(opts, newRng(seed)), timeout]);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new assert.AssertionError({ message: `model check failed with seed ${seed} (rerun with K8TS_MODEL_SEED=${seed}): ${msg}` });
  } finally {
    clearTimeout(timer);
  }
}

async function check(opts: ModelCheckOptions, rng: Rng): Promise<void> {
  const { store, root } = opts;
  const writers = opts.writers ?? 12;
  const operations = opts.operationsPerWriter ?? 50;
  const watcherCount = opts.watchers ?? 8;
  const keysPerPrefix = opts.keysPerPrefix ?? 4;
  const prefixes = [`${root}a/`, `${root}ab/`, `${root}b/`];
  const keys = prefixes.flatMap((p) => Array.from({ length: keysPerPrefix }, (_, i) => `${p}k${i}`));
  const watchPrefixes = [root, ...prefixes, `${root}a`];

  const base = await store.currentRevision();
  const writes: Write[] = [];
  const watchers: { prefix: string; start: number; rec: WatchRecorder }[] = [];
  /** Each writer's last-seen modRevision per key: often stale on purpose, to provoke Conflicts. */
  const startWatcher = async (): Promise<void> => {
    const current = await store.currentRevision();
    const start = base + 1 + rng.int(current - base + 1);
    const prefix = rng.pick(watchPrefixes);
    watchers.push({ prefix, start, rec: await recordWatch(store, { prefix, startRevision: start }) });
  };

  const writer = async (id: number): Promise<void> => {
    const seen = new Map<string, number>();
    for (let i = 0; i < operations; i++) {
      const key = rng.pick(keys);
      const value = `w${id}-${i}-${Array.from('é中😀').slice(0, rng.int(4)).join('')}`;
      const roll = rng.next();
      try {
        if (roll < 0.4) {
          const kv = await store.create(key, value);
          writes.push({ op: 'create', revision: kv.modRevision, kv });
          seen.set(key, kv.modRevision);
        } else if (roll < 0.75) {
          let expected = seen.get(key);
          if (expected === undefined || rng.next() < 0.5) expected = (await store.get(key))?.modRevision ?? 1;
          const kv = await store.update(key, value, expected);
          writes.push({ op: 'update', revision: kv.modRevision, kv, expected });
          seen.set(key, kv.modRevision);
        } else {
          const expected = rng.next() < 0.5 ? seen.get(key) : undefined;
          const res = await store.delete(key, expected);
          writes.push({ op: 'delete', revision: res.revision, key, prevKv: res.prevKv, expected });
          seen.delete(key);
        }
      } catch (err) {
        if (isStorageError(err, 'Conflict')) {
          assert.ok(err.current, 'Conflict carries the current value');
          seen.set(key, err.current.modRevision);
        } else if (!isStorageError(err, 'AlreadyExists') && !isStorageError(err, 'NotFound')) {
          throw err;
        }
      }
      if (id === 0 && watchers.length < watcherCount && rng.next() < (watcherCount * 2) / operations) await startWatcher();
    }
  };

  await Promise.all(Array.from({ length: writers }, (_, i) => writer(i)));
  while (watchers.length < watcherCount) await startWatcher();

  // The writes, in revision order, must be exactly the revisions after `base`: one revision per write.
  writes.sort((x, y) => x.revision - y.revision);
  const final = await store.currentRevision();
  assert.equal(final, base + writes.length, 'every successful write used exactly one revision');
  writes.forEach((w, i) => assert.equal(w.revision, base + 1 + i, 'revisions are consecutive'));

  // Replay the writes into the reference model; each must have been legal at its revision.
  const model = new Map<string, KeyValue>();
  const events: WatchEvent[] = [];
  const snapshots = new Map<number, Map<string, KeyValue>>();
  const snapshotAt = base + 1 + Math.floor(writes.length / 2);
  const laterSnapshotAt = base + 1 + Math.floor((writes.length * 3) / 4);
  for (const w of writes) {
    if (w.op === 'create') {
      assert.equal(model.get(w.kv.key), undefined, `create of ${w.kv.key}@${w.revision} while it existed`);
      assert.equal(w.kv.createRevision, w.revision);
      model.set(w.kv.key, w.kv);
      events.push({ type: 'put', kv: w.kv });
    } else if (w.op === 'update') {
      const prev = model.get(w.kv.key);
      assert.ok(prev, `update of absent ${w.kv.key}@${w.revision}`);
      assert.equal(prev.modRevision, w.expected, `update of ${w.kv.key}@${w.revision} with a stale precondition`);
      assert.equal(w.kv.createRevision, prev.createRevision);
      model.set(w.kv.key, w.kv);
      events.push({ type: 'put', kv: w.kv, prevKv: prev });
    } else {
      const prev = model.get(w.key);
      assert.ok(prev, `delete of absent ${w.key}@${w.revision}`);
      assert.deepEqual(w.prevKv, prev, `delete of ${w.key}@${w.revision} reported another previous value`);
      if (w.expected !== undefined) assert.equal(prev.modRevision, w.expected);
      model.delete(w.key);
      events.push({ type: 'delete', key: w.key, revision: w.revision, prevKv: prev });
    }
    if (w.revision === snapshotAt || w.revision === laterSnapshotAt) snapshots.set(w.revision, new Map(model));
  }

  // Every watcher sees every revision of its prefix from its start exactly once, in order.
  for (const w of watchers) {
    const want = events
      .filter((e) => (e.type === 'put' ? e.kv.modRevision : e.revision) >= w.start)
      .filter((e) => (e.type === 'put' ? e.kv.key : e.key).startsWith(w.prefix))
      .map(describeEvent);
    await w.rec.waitFor(`watcher ${w.prefix}@${w.start} to see ${want.length} events`, () => w.rec.events.length >= want.length || w.rec.errors.length > 0);
    w.rec.stop();
    assert.deepEqual(w.rec.errors, [], `watcher ${w.prefix}@${w.start} failed`);
    assert.deepEqual(w.rec.events.map(describeEvent), want, `watcher ${w.prefix} from ${w.start}`);
  }

  // The final state, and the state at a revision in the middle, equal the model.
  const sortKv = (m: Map<string, KeyValue>): KeyValue[] =>
    [...m.values()].sort((x, y) => Buffer.compare(Buffer.from(x.key), Buffer.from(y.key)));
  assert.deepEqual((await store.list({ prefix: root })).kvs, sortKv(model), 'final list equals the model');
  for (const [revision, snap] of snapshots) {
    assert.deepEqual((await store.list({ prefix: root, revision })).kvs, sortKv(snap), `list at revision ${revision} equals the model`);
  }

  // Compact the random history in the middle: older reads fail, newer reads and replays are untouched.
  const later = snapshots.get(laterSnapshotAt);
  if (!later || laterSnapshotAt <= snapshotAt) return;
  await store.compact(snapshotAt);
  try {
    await store.list({ prefix: root, revision: snapshotAt });
    assert.fail(`list at compacted revision ${snapshotAt} succeeded`);
  } catch (err) {
    if (!isStorageError(err, 'Compacted')) throw err;
  }
  assert.deepEqual((await store.list({ prefix: root, revision: laterSnapshotAt })).kvs, sortKv(later), 'list after compaction');
  for (const key of keys) assert.deepEqual(await store.get(key, { revision: laterSnapshotAt }), later.get(key), `get ${key} after compaction`);
  assert.deepEqual((await store.list({ prefix: root })).kvs, sortKv(model), 'final list after compaction');
  const replay = await recordWatch(store, { prefix: root, startRevision: snapshotAt + 1 });
  const want = events.filter((e) => (e.type === 'put' ? e.kv.modRevision : e.revision) > snapshotAt).map(describeEvent);
  await replay.waitFor('replay after compaction', () => replay.events.length >= want.length || replay.errors.length > 0);
  replay.stop();
  assert.deepEqual(replay.errors, []);
  assert.deepEqual(replay.events.map(describeEvent), want, 'replay after compaction');
}
