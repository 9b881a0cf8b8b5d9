// WATCH: a chunked stream of JSON events, one per line, served from the watch cache — initial ADDED
// events (legacy resourceVersion unset/"0", or sendInitialEvents), resume from a resourceVersion,
// bookmarks, timeouts, and the 410 ERROR event for versions the cache no longer has.

import { newResourceExpired } from '../../apimachinery/errors.js';
import { listPrefix } from '../storage-keys.js';
import { parseListOptions } from '../registry/generic/list-options.js';
import type { GenericRegistry } from '../registry/generic/registry.js';
import { newTooLargeResourceVersion, parseResourceVersion } from '../registry/generic/resource-version.js';
import type { SelectionPredicate } from '../registry/generic/selection.js';
import type { WatchCacheSet } from '../watchcache/cache-set.js';
import type { CacheWatcher } from '../watchcache/watch-cache.js';
import type { Clock } from '../../base/clock.js';
import type { APIServerMetrics, GroupVersionResourceLabels } from '../metrics/interface.js';
import type { StreamResponse, WatchServer } from './resource-handler.js';
import { newPathNotFound } from './status.js';
import { klog } from '../../base/logger.js';

const log = klog.withName('watch');

export interface WatchServerOptions {
  caches: WatchCacheSet;
  /** Counts events sent (apiserver_watch_events_total). */
  metrics?: APIServerMetrics;
  /** Interval of periodic bookmarks (upstream: about a minute). */
  bookmarkIntervalMs?: number;
  /** The default watch length when timeoutSeconds is absent: random in [min, 2·min) like upstream's --min-request-timeout. */
  minRequestTimeoutSeconds?: number;
  random?: () => number;
  /** Timers for timeouts and bookmarks (tests pass a FakeClock). Default: unref'd real timers. */
  clock?: Pick<Clock, 'setTimer'>;
}

/** Real timers that never keep the process alive on their own. */
const unrefTimers: Pick<Clock, 'setTimer'> = {
  setTimer(ms, fn) {
    const handle = setTimeout(fn, ms);
    handle.unref();
    return { stop: () => (clearTimeout(handle), true) };
  },
};

/**
 * Sums apiserver_watch_events_total increments (events sent, per resource, over all watchers) and hands
 * them to the metrics once per event-loop turn: fan-out then costs one counter update per resource per
 * turn instead of one per watcher write, and the counter still counts every event sent to every watcher.
 */
function batchedEventCounter(metrics: APIServerMetrics): (gvr: GroupVersionResourceLabels, n: number) => void {
  const pending = new Map<string, { gvr: GroupVersionResourceLabels; n: number }>();
  const flush = () => {
    for (const { gvr, n } of pending.values()) metrics.watchEvents(gvr, n);
    pending.clear();
  };
  return (gvr, n) => {
    if (n <= 0) return;
    if (pending.size === 0) setImmediate(flush);
    const key = `${gvr.group}/${gvr.version}/${gvr.resource}`;
    const entry = pending.get(key);
    if (entry) entry.n += n;
    else pending.set(key, { gvr, n });
  };
}

/** Initial events are written in chunks of this many frames. */
const initialChunk = 200;
/** Live frames per write: a burst of events reaches the socket in pieces of at most this many. */
const liveChunk = 64;

function bookmarkFrame(registry: GenericRegistry, rv: number, initialEventsEnd: boolean): string {
  const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
  if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
  return `{"type":"BOOKMARK","object":${JSON.stringify({ kind: registry.resource.kind, apiVersion: registry.apiVersion, metadata })}}\n`;
}

function errorFrame(status: object): string {
  return `{"type":"ERROR","object":${JSON.stringify(status)}}\n`;
}

/** Narrows a predicate to one name (watch of a single object through the /watch/…/name path). */
function withName(predicate: SelectionPredicate, name: string): SelectionPredicate {
  return { ...predicate, empty: false, matches: (labels, fields) => fields['metadata.name'] === name && (predicate.empty || predicate.matches(labels, fields)) };
}

/**
 * Converts the objects of watch frames to the served version (registries whose storage version differs), in
 * one batch per piece of the stream: a CRD conversion webhook gets one review per piece, not per event.
 */
async function convertFrames(registry: GenericRegistry, frames: string[]): Promise<string[]> {
  const events = frames.map((f) => JSON.parse(f) as { type: string; object: unknown });
  const carries = (e: { type: string }) => e.type !== 'BOOKMARK' && e.type !== 'ERROR';
  const converted = await registry.fromStorageJSON(events.filter(carries).map((e) => JSON.stringify(e.object)));
  let next = 0;
  return events.map((e, i) => (carries(e) ? `{"type":${JSON.stringify(e.type)},"object":${converted[next++]}}\n` : frames[i]));
}

export function createWatchServer(opts: WatchServerOptions): WatchServer {
  const bookmarkMs = opts.bookmarkIntervalMs ?? 60_000;
  const minTimeout = opts.minRequestTimeoutSeconds ?? 1800;
  const random = opts.random ?? Math.random;
  const countEvents = opts.metrics ? batchedEventCounter(opts.metrics) : undefined;

  return async ({ registry, query, namespace, name, signal, transformFrame }): Promise<StreamResponse> => {
    const lo = parseListOptions(query, namespace, true);
    const cache = opts.caches.cacheFor(registry.keys.root);
    if (!cache) throw newPathNotFound();
    let predicate = registry.predicate(lo);
    if (name) predicate = withName(predicate, name);
    const filter = { prefix: listPrefix(registry.keys, namespace), predicate };
    const rvParam = lo.resourceVersion;
    const sendInitial = lo.sendInitialEvents ?? (rvParam === undefined || rvParam === '0');
    const headers = { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' };
    const timeoutMs = (lo.timeoutSeconds !== undefined && lo.timeoutSeconds > 0 ? lo.timeoutSeconds : minTimeout * (1 + random())) * 1000;

    // How fresh the cache must be before the watch starts.
    const current = await registry.currentRevision();
    let minRV = 0;
    if (rvParam && rvParam !== '0') minRV = parseResourceVersion(rvParam);
    else if (rvParam === undefined) minRV = current;
    if (minRV > current) throw newTooLargeResourceVersion(minRV, current);
    await opts.caches.waitFor(minRV, signal);

    // No await between here and cache.watch(): the snapshot and the registration see the same state.
    let initial: string[] = [];
    let watcher: CacheWatcher;
    let initialEndRV = -1;
    if (sendInitial) {
      initial = cache.list(filter.prefix, predicate).map((o) => `{"type":"ADDED","object":${o.json}}\n`);
      const at = cache.rv;
      watcher = cache.watch(filter, at, { batchWakeups: true });
      if (lo.sendInitialEvents && lo.allowWatchBookmarks) initialEndRV = at;
    } else {
      const from = rvParam ? parseResourceVersion(rvParam) : cache.rv;
      if (from < cache.oldestResourceVersion) {
        const status = newResourceExpired(`too old resource version: ${from} (${cache.oldestResourceVersion})`).status;
        return { status: 200, headers, stream: (async function* () { yield errorFrame(status); })() };
      }
      watcher = cache.watch(filter, from, { batchWakeups: true });
    }

    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const clock = opts.clock ?? unrefTimers;
    const timer = clock.setTimer(timeoutMs, () => stop.abort());
    let bookmarkTimer: { stop(): boolean } | undefined;
    const armBookmark = () => {
      bookmarkTimer = clock.setTimer(bookmarkMs, () => {
        watcher.push(bookmarkFrame(registry, cache.rv, false));
        armBookmark();
      });
    };
    if (lo.allowWatchBookmarks) armBookmark();
    // Frames leave the cache in the storage version: converted first, then transformed (Table, protobuf…).
    // A failed conversion (a conversion webhook down) ends the watch, as upstream's watch server does when it
    // cannot encode an event; the client's reflector watches again.
    const convert = async (part: string[]): Promise<string | undefined> => {
      let served = part;
      if (registry.converts) {
        try {
          served = await convertFrames(registry, part);
        } catch (err) {
          log.error('Unable to convert watch object; ending the watch', err, { resource: registry.resource.plural });
          return undefined;
        }
      }
      return (transformFrame ? served.map(transformFrame) : served).join('');
    };
    const gvr = { group: registry.resource.group, version: registry.resource.version, resource: registry.resource.plural };
    const count = (n: number) => countEvents?.(gvr, n);

    async function* stream(): AsyncGenerator<string> {
      try {
        for (let i = 0; i < initial.length; i += initialChunk) {
          const part = initial.slice(i, i + initialChunk);
          count(part.length);
          const out = await convert(part);
          if (out === undefined) return;
          yield out;
        }
        initial = [];
        if (initialEndRV >= 0) yield bookmarkFrame(registry, initialEndRV, true);
        for (;;) {
          const frames = await watcher.next(stop.signal);
          if (frames.length === 0) return;
          count(frames.length);
          // Written in bounded pieces so the response's backpressure holds frames back in the watcher's
          // queue (whose overflow drops a slow watcher) instead of in the connection's buffers.
          for (let i = 0; i < frames.length; i += liveChunk) {
            const part = frames.length <= liveChunk ? frames : frames.slice(i, i + liveChunk);
            const out = await convert(part);
            if (out === undefined) return;
            yield out;
          }
        }
      } finally {
        timer.stop();
        bookmarkTimer?.stop();
        signal.removeEventListener('abort', onAbort);
        watcher.end();
      }
    }
    return { status: 200, headers, stream: stream() };
  };
}
