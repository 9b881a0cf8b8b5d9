// The SQL of the SQLite store, prepared once per connection: current and historical reads, appends,
// ordered prefix lists, watch replay and compaction batches over the log table.
import type Database from 'better-sqlite3';
import type { LogRow } from './schema.js';

/** The columns a KeyValue needs. */
export type KvRow = Pick<LogRow, 'id' | 'name' | 'create_revision' | 'value'>;

export type Statements = ReturnType<typeof prepareStatements>;

/** Prepares every statement the store runs. Variants without `end` serve the empty prefix (no upper bound). */
export function prepareStatements(db: Database.Database) {
  return {
    maxId: db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM log').pluck(),
    getMeta: db.prepare('SELECT value FROM meta WHERE name = ?').pluck(),
    setMeta: db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
    latest: db.prepare<[string], LogRow>('SELECT * FROM log WHERE name = ? ORDER BY id DESC LIMIT 1'),
    at: db.prepare<[string, number], LogRow>('SELECT * FROM log WHERE name = ? AND id <= ? ORDER BY id DESC LIMIT 1'),
    insert: db.prepare(
      'INSERT INTO log (id, name, created, deleted, create_revision, prev_revision, value, old_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    // The newest row of every key in [from, end) at revision rev, tombstones dropped, in key order:
    // walks log_name_id in order and probes it once per row, so no sort and no grouping is needed.
    list: db.prepare<{ from: string; end: string; rev: number; limit: number }, KvRow>(
      `SELECT id, name, create_revision, value FROM log AS l WHERE name >= @from AND name < @end AND id <= @rev AND deleted = 0
       AND NOT EXISTS (SELECT 1 FROM log AS n WHERE n.name = l.name AND n.id > l.id AND n.id <= @rev) ORDER BY name LIMIT @limit`,
    ),
    listOpen: db.prepare<{ from: string; rev: number; limit: number }, KvRow>(
      `SELECT id, name, create_revision, value FROM log AS l WHERE name >= @from AND id <= @rev AND deleted = 0
       AND NOT EXISTS (SELECT 1 FROM log AS n WHERE n.name = l.name AND n.id > l.id AND n.id <= @rev) ORDER BY name LIMIT @limit`,
    ),
    count: db
      .prepare<{ after: string; end: string; rev: number }, number>(
        `SELECT COUNT(*) FROM log AS l WHERE name > @after AND name < @end AND id <= @rev AND deleted = 0
         AND NOT EXISTS (SELECT 1 FROM log AS n WHERE n.name = l.name AND n.id > l.id AND n.id <= @rev)`,
      )
      .pluck(),
    countOpen: db
      .prepare<{ after: string; rev: number }, number>(
        `SELECT COUNT(*) FROM log AS l WHERE name > @after AND id <= @rev AND deleted = 0
         AND NOT EXISTS (SELECT 1 FROM log AS n WHERE n.name = l.name AND n.id > l.id AND n.id <= @rev)`,
      )
      .pluck(),
    replay: db.prepare<{ from: string; id: number; end: string }, LogRow>(
      'SELECT * FROM log WHERE id >= @id AND name >= @from AND name < @end ORDER BY id',
    ),
    replayOpen: db.prepare<{ from: string; id: number }, LogRow>('SELECT * FROM log WHERE id >= @id AND name >= @from ORDER BY id'),
    batchEnd: db.prepare('SELECT id FROM log WHERE id > ? AND id <= ? ORDER BY id LIMIT 1 OFFSET ?').pluck(),
    // Rows in (lo, hi] no read above `rev` can see: superseded by a newer row at or below rev, or a
    // tombstone at or below rev. The newest row overall (`keep`) is never deleted.
    compactBatch: db.prepare<{ lo: number; hi: number; rev: number; keep: number }>(
      `DELETE FROM log WHERE id > @lo AND id <= @hi AND id < @keep AND (deleted = 1 OR EXISTS
         (SELECT 1 FROM log AS newer WHERE newer.name = log.name AND newer.id > log.id AND newer.id <= @rev))`,
    ),
  };
}
