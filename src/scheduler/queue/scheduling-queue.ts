// The scheduling queue (upstream PriorityQueue): activeQ in QueueSort order, backoffQ ordered by backoff
// expiry (1s doubling to 10s per attempt), and unschedulablePods that move back only on a cluster event one
// of their rejecting plugins registered for, or after 5 minutes. Gated pods (PreEnqueue) wait there too.
import type { Pod } from '../../api/generated/core/v1.js';
import { realClock, type Clock, type Timer } from '../../base/clock.js';
import { eventMatches, UnschedulableTimeout, type ClusterEvent } from '../framework/events.js';
import { QueueingHint, type ClusterEventWithHint, type QueuedPodInfo } from '../framework/interface.js';
import { newPodInfo, podKey } from '../framework/node-info.js';
import type { Status } from '../framework/status.js';
import { Heap } from './heap.js';
import { Nominator } from './nominator.js';

/** Upstream DefaultPodMaxInUnschedulablePodsDuration. */
export const podMaxInUnschedulablePodsDuration = 5 * 60_000;
const backoffFlushIntervalMs = 1000;
const unschedulableFlushIntervalMs = 30_000;

/** The queue-facing part of a profile: its PreEnqueue plugins and the events its plugins registered. */
export interface QueueProfile {
  runPreEnqueuePlugins(pod: Pod): Status | null;
  eventsToRegister(): Map<string, ClusterEventWithHint[]>;
}

export interface QueueMetrics {
  /** A pod entered `queue` ("active", "backoff", "unschedulable", "gated") because of `event`. */
  incoming(queue: string, event: string): void;
  /** Current lengths. */
  pending(counts: { active: number; backoff: number; unschedulable: number; gated: number }): void;
  /** A pod entered (+1) or left (−1) unschedulablePods, rejected by `plugins` of `profile`. */
  unschedulablePlugins?(plugins: readonly string[], profile: string, delta: 1 | -1): void;
}

export interface SchedulingQueueOptions {
  /** Orders activeQ (the profiles' QueueSort; all profiles share one). */
  less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  /** Profile by scheduler name. */
  profiles: ReadonlyMap<string, QueueProfile>;
  clock?: Clock;
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  podMaxInUnschedulablePodsDurationMs?: number;
  metrics?: QueueMetrics;
}

export class SchedulingQueue {
  readonly nominator = new Nominator();
  private readonly clock: Clock;
  private readonly activeQ: Heap<QueuedPodInfo>;
  private readonly backoffQ: Heap<QueuedPodInfo>;
  private readonly unschedulablePods = new Map<string, QueuedPodInfo>();
  /** Pods popped and not yet returned, key → newest pod object seen while in flight. */
  private readonly inFlight = new Map<string, Pod | undefined>();
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;
  private readonly maxUnschedulable: number;
  private readonly events = new Map<string, Map<string, ClusterEventWithHint[]>>();
  private schedulingCycle_ = 0;
  /** The cycle in which the last move request happened: pods failing in an older cycle go to backoffQ. */
  private moveRequestCycle = -1;
  private waiters: Array<() => void> = [];
  private closed = false;
  private timers: Timer[] = [];
  /** Every event any plugin of any profile registered: an event outside it cannot move any pod. */
  private readonly anyRegistered: ClusterEvent[] = [];
  /** How many pods in unschedulablePods are gated (kept so metrics need not scan). */
  private gatedCount = 0;
  /** The plugins each unschedulable pod was counted under in scheduler_unschedulable_pods. */
  private readonly countedUnschedulable = new Map<string, { plugins: string[]; profile: string }>();

  constructor(private readonly opts: SchedulingQueueOptions) {
    this.clock = opts.clock ?? realClock;
    this.initialBackoff = opts.podInitialBackoffMs ?? 1000;
    this.maxBackoff = opts.podMaxBackoffMs ?? 10_000;
    this.maxUnschedulable = opts.podMaxInUnschedulablePodsDurationMs ?? podMaxInUnschedulablePodsDuration;
    this.activeQ = new Heap((q) => q.podInfo.key, opts.less);
    this.backoffQ = new Heap(
      (q) => q.podInfo.key,
      (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b),
    );
    for (const [name, p] of opts.profiles) {
      const events = p.eventsToRegister();
      this.events.set(name, events);
      for (const list of events.values()) for (const e of list) this.anyRegistered.push(e.event);
    }
  }

  /** Puts `qpi` into unschedulablePods, keeping the gated count and scheduler_unschedulable_pods. */
  private setUnschedulable(qpi: QueuedPodInfo): void {
    this.deleteUnschedulable(qpi.podInfo.key);
    if (qpi.gated) this.gatedCount++;
    this.unschedulablePods.set(qpi.podInfo.key, qpi);
    if (!qpi.gated && this.opts.metrics?.unschedulablePlugins) {
      // What was counted, so that removal subtracts exactly that even if the pod's record changes meanwhile.
      const counted = { plugins: [...qpi.unschedulablePlugins, ...qpi.pendingPlugins], profile: qpi.podInfo.pod.spec?.schedulerName ?? '' };
      this.countedUnschedulable.set(qpi.podInfo.key, counted);
      this.opts.metrics.unschedulablePlugins(counted.plugins, counted.profile, 1);
    }
  }

  private deleteUnschedulable(key: string): void {
    const old = this.unschedulablePods.get(key);
    if (!old) return;
    if (old.gated) this.gatedCount--;
    this.unschedulablePods.delete(key);
    const counted = this.countedUnschedulable.get(key);
    if (counted) {
      this.countedUnschedulable.delete(key);
      this.opts.metrics?.unschedulablePlugins?.(counted.plugins, counted.profile, -1);
    }
  }

  /** Starts the periodic flushes (backoffQ every second, unschedulablePods every 30s) until `signal` aborts. */
  run(signal: AbortSignal): void {
    const loop = (ms: number, fn: () => void): void => {
      const t = this.clock.setTimer(ms, () => {
        this.timers = this.timers.filter((x) => x !== t);
        if (signal.aborted) return;
        fn();
        loop(ms, fn);
      });
      this.timers.push(t);
    };
    loop(backoffFlushIntervalMs, () => this.flushBackoffQCompleted());
    loop(unschedulableFlushIntervalMs, () => this.flushUnschedulablePodsLeftover());
    signal.addEventListener('abort', () => this.close(), { once: true });
  }

  /** Stops: pending and future pop() calls resolve with undefined. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) t.stop();
    this.timers = [];
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  schedulingCycle(): number {
    return this.schedulingCycle_;
  }

  private newQueuedPodInfo(pod: Pod): QueuedPodInfo {
    return {
      podInfo: newPodInfo(pod),
      timestamp: this.clock.now(),
      attempts: 0,
      initialAttemptTimestamp: undefined,
      unschedulablePlugins: new Set(),
      pendingPlugins: new Set(),
      gated: false,
      gatingPlugin: '',
    };
  }

  /** Runs PreEnqueue; a gated pod goes to unschedulablePods. Returns false when gated. */
  private moveToActiveQ(qpi: QueuedPodInfo, event: string): boolean {
    const profile = this.opts.profiles.get(qpi.podInfo.pod.spec?.schedulerName ?? '');
    const s = profile?.runPreEnqueuePlugins(qpi.podInfo.pod) ?? null;
    // Out first, while qpi.gated still says how it was counted.
    this.deleteUnschedulable(qpi.podInfo.key);
    if (s !== null) {
      qpi.gated = true;
      qpi.gatingPlugin = s.plugin;
      qpi.unschedulablePlugins = new Set([s.plugin]);
      this.setUnschedulable(qpi);
      this.opts.metrics?.incoming('gated', event);
      return false;
    }
    qpi.gated = false;
    qpi.gatingPlugin = '';
    this.backoffQ.delete(qpi.podInfo.key);
    this.activeQ.addOrUpdate(qpi);
    this.opts.metrics?.incoming('active', event);
    this.wake();
    return true;
  }

  private wake(): void {
    if (this.waiters.length === 0) return;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** A new unscheduled pod (informer add). */
  add(pod: Pod): void {
    const qpi = this.newQueuedPodInfo(pod);
    this.nominator.addNominatedPod(qpi.podInfo, '');
    this.moveToActiveQ(qpi, 'PodAdd');
    this.reportPending();
  }

  /**
   * An unscheduled pod changed. In activeQ/backoffQ it is replaced in place; in unschedulablePods a spec
   * change moves it (to backoffQ while backing off), a gate removal re-runs PreEnqueue; in flight, the newest
   * object is kept for when the attempt returns it.
   */
  update(oldPod: Pod, newPod: Pod): void {
    const key = podKey(newPod);
    if (this.inFlight.has(key)) {
      this.inFlight.set(key, newPod);
      return;
    }
    for (const q of [this.activeQ, this.backoffQ]) {
      const existing = q.get(key);
      if (existing) {
        existing.podInfo = newPodInfo(newPod);
        this.nominator.updateNominatedPod(oldPod, existing.podInfo);
        q.addOrUpdate(existing);
        return;
      }
    }
    const u = this.unschedulablePods.get(key);
    if (!u) {
      this.add(newPod);
      return;
    }
    u.podInfo = newPodInfo(newPod);
    this.nominator.updateNominatedPod(oldPod, u.podInfo);
    if (u.gated) {
      this.moveToActiveQ(u, 'PodUpdate');
    } else if (isPodUpdated(oldPod, newPod)) {
      this.deleteUnschedulable(key);
      if (this.isPodBackingOff(u)) {
        this.backoffQ.addOrUpdate(u);
        this.opts.metrics?.incoming('backoff', 'PodUpdate');
      } else {
        this.moveToActiveQ(u, 'PodUpdate');
      }
    }
    this.reportPending();
  }

  /** The pod is gone or got bound by someone else. */
  delete(pod: Pod): void {
    const key = podKey(pod);
    this.nominator.deleteNominatedPodIfExists(pod);
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.deleteUnschedulable(key);
    if (this.inFlight.has(key)) this.inFlight.set(key, undefined);
    this.reportPending();
  }

  /**
   * Waits for the head of activeQ. Resolves undefined once the queue is closed or `signal` aborts. The pod is
   * in flight until done() or addUnschedulableIfNotPresent().
   */
  async pop(signal?: AbortSignal): Promise<QueuedPodInfo | undefined> {
    for (;;) {
      if (this.closed || signal?.aborted) return undefined;
      const qpi = this.activeQ.pop();
      if (qpi) {
        qpi.attempts++;
        this.schedulingCycle_++;
        qpi.initialAttemptTimestamp ??= this.clock.now();
        this.inFlight.set(qpi.podInfo.key, qpi.podInfo.pod);
        this.reportPending();
        return qpi;
      }
      await new Promise<void>((resolve) => {
        const onAbort = (): void => resolve();
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiters.push(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
  }

  /** The attempt for `key` is over (scheduled, or requeued). */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /**
   * Returns a pod whose attempt failed. Pods that failed with an error, or while a move request happened
   * during their attempt, go to backoffQ; rejected pods go to unschedulablePods. A pod deleted while in
   * flight is dropped.
   */
  addUnschedulableIfNotPresent(qpi: QueuedPodInfo, podSchedulingCycle: number): void {
    const key = qpi.podInfo.key;
    const latest = this.inFlight.get(key);
    const wasInFlight = this.inFlight.has(key);
    this.inFlight.delete(key);
    if (wasInFlight && latest === undefined) return;
    if (this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulablePods.has(key)) return;
    if (latest && latest !== qpi.podInfo.pod) qpi.podInfo = newPodInfo(latest);
    qpi.timestamp = this.clock.now();
    this.nominator.addNominatedPod(qpi.podInfo, '');
    if (qpi.unschedulablePlugins.size === 0 && qpi.pendingPlugins.size === 0) {
      this.backoffQ.addOrUpdate(qpi);
      this.opts.metrics?.incoming('backoff', 'ScheduleAttemptFailure');
    } else if (this.moveRequestCycle >= podSchedulingCycle) {
      this.backoffQ.addOrUpdate(qpi);
      this.opts.metrics?.incoming('backoff', 'ScheduleAttemptFailure');
    } else {
      this.setUnschedulable(qpi);
      this.opts.metrics?.incoming('unschedulable', 'ScheduleAttemptFailure');
    }
    this.reportPending();
  }

  /** Moves every unschedulable pod that `event` may help to activeQ, or backoffQ while it backs off. */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent, oldObj?: unknown, newObj?: unknown): void {
    this.moveRequestCycle = this.schedulingCycle_;
    if (this.unschedulablePods.size === 0) return;
    if (event !== UnschedulableTimeout && !this.anyRegistered.some((r) => eventMatches(r, event))) return;
    const moved: QueuedPodInfo[] = [];
    for (const qpi of this.unschedulablePods.values()) {
      if (this.podMatchesEvent(qpi, event, oldObj, newObj)) moved.push(qpi);
    }
    for (const qpi of moved) this.requeue(qpi, event.label);
    if (moved.length > 0) this.reportPending();
  }

  private requeue(qpi: QueuedPodInfo, event: string): void {
    this.deleteUnschedulable(qpi.podInfo.key);
    if (qpi.gated) {
      this.moveToActiveQ(qpi, event);
    } else if (this.isPodBackingOff(qpi)) {
      this.backoffQ.addOrUpdate(qpi);
      this.opts.metrics?.incoming('backoff', event);
    } else {
      this.moveToActiveQ(qpi, event);
    }
  }

  /** Whether a plugin that rejected the pod registered for the event (and its hint, if any, says Queue). */
  private podMatchesEvent(qpi: QueuedPodInfo, event: ClusterEvent, oldObj: unknown, newObj: unknown): boolean {
    if (event.resource === '*' && event === UnschedulableTimeout) return true;
    const rejectors = qpi.gated ? [qpi.gatingPlugin] : [...qpi.unschedulablePlugins, ...qpi.pendingPlugins];
    if (rejectors.length === 0) return true;
    const registered = this.events.get(qpi.podInfo.pod.spec?.schedulerName ?? '');
    for (const plugin of rejectors) {
      for (const ev of registered?.get(plugin) ?? []) {
        if (!eventMatches(ev.event, event)) continue;
        if (!ev.queueingHintFn || ev.queueingHintFn(qpi.podInfo.pod, oldObj, newObj) === QueueingHint.Queue) return true;
      }
    }
    return false;
  }

  /** Upstream calculateBackoffDuration: initial, doubled per further attempt, capped at max. */
  backoffDuration(qpi: QueuedPodInfo): number {
    let d = this.initialBackoff;
    for (let i = 1; i < qpi.attempts; i++) {
      if (d > this.maxBackoff - d) return this.maxBackoff;
      d += d;
    }
    return d;
  }

  private backoffExpiry(qpi: QueuedPodInfo): number {
    return qpi.timestamp + this.backoffDuration(qpi);
  }

  isPodBackingOff(qpi: QueuedPodInfo): boolean {
    return this.backoffExpiry(qpi) > this.clock.now();
  }

  /** Moves pods whose backoff has expired to activeQ. */
  flushBackoffQCompleted(): void {
    const now = this.clock.now();
    let moved = false;
    for (;;) {
      const head = this.backoffQ.peek();
      if (!head || this.backoffExpiry(head) > now) break;
      this.backoffQ.pop();
      this.moveToActiveQ(head, 'BackoffComplete');
      moved = true;
    }
    if (moved) this.reportPending();
  }

  /** Moves pods that stayed in unschedulablePods longer than the maximum (5 min). */
  flushUnschedulablePodsLeftover(): void {
    const now = this.clock.now();
    const old = [...this.unschedulablePods.values()].filter((q) => !q.gated && now - q.timestamp > this.maxUnschedulable);
    for (const qpi of old) this.requeue(qpi, UnschedulableTimeout.label);
    if (old.length > 0) this.reportPending();
  }

  /** Lengths per queue (unschedulable excludes gated pods). */
  counts(): { active: number; backoff: number; unschedulable: number; gated: number } {
    return { active: this.activeQ.len(), backoff: this.backoffQ.len(), unschedulable: this.unschedulablePods.size - this.gatedCount, gated: this.gatedCount };
  }

  /** Every pending pod with where it waits (for tests and debugging). */
  pendingPods(): Array<{ key: string; queue: 'active' | 'backoff' | 'unschedulable' | 'gated' }> {
    return [
      ...this.activeQ.list().map((q) => ({ key: q.podInfo.key, queue: 'active' as const })),
      ...this.backoffQ.list().map((q) => ({ key: q.podInfo.key, queue: 'backoff' as const })),
      ...[...this.unschedulablePods.values()].map((q) => ({ key: q.podInfo.key, queue: q.gated ? ('gated' as const) : ('unschedulable' as const) })),
    ];
  }

  private reportPending(): void {
    this.opts.metrics?.pending(this.counts());
  }
}

/** True when something but the status, resourceVersion, generation or managedFields changed. */
export function isPodUpdated(oldPod: Pod, newPod: Pod): boolean {
  const strip = (p: Pod): string => {
    const { resourceVersion: _rv, generation: _g, managedFields: _mf, ...meta } = p.metadata ?? {};
    return JSON.stringify({ metadata: meta, spec: p.spec });
  };
  return strip(oldPod) !== strip(newPod);
}
