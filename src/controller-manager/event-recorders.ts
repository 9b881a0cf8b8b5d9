// Event recorders of the controller manager: core/v1 Events about controlled objects, written in the
// background so a controller never waits for (or fails because of) an event.
import { realClock, type Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import type { Interface, KubeObject } from '../client/rest/interface.js';
import type { EventRecorder, EventType } from './controller-context.js';
import { resources } from './controller-context.js';

export interface EventRecorderFactoryOptions {
  client: Interface;
  clock?: Clock;
  logger: Logger;
  /** Pending writes are dropped once this aborts. */
  signal: AbortSignal;
  /** source.host of every event. */
  host: string;
  /** Events waiting to be written beyond this are dropped (logged): recording never grows without bound. */
  maxPending?: number;
}

/** Upstream's event name: `<object name>.<nanoseconds since the epoch in hex>`. */
function eventName(obj: KubeObject, now: number, seq: number): string {
  const nanos = BigInt(Math.floor(now)) * 1_000_000n + BigInt(seq % 1_000_000);
  return `${obj.metadata?.name ?? 'unknown'}.${nanos.toString(16)}`;
}

function metaTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Recorders that write one Event per call, in call order per process, with at most one write in flight.
 * (Upstream's correlator — counting repeats into one Event — belongs to src/client/record.)
 */
export function newEventRecorderFactory(opts: EventRecorderFactoryOptions): (component: string) => EventRecorder {
  const clock = opts.clock ?? realClock;
  const maxPending = opts.maxPending ?? 1000;
  const queue: Array<{ ns: string; event: KubeObject }> = [];
  let writing = false;
  let seq = 0;

  async function drain(): Promise<void> {
    writing = true;
    try {
      while (queue.length > 0 && !opts.signal.aborted) {
        const { ns, event } = queue.shift()!;
        try {
          await opts.client.resource(resources.events, ns).create(event);
        } catch (err) {
          opts.logger.v(2).info('Could not write event', { reason: String(event['reason']), err: String(err) });
        }
      }
    } finally {
      writing = false;
    }
  }

  return (component: string): EventRecorder => ({
    event(obj: KubeObject, type: EventType, reason: string, message: string): void {
      if (opts.signal.aborted) return;
      if (queue.length >= maxPending) {
        opts.logger.info('Event queue full; dropping event', { reason, object: obj.metadata?.name });
        return;
      }
      const now = clock.now();
      const ns = obj.metadata?.namespace || 'default';
      const t = metaTime(now);
      queue.push({
        ns,
        event: {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: eventName(obj, now, seq++), namespace: ns },
          involvedObject: {
            apiVersion: obj.apiVersion,
            kind: obj.kind,
            name: obj.metadata?.name,
            namespace: obj.metadata?.namespace,
            uid: obj.metadata?.uid,
            resourceVersion: obj.metadata?.resourceVersion,
          },
          reason,
          message,
          type,
          source: { component, host: opts.host },
          firstTimestamp: t,
          lastTimestamp: t,
          count: 1,
          reportingComponent: component,
          reportingInstance: opts.host,
        },
      });
      if (!writing) void drain();
    },
  });
}
