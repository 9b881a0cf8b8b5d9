// The default Store: SQLite through better-sqlite3, one log table whose row id is the revision, WAL with
// synchronous=FULL, and group commit — writes queued in the same event-loop turn share one transaction.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StorageError, type KeyValue, type ListOptions, type ListResult, type Store, type WatchEvent, type WatchOptions } from '../interface.js';
import { compareKeys, prefixEnd } from '../key-range.js';
import { resolveReadRevision } from '../read-revision.js';
import { WatchHub } from '../watch-hub.js';
import { compactRevisionMetaKey, schemaStatements, type LogRow } from './schema.js';
import { prepareStatements, type KvRow, type Statements } from './statements.js';

export interface SqliteStoreOptions {
  /** The database file; parent directories are created. */
  path: string;
  /** Rows examined per compaction statement; between batches the event loop runs (default 500). */
  compactBatchSize?: number;
}

type PendingWrite =
  | { op: 'create'; key: string; value: string; resolve: (kv: KeyValue) => void; reject: (err: Error) => void }
  | { op: 'update'; key: string; value: string; expected: number; resolve: (kv: KeyValue) => void; reject: (err: Error) => void }
  | {
      op: 'delete';
      key: string;
      expected?: number;
      resolve: (r: { revision: number; prevKv: KeyValue }) => void;
      reject: (err: Error) => void;
    };

/** What applying one queued write inside the group transaction produced. */
type Outcome = { event: WatchEvent; settle: () => void } | { error: StorageError };

const rowToKv = (row: KvRow): KeyValue => ({
  key: row.name,
  value: row.value,
  createRevision: row.create_revision,
  modRevision: row.id,
});

/** The watch event a log row records. */
function rowToEvent(row: LogRow): WatchEvent {
  if (row.deleted) {
    return {
      type: 'delete',
      key: row.name,
      revision: row.id,
      prevKv: { key: row.name, value: row.old_value ?? '', createRevision: row.create_revision, modRevision: row.prev_revision },
    };
  }
  const kv = rowToKv(row);
  if (row.created) return { type: 'put', kv };
  return {
    type: 'put',
    kv,
    prevKv: { key: row.name, value: row.old_value ?? '', createRevision: row.create_revision, modRevision: row.prev_revision },
  };
}

/**
 * An etcd-semantics store in one SQLite file. The process holding it must be the only writer: the current
 * revision is cached in memory and watches are fed in-process right after each commit.
 * Invariants: revision = max(log.id); compaction never deletes the row with the highest id, so the
 * revision survives restarts even when the newest write was a delete.
 */
export class SqliteStore implements Store {
  readonly backend = 'sqlite';
  private readonly db: Database.Database;
  private readonly hub = new WatchHub();
  private revision: number;
  private compacted: number;
  private pending: PendingWrite[] = [];
  /** The id the next inserted row gets; only meaningful inside a flush. */
  private nextId = 0;
  private flushScheduled = false;
  private closed = false;
  private transactionCount = 0;
  private compaction: Promise<void> = Promise.resolve();
  private readonly compactBatchSize: number;
  private readonly stmt: Statements;

  constructor(opts: SqliteStoreOptions) {
    mkdirSync(dirname(opts.path), { recursive: true });
    this.compactBatchSize = opts.compactBatchSize ?? 500;
    this.db = new Database(opts.path);
    this.db.pragma('journal_mode = WAL');
    // Durable before the reply: every commit fsyncs the WAL.
    this.db.pragma('synchronous = FULL');
    // better-sqlite3 builds default WAL connections to NORMAL; make sure FULL took effect.
    if (this.db.pragma('synchronous', { simple: true }) !== 2) throw new Error(`sqlite ${opts.path}: could not set synchronous=FULL`);
    this.db.pragma('busy_timeout = 5000');
    for (const s of schemaStatements) this.db.exec(s);
    this.stmt = prepareStatements(this.db);
    this.revision = this.stmt.maxId.get() as number;
    this.compacted = (this.stmt.getMeta.get(compactRevisionMetaKey) as number | undefined) ?? 0;
  }

  /** How many write transactions (group commits) have been committed since open. */
  get transactions(): number {
    return this.transactionCount;
  }

  async currentRevision(): Promise<number> {
    this.checkOpen();
    return this.revision;
  }

  async compactedRevision(): Promise<number> {
    this.checkOpen();
    return this.compacted;
  }

  async get(key: string, opts: { revision?: number } = {}): Promise<KeyValue | undefined> {
    this.checkOpen();
    const rev = resolveReadRevision({ requested: opts.revision, current: this.revision, compacted: this.compacted });
    const row = rev === this.revision ? this.stmt.latest.get(key) : this.stmt.at.get(key, rev);
    return row && !row.deleted ? rowToKv(row) : undefined;
  }

  async list(opts: ListOptions): Promise<ListResult> {
    this.checkOpen();
    const rev = resolveReadRevision({ requested: opts.revision, current: this.revision, compacted: this.compacted });
    const from = opts.startKey !== undefined && compareKeys(opts.startKey, opts.prefix) > 0 ? opts.startKey : opts.prefix;
    const end = prefixEnd(opts.prefix);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : -1;
    const rows = end === undefined ? this.stmt.listOpen.all({ from, rev, limit }) : this.stmt.list.all({ from, end, rev, limit });
    const kvs = rows.map(rowToKv);
    let remaining = 0;
    if (limit > 0 && kvs.length === limit) {
      const after = kvs[kvs.length - 1].key;
      remaining = (end === undefined ? this.stmt.countOpen.get({ after, rev }) : this.stmt.count.get({ after, end, rev })) as number;
    }
    return { kvs, revision: rev, more: remaining > 0, remaining };
  }

  create(key: string, value: string): Promise<KeyValue> {
    return new Promise((resolve, reject) => this.enqueue({ op: 'create', key, value, resolve, reject }));
  }

  update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    return new Promise((resolve, reject) => this.enqueue({ op: 'update', key, value, expected: expectedModRevision, resolve, reject }));
  }

  delete(key: string, expectedModRevision?: number): Promise<{ revision: number; prevKv: KeyValue }> {
    return new Promise((resolve, reject) => this.enqueue({ op: 'delete', key, expected: expectedModRevision, resolve, reject }));
  }

  async watch(opts: WatchOptions): Promise<void> {
    this.checkOpen();
    this.hub.add(opts, { current: this.revision, compacted: this.compacted }, (prefix, id) => {
      const end = prefixEnd(prefix);
      const rows = end === undefined ? this.stmt.replayOpen.all({ from: prefix, id }) : this.stmt.replay.all({ from: prefix, id, end });
      return rows.map(rowToEvent);
    });
  }

  /**
   * Raises the compacted revision at once (reads at or below it fail from now on), then deletes the rows no
   * later read can need, in batches of `compactBatchSize` rows with the event loop running in between.
   */
  compact(revision: number): Promise<void> {
    const run = this.compaction.then(() => this.runCompaction(revision));
    this.compaction = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.hub.closeAll();
    await this.compaction;
    this.db.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageError('Unavailable', 'sqlite store is closed');
  }

  private enqueue(w: PendingWrite): void {
    if (this.closed) {
      w.reject(new StorageError('Unavailable', 'sqlite store is closed'));
      return;
    }
    this.pending.push(w);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // setImmediate runs after the I/O callbacks and microtasks of this turn: everything queued by
      // them joins the same transaction.
      setImmediate(() => this.flush());
    }
  }

  /** Applies every queued write in one transaction (one fsync), then settles each and feeds watchers. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    this.nextId = this.revision + 1;
    try {
      outcomes = this.db.transaction(() => batch.map((w) => this.apply(w)))();
    } catch (cause) {
      const err = new StorageError('Unavailable', `sqlite commit failed: ${String(cause)}`);
      for (const w of batch) w.reject(err);
      this.revision = this.stmt.maxId.get() as number;
      return;
    }
    this.transactionCount++;
    const events: WatchEvent[] = [];
    for (const o of outcomes) if ('event' in o) events.push(o.event);
    if (events.length > 0) {
      const last = events[events.length - 1];
      this.revision = last.type === 'put' ? last.kv.modRevision : last.revision;
    }
    this.hub.publish(events);
    outcomes.forEach((o, i) => {
      if ('error' in o) batch[i].reject(o.error);
      else o.settle();
    });
  }

  /** Checks one write's precondition against the rows so far (earlier writes of the batch included). */
  private apply(w: PendingWrite): Outcome {
    const row = this.stmt.latest.get(w.key);
    const current = row && !row.deleted ? rowToKv(row) : undefined;
    if (w.op === 'create') {
      if (current) return { error: new StorageError('AlreadyExists', `key ${w.key} already exists`, { key: w.key }) };
      const id = this.insert({ name: w.key, created: 1, deleted: 0, createRevision: this.nextId, prevRevision: 0, value: w.value });
      const kv: KeyValue = { key: w.key, value: w.value, createRevision: id, modRevision: id };
      return { event: { type: 'put', kv }, settle: () => w.resolve(kv) };
    }
    if (!current) return { error: new StorageError('NotFound', `key ${w.key} not found`, { key: w.key }) };
    if (w.expected !== undefined && current.modRevision !== w.expected) {
      return {
        error: new StorageError('Conflict', `key ${w.key} has revision ${current.modRevision}, expected ${w.expected}`, { key: w.key, current }),
      };
    }
    if (w.op === 'update') {
      const id = this.insert({
        name: w.key,
        created: 0,
        deleted: 0,
        createRevision: current.createRevision,
        prevRevision: current.modRevision,
        value: w.value,
        oldValue: current.value,
      });
      const kv: KeyValue = { key: w.key, value: w.value, createRevision: current.createRevision, modRevision: id };
      return { event: { type: 'put', kv, prevKv: current }, settle: () => w.resolve(kv) };
    }
    const id = this.insert({
      name: w.key,
      created: 0,
      deleted: 1,
      createRevision: current.createRevision,
      prevRevision: current.modRevision,
      value: '',
      oldValue: current.value,
    });
    return { event: { type: 'delete', key: w.key, revision: id, prevKv: current }, settle: () => w.resolve({ revision: id, prevKv: current }) };
  }

  /** Appends a row with the next revision as its id and returns that revision. */
  private insert(r: { name: string; created: number; deleted: number; createRevision: number; prevRevision: number; value: string; oldValue?: string }): number {
    const id = this.nextId++;
    this.stmt.insert.run(id, r.name, r.created, r.deleted, r.createRevision, r.prevRevision, r.value, r.oldValue ?? null);
    return id;
  }

  private async runCompaction(revision: number): Promise<void> {
    this.checkOpen();
    if (revision <= this.compacted) return;
    if (revision > this.revision) {
      throw new StorageError('FutureRevision', `cannot compact to future revision ${revision} (current ${this.revision})`, {
        revision: this.revision,
      });
    }
    this.db.transaction(() => this.stmt.setMeta.run(compactRevisionMetaKey, revision))();
    this.compacted = revision;
    const keep = this.revision;
    // Each batch covers the next compactBatchSize existing rows, however sparse their ids are by now.
    for (let lo = 0; lo < revision && !this.closed; ) {
      const hi = (this.stmt.batchEnd.get(lo, revision, this.compactBatchSize - 1) as number | undefined) ?? revision;
      this.stmt.compactBatch.run({ lo, hi, rev: revision, keep });
      lo = hi;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

/** Opens (creating if needed) the SQLite store at `opts.path`. */
export function openSqliteStore(opts: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(opts);
}
