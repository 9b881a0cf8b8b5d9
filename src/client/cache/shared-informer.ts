// client-go's sharedIndexInformer: a Reflector fills an Indexer, and every change is fanned out to the
// registered handlers, each through its own ProcessorListener; plus per-handler periodic resync.
//
// client-go puts a DeltaFIFO between the reflector and the indexer because they run on different
// goroutines. Here both run on one thread, so the informer itself is the reflector's Store: each change is
// applied to the indexer and turned into notifications in the same step, with DeltaFIFO's rules (a relist
// turns objects that vanished into deletes carrying DeletedFinalStateUnknown; an add of a known object is an
// update; a delete of an unknown object is dropped).
import type { Backoff } from '../../base/backoff.js';
import { realClock, type Clock, type Timer } from '../../base/clock.js';
import { klog, type Logger } from '../../base/logger.js';
import type { KubeObject } from '../rest/interface.js';
import type {
  Indexer,
  Indexers,
  ListerWatcher,
  ResourceEventHandler,
  ResourceEventHandlerRegistration,
  SharedInformer,
  Store,
} from './interface.js';
import { metaNamespaceKeyFunc, newDeletedFinalStateUnknown } from './keys.js';
import { cacheMutationAdmitter } from './mutation-detector.js';
import { ProcessorListener, type Notification } from './processor-listener.js';
import { Reflector } from './reflector.js';
import { newIndexer, type ThreadSafeStore } from './store.js';

/** Shortest resync period a handler may ask for (client-go minimumResyncPeriod). */
const minimumResyncPeriodMs = 1000;

export interface SharedIndexInformerOptions<T extends KubeObject> {
  /** Names the informer in logs. */
  name?: string;
  listerWatcher: ListerWatcher<T>;
  indexers?: Indexers<T>;
  /** Resync period of handlers added without one (0 = never). */
  defaultResyncPeriodMs?: number;
  clock?: Clock;
  logger?: Logger;
  /** Reflector backoff (tests pass a zero backoff). */
  backoff?: Backoff;
  pageSize?: number;
  /** Deep-freeze cached objects. Default: env KUBE_CACHE_MUTATION_DETECTOR=true. */
  detectMutations?: boolean;
}

export class SharedIndexInformer<T extends KubeObject = KubeObject> implements SharedInformer<T> {
  private readonly indexer: ThreadSafeStore<T>;
  private readonly reflector: Reflector<T>;
  private readonly listeners = new Set<ProcessorListener<T>>();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly defaultResyncPeriodMs: number;
  private synced = false;
  private running: AbortSignal | undefined;
  private resyncTimer: Timer | undefined;
  /** What objects go through before handlers see them (deep-freeze under the mutation detector). */
  private readonly admit: (obj: T) => T;

  constructor(opts: SharedIndexInformerOptions<T>) {
    this.clock = opts.clock ?? realClock;
    this.logger = (opts.logger ?? klog).withName('shared-informer.ts');
    this.defaultResyncPeriodMs = opts.defaultResyncPeriodMs ?? 0;
    const admit = cacheMutationAdmitter<T>(opts.detectMutations);
    this.admit = admit ?? ((obj) => obj);
    this.indexer = newIndexer<T>({ indexers: opts.indexers, admit });
    this.reflector = new Reflector<T>({
      name: opts.name ?? 'informer',
      listerWatcher: opts.listerWatcher,
      store: this.deltaSink(),
      clock: this.clock,
      backoff: opts.backoff,
      pageSize: opts.pageSize,
      logger: opts.logger,
    });
  }

  addEventHandler(handler: ResourceEventHandler<T>, resyncPeriodMs?: number): ResourceEventHandlerRegistration {
    let period = resyncPeriodMs ?? this.defaultResyncPeriodMs;
    if (period > 0 && period < minimumResyncPeriodMs) period = minimumResyncPeriodMs;
    const listener = new ProcessorListener<T>(handler, {
      resyncPeriodMs: period,
      now: this.clock.now(),
      informerSynced: () => this.synced,
      logger: this.logger,
    });
    this.listeners.add(listener);
    // A late handler first sees the current content, as if it had been there for the initial list.
    for (const obj of this.indexer.list()) listener.add({ type: 'add', obj, isInInitialList: true });
    this.armResync();
    return listener;
  }

  removeEventHandler(reg: ResourceEventHandlerRegistration): void {
    const listener = reg as ProcessorListener<T>;
    if (!this.listeners.delete(listener)) return;
    listener.stop();
  }

  getStore(): Store<T> {
    return this.indexer;
  }

  getIndexer(): Indexer<T> {
    return this.indexer;
  }

  addIndexers(indexers: Indexers<T>): void {
    this.indexer.addIndexers(indexers);
  }

  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new Error('shared informer already started; it can run only once');
    this.running = signal;
    this.armResync();
    try {
      await this.reflector.run(signal);
    } finally {
      this.resyncTimer?.stop();
      this.resyncTimer = undefined;
    }
  }

  /** Bound, so it can be passed as is to waitForCacheSync. */
  readonly hasSynced = (): boolean => this.synced;

  lastSyncResourceVersion(): string {
    return this.reflector.lastSyncResourceVersion();
  }

  /** The Store the reflector writes into: applies each change to the indexer and notifies handlers. */
  private deltaSink(): Store<T> {
    const upsert = (obj: T, isInInitialList: boolean): void => {
      const old = this.indexer.get(obj);
      this.indexer.update(obj);
      const stored = this.indexer.get(obj) as T;
      this.distribute(old === undefined ? { type: 'add', obj: stored, isInInitialList } : { type: 'update', oldObj: old, newObj: stored });
    };
    return {
      add: (obj) => upsert(obj, false),
      update: (obj) => upsert(obj, false),
      delete: (obj) => {
        const key = metaNamespaceKeyFunc(obj);
        if (this.indexer.getByKey(key) === undefined) return;
        this.indexer.deleteKey(key);
        this.distribute({ type: 'delete', obj: this.admit(obj) });
      },
      replace: (items) => {
        const initial = !this.synced;
        const present = new Set<string>();
        for (const obj of items) {
          present.add(metaNamespaceKeyFunc(obj));
          upsert(obj, initial);
        }
        for (const key of this.indexer.listKeys()) {
          if (present.has(key)) continue;
          const last = this.indexer.getByKey(key) as T;
          this.indexer.deleteKey(key);
          this.distribute({ type: 'delete', obj: newDeletedFinalStateUnknown(key, last) });
        }
        this.synced = true;
        this.armResync();
      },
      list: () => this.indexer.list(),
      listKeys: () => this.indexer.listKeys(),
      get: (obj) => this.indexer.get(obj),
      getByKey: (key) => this.indexer.getByKey(key),
    };
  }

  private distribute(n: Notification<T>): void {
    for (const l of this.listeners) l.add(n);
  }

  /** Keeps one timer armed for the earliest due handler resync while the informer runs. */
  private armResync(): void {
    if (!this.running || this.running.aborted || !this.synced) return;
    let next = Infinity;
    for (const l of this.listeners) if (l.resyncPeriodMs > 0) next = Math.min(next, l.nextResync);
    this.resyncTimer?.stop();
    this.resyncTimer = undefined;
    if (next === Infinity) return;
    this.resyncTimer = this.clock.setTimer(next - this.clock.now(), () => this.resync());
  }

  private resync(): void {
    this.resyncTimer = undefined;
    const now = this.clock.now();
    const due = [...this.listeners].filter((l) => l.resyncPeriodMs > 0 && l.nextResync <= now);
    if (due.length > 0) {
      const objs = this.indexer.list();
      for (const l of due) {
        for (const obj of objs) l.add({ type: 'update', oldObj: obj, newObj: obj });
        l.nextResync = now + l.resyncPeriodMs;
      }
    }
    this.armResync();
  }
}
