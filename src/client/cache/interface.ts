// The contract of our client-go tools/cache: the Reflector fills a Store from list+watch, the Indexer
// answers lookups, a SharedInformer fans events out to handlers, Listers read the cache. Implementations
// live beside this file; controllers and the scheduler depend on these interfaces.

import type { KubeObject, ListOptions, KubeList, WatchEvent } from '../rest/interface.js';

/** Lists and watches one resource (usually a ResourceInterface with fixed selectors). */
export interface ListerWatcher<T extends KubeObject = KubeObject> {
  list(opts: ListOptions & { signal?: AbortSignal }): Promise<KubeList<T>>;
  watch(opts: ListOptions & { signal: AbortSignal }): Promise<AsyncIterable<WatchEvent<T>>>;
}

/** "namespace/name", or "name" for cluster-scoped objects (client-go MetaNamespaceKeyFunc). */
export type KeyFunc = (obj: KubeObject) => string;

/** Index name → function giving the index values of an object (e.g. "namespace" → [ns]). */
export type Indexers<T extends KubeObject = KubeObject> = Record<string, (obj: T) => string[]>;

/**
 * A keyed set of objects. Objects handed out are the cache's own: read-only for callers (copy before
 * changing them).
 */
export interface Store<T extends KubeObject = KubeObject> {
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: T): void;
  list(): T[];
  listKeys(): string[];
  get(obj: T): T | undefined;
  getByKey(key: string): T | undefined;
  /** Replaces the whole content (after a relist). */
  replace(items: T[], resourceVersion: string): void;
}

export interface Indexer<T extends KubeObject = KubeObject> extends Store<T> {
  /** Objects whose `indexName` values include `value`. Throws for an unknown index name (a bug). */
  byIndex(indexName: string, value: string): T[];
  indexKeys(indexName: string, value: string): string[];
  addIndexers(indexers: Indexers<T>): void;
}

/**
 * Callbacks of a SharedInformer. They run one at a time per handler, in event order, and must not block:
 * controllers only enqueue keys here. On DELETE, `obj` may be a DeletedFinalStateUnknown when the deletion
 * was missed during a watch gap (then the last known state is in `.obj`).
 */
export interface ResourceEventHandler<T extends KubeObject = KubeObject> {
  onAdd?(obj: T, isInInitialList: boolean): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void;
}

export interface DeletedFinalStateUnknown<T extends KubeObject = KubeObject> {
  key: string;
  obj: T;
  /** Marks the tombstone shape (client-go cache.DeletedFinalStateUnknown). */
  deletedFinalStateUnknown: true;
}

export interface ResourceEventHandlerRegistration {
  hasSynced(): boolean;
}

export interface SharedInformer<T extends KubeObject = KubeObject> {
  /**
   * Adds a handler; it first receives onAdd for every object already in the cache. `resyncPeriodMs`
   * re-delivers onUpdate(obj, obj) for every object periodically (0 = never).
   */
  addEventHandler(handler: ResourceEventHandler<T>, resyncPeriodMs?: number): ResourceEventHandlerRegistration;
  removeEventHandler(reg: ResourceEventHandlerRegistration): void;
  getStore(): Store<T>;
  getIndexer(): Indexer<T>;
  addIndexers(indexers: Indexers<T>): void;
  /** Runs list+watch until `signal` aborts. Resolves after it has stopped. */
  run(signal: AbortSignal): Promise<void>;
  /** True once the first list has been delivered to the store. */
  hasSynced(): boolean;
  /** The resourceVersion of the last list or event seen. */
  lastSyncResourceVersion(): string;
}

/** Read access to a cache, by namespace. Objects are the cache's own: read-only. */
export interface Lister<T extends KubeObject = KubeObject> {
  /** Objects matching a label selector string ("" = all), in every namespace. */
  list(selector?: string): T[];
  /** Cluster-scoped get, or get by "namespace/name" key. */
  get(name: string): T | undefined;
  namespace(ns: string): NamespaceLister<T>;
}

export interface NamespaceLister<T extends KubeObject = KubeObject> {
  list(selector?: string): T[];
  get(name: string): T | undefined;
}
