// Upstream's ControllerExpectations: a controller that creates or deletes pods remembers how many
// creations/deletions it still expects to see through its informer, and skips acting on a key until they
// arrived (or 5 minutes passed), so a stale cache never makes it create or delete the same pods twice.
import { realClock, type Clock } from '../base/clock.js';

/** After this long, unmet expectations are assumed lost (a watch event never came) and no longer block. */
export const expectationsTimeoutMs = 5 * 60 * 1000;

interface Expectation {
  add: number;
  del: number;
  timestamp: number;
}

/**
 * Counts of creations and deletions a controller waits to observe, per controller key ("ns/name").
 * Safe to call from informer handlers and workers alike (single-threaded JS: no locks needed).
 */
export class ControllerExpectations {
  private readonly store = new Map<string, Expectation>();

  constructor(protected readonly clock: Clock = realClock) {}

  /**
   * True when the controller may act on `key`: nothing is expected, everything expected was observed, or the
   * expectations expired. Unknown keys are satisfied (a new controller, or one whose expectations were deleted).
   */
  satisfiedExpectations(key: string): boolean {
    const exp = this.store.get(key);
    if (!exp) return true;
    if (exp.add <= 0 && exp.del <= 0) return true;
    return this.clock.now() - exp.timestamp > expectationsTimeoutMs;
  }

  /** The pending counts of `key`, if any were set. */
  getExpectations(key: string): { add: number; del: number } | undefined {
    const exp = this.store.get(key);
    return exp ? { add: exp.add, del: exp.del } : undefined;
  }

  setExpectations(key: string, add: number, del: number): void {
    this.store.set(key, { add, del, timestamp: this.clock.now() });
  }

  expectCreations(key: string, adds: number): void {
    this.setExpectations(key, adds, 0);
  }

  expectDeletions(key: string, dels: number): void {
    this.setExpectations(key, 0, dels);
  }

  /** Adds to the pending counts (keeps the timestamp). */
  raiseExpectations(key: string, add: number, del: number): void {
    const exp = this.store.get(key);
    if (!exp) return;
    exp.add += add;
    exp.del += del;
  }

  /** Subtracts from the pending counts (e.g. for creations that were skipped or failed). */
  lowerExpectations(key: string, add: number, del: number): void {
    const exp = this.store.get(key);
    if (!exp) return;
    exp.add -= add;
    exp.del -= del;
  }

  creationObserved(key: string): void {
    this.lowerExpectations(key, 1, 0);
  }

  deletionObserved(key: string): void {
    this.lowerExpectations(key, 0, 1);
  }

  deleteExpectations(key: string): void {
    this.store.delete(key);
  }
}

/**
 * Expectations that remember *which* pods are expected to go (by pod key), so a deletion is counted once
 * even when the informer reports it twice (an update with deletionTimestamp, then the delete).
 */
export class UIDTrackingControllerExpectations extends ControllerExpectations {
  private readonly uids = new Map<string, Set<string>>();

  /** Expects the deletion of exactly the pods `podKeys` for controller `key`. */
  expectDeletionsOf(key: string, podKeys: string[]): void {
    const set = new Set(podKeys);
    this.uids.set(key, set);
    this.setExpectations(key, 0, set.size);
  }

  /** Records that the pod `podKey` owned by controller `key` is gone (or going); repeated calls count once. */
  deletionObservedOf(key: string, podKey: string): void {
    const set = this.uids.get(key);
    if (set?.delete(podKey)) this.lowerExpectations(key, 0, 1);
  }

  override deleteExpectations(key: string): void {
    super.deleteExpectations(key);
    this.uids.delete(key);
  }
}
