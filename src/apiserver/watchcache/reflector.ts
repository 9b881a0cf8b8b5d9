// Feeds every resource's WatchCache from ONE storage watch over the whole key space (upstream runs a
// reflector per resource). Because storage delivers events in revision order across all keys, the
// revision of the last batch is a progress marker for every cache: a cache is fresh up to it even when
// none of its own keys changed, which is what consistent reads from the cache need.

import type { KeyValue, Store, StorageError, WatchEvent } from '../../storage/interface.js';
import type { CachedObject, WatchCache } from './watch-cache.js';

/** Turns a stored value into the cache's form; `rv` overrides the KeyValue's modRevision (deletions). */
export type ToCached = (kv: Pick<KeyValue, 'key' | 'value' | 'modRevision'>) => CachedObject;

export interface ReflectorOptions {
  store: Store;
  /** The key space to watch, e.g. "/registry/". Keys outside every cache's root are ignored. */
  prefix: string;
  caches: ReadonlyArray<{ cache: WatchCache; toCached: ToCached }>;
  /** Called when the storage watch fails and the caches are rebuilt (for logs). */
  onRelist?: (err: StorageError) => void;
  /** Delay before relisting after a failed watch (ms). */
  relistDelayMs?: number;
}

interface Waiter {
  rv: number;
  resolve: (fresh: boolean) => void;
}

export class Reflector {
  /** The newest revision every cache reflects. */
  rv = 0;
  private readonly byRoot = new Map<string, { cache: WatchCache; toCached: ToCached }>();
  private waiters: Waiter[] = [];
  private syncedResolve!: () => void;
  /** Resolves once the first list has filled the caches. */
  readonly synced: Promise<void>;
  private stopped = false;
  private watchAbort?: AbortController;
  /** Caches being filled by addCache: storage events for their roots wait here until the list is in. */
  private readonly warming = new Map<string, WatchEvent[]>();

  constructor(private readonly opts: ReflectorOptions) {
    for (const c of opts.caches) this.byRoot.set(c.cache.root, c);
    this.synced = new Promise((resolve) => (this.syncedResolve = resolve));
  }

  /** The cache entry a key belongs to: roots are one or two segments below the prefix. */
  private entryFor(key: string): { cache: WatchCache; toCached: ToCached } | undefined {
    const p = this.opts.prefix.length;
    const first = key.indexOf('/', p);
    if (first < 0) return undefined;
    const second = key.indexOf('/', first + 1);
    if (second >= 0) {
      const two = this.byRoot.get(key.slice(0, second + 1));
      if (two) return two;
    }
    return this.byRoot.get(key.slice(0, first + 1));
  }

  /** Lists everything, fills the caches, and starts the storage watch. Resolves once synced. */
  async start(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.stop(), { once: true });
    await this.relist();
    this.syncedResolve();
  }

  private async relist(): Promise<void> {
    if (this.stopped) return;
    const page = await this.opts.store.list({ prefix: this.opts.prefix });
    const perCache = new Map<WatchCache, CachedObject[]>();
    for (const c of this.byRoot.values()) perCache.set(c.cache, []);
    for (const kv of page.kvs) {
      const entry = this.entryFor(kv.key);
      if (!entry || !kv.key.startsWith(entry.cache.root)) continue;
      try {
        perCache.get(entry.cache)?.push(entry.toCached(kv));
      } catch {
        // An undecodable value is skipped, as upstream's cacher logs and skips it.
      }
    }
    for (const [cache, objects] of perCache) cache.replace(objects, page.revision);
    this.advance(page.revision);
    this.watchAbort = new AbortController();
    const watchSignal = this.watchAbort.signal;
    await this.opts.store.watch({
      prefix: this.opts.prefix,
      startRevision: page.revision + 1,
      signal: watchSignal,
      onEvents: (events) => this.onEvents(events),
      onError: (err) => {
        if (this.stopped || watchSignal.aborted) return;
        this.watchAbort?.abort();
        this.opts.onRelist?.(err);
        this.scheduleRelist(this.opts.relistDelayMs ?? 1000);
      },
    });
  }

  /** Relists after `delayMs`, and keeps retrying (doubling the delay up to 30 s) while storage fails. */
  private scheduleRelist(delayMs: number): void {
    if (this.stopped) return;
    setTimeout(() => {
      this.relist().catch((e: StorageError) => {
        this.opts.onRelist?.(e);
        this.scheduleRelist(Math.min(delayMs * 2, 30_000));
      });
    }, delayMs).unref();
  }

  /**
   * Adds a cache at run time (a newly established custom resource): lists its root at the revision the
   * reflector has reached, holds back the storage events for that root meanwhile, then applies those newer
   * than the list. Resolves once the cache is complete; until then its contents must not be served.
   */
  async addCache(entry: { cache: WatchCache; toCached: ToCached }): Promise<void> {
    const root = entry.cache.root;
    if (this.byRoot.has(root)) return;
    await this.synced;
    const revision = this.rv;
    this.warming.set(root, []);
    this.byRoot.set(root, entry);
    try {
      const page = await this.opts.store.list({ prefix: root, revision });
      const objects: CachedObject[] = [];
      for (const kv of page.kvs) {
        try {
          objects.push(entry.toCached(kv));
        } catch {
          // Undecodable values are skipped, as in relist.
        }
      }
      entry.cache.replace(objects, revision);
    } catch (err) {
      this.byRoot.delete(root);
      throw err;
    } finally {
      const held = this.warming.get(root) ?? [];
      this.warming.delete(root);
      if (this.byRoot.has(root)) {
        this.onEvents(held.filter((e) => (e.type === 'put' ? e.kv.modRevision : e.revision) > revision));
        // Every event of this root up to the reflector's revision is in: the cache is as fresh as the others.
        if (entry.cache.rv < this.rv) entry.cache.rv = this.rv;
      }
    }
  }

  /** Drops a cache added earlier (a deleted custom resource); its watchers end. */
  removeCache(root: string): void {
    const entry = this.byRoot.get(root);
    if (!entry) return;
    this.byRoot.delete(root);
    this.warming.delete(root);
    entry.cache.endAll();
  }

  private onEvents(events: WatchEvent[]): void {
    let rv = this.rv;
    for (const e of events) {
      const key = e.type === 'put' ? e.kv.key : e.key;
      const entry = this.entryFor(key);
      const revision = e.type === 'put' ? e.kv.modRevision : e.revision;
      if (revision > rv) rv = revision;
      if (!entry || !key.startsWith(entry.cache.root)) continue;
      const held = this.warming.get(entry.cache.root);
      if (held) {
        held.push(e);
        continue;
      }
      const { cache, toCached } = entry;
      try {
        if (e.type === 'put') {
          const prev = cache.get(key);
          cache.apply(e.prevKv || prev ? 'MODIFIED' : 'ADDED', toCached(e.kv), prev, revision);
        } else {
          const prev = cache.get(key);
          const last = toCached({ key, value: e.prevKv.value, modRevision: revision });
          cache.apply('DELETED', last, prev, revision);
        }
      } catch {
        // Undecodable values never reach watchers.
      }
    }
    this.advance(rv);
  }

  private advance(rv: number): void {
    if (rv < this.rv) return;
    this.rv = rv;
    for (const c of this.byRoot.values()) if (c.cache.rv < rv) c.cache.rv = rv;
    if (this.waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.rv <= rv) w.resolve(true);
      else still.push(w);
    }
    this.waiters = still;
  }

  /**
   * Resolves true once every cache reflects `rv`, false after `timeoutMs` (or when `signal` aborts).
   * Waits for the first sync too.
   */
  async waitFor(rv: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    await this.synced;
    if (rv <= this.rv) return true;
    if (this.stopped || signal?.aborted) return false;
    return new Promise<boolean>((resolve) => {
      const done = (fresh: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(fresh);
      };
      const waiter: Waiter = { rv, resolve: done };
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        done(false);
      };
      const timer = setTimeout(onAbort, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.watchAbort?.abort();
    for (const c of this.byRoot.values()) c.cache.endAll();
    for (const w of this.waiters) w.resolve(false);
    this.waiters = [];
  }
}
