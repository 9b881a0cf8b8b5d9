// client-go's delaying queue: items added with a delay wait in a min-heap keyed by ready time, driven by
// one timer on the injected clock, and enter the underlying queue when due.
import { realClock, type Clock, type Timer } from '../../base/clock.js';
import type { DelayingQueue, Queue } from './interface.js';
import type { QueueMetrics } from './metrics.js';
import { newQueue, type QueueConfig } from './queue.js';

interface WaitingEntry<T> {
  item: T;
  readyAt: number;
  /** Position in the heap array, kept up to date by every swap. */
  index: number;
}

/** A binary min-heap of waiting entries ordered by ready time. */
class WaitingHeap<T> {
  readonly entries: WaitingEntry<T>[] = [];

  peek(): WaitingEntry<T> | undefined {
    return this.entries[0];
  }

  push(e: WaitingEntry<T>): void {
    e.index = this.entries.length;
    this.entries.push(e);
    this.up(e.index);
  }

  pop(): WaitingEntry<T> | undefined {
    const top = this.entries[0];
    if (!top) return undefined;
    const last = this.entries.pop() as WaitingEntry<T>;
    if (last !== top) {
      last.index = 0;
      this.entries[0] = last;
      this.down(0);
    }
    return top;
  }

  /** Restores order after `e.readyAt` decreased. */
  fix(e: WaitingEntry<T>): void {
    this.up(e.index);
  }

  private less(i: number, j: number): boolean {
    return (this.entries[i] as WaitingEntry<T>).readyAt < (this.entries[j] as WaitingEntry<T>).readyAt;
  }

  private swap(i: number, j: number): void {
    const a = this.entries[i] as WaitingEntry<T>;
    const b = this.entries[j] as WaitingEntry<T>;
    this.entries[i] = b;
    this.entries[j] = a;
    a.index = j;
    b.index = i;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.entries.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const smallest = r < n && this.less(r, l) ? r : l;
      if (!this.less(smallest, i)) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}

class DelayingQueueImpl<T> implements DelayingQueue<T> {
  private readonly base: Queue<T> & { readonly metrics: QueueMetrics<T> };
  private readonly clock: Clock;
  private readonly heap = new WaitingHeap<T>();
  private readonly waiting = new Map<T, WaitingEntry<T>>();
  private timer: Timer | undefined;
  private timerDue = Infinity;

  constructor(config: QueueConfig) {
    this.clock = config.clock ?? realClock;
    this.base = newQueue<T>(config);
  }

  add(item: T): void {
    this.base.add(item);
  }
  len(): number {
    return this.base.len();
  }
  get(): ReturnType<Queue<T>['get']> {
    return this.base.get();
  }
  done(item: T): void {
    this.base.done(item);
  }
  shuttingDown(): boolean {
    return this.base.shuttingDown();
  }

  shutDown(): void {
    this.stopTimer();
    this.base.shutDown();
  }

  shutDownWithDrain(): Promise<void> {
    this.stopTimer();
    return this.base.shutDownWithDrain();
  }

  addAfter(item: T, ms: number): void {
    if (this.base.shuttingDown()) return;
    this.base.metrics.retries.inc();
    if (ms <= 0) {
      this.base.add(item);
      return;
    }
    const readyAt = this.clock.now() + ms;
    const existing = this.waiting.get(item);
    if (existing) {
      if (readyAt < existing.readyAt) {
        existing.readyAt = readyAt;
        this.heap.fix(existing);
      }
    } else {
      const entry: WaitingEntry<T> = { item, readyAt, index: -1 };
      this.waiting.set(item, entry);
      this.heap.push(entry);
    }
    this.arm();
  }

  /** Number of items waiting for their delay to pass (for tests and debugging). */
  waitingLen(): number {
    return this.waiting.size;
  }

  /** Moves every due item into the queue, then re-arms the timer for the next one. */
  private flush(): void {
    this.timer = undefined;
    this.timerDue = Infinity;
    const now = this.clock.now();
    for (let e = this.heap.peek(); e && e.readyAt <= now; e = this.heap.peek()) {
      this.heap.pop();
      this.waiting.delete(e.item);
      this.base.add(e.item);
    }
    this.arm();
  }

  private arm(): void {
    const next = this.heap.peek();
    if (!next || this.base.shuttingDown()) return;
    if (this.timer && this.timerDue <= next.readyAt) return;
    this.timer?.stop();
    this.timerDue = next.readyAt;
    this.timer = this.clock.setTimer(next.readyAt - this.clock.now(), () => this.flush());
  }

  private stopTimer(): void {
    this.timer?.stop();
    this.timer = undefined;
    this.timerDue = Infinity;
  }
}

/** A delaying queue (client-go workqueue.NewDelayingQueueWithConfig); delays run on `config.clock`. */
export function newDelayingQueue<T>(config: QueueConfig = {}): DelayingQueue<T> & { waitingLen(): number } {
  return new DelayingQueueImpl<T>(config);
}
