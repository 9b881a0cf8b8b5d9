// One pod through the scheduler (upstream schedule_one.go): the synchronous scheduling cycle (snapshot,
// PreFilter, Filter over a sample of nodes, Score, pick a host, assume, Reserve, Permit) and the
// asynchronous binding cycle (WaitOnPermit, PreBind, Bind, PostBind) that runs while the next pod is scheduled.
import type { Pod } from '../api/generated/core/v1.js';
import { realClock, type Clock } from '../base/clock.js';
import { klog } from '../base/logger.js';
import type { Interface as ClientInterface } from '../client/rest/interface.js';
import type { Cache } from './cache/cache.js';
import { Snapshot } from './cache/snapshot.js';
import type { EventRecorder } from './event-recorder.js';
import { AssignedPodDelete } from './framework/events.js';
import { CycleState } from './framework/cycle-state.js';
import { ErrNoNodesAvailable, FitError, newDiagnosis, type Diagnosis } from './framework/fit-error.js';
import type { QueuedPodInfo } from './framework/interface.js';
import type { NodeInfo } from './framework/node-info.js';
import type { Framework } from './framework/runtime.js';
import { Code, Status, isSuccess, rejection } from './framework/status.js';
import type { SchedulerMetrics } from './metrics.js';
import type { SchedulingQueue } from './queue/scheduling-queue.js';

const log = klog.withName('schedule-one.ts');

/** Upstream minFeasibleNodesToFind and minFeasibleNodesPercentageToFind. */
export const minFeasibleNodesToFind = 100;
export const minFeasibleNodesPercentageToFind = 5;

/**
 * How many feasible nodes to look for (upstream numFeasibleNodesToFind): all below 100 nodes; otherwise
 * `percentage` of them (0 = adaptive: 50% − nodes/125, at least 5%), and never fewer than 100.
 */
export function numFeasibleNodesToFind(percentage: number | undefined, numAllNodes: number): number {
  if (numAllNodes < minFeasibleNodesToFind) return numAllNodes;
  let p = percentage ?? 0;
  if (p === 0) {
    p = 50 - Math.trunc(numAllNodes / 125);
    if (p < minFeasibleNodesPercentageToFind) p = minFeasibleNodesPercentageToFind;
  }
  const n = Math.trunc((numAllNodes * p) / 100);
  return n < minFeasibleNodesToFind ? minFeasibleNodesToFind : n;
}

export interface ScheduleResult {
  suggestedHost: string;
  evaluatedNodes: number;
  feasibleNodes: number;
}

export interface SchedulerCoreOptions {
  cache: Cache;
  queue: SchedulingQueue;
  profiles: ReadonlyMap<string, Framework>;
  client?: ClientInterface;
  recorder?: EventRecorder;
  metrics?: SchedulerMetrics;
  clock?: Clock;
  /** The global percentageOfNodesToScore (profiles may override). */
  percentageOfNodesToScore?: number;
  /** [0, 1) random numbers for tie-breaking; Math.random by default. */
  random?: () => number;
  /** Current pod from the informer cache, to skip failure handling for pods deleted or bound meanwhile. */
  getPod?: (namespace: string, name: string) => Pod | undefined;
}

const podsGVR = { group: '', version: 'v1', resource: 'pods' };

export class SchedulerCore {
  readonly snapshot = new Snapshot();
  nextStartNodeIndex = 0;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly bindings = new Set<Promise<void>>();

  constructor(private readonly o: SchedulerCoreOptions) {
    this.clock = o.clock ?? realClock;
    this.random = o.random ?? Math.random;
  }

  /** Runs one extension point and observes scheduler_framework_extension_point_duration_seconds. */
  private timed<T>(point: string, fwk: Framework, fn: () => T, statusOf: (r: T) => Status | null | undefined): T {
    if (!this.o.metrics) return fn();
    const t0 = performance.now();
    const r = fn();
    const s = statusOf(r);
    this.o.metrics.extensionPoint(point, s ? s.codeName() : 'Success', fwk.profileName(), (performance.now() - t0) / 1000);
    return r;
  }

  private async timedAsync(point: string, fwk: Framework, fn: () => Promise<Status | null>): Promise<Status | null> {
    if (!this.o.metrics) return fn();
    const t0 = performance.now();
    const s = await fn();
    this.o.metrics.extensionPoint(point, s ? s.codeName() : 'Success', fwk.profileName(), (performance.now() - t0) / 1000);
    return s;
  }

  /** Schedules the next pod; the binding continues in the background. Returns false once the queue is closed. */
  async scheduleOne(signal: AbortSignal): Promise<boolean> {
    const qpi = await this.o.queue.pop(signal);
    if (!qpi) return false;
    this.scheduleQueuedPod(qpi, signal);
    return true;
  }

  /** Runs the scheduling cycle for a popped pod (synchronously) and starts its binding cycle. */
  scheduleQueuedPod(qpi: QueuedPodInfo, signal: AbortSignal): void {
    const pod = qpi.podInfo.pod;
    const fwk = this.o.profiles.get(pod.spec?.schedulerName ?? '');
    if (!fwk) {
      log.error('Pod has no matching profile', undefined, { pod: qpi.podInfo.key, schedulerName: pod.spec?.schedulerName });
      this.o.queue.done(qpi.podInfo.key);
      return;
    }
    if (pod.metadata?.deletionTimestamp || this.o.cache.isAssumedPod(pod)) {
      this.o.queue.done(qpi.podInfo.key);
      return;
    }
    const start = this.clock.now();
    const cycle = this.o.queue.schedulingCycle();
    const state = new CycleState();
    this.o.cache.updateSnapshot(this.snapshot);

    const r = this.schedulePod(fwk, state, pod);
    if (!(r instanceof FitError) && !(r instanceof Status)) {
      this.assumeAndBind(fwk, state, qpi, r, start, cycle, signal);
      return;
    }
    let status: Status;
    let nominatedNodeName = '';
    if (r instanceof FitError) {
      if (fwk.hasPostFilterPlugins()) {
        const pf = this.timed('PostFilter', fwk, () => fwk.runPostFilterPlugins(state, pod, r.diagnosis.nodeToStatus), (x) => x.status);
        // As upstream, whatever the PostFilter said (also a success with a message) goes into the summary.
        if (pf.status) r.diagnosis.postFilterMsg = pf.status.message();
        nominatedNodeName = pf.result?.nominatedNodeName ?? '';
      }
      qpi.unschedulablePlugins = r.diagnosis.unschedulablePlugins;
      qpi.pendingPlugins = r.diagnosis.pendingPlugins;
      status = new Status(Code.Unschedulable, [r.message()]);
    } else {
      status = r;
      if (r.isRejected() && r.plugin) qpi.unschedulablePlugins = new Set([r.plugin]);
    }
    this.o.metrics?.attempt(status.code === Code.Error ? 'error' : 'unschedulable', fwk.profileName(), (this.clock.now() - start) / 1000);
    this.handleSchedulingFailure(fwk, qpi, status, nominatedNodeName, cycle);
  }

  /** Upstream schedulePod: a host, a FitError (no node fits), or an error Status. */
  schedulePod(fwk: Framework, state: CycleState, pod: Pod): ScheduleResult | FitError | Status {
    if (this.snapshot.numNodes() === 0) return rejection(Code.UnschedulableAndUnresolvable, ErrNoNodesAvailable);
    const found = this.findNodesThatFitPod(fwk, state, pod);
    if (found instanceof Status) return found;
    const { feasible, diagnosis } = found;
    if (feasible.length === 0) return new FitError(pod, this.snapshot.numNodes(), diagnosis);
    const evaluatedNodes = feasible.length + diagnosis.nodeToStatus.size;
    if (feasible.length === 1) return { suggestedHost: feasible[0].name(), evaluatedNodes, feasibleNodes: 1 };
    const totals = this.prioritizeNodes(fwk, state, pod, feasible);
    if (totals instanceof Status) return totals;
    return { suggestedHost: this.selectHost(feasible, totals), evaluatedNodes, feasibleNodes: feasible.length };
  }

  findNodesThatFitPod(fwk: Framework, state: CycleState, pod: Pod): { feasible: NodeInfo[]; diagnosis: Diagnosis } | Status {
    const diagnosis = newDiagnosis();
    const allNodes = this.snapshot.list();
    const pre = this.timed('PreFilter', fwk, () => fwk.runPreFilterPlugins(state, pod, allNodes), (x) => x.status);
    if (!isSuccess(pre.status)) {
      const s = pre.status as Status;
      if (!s.isRejected()) return s;
      diagnosis.preFilterMsg = s.message();
      diagnosis.absentNodesStatus = s;
      for (const p of pre.unschedulablePlugins) diagnosis.unschedulablePlugins.add(p);
      return { feasible: [], diagnosis };
    }
    // A nominated node (after preemption) is tried first.
    const nominated = pod.status?.nominatedNodeName;
    if (nominated) {
      const ni = this.snapshot.get(nominated);
      if (ni && isSuccess(fwk.runFilterPluginsWithNominatedPods(state, pod, ni))) return { feasible: [ni], diagnosis };
    }
    let nodes: readonly NodeInfo[] = allNodes;
    if (pre.result?.nodeNames) {
      const picked: NodeInfo[] = [];
      for (const name of pre.result.nodeNames) {
        const ni = this.snapshot.get(name);
        if (ni) picked.push(ni);
      }
      nodes = picked;
      diagnosis.absentNodesStatus = rejection(Code.UnschedulableAndUnresolvable, `node(s) didn't satisfy plugin(s) [${(pre.resultPlugins ?? []).join(' ')}]`);
    }
    const feasible = this.findNodesThatPassFilters(fwk, state, pod, diagnosis, nodes, allNodes.length);
    if (feasible instanceof Status) return feasible;
    return { feasible, diagnosis };
  }

  /** Filters nodes from the round-robin start index until enough feasible nodes are found. */
  findNodesThatPassFilters(
    fwk: Framework,
    state: CycleState,
    pod: Pod,
    diagnosis: Diagnosis,
    nodes: readonly NodeInfo[],
    numAllNodes: number,
  ): NodeInfo[] | Status {
    const n = nodes.length;
    const toFind = numFeasibleNodesToFind(fwk.percentageOfNodesToScore ?? this.o.percentageOfNodesToScore, n);
    const feasible: NodeInfo[] = [];
    const start = n === 0 ? 0 : this.nextStartNodeIndex % n;
    const filters = fwk.activeFilterPlugins(state);
    const withNominated = !this.o.queue.nominator.empty();
    let processed = 0;
    for (let i = 0; i < n && feasible.length < toFind; i++) {
      const ni = nodes[(start + i) % n];
      processed++;
      const s = withNominated ? fwk.runFilterPluginsWithNominatedPods(state, pod, ni, filters) : fwk.runFilterPlugins(state, pod, ni, filters);
      if (s === null) {
        feasible.push(ni);
        continue;
      }
      if (s.code === Code.Error) return s;
      diagnosis.nodeToStatus.set(ni.name(), s);
      if (s.code === Code.Pending) diagnosis.pendingPlugins.add(s.plugin);
      else diagnosis.unschedulablePlugins.add(s.plugin);
    }
    if (numAllNodes > 0) this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % numAllNodes;
    return feasible;
  }

  /** PreScore + Score: total weighted score per feasible node (1 each without score plugins). */
  prioritizeNodes(fwk: Framework, state: CycleState, pod: Pod, nodes: NodeInfo[]): number[] | Status {
    if (!fwk.hasScorePlugins()) return nodes.map(() => 1);
    const pre = this.timed('PreScore', fwk, () => fwk.runPreScorePlugins(state, pod, nodes), (x) => x);
    if (!isSuccess(pre)) return pre as Status;
    const r = this.timed('Score', fwk, () => fwk.runScorePlugins(state, pod, nodes), (x) => x.status);
    if (!isSuccess(r.status)) return r.status as Status;
    return r.totals;
  }

  /** The highest total; ties broken uniformly at random (reservoir sampling, as upstream). */
  selectHost(nodes: NodeInfo[], totals: number[]): string {
    let best = 0;
    let ties = 1;
    for (let i = 1; i < nodes.length; i++) {
      if (totals[i] > totals[best]) {
        best = i;
        ties = 1;
      } else if (totals[i] === totals[best]) {
        ties++;
        if (Math.floor(this.random() * ties) === 0) best = i;
      }
    }
    return nodes[best].name();
  }

  private assumeAndBind(fwk: Framework, state: CycleState, qpi: QueuedPodInfo, r: ScheduleResult, start: number, cycle: number, signal: AbortSignal): void {
    const pod = qpi.podInfo.pod;
    const host = r.suggestedHost;
    const assumed: Pod = { ...pod, spec: { ...(pod.spec ?? { containers: [] }), nodeName: host } };
    try {
      this.o.cache.assumePod(assumed);
    } catch (err) {
      this.o.metrics?.attempt('error', fwk.profileName(), (this.clock.now() - start) / 1000);
      this.handleSchedulingFailure(fwk, qpi, new Status(Code.Error, [String(err)]), '', cycle);
      return;
    }
    const reserve = this.timed('Reserve', fwk, () => fwk.runReservePluginsReserve(state, assumed, host), (x) => x);
    if (!isSuccess(reserve)) {
      this.undo(fwk, state, assumed, host);
      this.failAfterAssume(fwk, qpi, reserve as Status, start, cycle);
      return;
    }
    const permit = this.timed('Permit', fwk, () => fwk.runPermitPlugins(state, assumed, host), (x) => x);
    if (!isSuccess(permit) && (permit as Status).code !== Code.Wait) {
      this.undo(fwk, state, assumed, host);
      this.failAfterAssume(fwk, qpi, permit as Status, start, cycle);
      return;
    }
    // The pod is placed in the cache: the next pod can be scheduled while this one binds.
    this.o.queue.nominator.deleteNominatedPodIfExists(pod);
    const p = this.bindingCycle(fwk, state, qpi, assumed, host, start, cycle, signal).finally(() => {
      this.bindings.delete(p);
      this.o.metrics?.bindingsInFlight(this.bindings.size);
    });
    this.bindings.add(p);
    this.o.metrics?.bindingsInFlight(this.bindings.size);
  }

  private async bindingCycle(
    fwk: Framework,
    state: CycleState,
    qpi: QueuedPodInfo,
    assumed: Pod,
    host: string,
    start: number,
    cycle: number,
    signal: AbortSignal,
  ): Promise<void> {
    let s = await fwk.waitOnPermit(assumed);
    if (isSuccess(s)) s = await this.timedAsync('PreBind', fwk, () => fwk.runPreBindPlugins(state, assumed, host, signal));
    if (isSuccess(s)) s = await this.timedAsync('Bind', fwk, () => fwk.runBindPlugins(state, assumed, host, signal));
    if (!isSuccess(s)) {
      this.undo(fwk, state, assumed, host);
      // The freed room may let other pods fit (upstream moves pods as for an assigned pod's deletion).
      this.o.queue.moveAllToActiveOrBackoffQueue(AssignedPodDelete, assumed, undefined);
      this.failAfterAssume(fwk, qpi, s as Status, start, cycle);
      return;
    }
    this.o.cache.finishBinding(assumed);
    const now = this.clock.now();
    this.o.metrics?.attempt('scheduled', fwk.profileName(), (now - start) / 1000);
    this.o.metrics?.podScheduled(qpi.attempts, (now - (qpi.initialAttemptTimestamp ?? qpi.timestamp)) / 1000);
    this.timed('PostBind', fwk, () => fwk.runPostBindPlugins(state, assumed, host), () => null);
    this.o.queue.done(qpi.podInfo.key);
    const meta = assumed.metadata ?? {};
    log.v(2).info('Successfully bound pod to node', { pod: qpi.podInfo.key, node: host, evaluatedNodes: undefined });
    this.o.recorder?.eventf(assumed, 'Normal', 'Scheduled', 'Binding', `Successfully assigned ${meta.namespace}/${meta.name} to ${host}`);
  }

  private undo(fwk: Framework, state: CycleState, assumed: Pod, host: string): void {
    fwk.runReservePluginsUnreserve(state, assumed, host);
    this.o.cache.forgetPod(assumed);
  }

  private failAfterAssume(fwk: Framework, qpi: QueuedPodInfo, s: Status, start: number, cycle: number): void {
    if (s.isRejected() && s.plugin) qpi.unschedulablePlugins = new Set([s.plugin]);
    this.o.metrics?.attempt(s.code === Code.Error ? 'error' : 'unschedulable', fwk.profileName(), (this.clock.now() - start) / 1000);
    this.handleSchedulingFailure(fwk, qpi, s, '', cycle);
  }

  /**
   * Upstream handleSchedulingFailure: requeue (unless the pod was deleted or bound meanwhile), a
   * FailedScheduling event, and the PodScheduled=False condition with reason Unschedulable or SchedulerError.
   */
  handleSchedulingFailure(fwk: Framework, qpi: QueuedPodInfo, status: Status, nominatedNodeName: string, cycle: number): void {
    const pod = qpi.podInfo.pod;
    const meta = pod.metadata ?? {};
    const reason = status.code === Code.Error ? 'SchedulerError' : 'Unschedulable';
    const msg = status.message();
    const current = this.o.getPod?.(meta.namespace ?? '', meta.name ?? '');
    if (this.o.getPod && (!current || current.metadata?.uid !== meta.uid)) {
      this.o.queue.done(qpi.podInfo.key);
      return;
    }
    if (current?.spec?.nodeName) {
      this.o.queue.done(qpi.podInfo.key);
      return;
    }
    this.o.queue.addUnschedulableIfNotPresent(qpi, cycle);
    if (nominatedNodeName) this.o.queue.nominator.addNominatedPod(qpi.podInfo, nominatedNodeName);
    if (status.code === Code.Error) log.error('Error scheduling pod; retrying', undefined, { pod: qpi.podInfo.key, err: msg });
    else log.v(2).info('Unable to schedule pod; waiting', { pod: qpi.podInfo.key, err: msg });
    this.o.recorder?.eventf(pod, 'Warning', 'FailedScheduling', 'Scheduling', msg);
    void this.updatePodScheduledCondition(current ?? pod, reason, msg, nominatedNodeName, fwk);
  }

  /** Patches status.conditions[PodScheduled] (and nominatedNodeName) when they change. */
  private async updatePodScheduledCondition(pod: Pod, reason: string, message: string, nominatedNodeName: string, _fwk: Framework): Promise<void> {
    const client = this.o.client;
    if (!client) return;
    const old = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    const sameNomination = !nominatedNodeName || nominatedNodeName === pod.status?.nominatedNodeName;
    if (old && old.status === 'False' && old.reason === reason && old.message === message && sameNomination) return;
    const now = new Date(Math.floor(this.clock.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const condition = {
      type: 'PodScheduled',
      status: 'False',
      reason,
      message,
      lastProbeTime: null,
      lastTransitionTime: old && old.status === 'False' ? (old.lastTransitionTime ?? now) : now,
    };
    const patch: Record<string, unknown> = { status: { conditions: [condition] } };
    if (nominatedNodeName) (patch.status as Record<string, unknown>).nominatedNodeName = nominatedNodeName;
    const meta = pod.metadata ?? {};
    try {
      await client.resource(podsGVR, meta.namespace ?? '').patch(meta.name ?? '', 'strategic', patch, { subresource: 'status' });
    } catch (err) {
      log.v(2).info('Could not update the pod condition', { pod: `${meta.namespace}/${meta.name}`, err: String(err) });
    }
  }

  /** Waits for every binding in flight (shutdown, tests). */
  async waitForBindings(): Promise<void> {
    while (this.bindings.size > 0) await Promise.allSettled([...this.bindings]);
  }

  bindingsInFlight(): number {
    return this.bindings.size;
  }
}
