// The Job controller (upstream pkg/controller/job): runs a Job's pods to `completions` successes with at most
// `parallelism` at once (NonIndexed or Indexed), counts finished pods exactly once through the
// batch.kubernetes.io/job-tracking finalizer and status.uncountedTerminatedPods, and ends the Job on success,
// backoffLimit, activeDeadlineSeconds or a podFailurePolicy rule; suspend deletes its pods.
import type * as batchv1 from '../../../api/generated/batch/v1.js';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { isNotFound } from '../../../apimachinery/errors.js';
import { labelSelectorAsSelector } from '../../../apimachinery/labels/label-selector.js';
import type { Selector } from '../../../apimachinery/labels/selector.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { Interface, ResourceInterface } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import { isPodReady } from '../../active-pods.js';
import { metaTime } from '../../conditions.js';
import type { Controller, ControllerContext, EventRecorder, InformerHandle } from '../../controller-context.js';
import { recorderForKind, resources } from '../../controller-context.js';
import { claimObjects, getControllerOf, keyOf, newControllerRef, recheckOwner, splitKey, type OwnerReference } from '../../controller-ref-manager.js';
import { UIDTrackingControllerExpectations } from '../../expectations.js';
import type { ControllerMetrics } from '../../metrics.js';
import { slowStartBatch } from '../../slow-start-batch.js';
import { deletedObject } from '../../deleted-object.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import { TerminalError, isNamespaceTerminating, type SyncResult } from '../../worker-loop.js';
import { formatIndexes, getCompletionIndex, parseIndexes } from './indexes.js';
import { matchSuccessPolicy } from './success-policy.js';
import { defaultPodBackoff, nextBackoffRecord, remainingBackoff, type BackoffRecord, type PodBackoffOptions } from './pod-backoff.js';
import { indexBackoff, indexFailureCount, indexFailures, type IndexFailures } from './per-index-backoff.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import {
  hasTrackingFinalizer,
  isIndexed,
  isJobPodActive,
  isJobPodFailed,
  isJobPodTerminating,
  jobTrackingFinalizer,
  newJobPod,
  onlyReplaceFailedPods,
  podFinishTime,
} from './job-pods.js';
import { committedFinish, failure, isJobFinished, jobMessages, jobReasons, success, withJobCondition, type JobFinish } from './job-status.js';

type Pod = Typed<corev1.Pod>;
export type Job = Typed<batchv1.Job>;

export const jobKind = { apiVersion: 'batch/v1', kind: 'Job' } as const;
export const jobsResource = { group: 'batch', version: 'v1', resource: 'jobs' } as const;
/** spec.managedBy value meaning "this controller" (other values hand the Job to an external controller). */
export const jobControllerManagedBy = 'kubernetes.io/job-controller';
/** The most pods one sync creates (upstream MaxPodCreateDeletePerSync). */
export const maxPodCreateDeletePerSync = 500;

export interface JobControllerDeps {
  client: Interface;
  jobs: InformerHandle<Job>;
  pods: InformerHandle<Pod>;
  recorder: EventRecorder;
  queue: RateLimitingQueue<string>;
  /** Pods with the tracking finalizer whose Job is gone (upstream orphanQueue). */
  orphanQueue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
  /** Delay before replacing failed pods (default upstream's 10 s doubling to 10 min). */
  podBackoff?: PodBackoffOptions;
}


const removeFinalizerPatch = { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [jobTrackingFinalizer] } };

export class JobController implements Controller {
  readonly name = 'job-controller';
  readonly expectations: UIDTrackingControllerExpectations;
  /** Per Job key: UIDs of pods whose finalizer we removed and whose update the informer has not shown yet. */
  private readonly finalizerExpectations = new Map<string, Set<string>>();
  private readonly backoff = new Map<string, BackoffRecord>();
  private readonly deps: JobControllerDeps;

  constructor(deps: JobControllerDeps) {
    this.deps = deps;
    this.expectations = new UIDTrackingControllerExpectations(deps.clock);
    deps.jobs.informer.addEventHandler({
      onAdd: (job) => this.enqueue(job),
      onUpdate: (old, cur) => {
        if (old.metadata?.uid !== cur.metadata?.uid) this.onJobDeleted(old);
        this.enqueue(cur);
      },
      onDelete: (obj) => this.onJobDeleted(deletedObject(obj)),
    });
    deps.pods.informer.addEventHandler({
      onAdd: (pod) => this.onPod(undefined, pod),
      onUpdate: (old, cur) => this.onPod(old, cur),
      onDelete: (obj) => this.onPodDeleted(deletedObject(obj)),
    });
  }

  async run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    const common = { signal: opts.signal, logger: deps.logger, clock: deps.clock, metrics: deps.metrics };
    const hasSynced = [() => deps.jobs.informer.hasSynced(), () => deps.pods.informer.hasSynced()];
    await Promise.all([
      runAfterCacheSync({ isIgnorable: isNamespaceTerminating, ...common, hasSynced, name: this.name, queue: deps.queue, sync: (key) => this.sync(key), workers: opts.workers }),
      runAfterCacheSync({ isIgnorable: isNamespaceTerminating, ...common, hasSynced, name: `${this.name}-orphan-pods`, queue: deps.orphanQueue, sync: (key) => this.syncOrphanPod(key), workers: 1 }),
    ]);
  }

  private enqueue(job: Job): void {
    this.deps.queue.add(keyOf(job));
  }

  private onJobDeleted(job: Job): void {
    const key = keyOf(job);
    this.expectations.deleteExpectations(key);
    this.finalizerExpectations.delete(key);
    this.backoff.delete(key);
    this.deps.queue.add(key);
    // Its pods keep their finalizer until someone removes it: that is us.
    for (const pod of this.deps.pods.lister.namespace(job.metadata?.namespace ?? '').list()) {
      if (getControllerOf(pod)?.uid === job.metadata?.uid && hasTrackingFinalizer(pod)) this.deps.orphanQueue.add(keyOf(pod));
    }
  }

  private resolveControllerRef(namespace: string, ref: OwnerReference | undefined): Job | undefined {
    if (!ref || ref.kind !== 'Job') return undefined;
    const job = this.deps.jobs.lister.namespace(namespace).get(ref.name);
    return job && job.metadata?.uid === ref.uid ? job : undefined;
  }

  private onPod(old: Pod | undefined, cur: Pod): void {
    if (old && old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    const ns = cur.metadata?.namespace ?? '';
    const ref = getControllerOf(cur);
    const job = this.resolveControllerRef(ns, ref);
    if (!hasTrackingFinalizer(cur)) this.finalizerObserved(job, cur);
    if (ref && !job) {
      if (ref.kind === 'Job' && hasTrackingFinalizer(cur)) this.deps.orphanQueue.add(keyOf(cur));
      return;
    }
    // Released by the garbage collector (an orphaning delete) with our finalizer still on: ours to remove.
    if (!ref && hasTrackingFinalizer(cur)) this.deps.orphanQueue.add(keyOf(cur));
    if (job) {
      const key = keyOf(job);
      if (cur.metadata?.deletionTimestamp) this.expectations.deletionObservedOf(key, keyOf(cur));
      else if (!old) this.expectations.creationObserved(key);
      this.enqueue(job);
      if (old) {
        const oldJob = this.resolveControllerRef(ns, getControllerOf(old));
        if (oldJob && oldJob !== job) this.enqueue(oldJob);
      }
      return;
    }
    // An orphan: Jobs selecting it may adopt it.
    if (cur.metadata?.deletionTimestamp) return;
    for (const candidate of this.jobsSelecting(cur)) this.enqueue(candidate);
  }

  /** Unfinished Jobs whose (non-empty) selector matches the pod: they may adopt it. */
  private jobsSelecting(pod: Pod): Job[] {
    return this.deps.jobs.lister
      .namespace(pod.metadata?.namespace ?? '')
      .list()
      .filter((job) => {
        const selector = selectorOf(job);
        return !isJobFinished(job) && selector !== undefined && !selector.empty() && selector.matches(pod.metadata?.labels);
      });
  }

  private onPodDeleted(pod: Pod): void {
    const job = this.resolveControllerRef(pod.metadata?.namespace ?? '', getControllerOf(pod));
    this.finalizerObserved(job, pod);
    if (!job) return;
    const key = keyOf(job);
    this.expectations.deletionObservedOf(key, keyOf(pod));
    this.deps.queue.add(key);
  }

  private finalizerObserved(job: Job | undefined, pod: Pod): void {
    if (job) this.finalizerExpectations.get(keyOf(job))?.delete(pod.metadata?.uid ?? '');
  }

  private jobs(namespace: string): ResourceInterface<Job> {
    return this.deps.client.resource<Job>(jobsResource, namespace);
  }

  private podsClient(namespace: string): ResourceInterface<Pod> {
    return this.deps.client.resource<Pod>(resources.pods, namespace);
  }

  /** Removes the tracking finalizer of a pod whose Job no longer exists (or no longer controls it). */
  async syncOrphanPod(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.deps.pods.lister.namespace(namespace).get(name);
    if (!pod || !hasTrackingFinalizer(pod)) return;
    const ref = getControllerOf(pod);
    if (ref ? this.resolveControllerRef(namespace, ref) : this.jobsSelecting(pod).length > 0) return;
    await this.removeTrackingFinalizer(pod);
  }

  /** Removes the tracking finalizer of `pod` (already gone counts as done). Used by JobSync too. */
  async removeTrackingFinalizer(pod: Pod): Promise<void> {
    try {
      await this.podsClient(pod.metadata?.namespace ?? '').patch(pod.metadata?.name ?? '', 'strategic', removeFinalizerPatch);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Reconciles one Job. */
  async sync(key: string): Promise<SyncResult | void> {
    const { deps } = this;
    const { namespace, name } = splitKey(key);
    const job = deps.jobs.lister.namespace(namespace).get(name);
    if (!job) {
      this.expectations.deleteExpectations(key);
      this.finalizerExpectations.delete(key);
      this.backoff.delete(key);
      return;
    }
    const managedBy = job.spec?.managedBy;
    if (managedBy && managedBy !== jobControllerManagedBy) return;
    const selector = selectorOf(job);
    if (!selector) throw new TerminalError(`invalid selector of Job ${key}`);
    const pods = await claimObjects(
      {
        owner: job,
        ownerKind: jobKind,
        selector,
        children: this.podsClient(namespace),
        canAdopt: recheckOwner(() => this.jobs(namespace).get(name), job, 'Job'),
      },
      deps.pods.lister.namespace(namespace).list(),
    );
    if (isJobFinished(job)) {
      // Pods left with our finalizer (e.g. a restart between the last count and the condition) are released.
      await Promise.all(pods.filter(hasTrackingFinalizer).map((p) => this.removeTrackingFinalizer(p)));
      return;
    }
    return new JobSync(this, deps, key, job, pods).run();
  }

  /** Internal to JobSync: expectation bookkeeping shared across syncs. */
  state(key: string): { finalizers: Set<string>; backoff: BackoffRecord; setBackoff(r: BackoffRecord): void } {
    let finalizers = this.finalizerExpectations.get(key);
    if (!finalizers) this.finalizerExpectations.set(key, (finalizers = new Set()));
    return {
      finalizers,
      backoff: this.backoff.get(key) ?? { failuresAfterLastSuccess: 0 },
      setBackoff: (r) => this.backoff.set(key, r),
    };
  }
}

/** The Job's selector, or undefined when it cannot be parsed. */
function selectorOf(job: Job): Selector | undefined {
  try {
    return labelSelectorAsSelector(job.spec?.selector);
  } catch {
    return undefined;
  }
}

/** One reconciliation of one Job: the steps of upstream syncJob, in order, over a snapshot of its pods. */
class JobSync {
  private job: Job;
  private readonly status: batchv1.JobStatus;
  private readonly now: number;
  private readonly completions: number | undefined;
  private readonly indexed: boolean;
  private readonly uncountedSucceeded: Set<string>;
  private readonly uncountedFailed: Set<string>;
  private readonly completedIndexes: Set<number>;
  /** Indexes given up on (backoffLimitPerIndex exceeded, or a FailIndex rule). */
  private readonly failedIndexes: Set<number>;
  private readonly perIndex: boolean;
  private failJobMessage: string | undefined;
  private active: Pod[];
  private terminating: number;
  /** Events about the Job's own transitions, recorded only once the status carrying them was written. */
  private readonly transitions: Array<{ type: 'Normal' | 'Warning'; reason: string; message: string }> = [];

  constructor(
    private readonly controller: JobController,
    private readonly deps: JobControllerDeps,
    private readonly key: string,
    job: Job,
    private readonly pods: Pod[],
  ) {
    this.job = job;
    this.status = structuredClone(job.status ?? {});
    this.now = deps.clock.now();
    this.completions = job.spec?.completions;
    this.indexed = isIndexed(job);
    this.uncountedSucceeded = new Set(this.status.uncountedTerminatedPods?.succeeded ?? []);
    this.uncountedFailed = new Set(this.status.uncountedTerminatedPods?.failed ?? []);
    this.completedIndexes = this.indexed ? parseIndexes(this.status.completedIndexes, this.completions ?? 0) : new Set();
    this.perIndex = this.indexed && job.spec?.backoffLimitPerIndex !== undefined;
    this.failedIndexes = this.perIndex ? parseIndexes(this.status.failedIndexes, this.completions ?? 0) : new Set();
    this.active = pods.filter(isJobPodActive);
    this.terminating = pods.filter(isJobPodTerminating).length;
  }

  private cachedIndexFailures: Map<number, IndexFailures> | undefined;

  /** Failures per index from the failed pods (backoffLimitPerIndex), computed once per sync. */
  private get indexFailures(): Map<number, IndexFailures> {
    const policy = this.job.spec?.podFailurePolicy;
    this.cachedIndexFailures ??= indexFailures(this.pods, this.completions ?? 0, (p) => matchPodFailurePolicy(policy, p)?.action === 'Ignore', this.now);
    return this.cachedIndexFailures;
  }

  private get suspended(): boolean {
    return this.job.spec?.suspend === true;
  }

  async run(): Promise<SyncResult | void> {
    const { deps, key } = this;
    const state = this.controller.state(key);
    if (!this.status.startTime && !this.suspended) this.status.startTime = metaTime(this.now);

    // 1. Pods that finished since the last sync go into uncountedTerminatedPods before their finalizers go.
    let finish = committedFinish(this.job);
    const toRelease = this.findFinishedPods(state.finalizers, finish !== undefined);
    if (this.uncountedChanged()) await this.writeStatus();

    // 2. Release them, then count them.
    const released = await this.releasePods(toRelease, state.finalizers);
    const counted = this.countReleased(released);
    const nextBackoff = nextBackoffRecord(state.backoff, counted);
    state.setBackoff(nextBackoff);

    // 3. Decide whether the Job is over.
    finish ??= this.finishDecision();
    let requeueAfterMs: number | undefined;
    let manageError: unknown;
    if (finish) {
      this.status.conditions = withJobCondition(this.status.conditions, { type: finish.interim, status: 'True', reason: finish.reason, message: finish.message }, this.now);
      const satisfied = this.controller.expectations.satisfiedExpectations(key);
      if (satisfied && this.active.length > 0) manageError = await this.deleteActive(this.active, { keepFinalizers: true });
    } else if (this.suspended) {
      manageError = await this.suspend();
    } else {
      this.resume();
      if (this.controller.expectations.satisfiedExpectations(key)) {
        try {
          requeueAfterMs = await this.manage(nextBackoff);
        } catch (err) {
          manageError = err;
        }
      }
      const deadline = this.job.spec?.activeDeadlineSeconds;
      if (deadline !== undefined && this.status.startTime) {
        const left = Date.parse(this.status.startTime) + deadline * 1000 - this.now;
        requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, Math.max(left, 0) + 1);
      }
    }

    // 4. The terminal condition, once nothing of the Job runs or waits to be counted.
    if (finish && this.allPodsGone()) {
      this.status.conditions = withJobCondition(this.status.conditions, { type: finish.terminal, status: 'True', reason: finish.reason, message: finish.message }, this.now);
      if (finish.terminal === 'Complete') {
        this.status.completionTime = metaTime(this.now);
        this.transitions.push({ type: 'Normal', reason: 'Completed', message: 'Job completed' });
      } else {
        this.transitions.push({ type: 'Warning', reason: finish.reason, message: finish.message });
      }
    }
    await this.writeStatus();
    for (const e of this.transitions) deps.recorder.event(this.job, e.type, e.reason, e.message);
    if (manageError) throw manageError;
    return requeueAfterMs === undefined || !Number.isFinite(requeueAfterMs) ? undefined : { requeueAfterMs };
  }

  /**
   * Pods with our finalizer that finished and must be released: newly finished ones are added to the
   * uncounted sets (Indexed successes straight into completedIndexes). Once the Job is finishing, every pod
   * that did not succeed counts as failed.
   */
  private findFinishedPods(pendingRemovals: Set<string>, finishing: boolean): Pod[] {
    const out: Pod[] = [];
    const policy = this.job.spec?.podFailurePolicy;
    let succeededSoFar = (this.status.succeeded ?? 0) + this.uncountedSucceeded.size;
    for (const pod of this.pods) {
      const uid = pod.metadata?.uid ?? '';
      if (!hasTrackingFinalizer(pod) || pendingRemovals.has(uid)) continue;
      if (this.uncountedSucceeded.has(uid) || this.uncountedFailed.has(uid)) {
        out.push(pod);
        continue;
      }
      const succeeded = pod.status?.phase === 'Succeeded';
      const failed = !succeeded && (isJobPodFailed(pod, this.job) || (finishing && !isJobPodActive(pod)));
      if (!succeeded && !failed) continue;
      out.push(pod);
      if (succeeded) {
        if (this.indexed) {
          const index = getCompletionIndex(pod, this.completions ?? 0);
          if (index !== undefined) this.completedIndexes.add(index);
        } else if (this.completions === undefined || succeededSoFar < this.completions) {
          this.uncountedSucceeded.add(uid);
          succeededSoFar++;
        }
        continue;
      }
      const match = pod.status?.phase === 'Failed' ? matchPodFailurePolicy(policy, pod) : undefined;
      if (match?.action === 'Ignore') continue;
      if (match?.action === 'FailJob') this.failJobMessage ??= match.message;
      if (this.perIndex) {
        const index = getCompletionIndex(pod, this.completions ?? 0);
        const limit = this.job.spec?.backoffLimitPerIndex ?? 0;
        if (index !== undefined && (match?.action === 'FailIndex' || indexFailureCount(pod) + 1 > limit)) this.failedIndexes.add(index);
      }
      this.uncountedFailed.add(uid);
    }
    return out;
  }

  private uncountedChanged(): boolean {
    const before = this.job.status?.uncountedTerminatedPods;
    return (
      (before?.succeeded?.length ?? 0) !== this.uncountedSucceeded.size ||
      (before?.failed?.length ?? 0) !== this.uncountedFailed.size ||
      (this.indexed && formatIndexes(this.completedIndexes) !== (this.job.status?.completedIndexes ?? '')) ||
      (this.perIndex && formatIndexes(this.failedIndexes) !== (this.job.status?.failedIndexes ?? ''))
    );
  }

  /** Removes the finalizer of each pod; resolves with the UIDs now free of it (or gone). */
  private async releasePods(pods: Pod[], pending: Set<string>): Promise<Set<string>> {
    const released = new Set<string>();
    const errors: unknown[] = [];
    await Promise.all(
      pods.map(async (pod) => {
        const uid = pod.metadata?.uid ?? '';
        pending.add(uid);
        try {
          await this.controller.removeTrackingFinalizer(pod);
          released.add(uid);
        } catch (err) {
          pending.delete(uid);
          errors.push(err);
        }
      }),
    );
    // Uncounted pods that are no longer ours to release (gone, or released by an earlier sync).
    const present = new Map(this.pods.map((p) => [p.metadata?.uid ?? '', p]));
    for (const uid of [...this.uncountedSucceeded, ...this.uncountedFailed]) {
      const pod = present.get(uid);
      if (!pod || (!hasTrackingFinalizer(pod) && !pending.has(uid))) released.add(uid);
    }
    if (errors.length > 0) this.deps.logger.v(2).info('Could not remove tracking finalizers', { job: this.key, err: String(errors[0]) });
    return released;
  }

  /** Moves released UIDs from the uncounted sets into succeeded/failed. */
  private countReleased(released: Set<string>): { succeeded: number; failed: number; failedAt: number } {
    let succeeded = 0;
    let failed = 0;
    let failedAt = 0;
    const byUID = new Map(this.pods.map((p) => [p.metadata?.uid ?? '', p]));
    for (const uid of [...this.uncountedSucceeded]) {
      if (!released.has(uid)) continue;
      this.uncountedSucceeded.delete(uid);
      succeeded++;
    }
    for (const uid of [...this.uncountedFailed]) {
      if (!released.has(uid)) continue;
      this.uncountedFailed.delete(uid);
      failed++;
      const pod = byUID.get(uid);
      failedAt = Math.max(failedAt, (pod && podFinishTime(pod)) ?? this.now);
    }
    if (!this.indexed) this.status.succeeded = (this.status.succeeded ?? 0) + succeeded;
    this.status.failed = (this.status.failed ?? 0) + failed;
    return { succeeded, failed, failedAt };
  }

  private get failedTotal(): number {
    return (this.status.failed ?? 0) + this.uncountedFailed.size;
  }

  private get succeededTotal(): number {
    return this.indexed ? this.completedIndexes.size : (this.status.succeeded ?? 0) + this.uncountedSucceeded.size;
  }

  /**
   * upstream syncJob's order: podFailurePolicy FailJob, backoffLimit, activeDeadlineSeconds, failed indexes,
   * the successPolicy, then success by completions.
   */
  private finishDecision(): JobFinish | undefined {
    const spec = this.job.spec ?? ({} as batchv1.JobSpec);
    if (this.failJobMessage) return failure(jobReasons.podFailurePolicy, this.failJobMessage);
    const backoffLimit = spec.backoffLimit ?? 6;
    if (this.failedTotal > backoffLimit || this.pastBackoffLimitOnFailure(backoffLimit)) {
      return failure(jobReasons.backoffLimitExceeded, jobMessages.backoffLimitExceeded);
    }
    if (!this.suspended && spec.activeDeadlineSeconds !== undefined && this.status.startTime) {
      if (Date.parse(this.status.startTime) + spec.activeDeadlineSeconds * 1000 <= this.now) {
        return failure(jobReasons.deadlineExceeded, jobMessages.deadlineExceeded);
      }
    }
    if (this.perIndex) {
      if (spec.maxFailedIndexes !== undefined && this.failedIndexes.size > spec.maxFailedIndexes) {
        return failure(jobReasons.maxFailedIndexesExceeded, jobMessages.maxFailedIndexesExceeded);
      }
      const settled = this.completedIndexes.size + [...this.failedIndexes].filter((i) => !this.completedIndexes.has(i)).length;
      if (this.failedIndexes.size > 0 && settled >= (this.completions ?? 0)) return failure(jobReasons.failedIndexes, jobMessages.failedIndexes);
    }
    if (this.indexed && spec.successPolicy) {
      const matched = matchSuccessPolicy(spec.successPolicy, this.completions ?? 0, this.completedIndexes);
      if (matched) return { terminal: 'Complete', interim: 'SuccessCriteriaMet', reason: jobReasons.successPolicy, message: matched };
    }
    const done = this.completions === undefined ? this.succeededTotal > 0 && this.active.length === 0 : this.succeededTotal >= this.completions;
    return done ? success() : undefined;
  }

  /** restartPolicy OnFailure: container restarts of active pods count against backoffLimit. */
  private pastBackoffLimitOnFailure(backoffLimit: number): boolean {
    if (this.job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
    let restarts = 0;
    for (const pod of this.active) {
      for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) restarts += s.restartCount ?? 0;
    }
    return backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit;
  }

  private async suspend(): Promise<unknown> {
    const before = this.status.conditions;
    this.status.conditions = withJobCondition(before, { type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' }, this.now);
    if (!before?.some((c) => c.type === 'Suspended' && c.status === 'True')) this.transitions.push({ type: 'Normal', reason: 'Suspended', message: 'Job suspended' });
    if (!this.controller.expectations.satisfiedExpectations(this.key) || this.active.length === 0) return undefined;
    return this.deleteActive(this.active, { keepFinalizers: false });
  }

  /** Only a Job that was suspended gets Suspended=False, and its activeDeadlineSeconds restarts now. */
  private resume(): void {
    const current = this.status.conditions?.find((c) => c.type === 'Suspended');
    if (current?.status !== 'True') return;
    this.status.conditions = withJobCondition(this.status.conditions, { type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed' }, this.now);
    this.status.startTime = metaTime(this.now);
    this.transitions.push({ type: 'Normal', reason: 'Resumed', message: 'Job resumed' });
  }

  /** Creates or deletes pods towards the wanted number of active pods; resolves with a requeue delay. */
  private async manage(backoff: BackoffRecord): Promise<number | undefined> {
    const parallelism = this.job.spec?.parallelism ?? 1;
    let excess: Pod[] = [];
    let toCreate: Array<number | undefined> = [];
    let indexWait: number | undefined;
    if (this.indexed) {
      const plan = this.indexedPlan(parallelism);
      excess = plan.excess;
      toCreate = plan.create;
      indexWait = plan.waitMs;
    } else {
      let want: number;
      if (this.completions === undefined) want = this.succeededTotal > 0 ? this.active.length : parallelism;
      else want = Math.max(0, Math.min(parallelism, this.completions - this.succeededTotal));
      const occupying = this.active.length + (onlyReplaceFailedPods(this.job) ? this.terminating : 0);
      if (this.active.length > want) excess = rankForRemoval(this.active).slice(0, this.active.length - want);
      else if (occupying < want) toCreate = new Array<undefined>(want - occupying).fill(undefined);
    }
    if (excess.length > 0) {
      const err = await this.deleteActive(excess.slice(0, maxPodCreateDeletePerSync), { keepFinalizers: false });
      if (err) throw err;
      return undefined;
    }
    if (toCreate.length === 0) return indexWait;
    // With backoffLimitPerIndex each index waits on its own (indexedPlan); otherwise the Job as a whole.
    const wait = this.perIndex ? 0 : remainingBackoff(backoff, this.now, this.deps.podBackoff ?? defaultPodBackoff);
    if (wait > 0) return wait;
    await this.createPods(toCreate.slice(0, maxPodCreateDeletePerSync));
    return indexWait;
  }

  /** Indexed Jobs: one active pod per pending index, the lowest indexes first; duplicates and strays go. */
  private indexedPlan(parallelism: number): { excess: Pod[]; create: number[]; waitMs?: number } {
    const completions = this.completions ?? 0;
    const byIndex = new Map<number, Pod[]>();
    const excess: Pod[] = [];
    for (const pod of this.active) {
      const index = getCompletionIndex(pod, completions);
      if (index === undefined || this.completedIndexes.has(index) || this.failedIndexes.has(index)) excess.push(pod);
      else byIndex.set(index, [...(byIndex.get(index) ?? []), pod]);
    }
    for (const group of byIndex.values()) if (group.length > 1) excess.push(...rankForRemoval(group).slice(0, group.length - 1));
    const kept = this.active.length - excess.length;
    if (kept > parallelism) {
      const extra = rankForRemoval(this.active.filter((p) => !excess.includes(p))).slice(0, kept - parallelism);
      excess.push(...extra);
    }
    if (excess.length > 0) return { excess, create: [] };
    const terminatingIndexes = new Set<number>();
    if (onlyReplaceFailedPods(this.job)) {
      for (const pod of this.pods.filter(isJobPodTerminating)) {
        const index = getCompletionIndex(pod, completions);
        if (index !== undefined) terminatingIndexes.add(index);
      }
    }
    const create: number[] = [];
    let waitMs: number | undefined;
    for (let i = 0; i < completions && kept + create.length < parallelism; i++) {
      if (this.completedIndexes.has(i) || this.failedIndexes.has(i) || byIndex.has(i) || terminatingIndexes.has(i)) continue;
      const wait = this.perIndex ? indexBackoff(this.indexFailures.get(i), this.now, this.deps.podBackoff ?? defaultPodBackoff) : 0;
      if (wait > 0) waitMs = Math.min(waitMs ?? Infinity, wait);
      else create.push(i);
    }
    return { excess: [], create, waitMs };
  }

  private async createPods(indexes: Array<number | undefined>): Promise<void> {
    const { deps, key, job } = this;
    const namespace = job.metadata?.namespace ?? '';
    this.controller.expectations.expectCreations(key, indexes.length);
    const controllerRef = newControllerRef(job, jobKind);
    const { successes, error } = await slowStartBatch(indexes.length, 1, async (i) => {
      const index = indexes[i];
      const indexFailureCount = this.perIndex && index !== undefined ? (this.indexFailures.get(index)?.failures ?? 0) : undefined;
      const pod = newJobPod(job, controllerRef, { index, indexFailureCount });
      try {
        const created = await this.deps.client.resource<Pod>(resources.pods, namespace).create(pod);
        deps.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name}`);
        this.active.push(created);
      } catch (err) {
        if (isNamespaceTerminating(err)) return;
        deps.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
        throw err;
      }
    });
    const skipped = indexes.length - successes;
    if (skipped > 0) this.controller.expectations.lowerExpectations(key, skipped, 0);
    if (error) throw error;
  }

  /**
   * Deletes pods; `keepFinalizers` (a finishing Job) lets them be counted as failed once terminated, else
   * (scale-down, suspend) the finalizer goes first and they are not counted. Resolves with the first error.
   */
  private async deleteActive(pods: Pod[], opts: { keepFinalizers: boolean }): Promise<unknown> {
    const { deps, key, job } = this;
    const namespace = job.metadata?.namespace ?? '';
    this.controller.expectations.expectDeletionsOf(key, pods.map(keyOf));
    let first: unknown;
    await Promise.all(
      pods.map(async (pod) => {
        const name = pod.metadata?.name ?? '';
        try {
          if (!opts.keepFinalizers && hasTrackingFinalizer(pod)) await this.controller.removeTrackingFinalizer(pod);
          await this.podsClient(namespace).delete(name);
          deps.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
          this.active = this.active.filter((p) => p !== pod);
          this.terminating++;
        } catch (err) {
          this.controller.expectations.deletionObservedOf(key, keyOf(pod));
          if (isNotFound(err)) {
            this.active = this.active.filter((p) => p !== pod);
            return;
          }
          deps.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
          first ??= err;
        }
      }),
    );
    return first;
  }

  private podsClient(namespace: string): ResourceInterface<Pod> {
    return this.deps.client.resource<Pod>(resources.pods, namespace);
  }

  /** Nothing runs, terminates, or waits to be counted. */
  private allPodsGone(): boolean {
    if (this.active.length > 0 || this.terminating > 0) return false;
    if (this.uncountedSucceeded.size > 0 || this.uncountedFailed.size > 0) return false;
    return true;
  }

  private fillCounts(): void {
    const s = this.status;
    s.active = this.active.length || undefined;
    s.ready = this.active.filter(isPodReady).length;
    s.terminating = this.terminating;
    if (this.indexed) {
      s.succeeded = this.completedIndexes.size;
      s.completedIndexes = formatIndexes(this.completedIndexes);
      if (this.perIndex) s.failedIndexes = formatIndexes(this.failedIndexes);
    }
    if (!s.succeeded) delete s.succeeded;
    if (!s.failed) delete s.failed;
    if (s.active === undefined) delete s.active;
    s.uncountedTerminatedPods = {
      ...(this.uncountedSucceeded.size > 0 ? { succeeded: [...this.uncountedSucceeded] } : {}),
      ...(this.uncountedFailed.size > 0 ? { failed: [...this.uncountedFailed] } : {}),
    };
  }

  /** Writes status when it changed, guarded by the Job's resourceVersion (a conflict retries the sync). */
  private async writeStatus(): Promise<void> {
    this.fillCounts();
    if (JSON.stringify(this.status) === JSON.stringify(this.job.status ?? {})) return;
    const next: Job = { ...this.job, status: structuredClone(this.status) };
    this.job = await this.deps.client.resource<Job>(jobsResource, this.job.metadata?.namespace ?? '').updateStatus(next);
  }
}

/** Which active pods go first when there are too many: unscheduled, then not ready, then the newest. */
function rankForRemoval(pods: Pod[]): Pod[] {
  const score = (p: Pod): [number, number, string] => [p.spec?.nodeName ? 1 : 0, isPodReady(p) ? 1 : 0, p.metadata?.creationTimestamp ?? ''];
  return [...pods].sort((a, b) => {
    const [an, ar, at] = score(a);
    const [bn, br, bt] = score(b);
    return an - bn || ar - br || (at < bt ? 1 : at > bt ? -1 : 0);
  });
}

export function newJobController(ctx: ControllerContext): Controller {
  return new JobController({
    client: ctx.client,
    jobs: ctx.informers.forResource<Job>(jobsResource),
    pods: ctx.informers.forResource<Pod>(resources.pods),
    recorder: recorderForKind(ctx.recorder('job-controller'), jobKind),
    queue: ctx.newQueue('job'),
    orphanQueue: ctx.newQueue('job_orphan_pod'),
    clock: ctx.clock,
    logger: ctx.logger.withName('job_controller.ts'),
    metrics: ctx.metrics,
  });
}
