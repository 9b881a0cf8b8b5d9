// In-process watch fan-out for backends that are the only writer of their data (memory, sqlite):
// each watcher first gets a replay read from the backend's log, then the events published after commits.
import { StorageError, type WatchEvent, type WatchOptions } from './interface.js';
import { eventKey, eventRevision } from './watch-event.js';

/** Reads the committed events of `prefix` with revision >= `from`, in revision order, synchronously. */
export type ReplayFunc = (prefix: string, from: number) => WatchEvent[];

interface Watcher {
  opts: WatchOptions;
  /** The lowest revision this watcher has not been given yet. */
  next: number;
  queue: WatchEvent[];
  onAbort: () => void;
}

/**
 * Delivers each event to each watcher exactly once and in revision order. Delivery is asynchronous
 * (a microtask after `publish` or `add`), so a consumer never runs inside a write's call stack.
 * Invariant: `publish` is called with the events of every commit, in commit order, right after the commit,
 * and `add` reads its replay in the same synchronous step as it learns the current revision; the per-watcher
 * `next` cursor then removes the overlap between replay and publish.
 */
export class WatchHub {
  private readonly watchers = new Set<Watcher>();
  private drainScheduled = false;

  /** Number of registered watchers (for tests and metrics). */
  get size(): number {
    return this.watchers.size;
  }

  /**
   * Registers a watch. `current` and `compacted` must describe the state `replay` reads.
   * A start at or below `compacted` ends the watch with Compacted (asynchronously).
   */
  add(opts: WatchOptions, state: { current: number; compacted: number }, replay: ReplayFunc): void {
    if (opts.signal.aborted) return;
    const start = opts.startRevision > 0 ? opts.startRevision : state.current + 1;
    if (start <= state.compacted) {
      const err = new StorageError('Compacted', `watch start revision ${start} has been compacted (compacted ${state.compacted})`, {
        revision: state.compacted,
      });
      queueMicrotask(() => {
        if (!opts.signal.aborted) opts.onError(err);
      });
      return;
    }
    const queue = start <= state.current ? replay(opts.prefix, start) : [];
    const watcher: Watcher = {
      opts,
      next: Math.max(start, state.current + 1),
      queue,
      onAbort: () => {
        this.watchers.delete(watcher);
        watcher.queue = [];
      },
    };
    opts.signal.addEventListener('abort', watcher.onAbort, { once: true });
    this.watchers.add(watcher);
    if (queue.length > 0) this.scheduleDrain();
  }

  /** Hands the events of one or more commits (in revision order) to every interested watcher. */
  publish(events: WatchEvent[]): void {
    if (events.length === 0 || this.watchers.size === 0) return;
    for (const w of this.watchers) {
      for (const e of events) {
        const rev = eventRevision(e);
        if (rev < w.next || !eventKey(e).startsWith(w.opts.prefix)) continue;
        w.queue.push(e);
      }
      const last = eventRevision(events[events.length - 1]);
      if (last >= w.next) w.next = last + 1;
    }
    this.scheduleDrain();
  }

  /** Ends every watch with `err`, or silently when `err` is undefined (store closed). */
  closeAll(err?: StorageError): void {
    const all = [...this.watchers];
    this.watchers.clear();
    for (const w of all) {
      w.opts.signal.removeEventListener('abort', w.onAbort);
      w.queue = [];
      if (err) queueMicrotask(() => w.opts.onError(err));
    }
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    queueMicrotask(() => this.drain());
  }

  private drain(): void {
    this.drainScheduled = false;
    for (const w of this.watchers) {
      if (w.queue.length === 0) continue;
      const batch = w.queue;
      w.queue = [];
      try {
        w.opts.onEvents(batch);
      } catch (cause) {
        // The consumer broke its contract; end only its watch so the others keep going.
        this.watchers.delete(w);
        w.opts.signal.removeEventListener('abort', w.onAbort);
        w.opts.onError(new StorageError('Unavailable', `watch consumer failed: ${String(cause)}`));
      }
    }
  }
}
