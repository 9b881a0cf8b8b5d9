// client-go's EventCorrelator: before an Event is written, similar ones are aggregated ("(combined from
// similar events): …"), identical ones become a count increment on the existing Event (a PATCH), and a
// per-source-and-object token bucket drops floods.
import type { Event } from '../../api/generated/core/v1.js';
import { realClock, type Clock } from '../../base/clock.js';
import type { Typed } from '../typed.js';
import { LRUCache } from './lru-cache.js';

export type CoreEvent = Typed<Event>;

export interface EventCorrelatorOptions {
  clock?: Clock;
  /** Tokens of each source+object bucket. Default 25. */
  spamBurst?: number;
  /** Refill rate of each bucket in events per second. Default 1/300 (one per 5 minutes). */
  spamQPS?: number;
  /** Distinct messages of similar events before they are combined. Default 10. */
  maxSimilarEvents?: number;
  /** Similar events further apart than this are not combined. Default 600s. */
  maxIntervalMs?: number;
  /** Entries of each cache. Default 4096. */
  cacheSize?: number;
  /** Names of combined events; share one generator between correlators and recorders of a process. */
  names?: EventNames;
}

/** What to write: the event as is (create) or, when `patch` is set, a patch of the existing Event. */
export interface CorrelationResult {
  event: CoreEvent;
  /** A strategic merge patch of count, lastTimestamp and message, when the event repeats a known one. */
  patch?: { count: number; lastTimestamp: string; message: string };
  /** True when the spam filter dropped the event. */
  skip: boolean;
}

const combinedPrefix = '(combined from similar events): ';

/** Everything but the message: events equal under this key are "similar". */
function aggregateKey(e: CoreEvent): string {
  const o = e.involvedObject;
  return [e.source?.component, e.source?.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion, e.type, e.reason, e.reportingComponent, e.reportingInstance].join('\0');
}

/** Events equal under this key are "the same event" and become one Event with a count. */
function eventKey(e: CoreEvent): string {
  const o = e.involvedObject;
  return [e.source?.component, e.source?.host, o.kind, o.namespace, o.name, o.fieldPath, o.uid, o.apiVersion, e.type, e.reason, e.message].join('\0');
}

/** The spam filter's bucket key: source and object only, so one object cannot flood with varied reasons. */
function spamKey(e: CoreEvent): string {
  const o = e.involvedObject;
  return [e.source?.component, e.source?.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion].join('\0');
}

/** metav1.Time: RFC 3339 in UTC with whole seconds. */
export function formatTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Event names: `<object name>.<nanoseconds since the epoch in hex>`, strictly increasing within one
 * generator, so two events in one clock tick still get distinct names.
 */
export class EventNames {
  private last = 0n;

  constructor(private readonly clock: Clock = realClock) {}

  next(objectName: string): string {
    let nanos = BigInt(Math.floor(this.clock.now() * 1e6));
    if (nanos <= this.last) nanos = this.last + 1n;
    this.last = nanos;
    return `${objectName}.${nanos.toString(16)}`;
  }
}

interface AggregateRecord {
  messages: Set<string>;
  lastTimestamp: number;
}

interface ObservedRecord {
  count: number;
  firstTimestamp: string;
  name: string;
  resourceVersion: string;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class EventCorrelator {
  private readonly clock: Clock;
  private readonly burst: number;
  private readonly qps: number;
  private readonly maxSimilar: number;
  private readonly maxIntervalMs: number;
  private readonly aggregates: LRUCache<string, AggregateRecord>;
  private readonly observed: LRUCache<string, ObservedRecord>;
  private readonly buckets: LRUCache<string, Bucket>;
  private readonly names: EventNames;

  constructor(opts: EventCorrelatorOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.burst = opts.spamBurst ?? 25;
    this.qps = opts.spamQPS ?? 1 / 300;
    this.maxSimilar = opts.maxSimilarEvents ?? 10;
    this.maxIntervalMs = opts.maxIntervalMs ?? 600_000;
    const size = opts.cacheSize ?? 4096;
    this.aggregates = new LRUCache(size);
    this.observed = new LRUCache(size);
    this.buckets = new LRUCache(size);
    this.names = opts.names ?? new EventNames(this.clock);
  }

  /** Decides what to write for `event` (which it does not modify). */
  correlate(event: CoreEvent): CorrelationResult {
    const { event: aggregated, key } = this.aggregate(event);
    const { event: observed, patch } = this.observe(aggregated, key);
    return { event: observed, patch, skip: !this.allow(observed) };
  }

  /** Remembers what the server stored, so the next repeat patches that Event. */
  updateState(stored: CoreEvent): void {
    this.observed.add(eventKey(stored), {
      count: stored.count ?? 1,
      firstTimestamp: stored.firstTimestamp ?? '',
      name: stored.metadata.name ?? '',
      resourceVersion: stored.metadata.resourceVersion ?? '',
    });
  }

  private aggregate(event: CoreEvent): { event: CoreEvent; key: string } {
    const now = this.clock.now();
    const akey = aggregateKey(event);
    let rec = this.aggregates.get(akey);
    if (!rec || now - rec.lastTimestamp > this.maxIntervalMs) rec = { messages: new Set(), lastTimestamp: now };
    rec.messages.add(event.message ?? '');
    rec.lastTimestamp = now;
    this.aggregates.add(akey, rec);
    if (rec.messages.size < this.maxSimilar) return { event, key: eventKey(event) };
    // Too many distinct messages: keep the set from growing and write one combined Event for all of them.
    const first = rec.messages.values().next().value as string;
    rec.messages.delete(first);
    const t = formatTime(now);
    const combined: CoreEvent = {
      ...event,
      metadata: { name: this.names.next(event.involvedObject.name ?? ''), namespace: event.metadata.namespace },
      count: 1,
      firstTimestamp: t,
      lastTimestamp: t,
      message: combinedPrefix + (event.message ?? ''),
    };
    return { event: combined, key: akey };
  }

  private observe(event: CoreEvent, key: string): { event: CoreEvent; patch?: CorrelationResult['patch'] } {
    const last = this.observed.get(key);
    if (!last) {
      this.observed.add(key, {
        count: event.count ?? 1,
        firstTimestamp: event.firstTimestamp ?? '',
        name: event.metadata.name ?? '',
        resourceVersion: '',
      });
      return { event };
    }
    const count = last.count + 1;
    const repeated: CoreEvent = {
      ...event,
      metadata: { ...event.metadata, name: last.name, resourceVersion: last.resourceVersion },
      firstTimestamp: last.firstTimestamp,
      count,
    };
    this.observed.add(key, { ...last, count });
    return {
      event: repeated,
      patch: { count, lastTimestamp: repeated.lastTimestamp ?? '', message: repeated.message ?? '' },
    };
  }

  private allow(event: CoreEvent): boolean {
    const key = spamKey(event);
    const now = this.clock.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.qps);
    b.at = now;
    this.buckets.add(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
