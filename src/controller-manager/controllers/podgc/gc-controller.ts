// The pod garbage collector (upstream pkg/controller/podgc): every 20 s it deletes terminated pods above
// --terminated-pod-gc-threshold (oldest first), pods bound to nodes that are gone (after a 40 s
// quarantine), terminating pods on NotReady out-of-service nodes, and terminating pods never scheduled.
import type * as corev1 from '../../../api/generated/core/v1.js';
import { isNotFound } from '../../../apimachinery/errors.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { Interface } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import type { Controller, ControllerContext, InformerHandle } from '../../controller-context.js';
import { resources } from '../../controller-context.js';
import { metaTime } from '../../conditions.js';
import { waitForCacheSync } from '../../worker-loop.js';

type Pod = Typed<corev1.Pod>;
type Node = Typed<corev1.Node>;

export const nodesResource = { group: '', version: 'v1', resource: 'nodes' } as const;

/** upstream gcCheckPeriod. */
export const gcCheckPeriodMs = 20_000;
/** upstream quarantineTime: how long a node must stay missing before its pods count as orphaned. */
export const quarantineTimeMs = 40_000;
export const taintNodeOutOfService = 'node.kubernetes.io/out-of-service';
/** upstream's field manager for the Failed status it writes before deleting. */
export const podGCFieldManager = 'PodGC';

export interface PodGCControllerDeps {
  client: Interface;
  pods: InformerHandle<Pod>;
  nodes: InformerHandle<Node>;
  /** --terminated-pod-gc-threshold; <= 0 keeps every terminated pod. */
  terminatedPodThreshold: number;
  clock: Clock;
  logger: Logger;
  /** Default gcCheckPeriodMs / quarantineTimeMs. */
  checkPeriodMs?: number;
  quarantineMs?: number;
}

/** What one gc pass deleted, by upstream's metric reason. */
export interface GCResult {
  terminated: number;
  orphaned: number;
  terminatingOutOfService: number;
  terminatingUnscheduled: number;
}

const isTerminated = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const isTerminating = (pod: Pod) => pod.metadata?.deletionTimestamp !== undefined && !isTerminated(pod);

/** upstream byEvictionAndCreationTimestamp: evicted (Failed, reason Evicted) first, then oldest first, then by name. */
export function compareForGC(a: Pod, b: Pod): number {
  const evicted = (p: Pod) => p.status?.phase === 'Failed' && p.status?.reason === 'Evicted';
  if (evicted(a) !== evicted(b)) return evicted(a) ? -1 : 1;
  const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  const na = `${a.metadata?.namespace}/${a.metadata?.name}`;
  const nb = `${b.metadata?.namespace}/${b.metadata?.name}`;
  return na < nb ? -1 : na > nb ? 1 : 0;
}

export class PodGCController implements Controller {
  readonly name = 'pod-garbage-collector-controller';
  /** Missing node → when its quarantine ends (upstream's delaying nodeQueue). */
  private readonly quarantine = new Map<string, number>();

  constructor(private readonly deps: PodGCControllerDeps) {}

  async run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    try {
      await waitForCacheSync({ signal: opts.signal, clock: deps.clock }, () => deps.pods.informer.hasSynced(), () => deps.nodes.informer.hasSynced());
    } catch {
      return;
    }
    deps.logger.info('Starting GC controller');
    while (!opts.signal.aborted) {
      try {
        await this.gc();
      } catch (err) {
        deps.logger.error('Pod garbage collection failed', err);
      }
      try {
        await deps.clock.sleep(deps.checkPeriodMs ?? gcCheckPeriodMs, opts.signal);
      } catch {
        break;
      }
    }
    deps.logger.info('Shutting down GC controller');
  }

  /** One pass (upstream gc). */
  async gc(): Promise<GCResult> {
    const pods = this.deps.pods.lister.list();
    const nodes = this.deps.nodes.lister.list();
    const result: GCResult = { terminated: 0, orphaned: 0, terminatingOutOfService: 0, terminatingUnscheduled: 0 };
    if (this.deps.terminatedPodThreshold > 0) result.terminated = await this.gcTerminated(pods);
    result.terminatingOutOfService = await this.gcTerminating(pods);
    result.orphaned = await this.gcOrphaned(pods, nodes);
    result.terminatingUnscheduled = await this.gcUnscheduledTerminating(pods);
    return result;
  }

  private async gcTerminated(pods: Pod[]): Promise<number> {
    const terminated = pods.filter(isTerminated);
    const deleteCount = terminated.length - this.deps.terminatedPodThreshold;
    if (deleteCount <= 0) return 0;
    this.deps.logger.info('Garbage collecting pods', { numPods: deleteCount });
    terminated.sort(compareForGC);
    return this.deleteAll(terminated.slice(0, deleteCount));
  }

  /** Terminating pods on nodes that are NotReady and tainted out-of-service: their kubelet will not finish them. */
  private async gcTerminating(pods: Pod[]): Promise<number> {
    const stuck = pods.filter((pod) => {
      if (!isTerminating(pod) || !pod.spec?.nodeName) return false;
      const node = this.deps.nodes.lister.get(pod.spec.nodeName);
      if (!node) return false;
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
      return !ready && (node.spec?.taints ?? []).some((t) => t.key === taintNodeOutOfService);
    });
    if (stuck.length === 0) return 0;
    this.deps.logger.v(4).info('Garbage collecting pods that are terminating on node tainted with node.kubernetes.io/out-of-service', { numPods: stuck.length });
    stuck.sort(compareForGC);
    return this.deleteAll(stuck);
  }

  private async gcOrphaned(pods: Pod[], nodes: Node[]): Promise<number> {
    const existing = new Set(nodes.map((n) => n.metadata?.name));
    const now = this.deps.clock.now();
    for (const pod of pods) {
      const nodeName = pod.spec?.nodeName;
      if (nodeName && !existing.has(nodeName) && !this.quarantine.has(nodeName)) this.quarantine.set(nodeName, now + (this.deps.quarantineMs ?? quarantineTimeMs));
    }
    const deletedNodes = await this.discoverDeletedNodes(existing, now);
    let deleted = 0;
    for (const pod of pods) {
      if (!pod.spec?.nodeName || !deletedNodes.has(pod.spec.nodeName)) continue;
      this.deps.logger.v(2).info('Found orphaned Pod assigned to the Node, deleting', { pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, node: pod.spec.nodeName });
      const condition: corev1.PodCondition = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists', lastTransitionTime: metaTime(now) };
      try {
        await this.markFailedAndDelete(pod, condition);
        deleted++;
        this.deps.logger.info('Forced deletion of orphaned Pod succeeded', { pod: `${pod.metadata?.namespace}/${pod.metadata?.name}` });
      } catch (err) {
        this.deps.logger.error('Failed to delete orphaned Pod', err, { pod: `${pod.metadata?.namespace}/${pod.metadata?.name}` });
      }
    }
    return deleted;
  }

  /** Nodes whose quarantine ended and that the API server confirms gone. */
  private async discoverDeletedNodes(existing: Set<string | undefined>, now: number): Promise<Set<string>> {
    const deleted = new Set<string>();
    for (const [name, until] of [...this.quarantine]) {
      if (until > now) continue;
      this.quarantine.delete(name);
      if (existing.has(name)) continue;
      try {
        await this.deps.client.resource(nodesResource).get(name);
      } catch (err) {
        if (isNotFound(err)) deleted.add(name);
        else this.deps.logger.error('Error while getting node', err, { node: name });
      }
    }
    return deleted;
  }

  private async gcUnscheduledTerminating(pods: Pod[]): Promise<number> {
    const unscheduled = pods.filter((p) => isTerminating(p) && !p.spec?.nodeName);
    if (unscheduled.length) this.deps.logger.v(4).info('GC\'ing unscheduled pods which are terminating', { numPods: unscheduled.length });
    unscheduled.sort(compareForGC);
    return this.deleteAll(unscheduled);
  }

  private async deleteAll(pods: Pod[]): Promise<number> {
    const outcomes = await Promise.allSettled(pods.map((p) => this.markFailedAndDelete(p)));
    for (const [i, o] of outcomes.entries()) {
      if (o.status === 'rejected') this.deps.logger.error('Failed to delete pod', o.reason, { pod: `${pods[i].metadata?.namespace}/${pods[i].metadata?.name}` });
    }
    return outcomes.filter((o) => o.status === 'fulfilled').length;
  }

  /**
   * upstream markFailedAndDeletePodWithCondition: a pod not yet terminal is first set Failed (with the
   * condition, applied as field manager PodGC), then force-deleted (grace period 0). A pod already gone counts.
   */
  private async markFailedAndDelete(pod: Pod, condition?: corev1.PodCondition): Promise<void> {
    const ns = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    const podsClient = this.deps.client.resource<Pod>(resources.pods, ns);
    try {
      if (!isTerminated(pod)) {
        const status: corev1.PodStatus = { phase: 'Failed' };
        if (condition) status.conditions = [condition];
        await podsClient.patch(name, 'apply', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, status }, { subresource: 'status', fieldManager: podGCFieldManager, force: true });
      }
      await podsClient.delete(name, { gracePeriodSeconds: 0 });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

/** The registry's constructor. */
export function newPodGCController(ctx: ControllerContext): Controller {
  return new PodGCController({
    client: ctx.client,
    pods: ctx.informers.forResource<Pod>(resources.pods),
    nodes: ctx.informers.forResource<Node>(nodesResource),
    terminatedPodThreshold: ctx.options.terminatedPodGCThreshold,
    clock: ctx.clock,
    logger: ctx.logger.withName('podgc'),
  });
}
