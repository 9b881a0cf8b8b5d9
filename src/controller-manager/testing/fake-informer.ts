// Test support: a SharedInformer and Lister over an in-memory map that a test fills by hand and whose
// handlers fire synchronously — the controllers' view of the cluster without an API server.
import { parse } from '../../apimachinery/labels/selector.js';
import type {
  Indexer,
  Indexers,
  Lister,
  NamespaceLister,
  ResourceEventHandler,
  ResourceEventHandlerRegistration,
  SharedInformer,
  Store,
} from '../../client/cache/interface.js';
import type { KubeObject } from '../../client/rest/interface.js';
import type { InformerHandle } from '../controller-context.js';
import { keyOf } from '../controller-ref-manager.js';

/** A fake informer: `add`/`update`/`delete` change the cache and call every handler at once. */
export class FakeInformer<T extends KubeObject> implements SharedInformer<T>, InformerHandle<T> {
  private readonly items = new Map<string, T>();
  private readonly handlers: ResourceEventHandler<T>[] = [];
  synced = true;
  readonly informer: SharedInformer<T> = this;
  readonly lister: Lister<T>;

  constructor(initial: T[] = []) {
    for (const obj of initial) this.items.set(keyOf(obj), obj);
    this.lister = newMapLister(() => [...this.items.values()], (key) => this.items.get(key));
  }

  add(obj: T): void {
    this.items.set(keyOf(obj), obj);
    for (const h of this.handlers) h.onAdd?.(obj, false);
  }

  update(obj: T): void {
    const old = this.items.get(keyOf(obj));
    this.items.set(keyOf(obj), obj);
    for (const h of this.handlers) {
      if (old) h.onUpdate?.(old, obj);
      else h.onAdd?.(obj, false);
    }
  }

  delete(obj: T): void {
    this.items.delete(keyOf(obj));
    for (const h of this.handlers) h.onDelete?.(obj);
  }

  /** Replaces the cached copy without telling handlers (a cache catching up silently). */
  set(obj: T): void {
    this.items.set(keyOf(obj), obj);
  }

  addEventHandler(handler: ResourceEventHandler<T>): ResourceEventHandlerRegistration {
    this.handlers.push(handler);
    for (const obj of this.items.values()) handler.onAdd?.(obj, true);
    return { hasSynced: () => this.synced };
  }

  removeEventHandler(reg: ResourceEventHandlerRegistration): void {
    void reg;
  }

  getStore(): Store<T> {
    return this.getIndexer();
  }

  getIndexer(): Indexer<T> {
    throw new Error('FakeInformer has no indexer');
  }

  addIndexers(indexers: Indexers<T>): void {
    void indexers;
  }

  async run(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }

  hasSynced(): boolean {
    return this.synced;
  }

  lastSyncResourceVersion(): string {
    return '';
  }
}

/** A Lister over a snapshot function (every call sees the current content). */
export function newMapLister<T extends KubeObject>(all: () => T[], byKey: (key: string) => T | undefined): Lister<T> {
  const select = (items: T[], selector?: string) => {
    if (!selector) return items;
    const s = parse(selector);
    return items.filter((o) => s.matches(o.metadata?.labels));
  };
  return {
    list: (selector) => select(all(), selector),
    get: (name) => byKey(name),
    namespace(ns: string): NamespaceLister<T> {
      return {
        list: (selector) => select(all().filter((o) => (o.metadata?.namespace ?? '') === ns), selector),
        get: (name) => byKey(ns ? `${ns}/${name}` : name),
      };
    },
  };
}
