// client-go's basic work queue (workqueue.Type): FIFO with dedupe, never hands one item to two workers at
// once, and shuts down with or without draining the items being processed.
import { realClock, type Clock } from '../../base/clock.js';
import type { Queue } from './interface.js';
import { noopMetricsProvider, QueueMetrics, type MetricsProvider } from './metrics.js';

/** Options shared by every queue constructor (client-go QueueConfig). */
export interface QueueConfig {
  /** Names the queue in metrics; an unnamed queue reports none. */
  name?: string;
  metricsProvider?: MetricsProvider;
  clock?: Clock;
}

type GetResult<T> = { item: T; shutdown: false } | { item?: undefined; shutdown: true };

/**
 * Items are compared with Map semantics (SameValueZero): queue strings ("namespace/name" keys) or other
 * primitives, as client-go requires comparable items.
 */
class BasicQueue<T> implements Queue<T> {
  /** Order of processing; every entry is also in `dirty` and never in `processing`. */
  private queue: T[] = [];
  private head = 0;
  /** Items that need processing (queued, or added again while being processed). */
  private readonly dirty = new Set<T>();
  /** Items a worker holds (between get and done). */
  private readonly processing = new Set<T>();
  private readonly getters: Array<(r: GetResult<T>) => void> = [];
  private drainWaiters: Array<() => void> = [];
  private shutting = false;
  private draining = false;
  readonly metrics: QueueMetrics<T>;

  constructor(config: QueueConfig = {}) {
    this.metrics = new QueueMetrics<T>(config.name ?? '', config.metricsProvider ?? noopMetricsProvider, config.clock ?? realClock);
  }

  add(item: T): void {
    if (this.shutting) return;
    if (this.dirty.has(item)) return;
    this.metrics.add(item);
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.push(item);
  }

  len(): number {
    return this.queue.length - this.head;
  }

  get(): Promise<GetResult<T>> {
    if (this.len() > 0) return Promise.resolve(this.take());
    if (this.shutting) return Promise.resolve({ shutdown: true });
    return new Promise((resolve) => this.getters.push(resolve));
  }

  done(item: T): void {
    this.metrics.done(item);
    this.processing.delete(item);
    if (this.dirty.has(item)) {
      this.push(item);
    } else if (this.processing.size === 0) {
      this.wakeDrainWaiters();
    }
  }

  /** Shuts down at once; also ends a shutDownWithDrain that is still waiting for workers. */
  shutDown(): void {
    this.shutting = true;
    this.draining = false;
    this.wakeIdleGetters();
    this.wakeDrainWaiters();
  }

  async shutDownWithDrain(): Promise<void> {
    this.shutting = true;
    this.draining = true;
    this.wakeIdleGetters();
    while (this.draining && this.processing.size > 0) {
      await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    }
    this.shutDown();
  }

  shuttingDown(): boolean {
    return this.shutting;
  }

  private push(item: T): void {
    const getter = this.getters.shift();
    if (getter) {
      // A worker is waiting: hand the item over directly, so it is never seen queued and taken twice.
      this.queue.push(item);
      getter(this.take());
      return;
    }
    this.queue.push(item);
  }

  private take(): { item: T; shutdown: false } {
    const item = this.queue[this.head] as T;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.processing.add(item);
    this.dirty.delete(item);
    this.metrics.get(item);
    return { item, shutdown: false };
  }

  private wakeDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }

  private wakeIdleGetters(): void {
    if (this.len() > 0) return;
    for (const g of this.getters.splice(0)) g({ shutdown: true });
  }
}

/** A new basic work queue (client-go workqueue.NewWithConfig). */
export function newQueue<T>(config: QueueConfig = {}): Queue<T> & { readonly metrics: QueueMetrics<T> } {
  return new BasicQueue<T>(config);
}
