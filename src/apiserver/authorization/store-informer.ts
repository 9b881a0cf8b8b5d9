// A list+watch of one resource straight from storage (the apiserver-internal counterpart of client-go's
// informer): the authorizers' policy caches and the Node authorizer's graph are fed by it.

import { realClock, type Clock } from '../../base/clock.js';
import { klog } from '../../base/logger.js';
import type { KeyValue, Store, WatchEvent } from '../../storage/interface.js';
import type { GenericRegistry } from '../registry/generic/registry.js';
import type { APIObject } from '../registry/strategy.js';

/** Receives the resource's objects: `onReplace` with everything after a (re)list, then one call per change. */
export interface StoreEventHandler<T> {
  onReplace(objects: T[]): void;
  onAdd(obj: T): void;
  onUpdate(oldObj: T, newObj: T): void;
  onDelete(obj: T): void;
}

export interface StoreInformerOptions<T> {
  store: Store;
  /** Decodes stored values (served version, resourceVersion set). */
  registry: Pick<GenericRegistry, 'keys' | 'decodeStored'>;
  handler: StoreEventHandler<T>;
  signal: AbortSignal;
  clock?: Clock;
  /** Delay before relisting after the watch failed (default 1 s). */
  relistDelayMs?: number;
}

/**
 * Lists the resource's key root, hands the objects to the handler, then watches from the list's revision on.
 * When the watch fails (compaction, backend lost) it relists after a delay until `signal` aborts. Objects
 * given to the handler are decoded once and shared: handlers must not mutate them. Undecodable values are
 * skipped, as upstream's cacher does.
 */
export class StoreInformer<T = APIObject> {
  private readonly objects = new Map<string, T>();
  private readonly clock: Clock;
  /** Revision the cache reflects. */
  revision = 0;

  constructor(private readonly opts: StoreInformerOptions<T>) {
    this.clock = opts.clock ?? realClock;
  }

  /** Resolves once the first list is in the handler. */
  async start(): Promise<void> {
    await this.listAndWatch();
  }

  private decode(kv: Pick<KeyValue, 'value' | 'modRevision'>): T | undefined {
    try {
      return this.opts.registry.decodeStored(kv) as T;
    } catch {
      return undefined;
    }
  }

  private async listAndWatch(): Promise<void> {
    const { store, signal, registry } = this.opts;
    if (signal.aborted) return;
    const page = await store.list({ prefix: registry.keys.root });
    this.objects.clear();
    for (const kv of page.kvs) {
      const obj = this.decode(kv);
      if (obj !== undefined) this.objects.set(kv.key, obj);
    }
    this.revision = page.revision;
    this.opts.handler.onReplace([...this.objects.values()]);
    const watchAbort = new AbortController();
    const stopWatch = (): void => watchAbort.abort();
    signal.addEventListener('abort', stopWatch, { once: true });
    await store.watch({
      prefix: registry.keys.root,
      startRevision: page.revision + 1,
      signal: watchAbort.signal,
      onEvents: (events) => this.apply(events),
      onError: (err) => {
        signal.removeEventListener('abort', stopWatch);
        // Nothing more may come from this watch; the relist below starts a fresh one.
        watchAbort.abort();
        if (signal.aborted) return;
        klog.warning(`authorization cache for ${registry.keys.root}: watch ended (${err.message}); relisting`);
        this.clock
          .sleep(this.opts.relistDelayMs ?? 1000, signal)
          .then(() => this.listAndWatch())
          .catch((e: unknown) => {
            if (!signal.aborted) klog.error(`authorization cache for ${registry.keys.root}: relist failed`, e);
          });
      },
    });
  }

  private apply(events: WatchEvent[]): void {
    const { handler } = this.opts;
    for (const e of events) {
      if (e.type === 'put') {
        const obj = this.decode(e.kv);
        this.revision = e.kv.modRevision;
        if (obj === undefined) continue;
        const old = this.objects.get(e.kv.key);
        this.objects.set(e.kv.key, obj);
        if (old === undefined) handler.onAdd(obj);
        else handler.onUpdate(old, obj);
      } else {
        this.revision = e.revision;
        const old = this.objects.get(e.key);
        if (old === undefined) continue;
        this.objects.delete(e.key);
        handler.onDelete(old);
      }
    }
  }

  /** Every object currently known (read-only). */
  list(): T[] {
    return [...this.objects.values()];
  }
}
