// Expires Events (upstream --event-ttl, default 1h). Upstream stores each Event with an etcd lease renewed
// on every write; k8ts has no leases on every backend, so a periodic sweep deletes Events whose last
// activity (lastTimestamp, series.lastObservedTime, eventTime or creation) is older than the TTL.

import { isConflict, isNotFound } from '../../apimachinery/errors.js';
import { klog } from '../../base/logger.js';
import { realClock, type Clock } from '../../base/clock.js';
import { until } from '../../base/wait.js';
import type { Registries } from '../registry/generic/registries.js';
import { readPath } from '../registry/object-paths.js';
import type { APIObject } from '../registry/strategy.js';
import type { BootstrapHook } from './hook.js';

export const defaultEventTTLSeconds = 3600;

/** When the Event last happened, in ms since the epoch (0 when it carries no time at all). */
export function lastActivity(event: APIObject): number {
  const times = [
    readPath(event, 'lastTimestamp'),
    readPath(event, 'series.lastObservedTime'),
    readPath(event, 'eventTime'),
    readPath(event, 'metadata.creationTimestamp'),
  ]
    .filter((t): t is string => typeof t === 'string')
    .map((t) => Date.parse(t))
    .filter((t) => !Number.isNaN(t));
  return times.length > 0 ? Math.max(...times) : 0;
}

/** Deletes expired Events page by page; returns how many. Events changed meanwhile are kept. */
export async function sweepExpiredEvents(registries: Registries, opts: { ttlMs: number; now: number }): Promise<number> {
  const registry = registries.get('', 'events', 'v1');
  if (!registry) return 0;
  let deleted = 0;
  let cont: string | undefined;
  do {
    const chunk = await registry.list({ namespace: '', limit: 500, continue: cont });
    for (const text of chunk.items) {
      const event = JSON.parse(text) as APIObject;
      if (opts.now - lastActivity(event) <= opts.ttlMs) continue;
      try {
        await registry.delete({
          namespace: event.metadata?.namespace ?? '',
          name: event.metadata?.name ?? '',
          options: { preconditions: { resourceVersion: event.metadata?.resourceVersion } },
        });
        deleted++;
      } catch (err) {
        if (!isConflict(err) && !isNotFound(err)) throw err;
      }
    }
    cont = chunk.continue;
  } while (cont);
  return deleted;
}

export function eventTTLHook(opts: { clock?: Clock; periodMs?: number } = {}): BootstrapHook {
  const clock = opts.clock ?? realClock;
  return {
    name: 'start-event-ttl-sweeper',
    async run(ctx) {
      const ttlMs = (ctx.options.eventTTLSeconds ?? defaultEventTTLSeconds) * 1000;
      if (ttlMs <= 0) return;
      // Owned by ctx.signal: ends with the server. Sweeping at a tenth of the TTL keeps events at most 10% late.
      void until({ periodMs: opts.periodMs ?? Math.min(ttlMs / 10, 60_000), signal: ctx.signal, clock }, async () => {
        try {
          const n = await sweepExpiredEvents(ctx.registries, { ttlMs, now: clock.now() });
          if (n > 0) klog.v(2).info('expired events deleted', { count: n });
        } catch (err) {
          if (!ctx.signal.aborted) klog.error('event ttl sweep', err);
        }
      });
    },
  };
}
