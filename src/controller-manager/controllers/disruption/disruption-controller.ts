// The disruption controller (upstream pkg/controller/disruption): keeps each PodDisruptionBudget's status —
// expectedPods, currentHealthy, desiredHealthy, disruptionsAllowed, the DisruptionAllowed condition — and
// expires status.disruptedPods entries the eviction subresource wrote that no deletion followed within 2 min.
import type * as appsv1 from '../../../api/generated/apps/v1.js';
import type * as corev1 from '../../../api/generated/core/v1.js';
import type * as policyv1 from '../../../api/generated/policy/v1.js';
import { isNotFound } from '../../../apimachinery/errors.js';
import { labelSelectorAsSelector } from '../../../apimachinery/labels/label-selector.js';
import type { Selector } from '../../../apimachinery/labels/selector.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import { isDeletedFinalStateUnknown } from '../../../client/cache/keys.js';
import { discoverResources, RESTMapper } from '../../../client/discovery/discovery-client.js';
import type { Interface } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import { metaTime } from '../../conditions.js';
import { recorderForKind, type Controller, type ControllerContext, type EventRecorder, type InformerHandle } from '../../controller-context.js';
import { getControllerOf, resolveControllerRef, type OwnerReference } from '../../controller-ref-manager.js';
import type { ControllerMetrics } from '../../metrics.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import { isNamespaceTerminating, type SyncResult } from '../../worker-loop.js';
import { expectedPodCount, type ScaleOf } from './expected-pods.js';

export type PodDisruptionBudget = Typed<policyv1.PodDisruptionBudget>;
type Pod = Typed<corev1.Pod>;
type ReplicaSet = Typed<appsv1.ReplicaSet>;
type Deployment = Typed<appsv1.Deployment>;
type StatefulSet = Typed<appsv1.StatefulSet>;
type ReplicationController = Typed<corev1.ReplicationController>;

export const pdbsResource = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' } as const;
export const disruptionResources = {
  pods: { group: '', version: 'v1', resource: 'pods' },
  replicationControllers: { group: '', version: 'v1', resource: 'replicationcontrollers' },
  replicaSets: { group: 'apps', version: 'v1', resource: 'replicasets' },
  deployments: { group: 'apps', version: 'v1', resource: 'deployments' },
  statefulSets: { group: 'apps', version: 'v1', resource: 'statefulsets' },
} as const;

/** How long a DisruptionTarget=True condition may stay on a pod that is not being deleted (upstream). */
export const stalePodDisruptionTimeoutMs = 2 * 60_000;
/** The field manager of the condition reset (upstream's). */
export const disruptionFieldManager = 'DisruptionController';

/** How stale the discovered kinds of custom controllers may get. */
const rediscoveryIntervalMs = 30_000;

/** How long an eviction's disruptedPods entry waits for the pod's deletion (upstream DeletionTimeout). */
export const deletionTimeoutMs = 2 * 60_000;

export interface DisruptionDeps {
  client: Interface;
  pdbs: InformerHandle<PodDisruptionBudget>;
  pods: InformerHandle<Pod>;
  replicationControllers: InformerHandle<ReplicationController>;
  replicaSets: InformerHandle<ReplicaSet>;
  deployments: InformerHandle<Deployment>;
  statefulSets: InformerHandle<StatefulSet>;
  recorder: EventRecorder;
  queue: RateLimitingQueue<string>;
  /** Pods ("ns/name") whose DisruptionTarget condition may have gone stale. */
  stalePodQueue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
}

function selectorOf(pdb: PodDisruptionBudget): Selector | undefined {
  try {
    return labelSelectorAsSelector(pdb.spec?.selector);
  } catch {
    return undefined;
  }
}

function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export class DisruptionController implements Controller {
  readonly name = 'disruption-controller';
  private mapper: { at: number; mapper: RESTMapper } | undefined;
  private readonly pdbEvents: EventRecorder;

  constructor(private readonly deps: DisruptionDeps) {
    this.pdbEvents = recorderForKind(deps.recorder, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' });
    const enqueue = (p: PodDisruptionBudget): void => deps.queue.add(`${p.metadata!.namespace}/${p.metadata!.name}`);
    deps.pdbs.informer.addEventHandler({ onAdd: enqueue, onUpdate: (_o, p) => enqueue(p) });
    const podChanged = (pod: Pod): void => {
      for (const pdb of this.pdbsForPod(pod)) enqueue(pdb);
      const cleanAfter = this.staleDisruptionCleanupIn(pod);
      if (cleanAfter !== undefined) deps.stalePodQueue.addAfter(`${pod.metadata!.namespace}/${pod.metadata!.name}`, cleanAfter);
    };
    deps.pods.informer.addEventHandler({
      onAdd: podChanged,
      onUpdate: (old, pod) => {
        podChanged(pod);
        if (JSON.stringify(old.metadata?.labels) !== JSON.stringify(pod.metadata?.labels)) podChanged(old);
      },
      onDelete: (obj) => podChanged(isDeletedFinalStateUnknown(obj) ? obj.obj : obj),
    });
    // A controller's scale changes the expected count of the budgets over its pods.
    const scaleChanged = (owner: { metadata?: { namespace?: string; uid?: string } }): void => {
      const ns = owner.metadata?.namespace;
      if (!ns) return;
      for (const pdb of deps.pdbs.lister.namespace(ns).list()) enqueue(pdb);
    };
    for (const h of [deps.replicationControllers, deps.replicaSets, deps.deployments, deps.statefulSets] as InformerHandle[]) {
      h.informer.addEventHandler({ onUpdate: (_o, n) => scaleChanged(n), onDelete: (o) => scaleChanged(isDeletedFinalStateUnknown(o) ? o.obj : o) });
    }
  }

  /** The budgets whose selector matches the pod (upstream getPdbForPod, without picking just one). */
  private pdbsForPod(pod: Pod): PodDisruptionBudget[] {
    const ns = pod.metadata?.namespace;
    if (!ns) return [];
    return this.deps.pdbs.lister.namespace(ns).list().filter((pdb) => selectorOf(pdb)?.matches(pod.metadata?.labels ?? {}) ?? false);
  }

  /**
   * upstream nonTerminatingPodHasStaleDisruptionCondition: for a pod not being deleted whose DisruptionTarget
   * is True, the ms until it counts as stale (0 = now); undefined when there is nothing to clean.
   */
  staleDisruptionCleanupIn(pod: Pod): number | undefined {
    if (pod.metadata?.deletionTimestamp) return undefined;
    const cond = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    if (!cond || cond.status !== 'True') return undefined;
    const since = cond.lastTransitionTime ? Date.parse(cond.lastTransitionTime) : 0;
    return Math.max(0, since + stalePodDisruptionTimeoutMs - this.deps.clock.now());
  }

  /**
   * upstream syncStalePodDisruption: an eviction or preemption that marked the pod but never deleted it
   * leaves DisruptionTarget=True behind; after two minutes it is set False (server-side apply of the status).
   */
  async syncStalePodDisruption(key: string): Promise<SyncResult | void> {
    const [namespace, name] = key.split('/') as [string, string];
    const pod = this.deps.pods.lister.namespace(namespace).get(name);
    if (!pod) return;
    const cleanAfter = this.staleDisruptionCleanupIn(pod);
    if (cleanAfter === undefined) return;
    if (cleanAfter > 0) return { requeueAfterMs: cleanAfter };
    const apply = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace, resourceVersion: pod.metadata?.resourceVersion },
      status: { conditions: [{ type: 'DisruptionTarget', status: 'False', lastTransitionTime: metaTime(this.deps.clock.now()) }] },
    };
    try {
      await this.deps.client.resource<Pod>(disruptionResources.pods, namespace).patch(name, 'apply', apply, { subresource: 'status', fieldManager: disruptionFieldManager, force: true });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    this.deps.logger.v(2).info('Reset stale DisruptionTarget condition to False', { pod: key });
  }

  async run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    const handles = [deps.pdbs, deps.pods, deps.replicationControllers, deps.replicaSets, deps.deployments, deps.statefulSets] as InformerHandle[];
    const stale = runAfterCacheSync({
      name: 'stale-pod-disruption',
      hasSynced: [() => deps.pods.informer.hasSynced()],
      queue: deps.stalePodQueue,
      sync: (key) => this.syncStalePodDisruption(key),
      workers: 1,
      signal: opts.signal,
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
    });
    await runAfterCacheSync({
      name: this.name,
      hasSynced: handles.map((h) => () => h.informer.hasSynced()),
      queue: deps.queue,
      sync: (key) => this.sync(key),
      workers: Math.max(opts.workers, 1),
      signal: opts.signal,
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
      isIgnorable: isNamespaceTerminating,
    });
    await stale;
  }

  /**
   * upstream's finders: RC, ReplicaSet (or the Deployment owning it), StatefulSet, and any other controller
   * through its scale subresource (getScaleController).
   */
  private readonly scaleOf: ScaleOf = async (pod) => {
    const ref = getControllerOf(pod);
    if (!ref) return undefined;
    const ns = pod.metadata!.namespace!;
    const { deps } = this;
    if (ref.kind === 'ReplicationController' && ref.apiVersion === 'v1') {
      const rc = resolveControllerRef(deps.replicationControllers.lister, ns, ref, 'ReplicationController');
      return rc ? { controllerUID: ref.uid, replicas: rc.spec?.replicas ?? 1 } : 'not-found';
    }
    if (ref.kind === 'ReplicaSet' && ref.apiVersion.startsWith('apps/')) {
      const rs = resolveControllerRef(deps.replicaSets.lister, ns, ref, 'ReplicaSet');
      if (!rs) return 'not-found';
      const owner = getControllerOf(rs);
      const deployment = owner && resolveControllerRef(deps.deployments.lister, ns, owner, 'Deployment');
      if (deployment) return { controllerUID: owner.uid, replicas: deployment.spec?.replicas ?? 1 };
      return { controllerUID: ref.uid, replicas: rs.spec?.replicas ?? 1 };
    }
    if (ref.kind === 'StatefulSet' && ref.apiVersion.startsWith('apps/')) {
      const sts = resolveControllerRef(deps.statefulSets.lister, ns, ref, 'StatefulSet');
      return sts ? { controllerUID: ref.uid, replicas: sts.spec?.replicas ?? 1 } : 'not-found';
    }
    return this.scaleFromSubresource(ns, ref);
  };

  /** The controller's /scale (custom workloads), checked to be the same object by UID. */
  private async scaleFromSubresource(namespace: string, ref: OwnerReference): Promise<{ controllerUID: string; replicas: number } | 'not-found'> {
    const now = this.deps.clock.now();
    if (!this.mapper || now - this.mapper.at > rediscoveryIntervalMs) {
      this.mapper = { at: now, mapper: new RESTMapper((await discoverResources(this.deps.client)).resources) };
    }
    const r = this.mapper.mapper.resourceFor(ref.apiVersion, ref.kind);
    if (!r) return 'not-found';
    try {
      const scale = await this.deps.client.resource({ group: r.group, version: r.version, resource: r.resource }, namespace).getSubresource<{ metadata?: { uid?: string }; spec?: { replicas?: number } }>(ref.name, 'scale');
      if (scale.metadata?.uid !== ref.uid) return 'not-found';
      return { controllerUID: ref.uid, replicas: scale.spec?.replicas ?? 0 };
    } catch (err) {
      if (isNotFound(err)) return 'not-found';
      throw err;
    }
  }

  /**
   * Recomputes the budget's status and writes it when it changed. Asks to be called again when a
   * disruptedPods entry will expire.
   */
  async sync(key: string): Promise<SyncResult | void> {
    const [namespace, name] = key.split('/') as [string, string];
    const pdb = this.deps.pdbs.lister.namespace(namespace).get(name);
    if (!pdb) return;
    const selector = selectorOf(pdb);
    const pods = selector ? this.deps.pods.lister.namespace(namespace).list().filter((p) => selector.matches(p.metadata?.labels ?? {})) : [];
    if (pods.length === 0) this.pdbEvents.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
    let expected;
    try {
      expected = await expectedPodCount(pdb.spec ?? {}, pods, this.scaleOf);
    } catch (err) {
      this.pdbEvents.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${(err as Error).message}`);
      await this.failSafe(pdb, (err as Error).message);
      return;
    }
    if (expected.unmanagedPods.length) {
      this.pdbEvents.event(
        pdb,
        'Warning',
        'UnmanagedPods',
        `Pods selected by this PodDisruptionBudget (selector: ${selector?.toString() ?? ''}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
      );
    }
    const now = this.deps.clock.now();
    const { disruptedPods, recheckAt } = this.liveDisruptedPods(pdb, pods, now);
    const currentHealthy = pods.filter((p) => !p.metadata?.deletionTimestamp && !(p.metadata!.name! in disruptedPods) && isPodReady(p)).length;
    await this.updateStatus(pdb, { currentHealthy, desiredHealthy: expected.desiredHealthy, expectedPods: expected.expectedCount, disruptedPods });
    if (recheckAt !== undefined) return { requeueAfterMs: Math.max(0, recheckAt - now) };
  }

  /** upstream buildDisruptedPodMap: entries whose pod still exists undeleted and whose 2 minutes have not passed. */
  private liveDisruptedPods(pdb: PodDisruptionBudget, pods: Pod[], now: number): { disruptedPods: Record<string, string>; recheckAt?: number } {
    const recorded = pdb.status?.disruptedPods ?? {};
    const out: Record<string, string> = {};
    let recheckAt: number | undefined;
    for (const pod of pods) {
      const name = pod.metadata!.name!;
      const at = recorded[name];
      if (at === undefined || pod.metadata?.deletionTimestamp) continue;
      const expires = Date.parse(at) + deletionTimeoutMs;
      if (expires < now) {
        this.deps.logger.v(1).info('Pod was expected to be deleted but it was not', { pod: `${pod.metadata!.namespace}/${name}`, at });
        continue;
      }
      out[name] = at;
      if (recheckAt === undefined || expires < recheckAt) recheckAt = expires;
    }
    return { disruptedPods: out, recheckAt };
  }

  private async updateStatus(pdb: PodDisruptionBudget, s: { currentHealthy: number; desiredHealthy: number; expectedPods: number; disruptedPods: Record<string, string> }): Promise<void> {
    let disruptionsAllowed = s.currentHealthy - s.desiredHealthy;
    if (s.expectedPods <= 0 || disruptionsAllowed <= 0) disruptionsAllowed = 0;
    const generation = pdb.metadata?.generation ?? 0;
    const status: policyv1.PodDisruptionBudgetStatus = {
      ...pdb.status,
      currentHealthy: s.currentHealthy,
      desiredHealthy: s.desiredHealthy,
      expectedPods: s.expectedPods,
      disruptionsAllowed,
      disruptedPods: s.disruptedPods,
      observedGeneration: generation,
    };
    if (Object.keys(s.disruptedPods).length === 0) delete status.disruptedPods;
    status.conditions = this.withCondition(pdb.status?.conditions, disruptionsAllowed > 0 ? { status: 'True', reason: 'SufficientPods', message: '' } : { status: 'False', reason: 'InsufficientPods', message: '' }, generation);
    await this.writeStatus(pdb, status);
  }

  /** upstream apimeta.SetStatusCondition for DisruptionAllowed: lastTransitionTime moves only when the status does. */
  private withCondition(conditions: policyv1.PodDisruptionBudgetStatus['conditions'], c: { status: string; reason: string; message: string }, observedGeneration: number) {
    const old = (conditions ?? []).find((x) => x.type === 'DisruptionAllowed');
    const lastTransitionTime = old && old.status === c.status ? old.lastTransitionTime : metaTime(this.deps.clock.now());
    const next = { type: 'DisruptionAllowed', ...c, observedGeneration, lastTransitionTime };
    return old ? (conditions ?? []).map((x) => (x.type === 'DisruptionAllowed' ? next : x)) : [...(conditions ?? []), next];
  }

  /** upstream failSafe: no disruptions while the status cannot be computed. */
  private async failSafe(pdb: PodDisruptionBudget, message: string): Promise<void> {
    const generation = pdb.metadata?.generation ?? 0;
    const status: policyv1.PodDisruptionBudgetStatus = { ...(pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, disruptionsAllowed: 0 }), disruptionsAllowed: 0 };
    status.conditions = this.withCondition(pdb.status?.conditions, { status: 'False', reason: 'SyncFailed', message }, generation);
    await this.writeStatus(pdb, status);
  }

  private async writeStatus(pdb: PodDisruptionBudget, status: policyv1.PodDisruptionBudgetStatus): Promise<void> {
    if (JSON.stringify(status) === JSON.stringify(pdb.status)) return;
    try {
      await this.deps.client.resource<PodDisruptionBudget>(pdbsResource, pdb.metadata!.namespace).update({ ...structuredClone(pdb), status }, { subresource: 'status' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

/** The registry's constructor. */
export function newDisruptionController(ctx: ControllerContext): Controller {
  const r = disruptionResources;
  return new DisruptionController({
    client: ctx.client,
    pdbs: ctx.informers.forResource<PodDisruptionBudget>(pdbsResource),
    pods: ctx.informers.forResource<Pod>(r.pods),
    replicationControllers: ctx.informers.forResource<ReplicationController>(r.replicationControllers),
    replicaSets: ctx.informers.forResource<ReplicaSet>(r.replicaSets),
    deployments: ctx.informers.forResource<Deployment>(r.deployments),
    statefulSets: ctx.informers.forResource<StatefulSet>(r.statefulSets),
    recorder: ctx.recorder('controllermanager'),
    queue: ctx.newQueue('disruption'),
    stalePodQueue: ctx.newQueue('stale_pod_disruption'),
    clock: ctx.clock,
    logger: ctx.logger.withName('disruption-controller'),
    metrics: ctx.metrics,
  });
}
