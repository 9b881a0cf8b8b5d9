// One handler of a shared informer (client-go processorListener): an unbounded buffer of notifications
// delivered in order, on later event-loop turns, so a slow or failing handler never holds up the informer
// or other handlers.
import type { Logger } from '../../base/logger.js';
import type { KubeObject } from '../rest/interface.js';
import type { DeletedFinalStateUnknown, ResourceEventHandler, ResourceEventHandlerRegistration } from './interface.js';

export type Notification<T extends KubeObject> =
  | { type: 'add'; obj: T; isInInitialList: boolean }
  | { type: 'update'; oldObj: T; newObj: T }
  | { type: 'delete'; obj: T | DeletedFinalStateUnknown<T> };

/** Notifications delivered per event-loop turn before yielding to I/O. */
const batchSize = 1000;

export class ProcessorListener<T extends KubeObject> implements ResourceEventHandlerRegistration {
  private buffer: Notification<T>[] = [];
  private head = 0;
  private scheduled = false;
  private stopped = false;
  /** Initial-list adds enqueued but not delivered yet; the registration has synced when this is 0. */
  private initialPending = 0;
  /** Resync period in ms (0 = never) and when the next resync is due. */
  readonly resyncPeriodMs: number;
  nextResync: number;

  constructor(
    private readonly handler: ResourceEventHandler<T>,
    opts: { resyncPeriodMs: number; now: number; informerSynced: () => boolean; logger: Logger },
  ) {
    this.resyncPeriodMs = opts.resyncPeriodMs;
    this.nextResync = opts.now + opts.resyncPeriodMs;
    this.informerSynced = opts.informerSynced;
    this.logger = opts.logger;
  }

  private readonly informerSynced: () => boolean;
  private readonly logger: Logger;

  /** Bound, so it can be passed as is to waitForCacheSync. */
  readonly hasSynced = (): boolean => this.informerSynced() && this.initialPending === 0;

  /** Buffers `n` for delivery; never blocks and never calls the handler synchronously. */
  add(n: Notification<T>): void {
    if (this.stopped) return;
    if (n.type === 'add' && n.isInInitialList) this.initialPending++;
    this.buffer.push(n);
    this.schedule();
  }

  /** Drops pending notifications and delivers no more. */
  stop(): void {
    this.stopped = true;
    this.buffer = [];
    this.head = 0;
  }

  /** Notifications waiting for delivery (for tests and metrics). */
  pending(): number {
    return this.buffer.length - this.head;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.deliver());
  }

  private deliver(): void {
    this.scheduled = false;
    for (let i = 0; i < batchSize && this.head < this.buffer.length && !this.stopped; i++) {
      const n = this.buffer[this.head++] as Notification<T>;
      if (n.type === 'add' && n.isInInitialList) this.initialPending--;
      this.call(n);
    }
    if (this.head >= this.buffer.length) {
      this.buffer = [];
      this.head = 0;
    } else if (!this.stopped) {
      this.schedule();
    }
  }

  private call(n: Notification<T>): void {
    try {
      switch (n.type) {
        case 'add':
          this.handler.onAdd?.(n.obj, n.isInInitialList);
          break;
        case 'update':
          this.handler.onUpdate?.(n.oldObj, n.newObj);
          break;
        case 'delete':
          this.handler.onDelete?.(n.obj);
          break;
      }
    } catch (err) {
      // Like utilruntime.HandleError: report and keep delivering; one bad handler call must not stop the rest.
      this.logger.error('event handler failed', err, { notification: n.type });
    }
  }
}
