// The SQLite schema: one log table whose integer row id is the revision (the layout k3s's kine uses),
// plus a one-row-per-setting meta table for the compacted revision.

/**
 * Every write appends one row; the current value of a key is its row with the highest id.
 * - created=1: the row starts a new incarnation (create_revision = id).
 * - deleted=1: a tombstone; value is empty and old_value holds the deleted value.
 * - prev_revision: the id of the key's previous row in this incarnation (0 for creates), so a row alone
 *   is enough to rebuild its watch event, prevKv included.
 */
export const schemaStatements = [
  `CREATE TABLE IF NOT EXISTS log (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    created INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    create_revision INTEGER NOT NULL,
    prev_revision INTEGER NOT NULL,
    value TEXT NOT NULL,
    old_value TEXT
  )`,
  // Current-value reads and "newest row per key at revision R" both walk this index.
  'CREATE INDEX IF NOT EXISTS log_name_id ON log (name, id)',
  'CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)',
];

/** A row of the log table as better-sqlite3 returns it. */
export interface LogRow {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: string;
  old_value: string | null;
}

export const compactRevisionMetaKey = 'compact_revision';
