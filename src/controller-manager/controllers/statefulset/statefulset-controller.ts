// The StatefulSet controller (upstream pkg/controller/statefulset): pods with stable names and claims,
// created in ordinal order one Ready pod at a time (OrderedReady) or all at once (Parallel), removed from the
// highest ordinal down, updated by RollingUpdate (partition, maxUnavailable) or OnDelete through
// ControllerRevisions, with persistentVolumeClaimRetentionPolicy applied to the claims.
import { isAlreadyExists, isNotFound } from '../../../apimachinery/errors.js';
import { labelSelectorAsSelector } from '../../../apimachinery/labels/label-selector.js';
import type { Selector } from '../../../apimachinery/labels/selector.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { Interface, ResourceInterface } from '../../../client/rest/interface.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import { isPodAvailable } from '../../active-pods.js';
import { controllerRevisionsResource, ensureRevision, revisionData, templateOfRevision, truncateHistory, type ControllerRevision } from '../../controller-history.js';
import type { Controller, ControllerContext, EventRecorder, InformerHandle } from '../../controller-context.js';
import { recorderForKind, resources } from '../../controller-context.js';
import { claimObjects, getControllerOf, keyOf, newControllerRef, recheckOwner, splitKey } from '../../controller-ref-manager.js';
import type { ControllerMetrics } from '../../metrics.js';
import { deletedObject } from '../../deleted-object.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import { isNamespaceTerminating, TerminalError, type SyncResult } from '../../worker-loop.js';
import { canonicalJSON } from '../deployment/pod-template-hash.js';
import { scaledValueFromIntOrPercent } from '../deployment/replica-math.js';
import {
  claimsFor,
  hasFinished,
  isCreated,
  isHealthy,
  isMemberOf,
  isRunningAndReady,
  isTerminating,
  newStatefulSetPod,
  parentAndOrdinal,
  podRevision,
  startOrdinal,
  statefulSetKind,
  type PersistentVolumeClaim,
  type Pod,
  type StatefulSet,
} from './stateful-pods.js';

export const statefulSetsResource = { group: 'apps', version: 'v1', resource: 'statefulsets' } as const;
export const persistentVolumeClaimsResource = { group: '', version: 'v1', resource: 'persistentvolumeclaims' } as const;

export interface StatefulSetControllerDeps {
  client: Interface;
  sets: InformerHandle<StatefulSet>;
  pods: InformerHandle<Pod>;
  claims: InformerHandle<PersistentVolumeClaim>;
  revisions: InformerHandle<ControllerRevision>;
  recorder: EventRecorder;
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
}


export class StatefulSetController implements Controller {
  readonly name = 'statefulset-controller';

  constructor(private readonly deps: StatefulSetControllerDeps) {
    deps.sets.informer.addEventHandler({
      onAdd: (s) => this.enqueue(s),
      onUpdate: (_old, cur) => this.enqueue(cur),
      onDelete: (obj) => this.enqueue(deletedObject(obj)),
    });
    const onPod = (pod: Pod): void => {
      const ref = getControllerOf(pod);
      if (ref?.kind === 'StatefulSet') {
        const set = deps.sets.lister.namespace(pod.metadata?.namespace ?? '').get(ref.name);
        if (set && set.metadata?.uid === ref.uid) this.enqueue(set);
        return;
      }
      if (ref || pod.metadata?.deletionTimestamp) return;
      for (const set of deps.sets.lister.namespace(pod.metadata?.namespace ?? '').list()) {
        const selector = selectorOf(set);
        if (selector && !selector.empty() && selector.matches(pod.metadata?.labels)) this.enqueue(set);
      }
    };
    deps.pods.informer.addEventHandler({
      onAdd: onPod,
      onUpdate: (old, cur) => {
        if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
        if (getControllerOf(old)?.uid !== getControllerOf(cur)?.uid) onPod(old);
        onPod(cur);
      },
      onDelete: (obj) => onPod(deletedObject(obj)),
    });
  }

  async run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    await runAfterCacheSync({ isIgnorable: isNamespaceTerminating,
      ...opts,
      name: this.name,
      queue: deps.queue,
      sync: (key) => this.sync(key),
      hasSynced: [deps.sets, deps.pods, deps.claims, deps.revisions].map((h) => () => h.informer.hasSynced()),
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
    });
  }

  private enqueue(set: StatefulSet): void {
    this.deps.queue.add(keyOf(set));
  }

  async sync(key: string): Promise<SyncResult | void> {
    const { deps } = this;
    const { namespace, name } = splitKey(key);
    const set = deps.sets.lister.namespace(namespace).get(name);
    if (!set) return;
    const selector = selectorOf(set);
    if (!selector) throw new TerminalError(`invalid selector of StatefulSet ${key}`);
    const pods = await claimObjects(
      {
        owner: set,
        ownerKind: statefulSetKind,
        selector,
        children: deps.client.resource<Pod>(resources.pods, namespace),
        canAdopt: recheckOwner(() => deps.client.resource<StatefulSet>(statefulSetsResource, namespace).get(name), set, 'StatefulSet'),
      },
      deps.pods.lister.namespace(namespace).list().filter((p) => isMemberOf(set, p)),
    );
    const owned = deps.revisions.lister.namespace(namespace).list().filter((r) => getControllerOf(r)?.uid === set.metadata?.uid);
    const { updateRevision, revisions, collisionCount } = await ensureRevision({
      client: deps.client,
      owner: set,
      ownerKind: statefulSetKind,
      labels: { ...set.spec?.template?.metadata?.labels },
      data: revisionData(set.spec?.template),
      revisions: owned,
      collisionCount: set.status?.collisionCount ?? 0,
    });
    const currentRevision = revisions.find((r) => r.metadata?.name === set.status?.currentRevision) ?? updateRevision;
    return new StatefulSetSync(deps, set, pods, currentRevision, updateRevision, revisions, collisionCount).run();
  }
}

function selectorOf(set: StatefulSet): Selector | undefined {
  try {
    return labelSelectorAsSelector(set.spec?.selector);
  } catch {
    return undefined;
  }
}

/** One pass of upstream updateStatefulSet over a snapshot of the set's pods. */
class StatefulSetSync {
  private readonly now: number;
  private readonly monotonic: boolean;
  private readonly minReadySeconds: number;
  private readonly currentSet: StatefulSet;
  private readonly setName: string;
  private readonly namespace: string;

  constructor(
    private readonly deps: StatefulSetControllerDeps,
    private readonly set: StatefulSet,
    private readonly pods: Pod[],
    private readonly currentRevision: ControllerRevision,
    private readonly updateRevision: ControllerRevision,
    private readonly revisions: ControllerRevision[],
    private readonly collisionCount: number,
  ) {
    this.now = deps.clock.now();
    this.monotonic = set.spec?.podManagementPolicy !== 'Parallel';
    this.minReadySeconds = set.spec?.minReadySeconds ?? 0;
    this.currentSet = { ...set, spec: { ...set.spec!, template: templateOfRevision(currentRevision.data) } };
    this.setName = set.metadata?.name ?? '';
    this.namespace = set.metadata?.namespace ?? '';
  }

  async run(): Promise<SyncResult | void> {
    let error: unknown;
    try {
      await this.reconcile();
    } catch (err) {
      error = err;
    }
    await this.writeStatus();
    const live = new Set<string>([this.currentRevision.metadata?.name ?? '', this.updateRevision.metadata?.name ?? '']);
    for (const pod of this.pods) {
      const r = podRevision(pod);
      if (r) live.add(r);
    }
    await truncateHistory({ client: this.deps.client, namespace: this.namespace, revisions: this.revisions, live, limit: this.set.spec?.revisionHistoryLimit ?? 10 });
    if (error) throw error;
    // A pod that is ready but not yet available becomes available minReadySeconds later: look again then.
    if (this.minReadySeconds > 0 && this.pods.some((p) => isRunningAndReady(p) && !isPodAvailable(p, this.minReadySeconds, this.now))) {
      return { requeueAfterMs: this.minReadySeconds * 1000 };
    }
  }

  private index(pod: Pod): number {
    return parentAndOrdinal(pod).ordinal - startOrdinal(this.set);
  }

  /** Returns once it must wait (OrderedReady) or after one pass over every replica (Parallel). */
  private async reconcile(): Promise<void> {
    const set = this.set;
    const replicaCount = set.spec?.replicas ?? 1;
    const start = startOrdinal(set);
    const replicas: Array<Pod | undefined> = new Array(replicaCount).fill(undefined);
    const condemned: Pod[] = [];
    for (const pod of this.pods) {
      const i = this.index(pod);
      if (i >= 0 && i < replicaCount) replicas[i] = pod;
      else if (parentAndOrdinal(pod).ordinal >= 0) condemned.push(pod);
    }
    condemned.sort((a, b) => parentAndOrdinal(b).ordinal - parentAndOrdinal(a).ordinal);
    if (set.metadata?.deletionTimestamp) return;
    const healthy = (p: Pod) => isHealthy(p, this.minReadySeconds, this.now);
    const firstUnhealthy = [...replicas, ...condemned].find((p) => p !== undefined && !healthy(p));

    for (let i = 0; i < replicaCount; i++) {
      let pod = replicas[i];
      if (pod && hasFinished(pod)) {
        const why = pod.status?.phase === 'Failed' ? ['RecreatingFailedPod', 'failed'] : ['RecreatingTerminatedPod', 'terminated'];
        this.deps.recorder.event(set, 'Warning', why[0]!, `StatefulSet ${this.namespace}/${this.setName} is recreating ${why[1]} Pod ${pod.metadata?.name}`);
        await this.deletePod(pod);
        if (this.monotonic) return;
        continue;
      }
      if (!pod) {
        pod = this.newPod(i + start);
        replicas[i] = await this.createPod(pod);
        if (this.monotonic) return;
        continue;
      }
      if (isTerminating(pod)) {
        if (this.monotonic) return;
        continue;
      }
      await this.reconcileClaimOwners(pod, false);
      if (!healthy(pod) && this.monotonic) return;
    }

    for (const pod of condemned) {
      if (isTerminating(pod)) {
        if (this.monotonic) return;
        continue;
      }
      if (this.monotonic && firstUnhealthy && firstUnhealthy !== pod) return;
      await this.reconcileClaimOwners(pod, true);
      await this.deletePod(pod);
      if (this.monotonic) return;
    }

    const strategy = set.spec?.updateStrategy;
    if (strategy?.type === 'OnDelete') return;
    const partition = strategy?.rollingUpdate?.partition ?? 0;
    const maxUnavailable = Math.max(1, scaledValueFromIntOrPercent(strategy?.rollingUpdate?.maxUnavailable ?? 1, replicaCount, false));
    const updateName = this.updateRevision.metadata?.name;
    let unavailable = 0;
    for (let i = partition; i < replicaCount; i++) if (replicas[i] && !healthy(replicas[i]!)) unavailable++;
    for (let i = replicaCount - 1; i >= partition; i--) {
      const pod = replicas[i];
      if (!pod) continue;
      if (podRevision(pod) !== updateName && !isTerminating(pod)) {
        if (unavailable >= maxUnavailable) return;
        await this.deletePod(pod);
        unavailable += healthy(pod) ? 1 : 0;
        continue;
      }
      // Updated but not healthy yet: with maxUnavailable 1 (the default) the rollout waits for it.
      if (!healthy(pod) && maxUnavailable <= 1) return;
    }
  }

  /** The pod of `ordinal` at the revision it should have: below the partition the current one. */
  private newPod(ordinal: number): Pod {
    const strategy = this.set.spec?.updateStrategy;
    const index = ordinal - startOrdinal(this.set);
    const partition = strategy?.rollingUpdate?.partition ?? 0;
    const useCurrent = (strategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && index < partition;
    const revision = useCurrent ? this.currentRevision : this.updateRevision;
    return newStatefulSetPod(useCurrent ? this.currentSet : this.set, ordinal, revision.metadata?.name ?? '');
  }

  private podsAPI(): ResourceInterface<Pod> {
    return this.deps.client.resource<Pod>(resources.pods, this.namespace);
  }

  private claimsAPI(): ResourceInterface<PersistentVolumeClaim> {
    return this.deps.client.resource<PersistentVolumeClaim>(persistentVolumeClaimsResource, this.namespace);
  }

  /** Creates the pod's missing claims (owned by the set when whenDeleted is Delete), then the pod. */
  private async createPod(pod: Pod): Promise<Pod> {
    const { recorder } = this.deps;
    const set = this.set;
    const podName = pod.metadata?.name ?? '';
    const ordinal = parentAndOrdinal(pod).ordinal;
    const deleteWithSet = set.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete';
    for (const claim of claimsFor(set, ordinal).values()) {
      const name = claim.metadata?.name ?? '';
      const existing = this.deps.claims.lister.namespace(this.namespace).get(name);
      if (existing) {
        if (existing.metadata?.deletionTimestamp) throw new Error(`pvc ${name} is being deleted`);
        continue;
      }
      if (deleteWithSet) claim.metadata!.ownerReferences = [newControllerRef(set, statefulSetKind)];
      try {
        await this.claimsAPI().create(claim);
        recorder.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${name} Pod ${podName} in StatefulSet ${this.setName} success`);
      } catch (err) {
        if (isAlreadyExists(err)) continue;
        recorder.event(set, 'Warning', 'FailedCreate', `create Claim ${name} for Pod ${podName} in StatefulSet ${this.setName} failed error: ${(err as Error).message}`);
        throw err;
      }
    }
    try {
      const created = await this.podsAPI().create(pod);
      recorder.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${podName} in StatefulSet ${this.setName} successful`);
      this.pods.push(created);
      return created;
    } catch (err) {
      // The cache has not seen our earlier creation yet: wait for it rather than retry.
      if (isAlreadyExists(err)) return pod;
      if (!isNamespaceTerminating(err)) recorder.event(set, 'Warning', 'FailedCreate', `create Pod ${podName} in StatefulSet ${this.setName} failed error: ${(err as Error).message}`);
      throw err;
    }
  }

  private async deletePod(pod: Pod): Promise<void> {
    const podName = pod.metadata?.name ?? '';
    try {
      await this.podsAPI().delete(podName);
    } catch (err) {
      if (isNotFound(err)) return;
      this.deps.recorder.event(this.set, 'Warning', 'FailedDelete', `delete Pod ${podName} in StatefulSet ${this.setName} failed error: ${(err as Error).message}`);
      throw err;
    }
    this.deps.recorder.event(this.set, 'Normal', 'SuccessfulDelete', `delete Pod ${podName} in StatefulSet ${this.setName} successful`);
    const i = this.pods.indexOf(pod);
    if (i >= 0) this.pods[i] = { ...pod, metadata: { ...pod.metadata, deletionTimestamp: new Date(this.now).toISOString() } };
  }

  /**
   * persistentVolumeClaimRetentionPolicy on the claims of `pod` (upstream updateClaimOwnerRefForSetAndPod):
   * whenDeleted Delete → the set owns them; whenScaled Delete and the pod condemned → the pod owns them too,
   * so they go with it. Other owners are kept; a claim already right is not written.
   */
  private async reconcileClaimOwners(pod: Pod, condemned: boolean): Promise<void> {
    const policy = this.set.spec?.persistentVolumeClaimRetentionPolicy;
    const setRef = newControllerRef(this.set, statefulSetKind);
    const podRef = { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' };
    for (const claim of claimsFor(this.set, parentAndOrdinal(pod).ordinal).values()) {
      const name = claim.metadata?.name ?? '';
      const existing = this.deps.claims.lister.namespace(this.namespace).get(name);
      if (!existing) continue;
      const current = existing.metadata?.ownerReferences ?? [];
      const others = current.filter((r) => r.uid !== setRef.uid && r.uid !== podRef.uid);
      const wanted = [
        ...others,
        ...(policy?.whenDeleted === 'Delete' ? [current.find((r) => r.uid === setRef.uid) ?? setRef] : []),
        ...(condemned && policy?.whenScaled === 'Delete' ? [current.find((r) => r.uid === podRef.uid) ?? podRef] : []),
      ];
      const key = (refs: typeof current) => refs.map((r) => r.uid).sort().join(',');
      if (key(wanted) === key(current)) continue;
      try {
        await this.claimsAPI().patch(name, 'merge', { metadata: { ownerReferences: wanted.length > 0 ? wanted : null, resourceVersion: existing.metadata?.resourceVersion } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  private async writeStatus(): Promise<void> {
    const set = this.set;
    const currentName = this.currentRevision.metadata?.name;
    const updateName = this.updateRevision.metadata?.name;
    const status: NonNullable<StatefulSet['status']> = {
      observedGeneration: set.metadata?.generation,
      replicas: 0,
      readyReplicas: 0,
      availableReplicas: 0,
      currentReplicas: 0,
      updatedReplicas: 0,
      currentRevision: currentName,
      updateRevision: updateName,
      collisionCount: this.collisionCount,
    };
    for (const pod of this.pods) {
      if (!isCreated(pod)) continue;
      status.replicas++;
      if (isRunningAndReady(pod)) status.readyReplicas = (status.readyReplicas ?? 0) + 1;
      if (isRunningAndReady(pod) && isPodAvailable(pod, this.minReadySeconds, this.now)) status.availableReplicas = (status.availableReplicas ?? 0) + 1;
      if (isTerminating(pod)) continue;
      if (podRevision(pod) === currentName) status.currentReplicas = (status.currentReplicas ?? 0) + 1;
      if (podRevision(pod) === updateName) status.updatedReplicas = (status.updatedReplicas ?? 0) + 1;
    }
    // upstream completeRollingUpdate: every pod updated and ready makes the update revision current.
    const rolling = (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    if (rolling && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
      status.currentReplicas = status.updatedReplicas;
      status.currentRevision = updateName;
    }
    if (set.status?.conditions) status.conditions = set.status.conditions;
    if (canonicalJSON(status) === canonicalJSON(set.status ?? {})) return;
    const api = this.deps.client.resource<StatefulSet>(statefulSetsResource, this.namespace);
    try {
      await api.updateStatus({ ...set, status });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }
}

export function newStatefulSetController(ctx: ControllerContext): Controller {
  return new StatefulSetController({
    client: ctx.client,
    sets: ctx.informers.forResource<StatefulSet>(statefulSetsResource),
    pods: ctx.informers.forResource<Pod>(resources.pods),
    claims: ctx.informers.forResource<PersistentVolumeClaim>(persistentVolumeClaimsResource),
    revisions: ctx.informers.forResource<ControllerRevision>(controllerRevisionsResource),
    recorder: recorderForKind(ctx.recorder('statefulset-controller'), statefulSetKind),
    queue: ctx.newQueue('statefulset'),
    clock: ctx.clock,
    logger: ctx.logger.withName('stateful_set.ts'),
    metrics: ctx.metrics,
  });
}
