// client-go's EventBroadcaster and EventRecorder: recorders turn (object, type, reason, message) into core/v1
// Events and hand them over without ever blocking; the broadcaster correlates them (dedupe, aggregation,
// spam filter) and writes them to a sink in the background, retrying failed writes a few times.
import { format } from 'node:util';
import { isAlreadyExists, isNotFound, isStatusError } from '../../apimachinery/errors.js';
import { realClock, type Clock } from '../../base/clock.js';
import { klog, type Logger } from '../../base/logger.js';
import type { KubeObject } from '../rest/interface.js';
import { EventCorrelator, EventNames, formatTime, type CoreEvent, type EventCorrelatorOptions } from './events-cache.js';
import type { EventSink } from './event-sink.js';

export type EventType = 'Normal' | 'Warning';

/** Who records: the component (e.g. "deployment-controller") and the host it runs on. */
export interface EventSource {
  component: string;
  host?: string;
}

/** client-go record.EventRecorder. Calls never block and never fail: problems are logged. */
export interface EventRecorder {
  event(obj: KubeObject, type: EventType, reason: string, message: string): void;
  /** `message` formatted printf-style (%s, %d, %v-like %o) with `args`. */
  eventf(obj: KubeObject, type: EventType, reason: string, messageFmt: string, ...args: unknown[]): void;
}

export interface EventBroadcasterOptions {
  clock?: Clock;
  logger?: Logger;
  /** Events waiting to be processed beyond this are dropped with a log line. Default 1000. */
  queueLength?: number;
  /**
   * Events handled at once. 1 (the default) is client-go's core/v1 broadcaster: one event after another.
   * More is the events.k8s.io broadcaster's behaviour (a goroutine per event), for recorders that emit an
   * event per object at a high rate, such as the scheduler's Scheduled events.
   */
  maxInFlight?: number;
  /** Attempts per event before it is given up. Default 12. */
  maxTriesPerEvent?: number;
  /** Wait between attempts (the first one randomized in [0, this)). Default 10s. */
  retrySleepMs?: number;
  correlator?: EventCorrelatorOptions;
  random?: () => number;
}

/** Each consumer of the stream: the API sink or a log line writer. */
type Consumer = (event: CoreEvent, signal: AbortSignal) => Promise<void> | void;

export class EventBroadcaster {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly queueLength: number;
  private readonly maxTries: number;
  private readonly retrySleepMs: number;
  private readonly random: () => number;
  private readonly correlatorOptions: EventCorrelatorOptions;
  private readonly queue: CoreEvent[] = [];
  private readonly consumers: Consumer[] = [];
  private readonly stop = new AbortController();
  private wake: (() => void) | undefined;
  private worker: Promise<void> | undefined;
  /** Names events; shared by every recorder of this broadcaster so names never collide. */
  private readonly names: EventNames;
  private dropped = 0;
  private readonly maxInFlight: number;
  /** Events taken off the queue and not yet done. */
  private inFlight = 0;

  constructor(opts: EventBroadcasterOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.logger = (opts.logger ?? klog).withName('event-broadcaster.ts');
    this.queueLength = opts.queueLength ?? 1000;
    this.maxInFlight = Math.max(1, opts.maxInFlight ?? 1);
    this.maxTries = opts.maxTriesPerEvent ?? 12;
    this.retrySleepMs = opts.retrySleepMs ?? 10_000;
    this.random = opts.random ?? Math.random;
    this.names = new EventNames(this.clock);
    this.correlatorOptions = { clock: this.clock, names: this.names, ...opts.correlator };
  }

  /** Writes every event to `sink` after correlation. */
  startRecordingToSink(sink: EventSink): void {
    const correlator = new EventCorrelator(this.correlatorOptions);
    this.addConsumer((event, signal) => this.recordToSink(sink, correlator, event, signal));
  }

  /** Logs every event (client-go StartStructuredLogging) at verbosity `v`. */
  startStructuredLogging(v: number): void {
    this.addConsumer((e) => {
      this.logger.v(v).info('Event occurred', {
        object: `${e.involvedObject.namespace ? `${e.involvedObject.namespace}/` : ''}${e.involvedObject.name}`,
        fieldPath: e.involvedObject.fieldPath,
        kind: e.involvedObject.kind,
        apiVersion: e.involvedObject.apiVersion,
        type: e.type,
        reason: e.reason,
        message: e.message,
      });
    });
  }

  /** Calls `fn` with every event, e.g. to collect them in a test. */
  startEventWatcher(fn: (event: CoreEvent) => void): void {
    this.addConsumer((e) => fn(e));
  }

  newRecorder(source: EventSource): EventRecorder {
    const record = (obj: KubeObject, type: EventType, reason: string, message: string): void => {
      if (type !== 'Normal' && type !== 'Warning') {
        this.logger.error('Unsupported event type', undefined, { type });
        return;
      }
      const event = this.makeEvent(obj, source, type, reason, message);
      if (event) this.enqueue(event);
    };
    return {
      event: record,
      eventf: (obj, type, reason, messageFmt, ...args) => record(obj, type, reason, format(messageFmt, ...args)),
    };
  }

  /** Events dropped because the queue was full. */
  droppedEvents(): number {
    return this.dropped;
  }

  /** Stops the background writer; events still queued are dropped. Resolves once it has stopped. */
  async shutdown(): Promise<void> {
    this.stop.abort();
    this.wake?.();
    await this.worker;
  }

  /** Resolves once every queued event has been handled (for tests and orderly shutdown). */
  async flush(): Promise<void> {
    while ((this.queue.length > 0 || this.inFlight > 0) && !this.stop.signal.aborted) {
      await new Promise((r) => setImmediate(r));
    }
  }

  private addConsumer(c: Consumer): void {
    this.consumers.push(c);
    this.worker ??= this.run();
  }

  private makeEvent(obj: KubeObject, source: EventSource, type: EventType, reason: string, message: string): CoreEvent | undefined {
    const meta = obj.metadata ?? {};
    if (!obj.kind || !meta.name) {
      this.logger.error('Could not construct reference to object, will not report event', undefined, { kind: obj.kind, name: meta.name, reason });
      return undefined;
    }
    const t = formatTime(this.clock.now());
    const namespace = meta.namespace || 'default';
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: this.names.next(meta.name), namespace },
      involvedObject: {
        kind: obj.kind,
        namespace: meta.namespace,
        name: meta.name,
        uid: meta.uid,
        apiVersion: obj.apiVersion,
        resourceVersion: meta.resourceVersion,
      },
      reason,
      message,
      source: { component: source.component, host: source.host },
      firstTimestamp: t,
      lastTimestamp: t,
      count: 1,
      type,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    };
  }

  private enqueue(event: CoreEvent): void {
    if (this.stop.signal.aborted) return;
    if (this.queue.length >= this.queueLength) {
      this.dropped++;
      this.logger.error('Event broadcaster queue is full, dropping event', undefined, {
        object: `${event.involvedObject.namespace ?? ''}/${event.involvedObject.name}`,
        reason: event.reason,
      });
      return;
    }
    this.queue.push(event);
    this.wake?.();
  }

  private async run(): Promise<void> {
    const signal = this.stop.signal;
    const running = new Set<Promise<void>>();
    while (!signal.aborted) {
      if (this.inFlight >= this.maxInFlight) {
        await Promise.race(running);
        continue;
      }
      const event = this.queue.shift();
      if (!event) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      this.inFlight++;
      const handled: Promise<void> = this.handle(event, signal).finally(() => {
        this.inFlight--;
        running.delete(handled);
      });
      running.add(handled);
    }
    await Promise.allSettled([...running]);
  }

  /** Hands one event to every consumer in turn. */
  private async handle(event: CoreEvent, signal: AbortSignal): Promise<void> {
    for (const c of this.consumers) {
      try {
        await c(event, signal);
      } catch (err) {
        this.logger.error('event consumer failed', err);
      }
    }
  }

  private async recordToSink(sink: EventSink, correlator: EventCorrelator, event: CoreEvent, signal: AbortSignal): Promise<void> {
    const result = correlator.correlate(structuredClone(event));
    if (result.skip) return;
    for (let tries = 1; !signal.aborted; tries++) {
      if (await this.writeEvent(sink, correlator, result.event, result.patch)) return;
      if (tries >= this.maxTries) {
        this.logger.error('Unable to write event (retry limit exceeded!)', undefined, { event: result.event.metadata.name });
        return;
      }
      // The first retry waits a random part of the period, so many recorders do not retry in lockstep.
      const wait = tries === 1 ? this.retrySleepMs * this.random() : this.retrySleepMs;
      try {
        await this.clock.sleep(wait, signal);
      } catch {
        return;
      }
    }
  }

  /** One attempt; true when done (written, or rejected in a way retrying cannot fix). */
  private async writeEvent(sink: EventSink, correlator: EventCorrelator, event: CoreEvent, patch: unknown): Promise<boolean> {
    let stored: CoreEvent | undefined;
    let err: unknown;
    if (patch) {
      try {
        stored = await sink.patch(event, patch);
      } catch (e) {
        err = e;
      }
    }
    // A patch can fail because the Event expired or was deleted: then write it anew.
    if (!patch || (err !== undefined && isNotFound(err))) {
      err = undefined;
      try {
        stored = await sink.create({ ...event, metadata: { ...event.metadata, resourceVersion: undefined } });
      } catch (e) {
        err = e;
      }
    }
    if (stored) {
      correlator.updateState(stored);
      return true;
    }
    // As client-go: an answer from the server (any Status) is final; only transport failures are retried.
    if (isAlreadyExists(err)) {
      this.logger.v(5).info('Server rejected event (will not retry!)', { err: String(err) });
      return true;
    }
    if (isStatusError(err)) {
      this.logger.error('Server rejected event (will not retry!)', err, { event: event.metadata.name });
      return true;
    }
    this.logger.error('Unable to write event (may retry after sleeping)', err, { event: event.metadata.name });
    return false;
  }
}
