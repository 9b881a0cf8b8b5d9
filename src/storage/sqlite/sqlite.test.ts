// The store conformance suite against SQLite (a temp file per test), plus what only SQLite has:
// durability across reopen, group commit and physical compaction.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { isStorageError } from '../interface.js';
import { describeStoreConformance, rejectsWith } from '../testing/conformance.js';
import { recordWatch } from '../testing/watch-recorder.js';
import { openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = (): string => join(dir, `db-${++n}`, 'nested', 'state.db');

describeStoreConformance('sqlite', { open: async () => openSqliteStore({ path: freshPath() }) });

test('sqlite: reopening keeps data, revision and compacted revision', async () => {
  const path = freshPath();
  const first = openSqliteStore({ path });
  const a = await first.create('/registry/a', 'one');
  const b = await first.create('/registry/b', 'two');
  await first.update('/registry/a', 'three', a.modRevision);
  await first.compact(b.modRevision);
  // The newest write is a delete: compaction must keep its row so the revision can't go back.
  const del = await first.delete('/registry/b');
  await first.compact(del.revision);
  await first.close();

  const second = openSqliteStore({ path });
  try {
    assert.equal(await second.currentRevision(), del.revision);
    assert.equal(await second.compactedRevision(), del.revision);
    assert.equal((await second.get('/registry/a'))?.value, 'three');
    assert.equal(await second.get('/registry/b'), undefined);
    const c = await second.create('/registry/c', 'four');
    assert.equal(c.modRevision, del.revision + 1);
    await rejectsWith(second.list({ prefix: '/registry/', revision: b.modRevision }), 'Compacted');
  } finally {
    await second.close();
  }
});

test('sqlite: writes queued in one tick share one transaction, each with its own outcome', async () => {
  const store = openSqliteStore({ path: freshPath() });
  try {
    const existing = await store.create('/registry/x/taken', 'v');
    const rec = await recordWatch(store, { prefix: '/registry/x/', startRevision: existing.modRevision + 1 });
    const before = store.transactions;
    const results = await Promise.allSettled([
      ...Array.from({ length: 50 }, (_, i) => store.create(`/registry/x/${i}`, String(i))),
      store.create('/registry/x/taken', 'again'),
      store.update('/registry/x/taken', 'stale', existing.modRevision - 1),
      store.update('/registry/x/taken', 'fresh', existing.modRevision),
      store.delete('/registry/x/missing'),
    ]);
    assert.equal(store.transactions - before, 1, 'one transaction for the whole tick');
    const codes = results.slice(50).map((r) => (r.status === 'fulfilled' ? 'ok' : isStorageError(r.reason) ? r.reason.code : String(r.reason)));
    assert.deepEqual(codes, ['AlreadyExists', 'Conflict', 'ok', 'NotFound']);
    const revisions = results.filter((r) => r.status === 'fulfilled').map((r) => (r.value as { modRevision: number }).modRevision);
    assert.deepEqual(revisions, Array.from({ length: 51 }, (_, i) => existing.modRevision + 1 + i), 'consecutive revisions in queue order');
    await rec.waitFor('51 events', () => rec.events.length >= 51);
    assert.equal(rec.events.length, 51);
    rec.stop();

    await store.create('/registry/y', '1');
    await store.create('/registry/z', '1');
    assert.equal(store.transactions - before, 3, 'sequential writes commit separately');
  } finally {
    await store.close();
  }
});

test('sqlite: compaction deletes superseded rows in batches and keeps the newest row', async () => {
  const path = freshPath();
  const store = openSqliteStore({ path, compactBatchSize: 7 });
  try {
    let kv = await store.create('/registry/k', '0');
    for (let i = 1; i <= 30; i++) kv = await store.update('/registry/k', String(i), kv.modRevision);
    const gone = await store.create('/registry/gone', 'x');
    const del = await store.delete('/registry/gone');
    const keep = await store.create('/registry/keep', 'x');
    await store.compact(del.revision);
    const raw = new Database(path, { readonly: true });
    const rows = raw.prepare('SELECT id, name, deleted FROM log ORDER BY id').all();
    raw.close();
    assert.deepEqual(rows, [
      { id: kv.modRevision, name: '/registry/k', deleted: 0 },
      { id: keep.modRevision, name: '/registry/keep', deleted: 0 },
    ]);
    assert.ok(gone.modRevision < del.revision);
    assert.deepEqual((await store.list({ prefix: '/registry/' })).kvs.map((x) => x.key), ['/registry/k', '/registry/keep']);
    await rejectsWith(store.compact(keep.modRevision + 5), 'FutureRevision');
  } finally {
    await store.close();
  }
});

test('sqlite: closed store rejects with Unavailable', async () => {
  const store = openSqliteStore({ path: freshPath() });
  await store.close();
  await rejectsWith(store.create('/registry/a', 'x'), 'Unavailable');
  await rejectsWith(store.get('/registry/a'), 'Unavailable');
});
