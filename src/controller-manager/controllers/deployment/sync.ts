// The deployment controller's writes shared by every strategy (upstream sync.go): finding or creating the
// new ReplicaSet and syncing revisions, scaling ReplicaSets with events, proportional scaling, history
// cleanup, and status writes.
import { isAlreadyExists, isNotFound } from '../../../apimachinery/errors.js';
import { labelSelectorAsSelector } from '../../../apimachinery/labels/label-selector.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { Lister } from '../../../client/cache/interface.js';
import type { Interface } from '../../../client/rest/interface.js';
import type { EventRecorder } from '../../controller-context.js';
import { resources } from '../../controller-context.js';
import { getControllerOf, newControllerRef } from '../../controller-ref-manager.js';
import { computeHash, podTemplateHashLabel } from './pod-template-hash.js';
import {
  calculateStatus,
  getDeploymentCondition,
  hasProgressDeadline,
  newDeploymentCondition,
  reasons,
  rolloutStatus,
  setDeploymentCondition,
  statusEqual,
  stuckRequeueAfter,
} from './progress.js';
import { isRollingUpdate, isSaturated, maxSurge, newRSNewReplicas, proportionFor } from './replica-math.js';
import {
  byCreationTimestamp,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  desiredReplicas,
  equalIgnoreHash,
  filterActiveReplicaSets,
  findNewReplicaSet,
  findOldReplicaSets,
  replicaCount,
  specReplicas,
} from './replica-sets.js';
import { desiredReplicasAnnotationOf, maxRevision, replicasAnnotationsNeedUpdate, revisionAnnotation, setNewReplicaSetAnnotations, setReplicasAnnotations } from './revisions.js';
import type { Deployment, DeploymentStatus, ReplicaSet } from './types.js';

export const deploymentKind = { apiVersion: 'apps/v1', kind: 'Deployment' };

export interface DeploymentSyncDeps {
  client: Interface;
  replicaSets: Lister<ReplicaSet>;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
}

/** What a rollout step asks of the worker loop: look again after some time (progress deadline). */
export interface StepResult {
  requeueAfterMs?: number;
}

/**
 * The writes of one sync of one Deployment. `d` is a private copy (never the cache's): methods update it
 * in place as the server answers, so later steps see the revision and status just written.
 */
export class DeploymentSync {
  constructor(private readonly deps: DeploymentSyncDeps) {}

  private rsClient(ns: string) {
    return this.deps.client.resource<ReplicaSet>(resources.replicaSets, ns);
  }

  private deploymentClient(ns: string) {
    return this.deps.client.resource<Deployment>(resources.deployments, ns);
  }

  /** Writes `d.status` (PUT /status) and takes the server's copy into `d`. */
  async updateStatus(d: Deployment): Promise<void> {
    const updated = await this.deploymentClient(d.metadata?.namespace ?? '').updateStatus(d);
    d.metadata = updated.metadata;
    d.status = updated.status;
  }

  /**
   * Sets the Deployment's revision annotation to `revision` and writes it with UpdateStatus, as upstream does:
   * the apps status strategy takes metadata from the request, and the controller's RBAC role allows only
   * update of deployments/status, not patch. Returns true when it wrote.
   */
  private async syncDeploymentRevision(d: Deployment, revision: string): Promise<boolean> {
    if (d.metadata?.annotations?.[revisionAnnotation] === revision) return false;
    d.metadata = { ...(d.metadata ?? {}), annotations: { ...(d.metadata?.annotations ?? {}), [revisionAnnotation]: revision } };
    await this.updateStatus(d);
    return true;
  }

  /**
   * upstream getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created when `createIfNotExisted` and
   * missing) with its revision raised above every old one, and the old ReplicaSets.
   */
  async getAllReplicaSetsAndSyncRevision(d: Deployment, rsList: ReplicaSet[], createIfNotExisted: boolean): Promise<{ newRS?: ReplicaSet; oldRSs: ReplicaSet[] }> {
    const oldRSs = findOldReplicaSets(d, rsList);
    const newRS = await this.getNewReplicaSet(d, rsList, oldRSs, createIfNotExisted);
    return { newRS, oldRSs };
  }

  private async getNewReplicaSet(d: Deployment, rsList: ReplicaSet[], oldRSs: ReplicaSet[], createIfNotExisted: boolean): Promise<ReplicaSet | undefined> {
    const now = this.deps.clock.now();
    const ns = d.metadata?.namespace ?? '';
    const existing = findNewReplicaSet(d, rsList);
    const newRevision = maxRevision(oldRSs) + 1;

    if (existing) {
      let rs = structuredClone(existing);
      const annotationsUpdated = setNewReplicaSetAnnotations({ deployment: d, rs, newRevision, exists: true, maxSurge: maxSurge(d) });
      const minReadySecondsChanged = (rs.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0);
      if (annotationsUpdated || minReadySecondsChanged) {
        rs.spec!.minReadySeconds = d.spec?.minReadySeconds;
        rs = await this.rsClient(ns).update(rs);
        // Later steps of this sync read rsList: give them the copy just written, not the stale one.
        const i = rsList.indexOf(existing);
        if (i >= 0) rsList[i] = rs;
      }
      // The Deployment shows the new ReplicaSet's revision.
      await this.syncDeploymentRevision(d, rs.metadata?.annotations?.[revisionAnnotation] ?? '');
      if (hasProgressDeadline(d) && !getDeploymentCondition(d.status, 'Progressing')) {
        const status = structuredClone(d.status ?? {});
        setDeploymentCondition(status, newDeploymentCondition('Progressing', 'True', reasons.foundNewRS, `Found new replica set "${rs.metadata?.name}"`, now));
        d.status = status;
        await this.updateStatus(d);
      }
      return rs;
    }
    if (!createIfNotExisted) return undefined;

    const template = structuredClone(d.spec?.template ?? {});
    const hash = computeHash(d.spec?.template, d.status?.collisionCount);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [podTemplateHashLabel]: hash } };
    const selector = structuredClone(d.spec?.selector ?? {});
    selector.matchLabels = { ...selector.matchLabels, [podTemplateHashLabel]: hash };
    const newRS: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata?.name}-${hash}`,
        namespace: ns,
        ownerReferences: [newControllerRef(d, deploymentKind)],
        labels: { ...template.metadata.labels },
      },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds, selector, template },
    };
    newRS.spec!.replicas = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
    setNewReplicaSetAnnotations({ deployment: d, rs: newRS, newRevision, exists: false, maxSurge: maxSurge(d) });

    let created: ReplicaSet;
    let alreadyExisted = false;
    try {
      created = await this.rsClient(ns).create(newRS);
    } catch (err) {
      if (!isAlreadyExists(err)) {
        const msg = `Failed to create new replica set "${newRS.metadata?.name}": ${(err as Error).message}`;
        if (hasProgressDeadline(d)) {
          const status = structuredClone(d.status ?? {});
          setDeploymentCondition(status, newDeploymentCondition('Progressing', 'False', reasons.failedRSCreate, msg, now));
          d.status = status;
          await this.updateStatus(d);
        }
        this.deps.recorder.event(d, 'Warning', reasons.failedRSCreate, msg);
        throw err;
      }
      // Ours already (a cache that lags behind our own create)? Then use it.
      const found = await this.rsClient(ns).get(newRS.metadata?.name ?? '');
      const ref = getControllerOf(found);
      if (ref?.uid === d.metadata?.uid && equalIgnoreHash(d.spec?.template, found.spec?.template)) {
        created = found;
        alreadyExisted = true;
      } else {
        // A hash collision with a ReplicaSet that is not this template's: bump collisionCount so the next
        // sync computes another name.
        d.status = { ...structuredClone(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 };
        await this.updateStatus(d);
        this.deps.logger.v(2).info('Found a hash collision for deployment; bumped collisionCount', { deployment: `${ns}/${d.metadata?.name}`, collisionCount: d.status.collisionCount });
        throw err;
      }
    }
    const newReplicas = specReplicas(created);
    if (!alreadyExisted && newReplicas > 0) {
      this.deps.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata?.name} from 0 to ${newReplicas}`);
    }
    await this.syncDeploymentRevision(d, String(newRevision));
    if (!alreadyExisted && hasProgressDeadline(d)) {
      const status = structuredClone(d.status ?? {});
      setDeploymentCondition(status, newDeploymentCondition('Progressing', 'True', reasons.newReplicaSet, `Created new replica set "${created.metadata?.name}"`, now));
      d.status = status;
      await this.updateStatus(d);
    }
    return created;
  }

  /**
   * Sets a ReplicaSet's size (and its desired/max-replicas annotations), with a ScalingReplicaSet event when
   * the size changed. Returns the ReplicaSet as stored and whether the size changed.
   */
  async scaleReplicaSet(rs: ReplicaSet, newScale: number, d: Deployment, operation?: 'up' | 'down'): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const oldScale = specReplicas(rs);
    const sizeNeedsUpdate = oldScale !== newScale;
    const desired = desiredReplicas(d);
    const max = desired + maxSurge(d);
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const copy = structuredClone(rs);
    copy.spec!.replicas = newScale;
    setReplicasAnnotations(copy, desired, max);
    const updated = await this.rsClient(rs.metadata?.namespace ?? '').update(copy);
    if (sizeNeedsUpdate) {
      const op = operation ?? (newScale > oldScale ? 'up' : 'down');
      this.deps.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata?.name} from ${oldScale} to ${newScale}`);
    }
    return { scaled: sizeNeedsUpdate, rs: updated };
  }

  /**
   * A scaling event (spec.replicas changed) or a paused Deployment: size the ReplicaSets without rolling out
   * (upstream scale). With one active ReplicaSet it gets everything; otherwise the difference is shared in
   * proportion to size, the remainder going to the largest. Returns the ReplicaSets written, by name.
   */
  async scale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<Map<string, ReplicaSet>> {
    const written = new Map<string, ReplicaSet>();
    const scaleTo = async (rs: ReplicaSet, size: number, operation?: 'up' | 'down') => {
      const r = await this.scaleReplicaSet(rs, size, d, operation);
      if (r.rs !== rs) written.set(rs.metadata?.name ?? '', r.rs);
    };
    const desired = desiredReplicas(d);
    const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      if (specReplicas(activeOrLatest) !== desired) await scaleTo(activeOrLatest, desired);
      return written;
    }
    if (isSaturated(d, newRS)) {
      for (const old of filterActiveReplicaSets(oldRSs)) await scaleTo(old, 0);
      return written;
    }
    if (!isRollingUpdate(d)) return written;
    let all = filterActiveReplicaSets([...oldRSs, newRS]);
    const allowed = desired > 0 ? desired + maxSurge(d) : 0;
    const toAdd = allowed - replicaCount(all);
    let operation: 'up' | 'down' | undefined;
    if (toAdd > 0) {
      all = [...all].sort(bySizeNewer);
      operation = 'up';
    } else if (toAdd < 0) {
      all = [...all].sort(bySizeOlder);
      operation = 'down';
    }
    const sizes = new Map<string, number>();
    let added = 0;
    for (const rs of all) {
      const name = rs.metadata?.name ?? '';
      if (toAdd !== 0) {
        const p = proportionFor(rs, d, toAdd, added);
        sizes.set(name, specReplicas(rs) + p);
        added += p;
      } else {
        sizes.set(name, specReplicas(rs));
      }
    }
    if (toAdd !== 0 && all.length > 0) {
      const first = all[0]!.metadata?.name ?? '';
      sizes.set(first, Math.max(0, (sizes.get(first) ?? 0) + toAdd - added));
    }
    for (const rs of all) await scaleTo(rs, sizes.get(rs.metadata?.name ?? '') ?? specReplicas(rs), operation);
    return written;
  }

  /** Deletes the oldest scaled-down ReplicaSets beyond revisionHistoryLimit (upstream cleanupDeployment). */
  async cleanupDeployment(oldRSs: ReplicaSet[], d: Deployment): Promise<void> {
    const limit = d.spec?.revisionHistoryLimit;
    if (limit === undefined) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp).sort(byRevision);
    const diff = cleanable.length - limit;
    if (diff <= 0) return;
    for (const rs of cleanable.slice(0, diff)) {
      // Only ReplicaSets that are scaled down and whose status caught up.
      if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0) continue;
      if ((rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        await this.rsClient(rs.metadata?.namespace ?? '').delete(rs.metadata?.name ?? '');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  /** Writes the status computed from the ReplicaSets when it changed (upstream syncDeploymentStatus). */
  async syncDeploymentStatus(allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
    const status = calculateStatus(allRSs, newRS, d, this.deps.clock.now());
    if (statusEqual(d.status, status)) return;
    d.status = status;
    await this.updateStatus(d);
  }

  /**
   * Writes the rollout status (upstream syncRolloutStatus); when nothing changed, asks to be called again
   * when the progress deadline would pass.
   */
  async syncRolloutStatus(allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, d: Deployment): Promise<StepResult> {
    const now = this.deps.clock.now();
    const status = rolloutStatus(allRSs, newRS, d, now);
    if (statusEqual(d.status, status)) {
      const after = stuckRequeueAfter(d, status, now);
      return after === undefined ? {} : { requeueAfterMs: after };
    }
    d.status = status;
    await this.updateStatus(d);
    return {};
  }

  /**
   * Keeps Progressing in step with spec.paused (upstream checkPausedConditions): Unknown/DeploymentPaused
   * while paused, Unknown/DeploymentResumed once resumed. A timed-out rollout keeps its condition.
   */
  async checkPausedConditions(d: Deployment): Promise<void> {
    if (!hasProgressDeadline(d)) return;
    const cond = getDeploymentCondition(d.status, 'Progressing');
    if (cond?.reason === reasons.timedOut) return;
    const pausedCondExists = cond?.reason === reasons.paused;
    const now = this.deps.clock.now();
    const status = structuredClone(d.status ?? {});
    if (d.spec?.paused && !pausedCondExists) {
      setDeploymentCondition(status, newDeploymentCondition('Progressing', 'Unknown', reasons.paused, 'Deployment is paused', now));
    } else if (!d.spec?.paused && pausedCondExists) {
      setDeploymentCondition(status, newDeploymentCondition('Progressing', 'Unknown', reasons.resumed, 'Deployment is resumed', now));
    } else {
      return;
    }
    d.status = status;
    await this.updateStatus(d);
  }

  /**
   * A scaling event: some active ReplicaSet's desired-replicas annotation differs from spec.replicas
   * (upstream isScalingEvent).
   */
  async isScalingEvent(d: Deployment, rsList: ReplicaSet[]): Promise<boolean> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    for (const rs of filterActiveReplicaSets([...oldRSs, newRS])) {
      const desired = desiredReplicasAnnotationOf(rs);
      if (desired !== undefined && desired !== desiredReplicas(d)) return true;
    }
    return false;
  }

  /** The pod selector of a Deployment (throws for an invalid one). */
  static selectorOf(d: Deployment) {
    return labelSelectorAsSelector(d.spec?.selector);
  }
}

/**
 * The only active ReplicaSet, or the newest one when none is active; undefined when several are active
 * (upstream FindActiveOrLatest).
 */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const sorted = [...oldRSs].sort(byCreationTimestamp).reverse();
  const active = filterActiveReplicaSets([...sorted, newRS]);
  if (active.length === 0) return newRS ?? sorted[0];
  if (active.length === 1) return active[0];
  return undefined;
}
