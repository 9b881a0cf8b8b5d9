// Writes the scheduler's Events (events.k8s.io/v1, reportingController default-scheduler) through the REST
// client, without blocking scheduling: a bounded backlog, a few writes in flight, the oldest dropped when
// full (as client-go's broadcaster drops). To be replaced by src/client/record's recorder when it exists.
import { hostname } from 'node:os';
import type { Pod } from '../api/generated/core/v1.js';
import { realClock, type Clock } from '../base/clock.js';
import { klog } from '../base/logger.js';
import type { Interface as ClientInterface } from '../client/rest/interface.js';

const log = klog.withName('event-recorder.ts');
const eventsGVR = { group: 'events.k8s.io', version: 'v1', resource: 'events' };

export interface EventRecorder {
  /** Records an Event about `regarding` (Normal/Warning), e.g. ("Warning", "FailedScheduling", "Scheduling", msg). */
  eventf(regarding: Pod, type: 'Normal' | 'Warning', reason: string, action: string, note: string): void;
}

/** Upstream's MicroTime: RFC 3339 with exactly six fractional digits. */
export function microTime(ms: number): string {
  const iso = new Date(Math.floor(ms)).toISOString();
  const micros = Math.floor((ms % 1000) * 1000)
    .toString()
    .padStart(6, '0');
  return `${iso.slice(0, 19)}.${micros}Z`;
}

export interface APIEventRecorderOptions {
  client: ClientInterface;
  /** reportingController; default-scheduler. */
  controller?: string;
  clock?: Clock;
  maxBacklog?: number;
  maxInFlight?: number;
}

export class APIEventRecorder implements EventRecorder {
  private readonly backlog: Array<Record<string, unknown>> = [];
  private inFlight = 0;
  private dropped = 0;
  private readonly controller: string;
  private readonly instance: string;
  private readonly clock: Clock;
  private idle: Array<() => void> = [];

  constructor(private readonly opts: APIEventRecorderOptions) {
    this.controller = opts.controller ?? 'default-scheduler';
    this.instance = `${this.controller}-${hostname()}`;
    this.clock = opts.clock ?? realClock;
  }

  eventf(regarding: Pod, type: 'Normal' | 'Warning', reason: string, action: string, note: string): void {
    const now = this.clock.now();
    const meta = regarding.metadata ?? {};
    const event = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      // Upstream names events <object>.<hex nanoseconds>.
      metadata: { name: `${meta.name}.${(BigInt(Math.floor(now * 1000)) * 1000n).toString(16)}`, namespace: meta.namespace },
      eventTime: microTime(now),
      reportingController: this.controller,
      reportingInstance: this.instance,
      action,
      reason,
      regarding: { kind: 'Pod', namespace: meta.namespace, name: meta.name, uid: meta.uid, apiVersion: 'v1', resourceVersion: meta.resourceVersion },
      note: note.length > 1024 ? `${note.slice(0, 1021)}...` : note,
      type,
    };
    if (this.backlog.length >= (this.opts.maxBacklog ?? 1000)) {
      this.backlog.shift();
      this.dropped++;
    }
    this.backlog.push(event);
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < (this.opts.maxInFlight ?? 8) && this.backlog.length > 0) {
      const ev = this.backlog.shift() as Record<string, unknown> & { metadata: { namespace?: string } };
      this.inFlight++;
      this.opts.client
        .resource(eventsGVR, ev.metadata.namespace ?? 'default')
        .create(ev)
        .catch((err: unknown) => log.v(2).info('Could not write event', { err: String(err) }))
        .finally(() => {
          this.inFlight--;
          this.pump();
          if (this.inFlight === 0 && this.backlog.length === 0) {
            const w = this.idle;
            this.idle = [];
            for (const f of w) f();
          }
        });
    }
  }

  /** Resolves once every recorded event has been written or dropped (shutdown, tests). */
  flush(): Promise<void> {
    if (this.inFlight === 0 && this.backlog.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  droppedEvents(): number {
    return this.dropped;
  }
}
