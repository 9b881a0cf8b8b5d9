// The watch cache of one resource (upstream: watchCache + cacheWatcher): the current objects, for lists
// and initial watch events, and a ring buffer of recent events, for watches that resume from a
// resourceVersion. Every event is serialized once and the same text is fanned out to all watchers.

import type { SelectionPredicate } from '../registry/generic/selection.js';

/** One object as the cache holds it: its JSON text (resourceVersion set) plus what selectors read. */
export interface CachedObject {
  key: string;
  rv: number;
  json: string;
  labels: Readonly<Record<string, string>>;
  fields: Readonly<Record<string, string>>;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A change of one object at one revision. Frames are built on first use and shared by all watchers. */
export class CacheEvent {
  private added?: string;
  private modified?: string;
  private deleted?: string;
  private leaving?: string;

  constructor(
    readonly type: EventType,
    readonly rv: number,
    /** The object after the change; for DELETED its last state stamped with the deletion's revision. */
    readonly obj: CachedObject,
    /** The object before the change (updates and deletes). */
    readonly prev: CachedObject | undefined,
    private readonly restamp: (json: string, rv: number) => string,
  ) {}

  get key(): string {
    return this.obj.key;
  }

  /** The watch frame of this event as `type` sees it (ADDED/MODIFIED/DELETED for selector entry/exit). */
  frame(type: EventType): string {
    switch (type) {
      case 'ADDED':
        return (this.added ??= `{"type":"ADDED","object":${this.obj.json}}\n`);
      case 'MODIFIED':
        return (this.modified ??= `{"type":"MODIFIED","object":${this.obj.json}}\n`);
      case 'DELETED':
        if (this.type === 'DELETED') return (this.deleted ??= `{"type":"DELETED","object":${this.obj.json}}\n`);
        // The object left the watcher's selection: upstream sends its previous state at this revision.
        return (this.leaving ??= `{"type":"DELETED","object":${this.restamp((this.prev ?? this.obj).json, this.rv)}}\n`);
    }
  }
}

/** What a watcher selects: a key prefix (namespace) and selectors. */
export interface WatchFilter {
  prefix: string;
  predicate: SelectionPredicate;
}

function passes(obj: CachedObject | undefined, f: WatchFilter): boolean {
  if (!obj || !obj.key.startsWith(f.prefix)) return false;
  return f.predicate.empty || f.predicate.matches(obj.labels, f.predicate.fieldsOf ? f.predicate.fieldsOf(obj.json) : obj.fields);
}

/** The frame `event` produces for a watcher with filter `f`, or undefined when it sees nothing. */
export function frameFor(event: CacheEvent, f: WatchFilter): string | undefined {
  const cur = event.type !== 'DELETED' && passes(event.obj, f);
  const old = event.type === 'DELETED' ? passes(event.obj, f) : passes(event.prev, f);
  if (cur && old) return event.frame('MODIFIED');
  if (cur) return event.frame('ADDED');
  if (old) return event.frame('DELETED');
  return undefined;
}

/** Why a watcher stopped. */
export type WatcherEnd = 'closed' | 'overflow' | 'reset';

/**
 * Wakes waiting watch consumers once per event-loop turn (setImmediate) instead of once per event. Every
 * frame queued during a turn then reaches its consumer as one batch, so fan-out costs one resumption and one
 * socket write per watcher per turn, whether storage delivered the events one by one (memory, etcd) or as a
 * group commit (sqlite). Wakes run in the order they were requested.
 */
export class WakeBatcher {
  private due: Array<() => void> = [];

  /** Runs `wake` at the end of this turn (after I/O callbacks and microtasks). */
  add(wake: () => void): void {
    this.due.push(wake);
    if (this.due.length === 1) setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    const due = this.due;
    this.due = [];
    for (const wake of due) wake();
  };
}

export interface CacheWatcherOptions {
  filter: WatchFilter;
  /** Frames the consumer may fall behind by before the watcher is dropped ('overflow'). */
  capacity: number;
  /** Called once when the watcher ends (the cache unregisters it). */
  onEnd: (w: CacheWatcher) => void;
  /** Events at or below this revision are never delivered (the client has them already). */
  afterRV?: number;
  /** Batches consumer wake-ups per event-loop turn; without it the consumer is woken at once. */
  batcher?: WakeBatcher;
}

/**
 * One watch of the cache. Frames queue here until the consumer takes them; a consumer that falls more
 * than `capacity` frames behind is dropped ('overflow') so it never slows the others. Clients then re-watch
 * from their last resourceVersion, as with upstream. A waiting consumer is woken through the batcher, so it
 * takes all of a turn's frames at once; frames keep their order and each is delivered exactly once.
 */
export class CacheWatcher {
  readonly filter: WatchFilter;
  private queue: string[] = [];
  private head = 0;
  private wake?: () => void;
  /** A batched wake-up is pending (at most one at a time). */
  private wakeScheduled = false;
  /** The signal whose abort wakes the consumer: listened to from the first wait until the watcher ends. */
  private abortWatch?: { signal: AbortSignal; listener: () => void };
  private ended?: WatcherEnd;
  private readonly capacity: number;
  private readonly onEnd: (w: CacheWatcher) => void;
  private readonly afterRV: number;
  private readonly batcher?: WakeBatcher;

  constructor(opts: CacheWatcherOptions) {
    this.filter = opts.filter;
    this.capacity = opts.capacity;
    this.onEnd = opts.onEnd;
    this.afterRV = opts.afterRV ?? 0;
    this.batcher = opts.batcher;
  }

  get endReason(): WatcherEnd | undefined {
    return this.ended;
  }

  /** Queues a frame; drops the watcher when it is too far behind. */
  push(frame: string): void {
    if (this.ended) return;
    if (this.queue.length - this.head >= this.capacity) {
      this.end('overflow');
      return;
    }
    this.queue.push(frame);
    // A consumer that is not waiting takes the queue on its next call; only a waiting one needs waking.
    if (!this.wake) return;
    // Frames held back for batching must never make a waiting consumer overflow (a long run of events
    // within one turn, e.g. writes that complete in microtasks): past half the bound it is woken at once.
    if (!this.batcher || this.queue.length - this.head >= this.capacity / 2) {
      this.wakeUp();
      return;
    }
    if (this.wakeScheduled) return;
    this.wakeScheduled = true;
    this.batcher.add(this.batchedWake);
  }

  /** Delivers `event` if the filter selects it. */
  dispatch(event: CacheEvent): void {
    if (event.rv <= this.afterRV) return;
    const frame = frameFor(event, this.filter);
    if (frame !== undefined) this.push(frame);
  }

  /** Stops the watcher; frames already queued are still handed out, then next() returns []. */
  end(reason: WatcherEnd = 'closed'): void {
    if (this.ended) return;
    this.ended = reason;
    this.onEnd(this);
    this.unwatchAbort();
    this.wakeUp();
  }

  private watchAbort(signal: AbortSignal): void {
    if (this.abortWatch?.signal === signal) return;
    this.unwatchAbort();
    const listener = () => this.wakeUp();
    signal.addEventListener('abort', listener, { once: true });
    this.abortWatch = { signal, listener };
  }

  private unwatchAbort(): void {
    this.abortWatch?.signal.removeEventListener('abort', this.abortWatch.listener);
    this.abortWatch = undefined;
  }

  private readonly batchedWake = (): void => {
    this.wakeScheduled = false;
    this.wakeUp();
  };

  private wakeUp(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /** Takes every queued frame, waiting for at least one; [] once the watcher has ended (or `signal` aborted). */
  async next(signal: AbortSignal): Promise<string[]> {
    while (this.head >= this.queue.length) {
      if (this.ended || signal.aborted) return [];
      this.watchAbort(signal);
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    const out = this.head === 0 ? this.queue : this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    return out;
  }
}

export interface WatchOptions {
  /**
   * Wake the consumer once per event-loop turn with everything queued meanwhile (API watch streams: one
   * socket write per turn) rather than at once for each event (in-process controllers, which expect to see
   * an event as soon as the write that caused it has completed).
   */
  batchWakeups?: boolean;
}

export interface WatchCacheOptions {
  /** Storage key root of the resource, e.g. "/registry/pods/". */
  root: string;
  /** How many recent events are kept for resuming watches. */
  capacity?: number;
  /** Per-watcher queue bound (frames). */
  watcherCapacity?: number;
  /** Re-serializes an object's JSON with another resourceVersion (for DELETED frames). */
  restamp: (json: string, rv: number) => string;
}

/** Upstream's default event history is sized dynamically; a fixed, generous ring is enough here. */
const defaultCapacity = 10_000;
const defaultWatcherCapacity = 10_000;

export class WatchCache {
  readonly root: string;
  /** The revision the cache reflects (advanced by events of any resource through the reflector). */
  rv = 0;
  private readonly objects = new Map<string, CachedObject>();
  private sorted?: string[];
  private readonly ring: Array<CacheEvent | undefined>;
  /** Index of the oldest event in `ring` and how many there are. */
  private start = 0;
  private count = 0;
  /** Events strictly newer than this revision are all in the ring (resumable). */
  private oldestResumable = 0;
  private readonly watchers = new Set<CacheWatcher>();
  private readonly watcherCapacity: number;
  private readonly batcher = new WakeBatcher();
  readonly restamp: (json: string, rv: number) => string;

  constructor(opts: WatchCacheOptions) {
    this.root = opts.root;
    this.ring = new Array(opts.capacity ?? defaultCapacity);
    this.watcherCapacity = opts.watcherCapacity ?? defaultWatcherCapacity;
    this.restamp = opts.restamp;
  }

  get size(): number {
    return this.objects.size;
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  /** Replaces the contents with a list read at `rv`; ends every watcher (they re-watch). */
  replace(objects: CachedObject[], rv: number): void {
    this.objects.clear();
    for (const o of objects) this.objects.set(o.key, o);
    this.sorted = undefined;
    this.ring.fill(undefined);
    this.start = 0;
    this.count = 0;
    this.rv = rv;
    this.oldestResumable = rv;
    for (const w of [...this.watchers]) w.end('reset');
  }

  /** Applies one change (revisions strictly increase) and fans it out. */
  apply(type: EventType, obj: CachedObject, prev: CachedObject | undefined, rv: number): void {
    const event = new CacheEvent(type, rv, obj, prev, this.restamp);
    if (type === 'DELETED') {
      if (this.objects.delete(obj.key)) this.sorted = undefined;
    } else {
      if (!this.objects.has(obj.key)) this.sorted = undefined;
      this.objects.set(obj.key, obj);
    }
    const cap = this.ring.length;
    if (this.count === cap) {
      const dropped = this.ring[this.start];
      this.oldestResumable = dropped ? dropped.rv : this.oldestResumable;
      this.start = (this.start + 1) % cap;
      this.count--;
    }
    this.ring[(this.start + this.count) % cap] = event;
    this.count++;
    this.rv = rv;
    for (const w of this.watchers) w.dispatch(event);
  }

  /** The current object at `key`. */
  get(key: string): CachedObject | undefined {
    return this.objects.get(key);
  }

  /** Current objects under `prefix` that `predicate` selects, in key order. */
  list(prefix: string, predicate: SelectionPredicate): CachedObject[] {
    this.sorted ??= [...this.objects.keys()].sort();
    const keys = this.sorted;
    // Binary search for the first key >= prefix.
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: CachedObject[] = [];
    for (let i = lo; i < keys.length && keys[i].startsWith(prefix); i++) {
      const o = this.objects.get(keys[i]) as CachedObject;
      if (predicate.empty || predicate.matches(o.labels, predicate.fieldsOf ? predicate.fieldsOf(o.json) : o.fields)) out.push(o);
    }
    return out;
  }

  /** The oldest revision a watch may resume from (events after it are all buffered). */
  get oldestResourceVersion(): number {
    return this.oldestResumable;
  }

  /**
   * Registers a watcher that sees every event after `fromRV`, which must be >= oldestResourceVersion (the
   * caller checks). Buffered events are queued at once; later ones as they happen. `fromRV` may be ahead of
   * the cache (a revision written elsewhere): events up to it that arrive late are not delivered.
   */
  watch(filter: WatchFilter, fromRV: number, opts: WatchOptions = {}): CacheWatcher {
    const batcher = opts.batchWakeups ? this.batcher : undefined;
    const w = new CacheWatcher({ filter, capacity: this.watcherCapacity, onEnd: (x) => this.watchers.delete(x), afterRV: fromRV, batcher });
    const cap = this.ring.length;
    for (let i = 0; i < this.count; i++) w.dispatch(this.ring[(this.start + i) % cap] as CacheEvent);
    this.watchers.add(w);
    return w;
  }

  /** Ends every watcher (shutdown). */
  endAll(): void {
    for (const w of [...this.watchers]) w.end('closed');
  }
}
