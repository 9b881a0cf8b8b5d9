// Storage benchmark: durable creates/s with many concurrent writers (group commit at work), sequential
// creates/s, GET latency percentiles, the time to LIST 10,000 keys and to compact, per backend. Prints JSON.
//   node --import tsx bench/storage.ts [path/to/workload.json] [--backends=sqlite,etcd]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { Store } from '../src/storage/interface.js';
import { openEtcdStore } from '../src/storage/etcd/etcd-store.js';
import { openMemoryStore } from '../src/storage/memory/memory-store.js';
import { openSqliteStore, type SqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { startEtcd } from '../src/storage/testing/etcd-process.js';

interface Workload {
  backends: string[];
  valueBytes: number;
  concurrentCreates: { writers: number; total: number; maxSeconds: number };
  sequentialCreates: { total: number; maxSeconds: number };
  gets: { total: number; maxSeconds: number };
  list: { keys: number; repeats: number };
}

const args = process.argv.slice(2);
const workloadPath = args.find((a) => !a.startsWith('--')) ?? join(dirname(fileURLToPath(import.meta.url)), 'storage-workload.json');
const workload = JSON.parse(readFileSync(workloadPath, 'utf8')) as Workload;
const only = args.find((a) => a.startsWith('--backends='))?.slice('--backends='.length).split(',');
const backends = only ?? workload.backends;

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const round = (n: number, digits = 3): number => Number(n.toFixed(digits));
const value = 'x'.repeat(workload.valueBytes);

/** Creates under `prefix` from `writers` concurrent loops until `total` or the deadline. */
async function createLoad(store: Store, prefix: string, writers: number, total: number, maxSeconds: number): Promise<{ creates: number; seconds: number }> {
  let next = 0;
  const deadline = performance.now() + maxSeconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < total && performance.now() < deadline) {
        const i = next++;
        await store.create(`${prefix}${String(i).padStart(8, '0')}`, value);
      }
    }),
  );
  return { creates: next, seconds: (performance.now() - start) / 1000 };
}

async function measure(name: string, store: Store): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = { backend: name };
  const sqlite = name === 'sqlite' ? (store as SqliteStore) : undefined;

  const c = workload.concurrentCreates;
  const tx0 = sqlite?.transactions ?? 0;
  const conc = await createLoad(store, '/registry/bench/concurrent/', c.writers, c.total, c.maxSeconds);
  result.concurrentCreates = {
    writers: c.writers,
    creates: conc.creates,
    seconds: round(conc.seconds),
    perSecond: Math.round(conc.creates / conc.seconds),
    ...(sqlite ? { transactions: sqlite.transactions - tx0, writesPerTransaction: round(conc.creates / (sqlite.transactions - tx0), 1) } : {}),
  };

  const s = workload.sequentialCreates;
  const seq = await createLoad(store, '/registry/bench/sequential/', 1, s.total, s.maxSeconds);
  result.sequentialCreates = { creates: seq.creates, seconds: round(seq.seconds), perSecond: Math.round(seq.creates / seq.seconds) };

  const g = workload.gets;
  const latencies: number[] = [];
  const getDeadline = performance.now() + g.maxSeconds * 1000;
  for (let i = 0; i < g.total && performance.now() < getDeadline; i++) {
    const key = `/registry/bench/concurrent/${String(Math.floor(Math.random() * conc.creates)).padStart(8, '0')}`;
    const t = performance.now();
    const kv = await store.get(key);
    latencies.push(performance.now() - t);
    if (!kv) throw new Error(`bench: ${key} missing`);
  }
  latencies.sort((a, b) => a - b);
  result.get = { count: latencies.length, p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)) };

  // LIST: a prefix holding exactly list.keys keys (topped up with concurrent creates when needed).
  const l = workload.list;
  const listPrefix = '/registry/bench/list/';
  await createLoad(store, listPrefix, c.writers, l.keys, 120);
  const listTimes: number[] = [];
  for (let i = 0; i < l.repeats; i++) {
    const t = performance.now();
    const res = await store.list({ prefix: listPrefix });
    listTimes.push(performance.now() - t);
    if (res.kvs.length !== l.keys) throw new Error(`bench: listed ${res.kvs.length} of ${l.keys}`);
  }
  listTimes.sort((a, b) => a - b);
  result.list = { keys: l.keys, repeats: l.repeats, medianMs: round(percentile(listTimes, 50), 1), minMs: round(listTimes[0], 1) };

  // Compaction: supersede every listed key once, then compact everything; how long, and how long the
  // event loop was blocked at worst meanwhile.
  const listed = (await store.list({ prefix: listPrefix })).kvs;
  let u = 0;
  await Promise.all(
    Array.from({ length: c.writers }, async () => {
      while (u < listed.length) {
        const kv = listed[u++];
        await store.update(kv.key, value, kv.modRevision);
      }
    }),
  );
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const t = performance.now();
  await store.compact(await store.currentRevision());
  const compactMs = performance.now() - t;
  loop.disable();
  result.compact = { supersededRows: listed.length, ms: round(compactMs, 1), maxEventLoopDelayMs: round(loop.max / 1e6, 1) };
  return result;
}

/**
 * The ceiling group commit is measured against: bare better-sqlite3 with the same pragmas, one row per
 * durable commit versus 64 rows per commit (the brief's 3,300 commits/s and 61,000 rows/s).
 */
function sqliteBaseline(): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-bench-sqlite-raw-'));
  const db = new Database(join(dir, 'raw.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, value TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (name, value) VALUES (?, ?)');
    const timed = (rows: number, perTx: number): number => {
      const many = db.transaction((base: number) => {
        for (let j = 0; j < perTx; j++) insert.run(`k${base + j}`, value);
      });
      const t = performance.now();
      for (let i = 0; i < rows; i += perTx) many(i);
      return Math.round(rows / ((performance.now() - t) / 1000));
    };
    return { singleRowCommitsPerSecond: timed(2000, 1), rowsPerSecondIn64RowCommits: timed(20_000, 64) };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const results: Record<string, unknown>[] = [];
  if (backends.includes('sqlite')) results.push({ backend: 'sqlite-raw-baseline', ...sqliteBaseline() });
  for (const name of backends) {
    if (name === 'memory') {
      const store = openMemoryStore();
      results.push(await measure(name, store));
      await store.close();
    } else if (name === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'k8ts-bench-sqlite-'));
      const store = openSqliteStore({ path: join(dir, 'state.db') });
      try {
        results.push(await measure(name, store));
      } finally {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    } else if (name === 'etcd') {
      const etcd = await startEtcd();
      const store = openEtcdStore({ endpoints: etcd.endpoints });
      try {
        results.push(await measure(name, store));
      } finally {
        await store.close();
        await etcd.stop();
      }
    } else {
      throw new Error(`bench: unknown backend ${name}`);
    }
  }
  process.stdout.write(`${JSON.stringify({ benchmark: 'storage', node: process.version, workload: workloadPath, results }, null, 2)}\n`);
}

await main();
