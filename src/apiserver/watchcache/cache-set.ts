// All watch caches of one apiserver: one WatchCache per stored resource (key root), fed by one Reflector,
// and the ListCache view the generic registries use for resourceVersion="0" and consistent lists.

import type { ResourceInfo } from '../../api/resource-info.js';
import type { Store } from '../../storage/interface.js';
import { resourceKeys } from '../storage-keys.js';
import { isStoredResource } from '../registry/generic/registries.js';
import type { ListCache } from '../registry/generic/registry.js';
import { objectFields } from '../registry/generic/selection.js';
import type { APIObject, ResourceStrategy } from '../registry/strategy.js';
import { Reflector } from './reflector.js';
import { WatchCache, type CachedObject } from './watch-cache.js';

export interface CachedResource {
  /** Storage key root, e.g. "/registry/pods/". */
  root: string;
  /** The stored resource's strategy (for its selectable fields). */
  strategy?: ResourceStrategy;
  /**
   * Applied to each stored object before it is cached (custom resources: the storage version's schema
   * defaults, which upstream applies when reading from storage).
   */
  decorate?: (obj: APIObject) => void;
}

export interface WatchCacheSetOptions {
  store: Store;
  /** --etcd-prefix, e.g. "/registry". */
  etcdPrefix: string;
  resources: readonly CachedResource[];
  /**
   * How long a read waits for the caches to catch up with a revision (ms): then lists and GETs read storage
   * instead, and watches start from what the cache has (never delivering events at or below their start).
   */
  freshnessTimeoutMs?: number;
  eventCapacity?: number;
  watcherCapacity?: number;
  /** Told when the storage watch failed and the caches are being rebuilt (for logs). */
  onRelist?: (err: Error) => void;
}

/** The cached resources of a resource table: one per storage key root, with the stored resource's strategy. */
export function cachedResources(opts: {
  resources: readonly ResourceInfo[];
  etcdPrefix: string;
  storageResourceFor?: (r: ResourceInfo) => ResourceInfo;
  strategyFor?: (group: string, resource: string) => ResourceStrategy | undefined;
}): CachedResource[] {
  const out = new Map<string, CachedResource>();
  for (const r of opts.resources) {
    if (!isStoredResource(r) || !r.verbs.includes('watch')) continue;
    const stored = opts.storageResourceFor?.(r) ?? r;
    const { root } = resourceKeys({ etcdPrefix: opts.etcdPrefix, group: stored.group, plural: stored.plural, namespaced: stored.namespaced });
    if (!out.has(root)) out.set(root, { root, strategy: opts.strategyFor?.(stored.group, stored.plural) });
  }
  return [...out.values()];
}

/** Re-serializes object JSON with another resourceVersion. */
export function restampJSON(json: string, rv: number): string {
  const obj = JSON.parse(json) as APIObject;
  obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(rv) };
  return JSON.stringify(obj);
}

export class WatchCacheSet {
  readonly reflector: Reflector;
  private readonly caches = new Map<string, WatchCache>();
  private readonly freshnessTimeoutMs: number;
  private readonly opts: WatchCacheSetOptions;

  constructor(opts: WatchCacheSetOptions) {
    // In-process stores deliver events at once and etcd within milliseconds; a longer wait means the
    // revision came from writes this apiserver does not watch (another prefix), and storage answers faster.
    this.freshnessTimeoutMs = opts.freshnessTimeoutMs ?? 250;
    this.opts = opts;
    const entries = [];
    for (const r of opts.resources) {
      if (this.caches.has(r.root)) continue;
      entries.push(this.newEntry(r));
    }
    this.reflector = new Reflector({ store: opts.store, prefix: `${opts.etcdPrefix.replace(/\/+$/, '')}/`, caches: entries, onRelist: opts.onRelist });
  }

  private newEntry(r: CachedResource) {
    const cache = new WatchCache({ root: r.root, restamp: restampJSON, capacity: this.opts.eventCapacity, watcherCapacity: this.opts.watcherCapacity });
    this.caches.set(r.root, cache);
    const strategy = r.strategy;
    const toCached = (kv: { key: string; value: string; modRevision: number }): CachedObject => {
      const obj = JSON.parse(kv.value) as APIObject;
      obj.metadata = obj.metadata ?? {};
      obj.metadata.resourceVersion = String(kv.modRevision);
      r.decorate?.(obj);
      return {
        key: kv.key,
        rv: kv.modRevision,
        json: JSON.stringify(obj),
        labels: obj.metadata.labels ?? {},
        fields: objectFields(obj, strategy),
      };
    };
    return { cache, toCached };
  }

  /**
   * Adds the cache of a resource served from now on (a custom resource) and resolves once it is filled;
   * callers serve from it only after that. A no-op for a root already cached.
   */
  async add(r: CachedResource): Promise<void> {
    if (this.caches.has(r.root)) return;
    const entry = this.newEntry(r);
    try {
      await this.reflector.addCache(entry);
    } catch (err) {
      this.caches.delete(r.root);
      throw err;
    }
  }

  /** Drops the cache of a resource no longer served; its watchers end. */
  remove(root: string): void {
    this.reflector.removeCache(root);
    this.caches.delete(root);
  }

  /** Lists everything and starts watching; resolves once the caches are filled. */
  start(signal: AbortSignal): Promise<void> {
    return this.reflector.start(signal);
  }

  stop(): void {
    this.reflector.stop();
  }

  cacheFor(root: string): WatchCache | undefined {
    return this.caches.get(root);
  }

  /** Waits until the caches reflect `rv` (for a watch to start); false after the freshness timeout. */
  waitFor(rv: number, signal?: AbortSignal): Promise<boolean> {
    return this.reflector.waitFor(rv, this.freshnessTimeoutMs, signal);
  }

  /**
   * The ListCache view of one resource for its GenericRegistry. The cache is looked up on each read: while a
   * custom resource's cache is being rebuilt (its CRD changed how objects are read) reads go to storage.
   */
  listCacheFor(root: string): ListCache | undefined {
    if (!this.caches.has(root)) return undefined;
    return {
      list: async ({ prefix, predicate, minRevision, signal }) => {
        const cache = this.caches.get(root);
        if (!cache) return undefined;
        const fresh = await this.reflector.waitFor(Math.max(minRevision, 0), this.freshnessTimeoutMs, signal);
        if (!fresh) return undefined;
        const items = cache.list(prefix, predicate).map((o) => o.json);
        return { items, revision: cache.rv };
      },
      get: async ({ key, minRevision }) => {
        const cache = this.caches.get(root);
        if (!cache) return undefined;
        if (minRevision > this.reflector.rv) {
          const fresh = await this.reflector.waitFor(minRevision, this.freshnessTimeoutMs);
          if (!fresh) return undefined;
        }
        return { json: cache.get(key)?.json };
      },
    };
  }
}
