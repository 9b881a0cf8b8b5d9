// The in-memory Store: a revisioned log of events plus per-key version history, so reads at older
// revisions work until compaction. For tests and for `memory://`; nothing survives the process.
import { StorageError, type KeyValue, type ListOptions, type ListResult, type Store, type WatchEvent, type WatchOptions } from '../interface.js';
import { compareKeys } from '../key-range.js';
import { resolveReadRevision } from '../read-revision.js';
import { eventKey } from '../watch-event.js';
import { WatchHub } from '../watch-hub.js';

/** One incarnation step of a key: its value from `revision` on, or a tombstone when `kv` is undefined. */
interface Version {
  revision: number;
  kv?: KeyValue;
}

/**
 * An etcd-semantics store held in memory. Every method completes synchronously inside the returned
 * promise; watch delivery is asynchronous through a WatchHub. KeyValue objects handed out are frozen and
 * shared: treat them as read-only.
 */
export class MemoryStore implements Store {
  readonly backend = 'memory';
  private revision = 0;
  private compacted = 0;
  /** Every key that still has a version, in UTF-8 byte order. */
  private keys: string[] = [];
  private readonly history = new Map<string, Version[]>();
  /** The events after `compacted`: log[i] happened at revision compacted + 1 + i. */
  private log: WatchEvent[] = [];
  private readonly hub = new WatchHub();
  private closed = false;

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
    return this.versionAt(key, rev);
  }

  async list(opts: ListOptions): Promise<ListResult> {
    this.checkOpen();
    const rev = resolveReadRevision({ requested: opts.revision, current: this.revision, compacted: this.compacted });
    const from = opts.startKey !== undefined && compareKeys(opts.startKey, opts.prefix) > 0 ? opts.startKey : opts.prefix;
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const kvs: KeyValue[] = [];
    let remaining = 0;
    for (let i = this.lowerBound(from); i < this.keys.length; i++) {
      const key = this.keys[i];
      if (!key.startsWith(opts.prefix)) break;
      const kv = this.versionAt(key, rev);
      if (!kv) continue;
      if (kvs.length < limit) kvs.push(kv);
      else remaining++;
    }
    return { kvs, revision: rev, more: remaining > 0, remaining };
  }

  async create(key: string, value: string): Promise<KeyValue> {
    this.checkOpen();
    const current = this.currentKv(key);
    if (current) throw new StorageError('AlreadyExists', `key ${key} already exists`, { key });
    const rev = this.revision + 1;
    const kv: KeyValue = Object.freeze({ key, value, createRevision: rev, modRevision: rev });
    this.append(key, { revision: rev, kv }, { type: 'put', kv });
    return kv;
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    this.checkOpen();
    const prevKv = this.checkPrecondition(key, expectedModRevision);
    const rev = this.revision + 1;
    const kv: KeyValue = Object.freeze({ key, value, createRevision: prevKv.createRevision, modRevision: rev });
    this.append(key, { revision: rev, kv }, { type: 'put', kv, prevKv });
    return kv;
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ revision: number; prevKv: KeyValue }> {
    this.checkOpen();
    const prevKv = this.checkPrecondition(key, expectedModRevision);
    const rev = this.revision + 1;
    this.append(key, { revision: rev }, { type: 'delete', key, revision: rev, prevKv });
    return { revision: rev, prevKv };
  }

  async watch(opts: WatchOptions): Promise<void> {
    this.checkOpen();
    this.hub.add(opts, { current: this.revision, compacted: this.compacted }, (prefix, from) => {
      const out: WatchEvent[] = [];
      for (let i = from - this.compacted - 1; i < this.log.length; i++) {
        if (eventKey(this.log[i]).startsWith(prefix)) out.push(this.log[i]);
      }
      return out;
    });
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen();
    if (revision <= this.compacted) return;
    if (revision > this.revision) {
      throw new StorageError('FutureRevision', `cannot compact to future revision ${revision} (current ${this.revision})`, {
        revision: this.revision,
      });
    }
    this.log = this.log.slice(revision - this.compacted);
    this.compacted = revision;
    let dropped = false;
    for (const [key, versions] of this.history) {
      // Keep the version visible at `revision` (unless it is a tombstone) and everything newer.
      let i = versions.length - 1;
      while (i > 0 && versions[i].revision > revision) i--;
      if (versions[i].revision > revision) continue;
      const keepFrom = versions[i].kv ? i : i + 1;
      if (keepFrom === 0) continue;
      versions.splice(0, keepFrom);
      if (versions.length === 0) {
        this.history.delete(key);
        dropped = true;
      }
    }
    if (dropped) this.keys = this.keys.filter((k) => this.history.has(k));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.closeAll();
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageError('Unavailable', 'memory store is closed');
  }

  private currentKv(key: string): KeyValue | undefined {
    const versions = this.history.get(key);
    return versions?.[versions.length - 1].kv;
  }

  /** The current value when `expected` (if given) matches it; NotFound / Conflict otherwise. */
  private checkPrecondition(key: string, expected: number | undefined): KeyValue {
    const current = this.currentKv(key);
    if (!current) throw new StorageError('NotFound', `key ${key} not found`, { key });
    if (expected !== undefined && current.modRevision !== expected) {
      throw new StorageError('Conflict', `key ${key} has revision ${current.modRevision}, expected ${expected}`, { key, current });
    }
    return current;
  }

  private versionAt(key: string, rev: number): KeyValue | undefined {
    const versions = this.history.get(key);
    if (!versions) return undefined;
    // Binary search for the last version at or before `rev`.
    let lo = 0;
    let hi = versions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (versions[mid].revision <= rev) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : versions[lo - 1].kv;
  }

  /** Index of the first key >= `key`. */
  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.keys[mid], key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private append(key: string, version: Version, event: WatchEvent): void {
    let versions = this.history.get(key);
    if (!versions) {
      versions = [];
      this.history.set(key, versions);
      this.keys.splice(this.lowerBound(key), 0, key);
    }
    versions.push(version);
    this.revision = version.revision;
    this.log.push(event);
    this.hub.publish([event]);
  }
}

/** Opens an empty in-memory store. */
export function openMemoryStore(): MemoryStore {
  return new MemoryStore();
}
