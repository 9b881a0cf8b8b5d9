// The thread-safe store of client-go, made simple by JavaScript's single thread: objects by key, plus
// indices (index name → index value → keys) maintained on every write.
import type { KubeObject } from '../rest/interface.js';
import type { Indexer, Indexers, KeyFunc } from './interface.js';
import { metaNamespaceKeyFunc } from './keys.js';

/** The name of the index by namespace (client-go cache.NamespaceIndex). */
export const namespaceIndex = 'namespace';

/** Index values of the namespace index: the object's namespace ("" for cluster-scoped objects). */
export function metaNamespaceIndexFunc(obj: KubeObject): string[] {
  return [obj.metadata?.namespace ?? ''];
}

/** The indexers every SharedInformerFactory informer carries. */
export function namespaceIndexers(): Indexers {
  return { [namespaceIndex]: metaNamespaceIndexFunc };
}

export interface IndexerOptions<T extends KubeObject> {
  keyFunc?: KeyFunc;
  indexers?: Indexers<T>;
  /**
   * Called with every object as it enters the store, e.g. to deep-freeze it (see mutation-detector.ts).
   * Must return the object to store.
   */
  admit?: (obj: T) => T;
}

class ThreadSafeIndexer<T extends KubeObject> implements Indexer<T> {
  private readonly items = new Map<string, T>();
  private readonly indexers: Indexers<T> = {};
  /** index name → value → keys. */
  private readonly indices = new Map<string, Map<string, Set<string>>>();
  private readonly keyFunc: KeyFunc;
  private readonly admit: (obj: T) => T;

  constructor(opts: IndexerOptions<T>) {
    this.keyFunc = opts.keyFunc ?? metaNamespaceKeyFunc;
    this.admit = opts.admit ?? ((o) => o);
    if (opts.indexers) this.addIndexers(opts.indexers);
  }

  add(obj: T): void {
    this.put(this.keyFunc(obj), obj);
  }

  update(obj: T): void {
    this.put(this.keyFunc(obj), obj);
  }

  delete(obj: T): void {
    this.deleteKey(this.keyFunc(obj));
  }

  /** Removes by key (what deletions with tombstones use). */
  deleteKey(key: string): void {
    const old = this.items.get(key);
    if (old === undefined) return;
    this.unindex(key, old);
    this.items.delete(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  listKeys(): string[] {
    return [...this.items.keys()];
  }

  get(obj: T): T | undefined {
    return this.items.get(this.keyFunc(obj));
  }

  getByKey(key: string): T | undefined {
    return this.items.get(key);
  }

  replace(items: T[], _resourceVersion: string): void {
    this.items.clear();
    for (const byValue of this.indices.values()) byValue.clear();
    for (const obj of items) this.put(this.keyFunc(obj), obj);
  }

  byIndex(indexName: string, value: string): T[] {
    return this.indexKeys(indexName, value).map((k) => this.items.get(k) as T);
  }

  indexKeys(indexName: string, value: string): string[] {
    const byValue = this.indices.get(indexName);
    if (!byValue) throw new Error(`Index with name ${indexName} does not exist`);
    return [...(byValue.get(value) ?? [])];
  }

  /** The values an index currently holds (client-go ListIndexFuncValues). */
  listIndexFuncValues(indexName: string): string[] {
    return [...(this.indices.get(indexName)?.keys() ?? [])];
  }

  addIndexers(indexers: Indexers<T>): void {
    for (const name of Object.keys(indexers)) {
      if (name in this.indexers) throw new Error(`indexer conflict: ${name}`);
    }
    for (const [name, fn] of Object.entries(indexers)) {
      this.indexers[name] = fn;
      const byValue = new Map<string, Set<string>>();
      this.indices.set(name, byValue);
      for (const [key, obj] of this.items) addToIndex(byValue, fn(obj), key);
    }
  }

  private put(key: string, obj: T): void {
    const admitted = this.admit(obj);
    const old = this.items.get(key);
    if (old !== undefined) this.unindex(key, old);
    this.items.set(key, admitted);
    for (const [name, fn] of Object.entries(this.indexers)) {
      addToIndex(this.indices.get(name) as Map<string, Set<string>>, fn(admitted), key);
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of Object.entries(this.indexers)) {
      const byValue = this.indices.get(name) as Map<string, Set<string>>;
      for (const v of fn(obj)) {
        const keys = byValue.get(v);
        if (!keys) continue;
        keys.delete(key);
        if (keys.size === 0) byValue.delete(v);
      }
    }
  }
}

function addToIndex(byValue: Map<string, Set<string>>, values: string[], key: string): void {
  for (const v of values) {
    let keys = byValue.get(v);
    if (!keys) byValue.set(v, (keys = new Set()));
    keys.add(key);
  }
}

/** The concrete indexer: the Indexer contract plus key deletion and index values. */
export type ThreadSafeStore<T extends KubeObject> = Indexer<T> & {
  deleteKey(key: string): void;
  listIndexFuncValues(indexName: string): string[];
};

/** A new indexer (client-go cache.NewIndexer); keys default to metaNamespaceKeyFunc. */
export function newIndexer<T extends KubeObject = KubeObject>(opts: IndexerOptions<T> = {}): ThreadSafeStore<T> {
  return new ThreadSafeIndexer<T>(opts);
}
