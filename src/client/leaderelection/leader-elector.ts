// client-go's LeaderElector: candidates race for a Lease; the holder renews it every retry period and
// leads while renewals succeed within the renew deadline; the others take over once a lease they have
// watched stay unchanged for a whole lease duration (measured on their own clock, so skew does not matter).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { isAlreadyExists, isNotFound } from '../../apimachinery/errors.js';
import { realClock, type Clock } from '../../base/clock.js';
import { klog, type Logger } from '../../base/logger.js';
import type { LeaderElectionRecord, LeaseLock } from './lease-lock.js';

export interface LeaderCallbacks {
  /** Called when this candidate starts leading; `signal` aborts when it stops (lost lease or shutdown). */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called when `run` ends (as client-go, also when this candidate never led). */
  onStoppedLeading(): void;
  /** Called when a different holder is observed, including this candidate itself. */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectionConfig {
  lock: LeaseLock;
  /** How long a lease is valid without renewal; candidates wait this long before taking over. Default 15s. */
  leaseDurationMs?: number;
  /** The leader gives up when it could not renew for this long. Default 10s. Must be < leaseDuration. */
  renewDeadlineMs?: number;
  /** Time between tries to acquire or renew (jittered ×1.2 while acquiring). Default 2s. */
  retryPeriodMs?: number;
  callbacks: LeaderCallbacks;
  /** On shutdown, the leader clears the lease so the next candidate need not wait for it to expire. */
  releaseOnCancel?: boolean;
  /** Names the election in logs (e.g. "kube-controller-manager"). */
  name?: string;
  clock?: Clock;
  logger?: Logger;
  random?: () => number;
}

/** The identity of this process as candidate: `<hostname>_<uuid>` like the components upstream. */
export function defaultIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

const jitterFactor = 1.2;

export class LeaderElector {
  private readonly lock: LeaseLock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly callbacks: LeaderCallbacks;
  private readonly releaseOnCancel: boolean;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly random: () => number;
  /** The record last seen, and when (on our clock) it was first seen in that state. */
  private observed: LeaderElectionRecord | undefined;
  private observedTime = 0;
  private reportedLeader = '';

  constructor(config: LeaderElectionConfig) {
    this.lock = config.lock;
    this.leaseDurationMs = config.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = config.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = config.retryPeriodMs ?? 2_000;
    if (this.leaseDurationMs <= this.renewDeadlineMs) throw new Error('leaseDuration must be greater than renewDeadline');
    if (this.renewDeadlineMs <= jitterFactor * this.retryPeriodMs) throw new Error('renewDeadline must be greater than retryPeriod*JitterFactor');
    this.callbacks = config.callbacks;
    this.releaseOnCancel = config.releaseOnCancel ?? false;
    this.clock = config.clock ?? realClock;
    this.logger = (config.logger ?? klog).withName('leader-elector.ts').withValues({ lock: config.lock.describe(), ...(config.name ? { election: config.name } : {}) });
    this.random = config.random ?? Math.random;
  }

  /** True while this candidate holds the lease as far as it last observed. */
  isLeader(): boolean {
    return this.observed?.holderIdentity === this.lock.identity;
  }

  /** The holder last observed ("" when none). */
  getLeader(): string {
    return this.observed?.holderIdentity ?? '';
  }

  /**
   * Competes until `signal` aborts: acquires, leads (calling onStartedLeading), renews, and when renewal
   * fails or `signal` aborts, stops leading. Resolves once everything has stopped; never rejects.
   */
  async run(signal: AbortSignal): Promise<void> {
    try {
      if (!(await this.acquire(signal))) return;
      const leading = new AbortController();
      const onAbort = (): void => leading.abort(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      let leader: Promise<void> = Promise.resolve();
      try {
        leader = Promise.resolve()
          .then(() => this.callbacks.onStartedLeading(leading.signal))
          .catch((err: unknown) => this.logger.error('onStartedLeading failed', err));
        await this.renew(signal);
      } finally {
        signal.removeEventListener('abort', onAbort);
        leading.abort(new Error('leader election lost'));
        if (this.releaseOnCancel && signal.aborted) await this.release();
        await leader;
      }
    } finally {
      this.callbacks.onStoppedLeading();
    }
  }

  /** Tries every retry period (jittered) until this candidate holds the lease; false when aborted. */
  private async acquire(signal: AbortSignal): Promise<boolean> {
    this.logger.info('attempting to acquire leader lease');
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew()) {
        this.logger.info('successfully acquired lease');
        return true;
      }
      const wait = this.retryPeriodMs * (1 + this.random() * jitterFactor);
      if (!(await this.sleep(wait, signal))) return false;
    }
    return false;
  }

  /** Renews every retry period; returns when a renewal failed for the whole renew deadline, or on abort. */
  private async renew(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const deadline = this.clock.now() + this.renewDeadlineMs;
      let renewed = false;
      while (!signal.aborted && this.clock.now() < deadline) {
        if (await this.tryAcquireOrRenew()) {
          renewed = true;
          break;
        }
        const left = deadline - this.clock.now();
        if (left <= 0 || !(await this.sleep(Math.min(this.retryPeriodMs, left), signal))) break;
      }
      if (signal.aborted) return;
      if (!renewed) {
        this.logger.info('failed to renew lease: timed out waiting for the condition');
        return;
      }
      if (!(await this.sleep(this.retryPeriodMs, signal))) return;
    }
  }

  /**
   * One attempt (client-go tryAcquireOrRenew): creates the lease when missing, takes it when free or
   * expired, renews it when ours. False when someone else holds it or the write lost a race.
   */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const desired: LeaderElectionRecord = {
      holderIdentity: this.lock.identity,
      leaseDurationSeconds: Math.round(this.leaseDurationMs / 1000),
      renewTime: now,
      acquireTime: now,
      leaderTransitions: 0,
    };
    let current: LeaderElectionRecord;
    try {
      current = await this.lock.get();
    } catch (err) {
      if (!isNotFound(err)) {
        this.logger.error('error retrieving resource lock', err);
        return false;
      }
      try {
        await this.lock.create(desired);
      } catch (createErr) {
        if (!isAlreadyExists(createErr)) this.logger.error('error initially creating leader election record', createErr);
        return false;
      }
      this.setObserved(desired, now);
      return true;
    }
    if (!this.observed || !sameRecord(this.observed, current)) this.setObserved(current, now);
    const heldByOther = current.holderIdentity !== '' && current.holderIdentity !== this.lock.identity;
    if (heldByOther && this.observedTime + current.leaseDurationSeconds * 1000 > now) return false;
    if (current.holderIdentity === this.lock.identity) {
      desired.acquireTime = current.acquireTime;
      desired.leaderTransitions = current.leaderTransitions;
    } else {
      desired.leaderTransitions = current.leaderTransitions + 1;
    }
    try {
      await this.lock.update(desired);
    } catch (err) {
      this.logger.v(2).info('failed to update lock', { err: err instanceof Error ? err.message : String(err) });
      return false;
    }
    this.setObserved(desired, now);
    return true;
  }

  /**
   * Gives the lease up (holder "", duration 1s) so another candidate can take it at once. Waits at most one
   * retry period for the apiserver: a stopping component must not hang on an apiserver that is gone (the
   * lease then simply expires).
   */
  private async release(): Promise<void> {
    if (!this.isLeader() || !this.observed) return;
    const now = this.clock.now();
    const record: LeaderElectionRecord = {
      holderIdentity: '',
      leaseDurationSeconds: 1,
      renewTime: now,
      acquireTime: now,
      leaderTransitions: this.observed.leaderTransitions,
    };
    const giveUp = new AbortController();
    const timedOut = this.clock.sleep(this.retryPeriodMs, giveUp.signal).then(
      () => 'timed out' as const,
      () => 'cancelled' as const,
    );
    try {
      const outcome = await Promise.race([this.lock.update(record).then(() => 'released' as const), timedOut]);
      if (outcome === 'released') this.setObserved(record, now);
      else this.logger.error('failed to release lock', new Error(`no answer within ${this.retryPeriodMs} ms`));
    } catch (err) {
      this.logger.error('failed to release lock', err);
    } finally {
      giveUp.abort();
    }
  }

  private setObserved(record: LeaderElectionRecord, now: number): void {
    this.observed = record;
    this.observedTime = now;
    if (record.holderIdentity !== '' && record.holderIdentity !== this.reportedLeader) {
      this.reportedLeader = record.holderIdentity;
      try {
        this.callbacks.onNewLeader?.(record.holderIdentity);
      } catch (err) {
        this.logger.error('onNewLeader failed', err);
      }
    }
  }

  /** Sleeps on the clock; false when aborted. */
  private async sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await this.clock.sleep(ms, signal);
      return true;
    } catch {
      return false;
    }
  }
}

function sameRecord(a: LeaderElectionRecord, b: LeaderElectionRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.renewTime === b.renewTime &&
    a.acquireTime === b.acquireTime &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.leaderTransitions === b.leaderTransitions
  );
}
