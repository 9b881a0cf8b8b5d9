// The ReplicaSet controller (also the ReplicationController controller, see replicated.ts): keeps the number
// of active pods a ReplicaSet owns equal to spec.replicas — adopting and releasing pods by selector,
// creating in slow-start batches, deleting the pods upstream's ranking puts first — and writes its status.
import type * as corev1 from '../../../api/generated/core/v1.js';
import type { Typed } from '../../../client/typed.js';
import { isNotFound } from '../../../apimachinery/errors.js';
import type { Selector } from '../../../apimachinery/labels/selector.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { Interface, ResourceInterface } from '../../../client/rest/interface.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import { compareForDeletion, isPodActive, isPodReady } from '../../active-pods.js';
import type { Controller, ControllerContext, InformerHandle } from '../../controller-context.js';
import { recorderForKind, resources } from '../../controller-context.js';
import {
  claimObjects,
  deletedObject,
  getControllerOf,
  keyOf,
  newControllerRef,
  ownersSelecting,
  recheckOwner,
  resolveControllerRef,
  splitKey,
  type OwnerReference,
} from '../../controller-ref-manager.js';
import { UIDTrackingControllerExpectations } from '../../expectations.js';
import type { ControllerMetrics } from '../../metrics.js';
import { RealPodControl, type PodControl } from '../../pod-control.js';
import { slowStartBatch } from '../../slow-start-batch.js';
import { TerminalError, isNamespaceTerminating, type SyncResult } from '../../worker-loop.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import { calculateStatus, statusUpToDate } from './replica-set-status.js';
import { replicaSetKind, replicationControllerKind, type Replicated, type ReplicatedKind, type ReplicatedStatus } from './replicated.js';

/** The most pods one sync creates or deletes (upstream BurstReplicas). */
export const burstReplicas = 500;

type Pod = Typed<corev1.Pod>;

export interface ReplicaSetControllerDeps {
  kind: ReplicatedKind;
  client: Interface;
  replicaSets: InformerHandle<Replicated>;
  pods: InformerHandle<Pod>;
  podControl: PodControl;
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
  burstReplicas?: number;
}

export class ReplicaSetController implements Controller {
  readonly name: string;
  readonly expectations: UIDTrackingControllerExpectations;
  private readonly deps: ReplicaSetControllerDeps;
  private readonly burst: number;

  constructor(deps: ReplicaSetControllerDeps) {
    this.deps = deps;
    this.name = deps.kind.controllerName;
    this.burst = deps.burstReplicas ?? burstReplicas;
    this.expectations = new UIDTrackingControllerExpectations(deps.clock);
    deps.replicaSets.informer.addEventHandler({
      onAdd: (rs) => this.enqueue(rs),
      onUpdate: (old, cur) => {
        if (old.metadata?.uid !== cur.metadata?.uid) this.onReplicaSetDeleted(old);
        this.enqueue(cur);
      },
      onDelete: (obj) => this.onReplicaSetDeleted(deletedObject(obj)),
    });
    deps.pods.informer.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (old, cur) => this.updatePod(old, cur),
      onDelete: (obj) => this.deletePod(deletedObject(obj)),
    });
  }

  async run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    await runAfterCacheSync({
      hasSynced: [() => deps.replicaSets.informer.hasSynced(), () => deps.pods.informer.hasSynced()],
      name: this.name,
      queue: deps.queue,
      sync: (key) => this.sync(key),
      workers: opts.workers,
      signal: opts.signal,
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
      isIgnorable: isNamespaceTerminating,
    });
  }

  private enqueue(rs: Replicated): void {
    this.deps.queue.add(keyOf(rs));
  }

  private onReplicaSetDeleted(rs: Replicated): void {
    const key = keyOf(rs);
    this.expectations.deleteExpectations(key);
    this.deps.queue.add(key);
  }

  private resolveControllerRef(namespace: string, ref: OwnerReference): Replicated | undefined {
    return resolveControllerRef(this.deps.replicaSets.lister, namespace, ref, this.deps.kind.kind);
  }

  /** Owners whose (non-empty) selector matches an orphan pod: they may want to adopt it. */
  private replicaSetsSelecting(pod: Pod): Replicated[] {
    return ownersSelecting(this.deps.replicaSets.lister, pod.metadata?.namespace ?? '', pod.metadata?.labels, (rs) => this.deps.kind.selectorOf(rs));
  }

  private addPod(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) {
      // Seen for the first time already terminating (e.g. after a restart): count it as deleted.
      this.deletePod(pod);
      return;
    }
    const ref = getControllerOf(pod);
    if (ref) {
      const rs = this.resolveControllerRef(pod.metadata?.namespace ?? '', ref);
      if (!rs) return;
      this.expectations.creationObserved(keyOf(rs));
      this.enqueue(rs);
      return;
    }
    for (const rs of this.replicaSetsSelecting(pod)) this.enqueue(rs);
  }

  private updatePod(old: Pod, cur: Pod): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    const labelsChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(cur.metadata?.labels ?? {});
    if (cur.metadata?.deletionTimestamp) {
      this.deletePod(cur);
      if (labelsChanged) this.deletePod(old);
      return;
    }
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = curRef?.uid !== oldRef?.uid;
    const ns = cur.metadata?.namespace ?? '';
    if (refChanged && oldRef) {
      const rs = this.resolveControllerRef(ns, oldRef);
      if (rs) this.enqueue(rs);
    }
    if (curRef) {
      const rs = this.resolveControllerRef(ns, curRef);
      if (!rs) return;
      this.enqueue(rs);
      // A pod that just became ready becomes available minReadySeconds later: look again then.
      const minReady = rs.spec?.minReadySeconds ?? 0;
      if (minReady > 0 && !isPodReady(old) && isPodReady(cur)) this.deps.queue.addAfter(keyOf(rs), minReady * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.replicaSetsSelecting(cur)) this.enqueue(rs);
  }

  private deletePod(pod: Pod): void {
    const ref = getControllerOf(pod);
    if (!ref) return;
    const rs = this.resolveControllerRef(pod.metadata?.namespace ?? '', ref);
    if (!rs) return;
    const key = keyOf(rs);
    this.expectations.deletionObservedOf(key, keyOf(pod));
    this.deps.queue.add(key);
  }

  private client(namespace: string): ResourceInterface<Replicated> {
    return this.deps.client.resource<Replicated>(this.deps.kind.gvr, namespace);
  }

  /** Reconciles one ReplicaSet: claim pods, create or delete the difference, write status. */
  async sync(key: string): Promise<SyncResult | void> {
    const { deps } = this;
    const { namespace, name } = splitKey(key);
    const rs = deps.replicaSets.lister.namespace(namespace).get(name);
    if (!rs) {
      this.expectations.deleteExpectations(key);
      return;
    }
    const needsSync = this.expectations.satisfiedExpectations(key);
    let selector: Selector;
    try {
      selector = deps.kind.selectorOf(rs);
    } catch (err) {
      throw new TerminalError(`invalid selector of ${deps.kind.kind} ${key}: ${(err as Error).message}`);
    }
    const active = deps.pods.lister.namespace(namespace).list().filter(isPodActive);
    const owned = await claimObjects(
      {
        owner: rs,
        ownerKind: deps.kind,
        selector,
        children: deps.client.resource<Pod>(resources.pods, namespace),
        canAdopt: recheckOwner(() => this.client(namespace).get(name), rs, deps.kind.kind),
      },
      active,
    );
    let manageError: unknown;
    if (needsSync && !rs.metadata?.deletionTimestamp) {
      try {
        await this.manageReplicas(owned, rs, key);
      } catch (err) {
        manageError = err;
      }
    }
    const now = deps.clock.now();
    const updated = await this.updateStatus(rs, calculateStatus(rs, owned, manageError, now));
    if (manageError) throw manageError;
    const minReady = rs.spec?.minReadySeconds ?? 0;
    const want = rs.spec?.replicas ?? 1;
    if (minReady > 0 && updated.status?.readyReplicas === want && updated.status?.availableReplicas !== want) {
      return { requeueAfterMs: minReady * 1000 };
    }
  }

  private async manageReplicas(owned: Pod[], rs: Replicated, key: string): Promise<void> {
    const { deps } = this;
    const namespace = rs.metadata?.namespace ?? '';
    const want = rs.spec?.replicas ?? 1;
    let diff = owned.length - want;
    if (diff < 0) {
      const count = Math.min(-diff, this.burst);
      this.expectations.expectCreations(key, count);
      const template = rs.spec?.template ?? {};
      const controllerRef = newControllerRef(rs, deps.kind);
      const { successes, error } = await slowStartBatch(count, 1, async () => {
        try {
          await deps.podControl.createPod({ namespace, template, owner: rs, controllerRef });
        } catch (err) {
          // The namespace is going away: nothing to create, and nothing to retry.
          if (!isNamespaceTerminating(err)) throw err;
        }
      });
      // Creations that never happened will never be observed: stop waiting for them.
      const skipped = count - successes;
      if (skipped > 0) this.expectations.lowerExpectations(key, skipped, 0);
      if (error) throw error;
      return;
    }
    if (diff > 0) {
      diff = Math.min(diff, this.burst);
      const victims = this.podsToDelete(owned, this.relatedPods(rs), diff);
      this.expectations.expectDeletionsOf(key, victims.map(keyOf));
      const results = await Promise.allSettled(
        victims.map((pod) => deps.podControl.deletePod({ namespace, name: pod.metadata?.name ?? '', owner: rs })),
      );
      let first: unknown;
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') return;
        // This deletion will not be observed: count it now.
        this.expectations.deletionObservedOf(key, keyOf(victims[i]!));
        if (!isNotFound(r.reason) && first === undefined) first = r.reason;
      });
      if (first !== undefined) throw first;
    }
  }

  /**
   * Pods of every ReplicaSet controlled by the same owner as `rs` (the Deployment's other revisions), so
   * scale-down prefers nodes where that Deployment has doubled up.
   */
  private relatedPods(rs: Replicated): Pod[] {
    const { deps } = this;
    const ns = rs.metadata?.namespace ?? '';
    const ownerUID = getControllerOf(rs)?.uid;
    const siblings = ownerUID
      ? deps.replicaSets.lister.namespace(ns).list().filter((r) => getControllerOf(r)?.uid === ownerUID)
      : [rs];
    const seen = new Set<string>();
    const out: Pod[] = [];
    for (const sibling of siblings) {
      let selector: Selector;
      try {
        selector = deps.kind.selectorOf(sibling);
      } catch {
        continue;
      }
      for (const pod of deps.pods.lister.namespace(ns).list()) {
        const uid = pod.metadata?.uid ?? '';
        if (seen.has(uid) || !selector.matches(pod.metadata?.labels)) continue;
        seen.add(uid);
        out.push(pod);
      }
    }
    return out;
  }

  /** The `diff` pods to delete first, by upstream's ranking. */
  private podsToDelete(owned: Pod[], related: Pod[], diff: number): Pod[] {
    if (diff >= owned.length) return owned;
    const onNode = new Map<string, number>();
    for (const pod of related) {
      if (!isPodActive(pod)) continue;
      const node = pod.spec?.nodeName ?? '';
      onNode.set(node, (onNode.get(node) ?? 0) + 1);
    }
    const now = this.deps.clock.now();
    return owned
      .map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }))
      .sort((a, b) => compareForDeletion(a, b, now))
      .slice(0, diff)
      .map((r) => r.pod);
  }

  /** Writes `status` unless nothing changed; retries once on a fresh copy (upstream statusUpdateRetries). */
  private async updateStatus(rs: Replicated, status: ReplicatedStatus): Promise<Replicated> {
    const withGeneration = { ...status, observedGeneration: rs.metadata?.generation };
    if (statusUpToDate(rs, withGeneration)) return rs;
    const client = this.client(rs.metadata?.namespace ?? '');
    let current: Replicated = rs;
    for (let attempt = 0; ; attempt++) {
      const next: Replicated = { ...structuredClone(current), status: { ...withGeneration, observedGeneration: current.metadata?.generation } };
      try {
        return await client.updateStatus(next);
      } catch (err) {
        if (attempt >= 1) throw err;
        current = await client.get(rs.metadata?.name ?? '');
      }
    }
  }
}

function newController(kind: ReplicatedKind, ctx: ControllerContext): ReplicaSetController {
  const recorder = recorderForKind(ctx.recorder(kind.component), kind);
  return new ReplicaSetController({
    kind,
    client: ctx.client,
    replicaSets: ctx.informers.forResource<Replicated>(kind.gvr),
    pods: ctx.informers.forResource<Pod>(resources.pods),
    podControl: new RealPodControl(ctx.client, recorder),
    queue: ctx.newQueue(kind.queueName),
    clock: ctx.clock,
    logger: ctx.logger.withName(`${kind.component}.ts`),
    metrics: ctx.metrics,
  });
}

export const newReplicaSetController = (ctx: ControllerContext): Controller => newController(replicaSetKind, ctx);
export const newReplicationManager = (ctx: ControllerContext): Controller => newController(replicationControllerKind, ctx);
