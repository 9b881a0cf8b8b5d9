// The Deployment controller (upstream pkg/controller/deployment): owns ReplicaSets by selector, and per
// sync either only scales (paused, or spec.replicas changed) or takes one rollout step of the Deployment's
// strategy, then writes status. Pods are the ReplicaSet controller's business; this one only watches them
// for Recreate.
import type { Selector } from '../../../apimachinery/labels/selector.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { Interface } from '../../../client/rest/interface.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import type { Controller, ControllerContext, EventRecorder, InformerHandle } from '../../controller-context.js';
import { recorderForKind, resources } from '../../controller-context.js';
import {
  claimObjects,
  deletedObject,
  getControllerOf,
  keyOf,
  ownersSelecting,
  recheckOwner,
  resolveControllerRef,
  splitKey,
  type OwnerReference,
} from '../../controller-ref-manager.js';
import type { ControllerMetrics } from '../../metrics.js';
import { TerminalError, isNamespaceTerminating, type SyncResult } from '../../worker-loop.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import { rolloutRecreate, type PodMap } from './recreate.js';
import { rolloutRolling } from './rolling.js';
import { DeploymentSync, deploymentKind } from './sync.js';
import type { Deployment, Pod, ReplicaSet } from './types.js';

/** Retries of one key before the controller gives up on it until its next change (upstream maxRetries). */
export const maxRetries = 15;

export interface DeploymentControllerDeps {
  client: Interface;
  deployments: InformerHandle<Deployment>;
  replicaSets: InformerHandle<ReplicaSet>;
  pods: InformerHandle<Pod>;
  recorder: EventRecorder;
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
}

export class DeploymentController implements Controller {
  readonly name = 'deployment';
  private readonly deps: DeploymentControllerDeps;
  private readonly syncer: DeploymentSync;

  constructor(deps: DeploymentControllerDeps) {
    this.deps = deps;
    this.syncer = new DeploymentSync({
      client: deps.client,
      replicaSets: deps.replicaSets.lister,
      recorder: deps.recorder,
      clock: deps.clock,
      logger: deps.logger,
    });
    deps.deployments.informer.addEventHandler({
      onAdd: (d) => this.enqueue(d),
      onUpdate: (_old, cur) => this.enqueue(cur),
      onDelete: (obj) => this.enqueue(deletedObject(obj)),
    });
    deps.replicaSets.informer.addEventHandler({
      onAdd: (rs) => this.addReplicaSet(rs),
      onUpdate: (old, cur) => this.updateReplicaSet(old, cur),
      onDelete: (obj) => this.deleteReplicaSet(deletedObject(obj)),
    });
    deps.pods.informer.addEventHandler({
      onDelete: (obj) => this.deletePod(deletedObject(obj)),
    });
  }

  async run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    await runAfterCacheSync({
      hasSynced: [() => deps.deployments.informer.hasSynced(), () => deps.replicaSets.informer.hasSynced(), () => deps.pods.informer.hasSynced()],
      name: this.name,
      queue: deps.queue,
      sync: (key) => this.sync(key),
      workers: opts.workers,
      signal: opts.signal,
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
      maxRetries,
      isIgnorable: isNamespaceTerminating,
    });
  }

  private enqueue(d: Deployment): void {
    this.deps.queue.add(keyOf(d));
  }

  private resolveControllerRef(namespace: string, ref: OwnerReference): Deployment | undefined {
    return resolveControllerRef(this.deps.deployments.lister, namespace, ref, 'Deployment');
  }

  /** Deployments whose selector matches an orphan ReplicaSet's labels (they may adopt it). */
  private deploymentsSelecting(rs: ReplicaSet): Deployment[] {
    return ownersSelecting(this.deps.deployments.lister, rs.metadata?.namespace ?? '', rs.metadata?.labels, (d) => DeploymentSync.selectorOf(d));
  }

  private addReplicaSet(rs: ReplicaSet): void {
    if (rs.metadata?.deletionTimestamp) {
      this.deleteReplicaSet(rs);
      return;
    }
    const ref = getControllerOf(rs);
    if (ref) {
      const d = this.resolveControllerRef(rs.metadata?.namespace ?? '', ref);
      if (d) this.enqueue(d);
      return;
    }
    for (const d of this.deploymentsSelecting(rs)) this.enqueue(d);
  }

  private updateReplicaSet(old: ReplicaSet, cur: ReplicaSet): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    const ns = cur.metadata?.namespace ?? '';
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = curRef?.uid !== oldRef?.uid;
    if (refChanged && oldRef) {
      const d = this.resolveControllerRef(ns, oldRef);
      if (d) this.enqueue(d);
    }
    if (curRef) {
      const d = this.resolveControllerRef(ns, curRef);
      if (d) this.enqueue(d);
      return;
    }
    const labelsChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(cur.metadata?.labels ?? {});
    if (labelsChanged || refChanged) for (const d of this.deploymentsSelecting(cur)) this.enqueue(d);
  }

  private deleteReplicaSet(rs: ReplicaSet): void {
    const ref = getControllerOf(rs);
    if (!ref) return;
    const d = this.resolveControllerRef(rs.metadata?.namespace ?? '', ref);
    if (d) this.enqueue(d);
  }

  /** Recreate waits for old pods to be gone: a deleted pod may unblock it. */
  private deletePod(pod: Pod): void {
    const ns = pod.metadata?.namespace ?? '';
    const ref = getControllerOf(pod);
    const rs = ref && resolveControllerRef(this.deps.replicaSets.lister, ns, ref, 'ReplicaSet');
    if (!rs) return;
    const dRef = getControllerOf(rs);
    const d = dRef && this.resolveControllerRef(ns, dRef);
    if (d && d.spec?.strategy?.type === 'Recreate') this.enqueue(d);
  }

  /** The ReplicaSets this Deployment owns, adopting and releasing by selector. */
  private async replicaSetsFor(d: Deployment, selector: Selector): Promise<ReplicaSet[]> {
    const { deps } = this;
    const ns = d.metadata?.namespace ?? '';
    return claimObjects(
      {
        owner: d,
        ownerKind: deploymentKind,
        selector,
        children: deps.client.resource<ReplicaSet>(resources.replicaSets, ns),
        canAdopt: recheckOwner(() => deps.client.resource<Deployment>(resources.deployments, ns).get(d.metadata?.name ?? ''), d, 'Deployment'),
      },
      deps.replicaSets.lister.namespace(ns).list(),
    );
  }

  /** Pods selected by the Deployment, grouped by the UID of the owned ReplicaSet that controls them. */
  private podMapFor(d: Deployment, selector: Selector, rsList: ReplicaSet[]): PodMap {
    const map: PodMap = new Map(rsList.map((rs) => [rs.metadata?.uid ?? '', [] as Pod[]]));
    for (const pod of this.deps.pods.lister.namespace(d.metadata?.namespace ?? '').list()) {
      if (!selector.matches(pod.metadata?.labels)) continue;
      const ref = getControllerOf(pod);
      if (!ref) continue;
      map.get(ref.uid)?.push(pod);
    }
    return map;
  }

  /** Reconciles one Deployment (upstream syncDeployment). */
  async sync(key: string): Promise<SyncResult | void> {
    const { deps } = this;
    const { namespace, name } = splitKey(key);
    const cached = deps.deployments.lister.namespace(namespace).get(name);
    if (!cached) return;
    const d: Deployment = structuredClone(cached);

    let selector: Selector;
    try {
      selector = DeploymentSync.selectorOf(d);
    } catch (err) {
      throw new TerminalError(`invalid selector of Deployment ${key}: ${(err as Error).message}`);
    }
    if (selector.empty()) {
      deps.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
        d.status = { ...d.status, observedGeneration: d.metadata?.generation };
        await this.syncer.updateStatus(d);
      }
      return;
    }

    const rsList = await this.replicaSetsFor(d, selector);
    const s = this.syncer;
    if (d.metadata?.deletionTimestamp) {
      const { newRS, oldRSs } = await s.getAllReplicaSetsAndSyncRevision(d, rsList, false);
      await s.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
      return;
    }
    await s.checkPausedConditions(d);
    if (d.spec?.paused || (await s.isScalingEvent(d, rsList))) {
      return this.scaleOnly(d, rsList);
    }
    if (d.spec?.strategy?.type === 'Recreate') {
      return rolloutRecreate(s, d, rsList, this.podMapFor(d, selector, rsList));
    }
    return rolloutRolling(s, d, rsList);
  }

  /** upstream sync(): size the ReplicaSets for spec.replicas, clean history when paused, write status. */
  private async scaleOnly(d: Deployment, rsList: ReplicaSet[]): Promise<void> {
    const s = this.syncer;
    const { newRS, oldRSs } = await s.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    const written = await s.scale(d, newRS, oldRSs);
    if (d.spec?.paused) await s.cleanupDeployment(oldRSs, d);
    // Status from the ReplicaSets as just written (the cache may not have them yet).
    const current = (rs: ReplicaSet | undefined) => (rs ? (written.get(rs.metadata?.name ?? '') ?? rs) : rs);
    await s.syncDeploymentStatus([...oldRSs.map(current), current(newRS)], current(newRS), d);
  }
}

export function newDeploymentController(ctx: ControllerContext): Controller {
  return new DeploymentController({
    client: ctx.client,
    deployments: ctx.informers.forResource<Deployment>(resources.deployments),
    replicaSets: ctx.informers.forResource<ReplicaSet>(resources.replicaSets),
    pods: ctx.informers.forResource<Pod>(resources.pods),
    recorder: recorderForKind(ctx.recorder('deployment-controller'), deploymentKind),
    queue: ctx.newQueue('deployment'),
    clock: ctx.clock,
    logger: ctx.logger.withName('deployment-controller.ts'),
    metrics: ctx.metrics,
  });
}
