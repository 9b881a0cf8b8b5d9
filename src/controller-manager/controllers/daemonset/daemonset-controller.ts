// The DaemonSet controller (upstream pkg/controller/daemon): one pod per eligible node, pinned to it by
// required node affinity on metadata.name (the scheduler binds it), with the daemon tolerations added;
// pods on nodes that no longer qualify are removed; RollingUpdate (maxUnavailable, maxSurge) or OnDelete
// through ControllerRevisions; status desired/current/ready/updated/available/misscheduled.
import type * as appsv1 from '../../../api/generated/apps/v1.js';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { isNotFound } from '../../../apimachinery/errors.js';
import { labelSelectorAsSelector } from '../../../apimachinery/labels/label-selector.js';
import type { Selector } from '../../../apimachinery/labels/selector.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { Interface } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import { isPodAvailable, isPodReady } from '../../active-pods.js';
import { controllerRevisionsResource, ensureRevision, revisionData, truncateHistory, type ControllerRevision } from '../../controller-history.js';
import type { Controller, ControllerContext, EventRecorder, InformerHandle } from '../../controller-context.js';
import { recorderForKind, resources } from '../../controller-context.js';
import { claimObjects, getControllerOf, keyOf, newControllerRef, recheckOwner, splitKey } from '../../controller-ref-manager.js';
import { deletedObject } from '../../deleted-object.js';
import { UIDTrackingControllerExpectations } from '../../expectations.js';
import type { ControllerMetrics } from '../../metrics.js';
import { RealPodControl, type PodControl } from '../../pod-control.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import { slowStartBatch } from '../../slow-start-batch.js';
import { isNamespaceTerminating, TerminalError, type SyncResult } from '../../worker-loop.js';
import { canonicalJSON } from '../deployment/pod-template-hash.js';
import { scaledValueFromIntOrPercent } from '../deployment/replica-math.js';
import { FailedPodsBackoff } from './failed-pods-backoff.js';
import { daemonPodTolerations, nodeShouldRunDaemonPod, pinToNode, targetNodeName, withTolerations } from './node-eligibility.js';

export type DaemonSet = Typed<appsv1.DaemonSet>;
type Pod = Typed<corev1.Pod>;
type Node = Typed<corev1.Node>;

export const daemonSetKind = { apiVersion: 'apps/v1', kind: 'DaemonSet' } as const;
export const daemonSetsResource = { group: 'apps', version: 'v1', resource: 'daemonsets' } as const;
export const nodesResource = { group: '', version: 'v1', resource: 'nodes' } as const;
/** Pod and revision label with the template hash (apps/v1 DefaultDaemonSetUniqueLabelKey). */
export const daemonSetUniqueLabel = 'controller-revision-hash';
/** Deprecated pod label with the DaemonSet's generation at creation, still written upstream. */
export const podTemplateGenerationLabel = 'pod-template-generation';
/** The most pods one sync creates or deletes (upstream BurstReplicas). */
const burstReplicas = 250;

export interface DaemonSetControllerDeps {
  client: Interface;
  daemonSets: InformerHandle<DaemonSet>;
  pods: InformerHandle<Pod>;
  nodes: InformerHandle<Node>;
  revisions: InformerHandle<ControllerRevision>;
  podControl: PodControl;
  recorder: EventRecorder;
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
  /** Delays between deletions of failed daemon pods on one node (default upstream's 1 s … 15 min). */
  failedPodsBackoff?: FailedPodsBackoff;
}

function selectorOf(ds: DaemonSet): Selector | undefined {
  try {
    return labelSelectorAsSelector(ds.spec?.selector);
  } catch {
    return undefined;
  }
}

export class DaemonSetsController implements Controller {
  readonly name = 'daemonset-controller';
  readonly expectations: UIDTrackingControllerExpectations;
  private readonly failedPodsBackoff: FailedPodsBackoff;

  constructor(private readonly deps: DaemonSetControllerDeps) {
    this.expectations = new UIDTrackingControllerExpectations(deps.clock);
    this.failedPodsBackoff = deps.failedPodsBackoff ?? new FailedPodsBackoff();
    deps.daemonSets.informer.addEventHandler({
      onAdd: (ds) => this.enqueue(ds),
      onUpdate: (_old, cur) => this.enqueue(cur),
      onDelete: (obj) => {
        const ds = deletedObject(obj);
        this.expectations.deleteExpectations(keyOf(ds));
        this.enqueue(ds);
      },
    });
    deps.pods.informer.addEventHandler({
      onAdd: (pod) => this.onPod(pod, 'add'),
      onUpdate: (old, cur) => {
        if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
        this.onPod(cur, cur.metadata?.deletionTimestamp ? 'delete' : 'update');
      },
      onDelete: (obj) => this.onPod(deletedObject(obj), 'delete'),
    });
    // A node change (labels, taints, a new node) may change where every DaemonSet belongs.
    const allSets = (): void => {
      for (const ds of deps.daemonSets.lister.list()) this.enqueue(ds);
    };
    deps.nodes.informer.addEventHandler({
      onAdd: allSets,
      onUpdate: (old, cur) => {
        const relevant = (n: Node) => canonicalJSON({ labels: n.metadata?.labels, taints: n.spec?.taints });
        if (relevant(old) !== relevant(cur)) allSets();
      },
      onDelete: allSets,
    });
  }

  async run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    await runAfterCacheSync({
      ...opts,
      name: this.name,
      queue: deps.queue,
      sync: (key) => this.sync(key),
      hasSynced: [deps.daemonSets, deps.pods, deps.nodes, deps.revisions].map((h) => () => h.informer.hasSynced()),
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
      isIgnorable: isNamespaceTerminating,
    });
  }

  private enqueue(ds: DaemonSet): void {
    this.deps.queue.add(keyOf(ds));
  }

  private onPod(pod: Pod, kind: 'add' | 'update' | 'delete'): void {
    const ref = getControllerOf(pod);
    if (ref?.kind !== 'DaemonSet') return;
    const ds = this.deps.daemonSets.lister.namespace(pod.metadata?.namespace ?? '').get(ref.name);
    if (!ds || ds.metadata?.uid !== ref.uid) return;
    const key = keyOf(ds);
    if (kind === 'add') this.expectations.creationObserved(key);
    if (kind === 'delete') this.expectations.deletionObservedOf(key, keyOf(pod));
    this.deps.queue.add(key);
  }

  async sync(key: string): Promise<SyncResult | void> {
    const { deps } = this;
    const { namespace, name } = splitKey(key);
    const ds = deps.daemonSets.lister.namespace(namespace).get(name);
    if (!ds) {
      this.expectations.deleteExpectations(key);
      return;
    }
    const selector = selectorOf(ds);
    if (!selector || selector.empty()) throw new TerminalError(`invalid selector of DaemonSet ${key}`);
    const owned = deps.revisions.lister.namespace(namespace).list().filter((r) => getControllerOf(r)?.uid === ds.metadata?.uid);
    const { updateRevision, revisions, collisionCount } = await ensureRevision({
      client: deps.client,
      owner: ds,
      ownerKind: daemonSetKind,
      labels: { ...ds.spec?.template?.metadata?.labels },
      data: revisionData(ds.spec?.template),
      revisions: owned,
      collisionCount: ds.status?.collisionCount ?? 0,
    });
    const hash = updateRevision.metadata?.labels?.['controller.kubernetes.io/hash'] ?? '';
    const pods = await claimObjects(
      {
        owner: ds,
        ownerKind: daemonSetKind,
        selector,
        children: deps.client.resource<Pod>(resources.pods, namespace),
        canAdopt: recheckOwner(() => deps.client.resource<DaemonSet>(daemonSetsResource, namespace).get(name), ds, 'DaemonSet'),
      },
      deps.pods.lister.namespace(namespace).list(),
    );
    const byNode = new Map<string, Pod[]>();
    for (const pod of pods) {
      const node = targetNodeName(pod);
      if (node !== undefined) byNode.set(node, [...(byNode.get(node) ?? []), pod]);
    }
    const nodes = deps.nodes.lister.list();
    const now = deps.clock.now();
    let error: unknown;
    let requeueAfterMs: number | undefined;
    if (!ds.metadata?.deletionTimestamp && this.expectations.satisfiedExpectations(key)) {
      try {
        requeueAfterMs = await this.manage(ds, nodes, byNode, hash, now);
      } catch (err) {
        error = err;
      }
    }
    await this.updateStatus(ds, nodes, byNode, hash, collisionCount, now);
    const live = new Set([updateRevision.metadata?.name ?? '']);
    for (const r of revisions) {
      const h = r.metadata?.labels?.['controller.kubernetes.io/hash'];
      if (h && pods.some((p) => p.metadata?.labels?.[daemonSetUniqueLabel] === h)) live.add(r.metadata?.name ?? '');
    }
    await truncateHistory({ client: deps.client, namespace, revisions, live, limit: ds.spec?.revisionHistoryLimit ?? 10 });
    if (error) throw error;
    return requeueAfterMs === undefined ? undefined : { requeueAfterMs };
  }

  /** Creates missing daemon pods, removes misplaced, failed and duplicate ones, then rolls the update. */
  private async manage(ds: DaemonSet, nodes: Node[], byNode: Map<string, Pod[]>, hash: string, now: number): Promise<number | undefined> {
    const key = keyOf(ds);
    this.failedPodsBackoff.gc(now);
    const toCreate: string[] = [];
    const toDelete: Pod[] = [];
    let requeueAfterMs: number | undefined;
    const minReady = ds.spec?.minReadySeconds ?? 0;
    for (const node of nodes) {
      const nodeName = node.metadata?.name ?? '';
      const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds.spec?.template);
      const daemonPods = (byNode.get(nodeName) ?? []).filter((p) => !p.metadata?.deletionTimestamp);
      if (shouldRun && daemonPods.length === 0) {
        toCreate.push(nodeName);
        continue;
      }
      if (!shouldContinueRunning) {
        toDelete.push(...daemonPods);
        continue;
      }
      if (daemonPods.length === 0) continue;
      // Finished pods go (the replacement comes with the next sync, once the node has none); upstream's
      // switch in podsShouldBeOnNode.
      const running: Pod[] = [];
      for (const pod of daemonPods) {
        if (pod.status?.phase === 'Failed') {
          // A kubelet that keeps rejecting the pod must not make us delete and recreate it in a hot loop.
          const backoffKey = `${ds.metadata?.uid}/${nodeName}`;
          if (this.failedPodsBackoff.isInBackOffSinceUpdate(backoffKey, now)) {
            requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, this.failedPodsBackoff.get(backoffKey));
            continue;
          }
          this.failedPodsBackoff.next(backoffKey, now);
          this.deps.recorder.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${pod.metadata?.namespace}/${pod.metadata?.name} on node ${nodeName}, will try to kill it`);
          toDelete.push(pod);
        } else if (pod.status?.phase === 'Succeeded') {
          toDelete.push(pod);
        } else {
          running.push(pod);
        }
      }
      // Several pods on one node (e.g. a surge): keep the oldest, unless a surge replacement is in flight.
      if (running.length > 1 && !this.surging(ds)) {
        running.sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''));
        toDelete.push(...running.slice(1));
      }
      for (const pod of running) {
        if (isPodReady(pod) && !isPodAvailable(pod, minReady, now)) requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, minReady * 1000);
      }
    }
    if (toCreate.length > 0 || toDelete.length > 0) {
      await this.syncNodes(ds, key, toCreate, toDelete, hash);
      return requeueAfterMs;
    }
    if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') await this.rollingUpdate(ds, nodes, byNode, hash, now);
    return requeueAfterMs;
  }

  private surging(ds: DaemonSet): boolean {
    return (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && this.maxSurge(ds, 1) > 0;
  }

  private maxSurge(ds: DaemonSet, desired: number): number {
    return scaledValueFromIntOrPercent(ds.spec?.updateStrategy?.rollingUpdate?.maxSurge ?? 0, desired, true);
  }

  /** Creates pods on `nodes` (slow start) and deletes `pods`, with expectations for both. */
  private async syncNodes(ds: DaemonSet, key: string, nodes: string[], pods: Pod[], hash: string): Promise<void> {
    const create = nodes.slice(0, burstReplicas);
    const remove = pods.slice(0, burstReplicas);
    this.expectations.expectDeletionsOf(key, remove.map(keyOf));
    this.expectations.raiseExpectations(key, create.length, 0);
    const namespace = ds.metadata?.namespace ?? '';
    const controllerRef = newControllerRef(ds, daemonSetKind);
    const { successes, error } = await slowStartBatch(create.length, 1, async (i) => {
      const template = daemonPodTemplate(ds, hash, create[i]!);
      try {
        await this.deps.podControl.createPod({ namespace, template, owner: ds, controllerRef });
      } catch (err) {
        if (!isNamespaceTerminating(err)) throw err;
      }
    });
    if (create.length - successes > 0) this.expectations.lowerExpectations(key, create.length - successes, 0);
    let first = error;
    await Promise.all(
      remove.map(async (pod) => {
        try {
          await this.deps.podControl.deletePod({ namespace, name: pod.metadata?.name ?? '', owner: ds });
        } catch (err) {
          this.expectations.deletionObservedOf(key, keyOf(pod));
          if (!isNotFound(err)) first ??= err;
        }
      }),
    );
    if (first) throw first;
  }

  /**
   * upstream rollingUpdate: without surge, delete old pods (unavailable ones first, free) while at most
   * maxUnavailable nodes lack an available pod; with surge, start the new pod beside an available old one
   * (at most maxSurge at once) and delete the old one once the new one is available.
   */
  private async rollingUpdate(ds: DaemonSet, nodes: Node[], byNode: Map<string, Pod[]>, hash: string, now: number): Promise<void> {
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const eligible = nodes.filter((n) => nodeShouldRunDaemonPod(n, ds.spec?.template).shouldRun).map((n) => n.metadata?.name ?? '');
    const desired = eligible.length;
    const maxUnavailable = scaledValueFromIntOrPercent(ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, desired, true);
    const maxSurge = this.maxSurge(ds, desired);
    const available = (p: Pod) => isPodAvailable(p, minReady, now) && !p.metadata?.deletionTimestamp;
    const isNew = (p: Pod) => p.metadata?.labels?.[daemonSetUniqueLabel] === hash;
    const toDelete: Pod[] = [];
    const toCreate: string[] = [];
    if (maxSurge === 0) {
      let unavailable = eligible.filter((n) => !(byNode.get(n) ?? []).some(available)).length;
      for (const nodeName of eligible) {
        const old = (byNode.get(nodeName) ?? []).filter((p) => !isNew(p) && !p.metadata?.deletionTimestamp);
        for (const pod of old) {
          if (!available(pod)) toDelete.push(pod);
          else if (unavailable < Math.max(1, maxUnavailable)) {
            toDelete.push(pod);
            unavailable++;
          }
        }
      }
    } else {
      let surging = eligible.filter((n) => (byNode.get(n) ?? []).some((p) => isNew(p) && !available(p)) && (byNode.get(n) ?? []).some((p) => !isNew(p))).length;
      for (const nodeName of eligible) {
        const here = (byNode.get(nodeName) ?? []).filter((p) => !p.metadata?.deletionTimestamp);
        const old = here.filter((p) => !isNew(p));
        if (old.length === 0) continue;
        const fresh = here.filter(isNew);
        if (fresh.some(available)) toDelete.push(...old);
        else if (fresh.length === 0 && surging < maxSurge) {
          toCreate.push(nodeName);
          surging++;
        } else if (!old.some(available) && fresh.length === 0) toDelete.push(...old);
      }
    }
    if (toCreate.length > 0 || toDelete.length > 0) await this.syncNodes(ds, keyOf(ds), toCreate, toDelete, hash);
  }

  private async updateStatus(ds: DaemonSet, nodes: Node[], byNode: Map<string, Pod[]>, hash: string, collisionCount: number, now: number): Promise<void> {
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const status: appsv1.DaemonSetStatus = {
      currentNumberScheduled: 0,
      desiredNumberScheduled: 0,
      numberMisscheduled: 0,
      numberReady: 0,
      numberAvailable: 0,
      updatedNumberScheduled: 0,
      observedGeneration: ds.metadata?.generation,
      collisionCount,
    };
    for (const node of nodes) {
      const { shouldRun } = nodeShouldRunDaemonPod(node, ds.spec?.template);
      const here = (byNode.get(node.metadata?.name ?? '') ?? []).filter((p) => !p.metadata?.deletionTimestamp);
      if (!shouldRun) {
        if (here.length > 0) status.numberMisscheduled++;
        continue;
      }
      status.desiredNumberScheduled++;
      if (here.length === 0) continue;
      status.currentNumberScheduled++;
      const pod = [...here].sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''))[0]!;
      if (isPodReady(pod)) {
        status.numberReady++;
        if (isPodAvailable(pod, minReady, now)) status.numberAvailable = (status.numberAvailable ?? 0) + 1;
      }
      if (here.some((p) => p.metadata?.labels?.[daemonSetUniqueLabel] === hash)) status.updatedNumberScheduled = (status.updatedNumberScheduled ?? 0) + 1;
    }
    status.numberUnavailable = status.desiredNumberScheduled - (status.numberAvailable ?? 0);
    // Zero counts are omitted on the wire (omitempty), as a real cluster shows them.
    for (const k of ['numberAvailable', 'numberUnavailable', 'updatedNumberScheduled'] as const) if (!status[k]) delete status[k];
    if (ds.status?.conditions) status.conditions = ds.status.conditions;
    if (canonicalJSON(status) === canonicalJSON(ds.status ?? {})) return;
    try {
      await this.deps.client.resource<DaemonSet>(daemonSetsResource, ds.metadata?.namespace ?? '').updateStatus({ ...ds, status });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

/**
 * The template of the daemon pod for `nodeName`: the hash and generation labels, the daemon tolerations,
 * and required node affinity pinning it to the node.
 */
export function daemonPodTemplate(ds: DaemonSet, hash: string, nodeName: string): corev1.PodTemplateSpec {
  const template = structuredClone(ds.spec?.template ?? {}) as corev1.PodTemplateSpec;
  template.metadata = {
    ...template.metadata,
    labels: { ...template.metadata?.labels, [daemonSetUniqueLabel]: hash, [podTemplateGenerationLabel]: String(ds.metadata?.generation ?? 1) },
  };
  const spec = (template.spec ??= { containers: [] });
  spec.tolerations = withTolerations(spec.tolerations, daemonPodTolerations(spec.hostNetwork === true));
  spec.affinity = pinToNode(spec.affinity, nodeName);
  return template;
}

export function newDaemonSetController(ctx: ControllerContext): Controller {
  const recorder = recorderForKind(ctx.recorder('daemonset-controller'), daemonSetKind);
  return new DaemonSetsController({
    client: ctx.client,
    daemonSets: ctx.informers.forResource<DaemonSet>(daemonSetsResource),
    pods: ctx.informers.forResource<Pod>(resources.pods),
    nodes: ctx.informers.forResource<Node>(nodesResource),
    revisions: ctx.informers.forResource<ControllerRevision>(controllerRevisionsResource),
    podControl: new RealPodControl(ctx.client, recorder),
    recorder,
    queue: ctx.newQueue('daemonset'),
    clock: ctx.clock,
    logger: ctx.logger.withName('daemon_controller.ts'),
    metrics: ctx.metrics,
  });
}
