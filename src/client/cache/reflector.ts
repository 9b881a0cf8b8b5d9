// client-go's Reflector: keeps a Store equal to the server's content by listing (paginated, first from the
// watch cache with resourceVersion "0"), then watching from the list's resourceVersion, re-watching after
// clean ends, relisting after 410 Gone or errors, with jittered exponential backoff in between.
import { isResourceExpired, StatusError } from '../../apimachinery/errors.js';
import { Backoff } from '../../base/backoff.js';
import { realClock, type Clock } from '../../base/clock.js';
import { klog, type Logger } from '../../base/logger.js';
import type { KubeObject, ListOptions, WatchEvent } from '../rest/interface.js';
import type { ListerWatcher, Store } from './interface.js';

export interface ReflectorOptions<T extends KubeObject> {
  /** Names the reflector in logs, e.g. the resource ("apps/v1, Resource=deployments"). */
  name: string;
  listerWatcher: ListerWatcher<T>;
  store: Store<T>;
  clock?: Clock;
  /** Delays between failed attempts. Default 800ms doubling to 30s with full jitter, as client-go. */
  backoff?: Backoff;
  /** Page size of lists that are not served from the watch cache. Default 500. */
  pageSize?: number;
  logger?: Logger;
  /** Randomness of watch timeouts (5–10 minutes); injectable for tests. */
  random?: () => number;
}

/** Minimum server-side timeout of one watch; each watch asks for a random value in [min, 2×min). */
const minWatchTimeoutSeconds = 5 * 60;
/** A watch that ends cleanly sooner than this without a single event counts as a failure (hot-loop guard). */
const shortWatchMs = 1000;

/** How one watch stream ended. */
type WatchOutcome = 'ended' | 'expired' | 'stopped';

/** A watch stream that ended with an error other than 410, or ended too fast to be healthy. */
class WatchError extends Error {}

export class Reflector<T extends KubeObject> {
  private readonly opts: ReflectorOptions<T>;
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly logger: Logger;
  private readonly random: () => number;
  private lastRV = '';
  /** Set when a list at lastRV answered 410: the next list asks for the latest state instead. */
  private lastRVUnavailable = false;
  /** Set once the server paginated a list: later lists keep asking for pages. */
  private paginatedResult = false;

  constructor(opts: ReflectorOptions<T>) {
    this.opts = opts;
    this.clock = opts.clock ?? realClock;
    this.backoff = opts.backoff ?? new Backoff({ initialMs: 800, capMs: 30_000, factor: 2, jitter: 1 });
    this.logger = (opts.logger ?? klog).withName('reflector.ts').withValues({ reflector: opts.name });
    this.random = opts.random ?? Math.random;
  }

  /** The resourceVersion of the last list or watch event applied to the store. */
  lastSyncResourceVersion(): string {
    return this.lastRV;
  }

  /** Lists and watches until `signal` aborts; never rejects. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.listAndWatch(signal);
      } catch (err) {
        if (signal.aborted) break;
        this.logger.warning('list and watch failed', { err: errorText(err) });
      }
      if (signal.aborted) break;
      try {
        await this.clock.sleep(this.backoff.next(), signal);
      } catch {
        break;
      }
    }
  }

  /**
   * One list followed by watches until a watch answers 410 (resolves: relist) or fails (rejects), or
   * `signal` aborts (resolves).
   */
  async listAndWatch(signal: AbortSignal): Promise<void> {
    await this.list(signal);
    while (!signal.aborted) {
      const outcome = await this.watchOnce(signal);
      if (outcome !== 'ended') return;
    }
  }

  private relistResourceVersion(): string {
    if (this.lastRVUnavailable) return '';
    return this.lastRV === '' ? '0' : this.lastRV;
  }

  private async list(signal: AbortSignal): Promise<void> {
    for (;;) {
      const rv = this.relistResourceVersion();
      try {
        const { items, resourceVersion } = await this.listAllPages(rv, signal);
        this.opts.store.replace(items, resourceVersion);
        this.lastRV = resourceVersion;
        this.lastRVUnavailable = false;
        return;
      } catch (err) {
        // The version we asked for is compacted away: ask again for the latest state, at once.
        if (isResourceExpired(err) && rv !== '' && !signal.aborted) {
          this.logger.v(2).info('list at resourceVersion too old, relisting from the latest', { resourceVersion: rv });
          this.lastRVUnavailable = true;
          continue;
        }
        throw err;
      }
    }
  }

  private async listAllPages(rv: string, signal: AbortSignal): Promise<{ items: T[]; resourceVersion: string }> {
    const servedFromCache = rv !== '' && rv !== '0';
    const limit = servedFromCache && !this.paginatedResult ? undefined : (this.opts.pageSize ?? 500);
    const first = await this.opts.listerWatcher.list({ resourceVersion: rv, limit, signal });
    const items = [...first.items];
    let page = first;
    while (page.metadata.continue) {
      this.paginatedResult = true;
      page = await this.opts.listerWatcher.list({ limit, continue: page.metadata.continue, signal });
      items.push(...page.items);
    }
    return { items, resourceVersion: page.metadata.resourceVersion ?? first.metadata.resourceVersion ?? '' };
  }

  private async watchOnce(parent: AbortSignal): Promise<WatchOutcome> {
    const ac = new AbortController();
    const onAbort = (): void => ac.abort(parent.reason);
    parent.addEventListener('abort', onAbort, { once: true });
    const opts: ListOptions & { signal: AbortSignal } = {
      resourceVersion: this.lastRV,
      allowWatchBookmarks: true,
      timeoutSeconds: Math.floor(minWatchTimeoutSeconds * (1 + this.random())),
      signal: ac.signal,
    };
    try {
      let stream: AsyncIterable<WatchEvent<T>>;
      try {
        stream = await this.opts.listerWatcher.watch(opts);
      } catch (err) {
        if (parent.aborted) return 'stopped';
        if (isResourceExpired(err)) return 'expired';
        if (isRetriableWatchStartError(err)) {
          // The server is restarting or shedding load: keep our resourceVersion and try the watch again.
          this.logger.v(2).info('watch could not start, retrying', { err: errorText(err) });
          await this.clock.sleep(this.backoff.next(), parent).catch(() => undefined);
          return parent.aborted ? 'stopped' : 'ended';
        }
        throw err;
      }
      return await this.handleWatch(stream, parent);
    } finally {
      parent.removeEventListener('abort', onAbort);
      ac.abort();
    }
  }

  private async handleWatch(stream: AsyncIterable<WatchEvent<T>>, signal: AbortSignal): Promise<WatchOutcome> {
    const started = this.clock.now();
    let events = 0;
    for await (const ev of stream) {
      if (signal.aborted) return 'stopped';
      if (ev.type === 'ERROR') {
        const status = ev.object;
        const err = new StatusError(status);
        if (status.code === 410 || isResourceExpired(err)) {
          this.logger.v(4).info('watch closed', { err: status.message });
          return 'expired';
        }
        throw err;
      }
      events++;
      this.backoff.reset();
      const rv = ev.object.metadata?.resourceVersion;
      switch (ev.type) {
        case 'ADDED':
          this.opts.store.add(ev.object);
          break;
        case 'MODIFIED':
          this.opts.store.update(ev.object);
          break;
        case 'DELETED':
          this.opts.store.delete(ev.object);
          break;
        case 'BOOKMARK':
          break;
      }
      if (rv) this.lastRV = rv;
    }
    if (signal.aborted) return 'stopped';
    if (events === 0 && this.clock.now() - started < shortWatchMs) {
      throw new WatchError('very short watch: the watch ended at once without an event');
    }
    return 'ended';
  }
}

function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Connection refused or 429: upstream retries the watch itself instead of relisting. */
function isRetriableWatchStartError(err: unknown): boolean {
  return errorCode(err) === 'ECONNREFUSED' || (err instanceof StatusError && err.code === 429);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
