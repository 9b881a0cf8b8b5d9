// An in-memory ListerWatcher for tests of informers and controllers: a tiny "server" with a resourceVersion
// counter, an event history that can be compacted, pagination, and hooks that end, break or expire watches.
import { newGone, newResourceExpired, type StatusError } from '../../apimachinery/errors.js';
import type { KubeList, KubeObject, ListOptions, WatchEvent } from '../rest/interface.js';
import type { ListerWatcher } from './interface.js';
import { metaNamespaceKeyFunc } from './keys.js';

interface HistoryEntry<T extends KubeObject> {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  obj: T;
}

/** One open watch stream: a queue of events and how the stream should end. */
class FakeWatch<T extends KubeObject> implements AsyncIterable<WatchEvent<T>> {
  private readonly events: WatchEvent<T>[] = [];
  private end: { error?: Error } | undefined;
  private wake: (() => void) | undefined;

  constructor(signal: AbortSignal, private readonly onClose: () => void) {
    signal.addEventListener('abort', () => this.finish({}), { once: true });
  }

  send(ev: WatchEvent<T>): void {
    if (this.end) return;
    this.events.push(ev);
    this.wake?.();
  }

  /** Ends the stream: cleanly, or by throwing `error` from the iterator. */
  finish(how: { error?: Error }): void {
    if (this.end) return;
    this.end = how;
    this.onClose();
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    try {
      for (;;) {
        const ev = this.events.shift();
        if (ev) {
          yield ev;
          continue;
        }
        if (this.end) {
          if (this.end.error) throw this.end.error;
          return;
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      }
    } finally {
      this.finish({});
    }
  }
}

/**
 * The server side of a list+watch, driven by the test: `create`/`update`/`delete` change the truth and
 * reach open watches; `compact` forgets history (older watches and continue tokens answer 410).
 * Objects are stored as given; each write stamps metadata.resourceVersion.
 */
export class FakeListerWatcher<T extends KubeObject = KubeObject> implements ListerWatcher<T> {
  private readonly objects = new Map<string, T>();
  private history: HistoryEntry<T>[] = [];
  private rv = 1;
  private compactedRV = 0;
  private readonly watches = new Set<FakeWatch<T>>();
  /** Requests received, for assertions on the reflector's list and watch options. */
  readonly requests: Array<{ verb: 'list' | 'watch'; opts: ListOptions }> = [];
  /** When set, lists return pages of at most this many items. */
  pageSize = 0;
  /** When set, each watch start rejects with 410 (as a StatusError) instead of sending an ERROR event. */
  goneOnWatchStart = false;

  resourceVersion(): string {
    return String(this.rv);
  }

  /** The truth: every object, by key. */
  contents(): Map<string, T> {
    return new Map(this.objects);
  }

  create(obj: T): T {
    return this.write('ADDED', obj);
  }

  update(obj: T): T {
    return this.write('MODIFIED', obj);
  }

  delete(key: string): void {
    const obj = this.objects.get(key);
    if (!obj) throw new Error(`fake: ${key} not found`);
    this.objects.delete(key);
    this.record('DELETED', this.stamp(obj));
  }

  /** Drops the event history: watches from older versions answer 410 from now on. */
  compact(): void {
    this.compactedRV = this.rv;
    this.history = [];
  }

  /** Sends a BOOKMARK at the current version to every open watch. */
  bookmark(): void {
    for (const w of this.watches) w.send({ type: 'BOOKMARK', object: { metadata: { resourceVersion: String(this.rv) } } as T });
  }

  /** Ends every open watch cleanly (the server's timeout). */
  closeWatches(): void {
    for (const w of [...this.watches]) w.finish({});
  }

  /** Breaks every open watch (connection reset): the iterators throw. */
  breakWatches(): void {
    for (const w of [...this.watches]) w.finish({ error: Object.assign(new Error('connection reset by peer'), { code: 'ECONNRESET' }) });
  }

  /** Sends a 410 ERROR event to every open watch, then ends it (the watch cache dropped the window). */
  expireWatches(): void {
    for (const w of [...this.watches]) {
      w.send({ type: 'ERROR', object: newGone('too old resource version').status });
      w.finish({});
    }
  }

  openWatches(): number {
    return this.watches.size;
  }

  async list(opts: ListOptions & { signal?: AbortSignal }): Promise<KubeList<T>> {
    this.requests.push({ verb: 'list', opts: withoutSignal(opts) });
    const all = [...this.objects.values()].sort((a, b) => metaNamespaceKeyFunc(a).localeCompare(metaNamespaceKeyFunc(b)));
    let start = 0;
    let listRV = this.rv;
    if (opts.continue) {
      const token = JSON.parse(Buffer.from(opts.continue, 'base64').toString()) as { rv: number; start: number };
      // Pages after the first would need the snapshot at token.rv, which is gone once history changed.
      if (token.rv !== this.rv) throw expired('The provided continue parameter is too old to display a consistent list result.');
      start = token.start;
      listRV = token.rv;
    }
    const limit = this.pageSize > 0 && opts.limit ? Math.min(this.pageSize, opts.limit) : all.length;
    const items = all.slice(start, start + limit);
    const next = start + items.length;
    const cont = next < all.length ? Buffer.from(JSON.stringify({ rv: listRV, start: next })).toString('base64') : undefined;
    return { metadata: { resourceVersion: String(listRV), continue: cont }, items };
  }

  async watch(opts: ListOptions & { signal: AbortSignal }): Promise<AsyncIterable<WatchEvent<T>>> {
    this.requests.push({ verb: 'watch', opts: withoutSignal(opts) });
    const from = Number(opts.resourceVersion || this.rv);
    const tooOld = from < this.compactedRV;
    if (tooOld && this.goneOnWatchStart) throw newGone(`too old resource version: ${from} (${this.compactedRV})`);
    const w: FakeWatch<T> = new FakeWatch<T>(opts.signal, () => this.watches.delete(w));
    if (tooOld) {
      w.send({ type: 'ERROR', object: newGone(`too old resource version: ${from} (${this.compactedRV})`).status });
      w.finish({});
      return w;
    }
    this.watches.add(w);
    for (const h of this.history) if (h.rv > from) w.send({ type: h.type, object: h.obj });
    return w;
  }

  private write(type: 'ADDED' | 'MODIFIED', obj: T): T {
    const stamped = this.stamp(obj);
    this.objects.set(metaNamespaceKeyFunc(stamped), stamped);
    this.record(type, stamped);
    return stamped;
  }

  private stamp(obj: T): T {
    this.rv++;
    return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rv) } };
  }

  private record(type: HistoryEntry<T>['type'], obj: T): void {
    this.history.push({ rv: this.rv, type, obj });
    for (const w of this.watches) w.send({ type, object: obj });
  }
}

function withoutSignal(opts: ListOptions & { signal?: AbortSignal }): ListOptions {
  const { signal: _signal, ...rest } = opts;
  return rest;
}

function expired(message: string): StatusError {
  return newResourceExpired(message);
}
