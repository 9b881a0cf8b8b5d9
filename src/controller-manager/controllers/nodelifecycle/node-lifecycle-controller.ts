// The node lifecycle controller (upstream pkg/controller/nodelifecycle): notices nodes whose kubelet stopped
// renewing its Lease and posting status, marks them Ready=Unknown, mirrors node conditions into NoSchedule
// taints, queues NotReady/unreachable nodes for NoExecute taints at a per-zone rate, and marks their pods
// not ready. Evicting the pods is the taint eviction controller's job.
import type * as coordinationv1 from '../../../api/generated/coordination/v1.js';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { isConflict, isNotFound } from '../../../apimachinery/errors.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { Interface } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import { metaTime } from '../../conditions.js';
import { recorderForKind, type Controller, type ControllerContext, type EventRecorder, type InformerHandle } from '../../controller-context.js';
import type { ControllerMetrics } from '../../metrics.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import {
  desiredNoScheduleTaints,
  isManagedNoScheduleTaint,
  notReadyNoExecute,
  readyCondition,
  sameTaint,
  swapTaints,
  taintExists,
  unreachableNoExecute,
} from './taints.js';
import { newNodeLifecycleMetrics, type NodeLifecycleMetrics } from './metrics.js';
import { computeZoneState, RateLimitedNodeQueue, zoneEvictionRate, zoneKey, type ZoneState } from './zones.js';

export type Node = Typed<corev1.Node>;
export type Pod = Typed<corev1.Pod>;
export type Lease = Typed<coordinationv1.Lease>;
type NodeCondition = corev1.NodeCondition;

export const nodesResource = { group: '', version: 'v1', resource: 'nodes' } as const;
export const podsResource = { group: '', version: 'v1', resource: 'pods' } as const;
export const leasesResource = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' } as const;
/** Where kubelets keep their heartbeat Leases, one per node, named like the node. */
export const nodeLeaseNamespace = 'kube-node-lease';
/** Nodes with this label do not count towards their zone's disruption state. */
export const labelNodeExcludeDisruption = 'node.kubernetes.io/exclude-disruption';

/** Stable label → deprecated beta label the controller keeps in step. */
const deprecatedLabelPairs: Array<[string, string]> = [
  ['kubernetes.io/os', 'beta.kubernetes.io/os'],
  ['kubernetes.io/arch', 'beta.kubernetes.io/arch'],
];

/** How often the NoExecute tainting queues are drained (upstream NodeEvictionPeriod). */
const taintingPeriodMs = 100;

export interface NodeLifecycleOptions {
  nodeMonitorPeriodMs: number;
  nodeMonitorGracePeriodMs: number;
  nodeStartupGracePeriodMs: number;
  evictionRate: number;
  secondaryEvictionRate: number;
  largeClusterSizeThreshold: number;
  unhealthyZoneThreshold: number;
}

export interface NodeLifecycleDeps {
  client: Interface;
  nodes: InformerHandle<Node>;
  leases: InformerHandle<Lease>;
  pods: InformerHandle<Pod>;
  /** Receives node and pod events (RegisteredNode, NodeNotReady, …). */
  recorder: EventRecorder;
  /** Keys: node names (NoSchedule tainting) and pod keys "ns/name" (pods landing on not-ready nodes). */
  queue: RateLimitingQueue<string>;
  options: NodeLifecycleOptions;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
}

/** What the controller remembers per node between passes (upstream nodeHealthData). */
interface NodeHealth {
  /** When the kubelet was last heard from (a new heartbeat in status, or a renewed Lease). */
  probeTimestamp: number;
  readyTransitionTimestamp: number;
  /** The Ready condition as last seen. */
  ready: NodeCondition | undefined;
  leaseRenewTime: string | undefined;
}

export class NodeLifecycleController implements Controller {
  readonly name = 'node-lifecycle-controller';
  private readonly health = new Map<string, NodeHealth>();
  private readonly knownNodes = new Map<string, Node>();
  private readonly zoneStates = new Map<string, ZoneState>();
  private readonly zoneTainters = new Map<string, RateLimitedNodeQueue>();
  /** Nodes whose pods still need marking NotReady after a failed attempt. */
  private readonly nodesToRetry = new Set<string>();
  private readonly nodeEvents: EventRecorder;
  private readonly podEvents: EventRecorder;
  private readonly zoneMetrics: NodeLifecycleMetrics | undefined;

  constructor(private readonly deps: NodeLifecycleDeps) {
    this.zoneMetrics = deps.metrics ? newNodeLifecycleMetrics(deps.metrics.registry) : undefined;
    this.nodeEvents = recorderForKind(deps.recorder, { apiVersion: 'v1', kind: 'Node' });
    this.podEvents = recorderForKind(deps.recorder, { apiVersion: 'v1', kind: 'Pod' });
    deps.nodes.informer.addEventHandler({
      onAdd: (n) => deps.queue.add(n.metadata!.name!),
      onUpdate: (_o, n) => deps.queue.add(n.metadata!.name!),
    });
    deps.pods.informer.addEventHandler({
      onAdd: (p) => this.podUpdated(undefined, p),
      onUpdate: (o, p) => this.podUpdated(o, p),
    });
  }

  private podUpdated(old: Pod | undefined, pod: Pod): void {
    const node = pod.spec?.nodeName;
    if (node && node !== old?.spec?.nodeName) this.deps.queue.add(`${pod.metadata!.namespace}/${pod.metadata!.name}`);
  }

  async run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    const loops: Promise<void>[] = [];
    const workers = runAfterCacheSync({
      name: this.name,
      hasSynced: [() => deps.nodes.informer.hasSynced(), () => deps.leases.informer.hasSynced(), () => deps.pods.informer.hasSynced()],
      queue: deps.queue,
      sync: (key) => (key.includes('/') ? this.processPod(key) : this.syncNode(key)),
      workers: Math.max(opts.workers, 1),
      signal: opts.signal,
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
    });
    loops.push(this.every(taintingPeriodMs, opts.signal, () => this.doNoExecuteTaintingPass()));
    loops.push(this.every(deps.options.nodeMonitorPeriodMs, opts.signal, () => this.monitorNodeHealth()));
    await Promise.all([workers, ...loops]);
  }

  /** Runs `fn` every `periodMs` once the caches are synced, until `signal` aborts; failures are logged. */
  private async every(periodMs: number, signal: AbortSignal, fn: () => Promise<void>): Promise<void> {
    const { deps } = this;
    try {
      while (!(deps.nodes.informer.hasSynced() && deps.leases.informer.hasSynced() && deps.pods.informer.hasSynced())) await deps.clock.sleep(100, signal);
      for (;;) {
        try {
          await fn();
        } catch (err) {
          deps.logger.error('Node lifecycle pass failed', err);
        }
        await deps.clock.sleep(periodMs, signal);
      }
    } catch {
      // aborted
    }
  }

  /** A node changed: its NoSchedule taints and its deprecated OS/arch labels follow (upstream doNodeProcessingPassWorker). */
  async syncNode(nodeName: string): Promise<void> {
    await this.doNoScheduleTaintingPass(nodeName);
    await this.reconcileNodeLabels(nodeName);
  }

  /**
   * upstream reconcileNodeLabels: beta.kubernetes.io/os and beta.kubernetes.io/arch are kept equal to
   * kubernetes.io/os and kubernetes.io/arch (added when missing).
   */
  async reconcileNodeLabels(nodeName: string): Promise<void> {
    const labels = this.deps.nodes.lister.get(nodeName)?.metadata?.labels;
    if (!labels) return;
    const update: Record<string, string> = {};
    for (const [primary, secondary] of deprecatedLabelPairs) {
      const value = labels[primary];
      if (value !== undefined && labels[secondary] !== value) update[secondary] = value;
    }
    if (Object.keys(update).length === 0) return;
    try {
      await this.deps.client.resource<Node>(nodesResource).patch(nodeName, 'merge', { metadata: { labels: update } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Puts the condition-mirroring NoSchedule taints (and `unschedulable`) on the node, removing stale ones. */
  async doNoScheduleTaintingPass(nodeName: string): Promise<void> {
    const node = this.deps.nodes.lister.get(nodeName);
    if (!node) return;
    const want = desiredNoScheduleTaints(node);
    const have = (node.spec?.taints ?? []).filter(isManagedNoScheduleTaint);
    const add = want.filter((t) => !have.some((h) => sameTaint(h, t)));
    const remove = have.filter((h) => !want.some((t) => sameTaint(h, t)));
    if (add.length === 0 && remove.length === 0) return;
    await this.swapNodeTaints(nodeName, add, remove);
  }

  /**
   * upstream SwapNodeControllerTaint: adds `add` and removes `remove` with a merge patch guarded by the
   * resourceVersion, re-reading the node on conflicts. Resolves false when the node is gone.
   */
  async swapNodeTaints(nodeName: string, add: corev1.Taint[], remove: corev1.Taint[]): Promise<boolean> {
    const nodes = this.deps.client.resource<Node>(nodesResource);
    let node = this.deps.nodes.lister.get(nodeName);
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        if (!node || attempt > 0) node = await nodes.get(nodeName);
        const taints = swapTaints(node.spec?.taints, add, remove, metaTime(this.deps.clock.now()));
        if (!taints) return true;
        await nodes.patch(nodeName, 'merge', { metadata: { resourceVersion: node.metadata?.resourceVersion }, spec: { taints } });
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        if (!isConflict(err)) throw err;
      }
    }
    throw new Error(`failed to swap taints of node ${nodeName}: too many conflicts`);
  }

  /** A pod newly bound to a node that is not Ready is marked NotReady itself (upstream processPod). */
  private async processPod(key: string): Promise<void> {
    const [namespace, name] = key.split('/') as [string, string];
    const pod = this.deps.pods.lister.namespace(namespace).get(name);
    const nodeName = pod?.spec?.nodeName;
    if (!pod || !nodeName || !this.health.has(nodeName)) return;
    const node = this.deps.nodes.lister.get(nodeName);
    const ready = node && readyCondition(node);
    if (ready && ready.status !== 'True') await this.markPodsNotReady([pod], nodeName);
  }

  /**
   * One health pass over every node (upstream monitorNodeHealth): registers new nodes and zones, posts
   * Unknown conditions for nodes not heard from within the grace period, queues NoExecute tainting, marks
   * pods NotReady on a Ready→not-Ready transition, and updates zone states and tainting rates.
   */
  async monitorNodeHealth(): Promise<void> {
    const { deps } = this;
    const nodes = deps.nodes.lister.list();
    const seen = new Set<string>();
    for (const node of nodes) {
      const name = node.metadata!.name!;
      seen.add(name);
      this.ensureZone(node);
      if (!this.knownNodes.has(name)) {
        deps.logger.v(1).info('Controller observed a new Node', { node: name });
        this.nodeEvents.event(nodeRef(node), 'Normal', 'RegisteredNode', `Registered Node ${name} in Controller`);
        this.knownNodes.set(name, node);
        await this.markNodeAsReachable(node);
      }
    }
    for (const [name, node] of this.knownNodes) {
      if (seen.has(name)) continue;
      deps.logger.v(1).info('Controller observed a Node deletion', { node: name });
      this.nodeEvents.event(nodeRef(node), 'Normal', 'RemovingNode', `Removing Node ${name} from Controller`);
      this.knownNodes.delete(name);
      this.health.delete(name);
      this.nodesToRetry.delete(name);
      for (const q of this.zoneTainters.values()) q.remove(name);
    }

    const zoneConditions = new Map<string, Array<NodeCondition | undefined>>();
    let podsByNode: Map<string, Pod[]> | undefined;
    for (const cached of nodes) {
      const result = await this.updateNodeHealthWithRetry(structuredClone(cached));
      if (!result) continue;
      const { node, observed, current } = result;
      const name = node.metadata!.name!;
      if (!node.metadata?.labels?.[labelNodeExcludeDisruption]) {
        const zone = zoneKey(node);
        const list = zoneConditions.get(zone);
        if (list) list.push(current);
        else zoneConditions.set(zone, [current]);
      }
      if (!current) continue;
      await this.processTaintBasedEviction(node, observed);
      const transitioned = current.status !== 'True' && observed.status === 'True';
      if (transitioned) this.nodeEvents.event(nodeRef(node), 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      if (transitioned || (this.nodesToRetry.has(name) && observed.status !== 'True')) {
        try {
          podsByNode ??= this.podsByNode();
          await this.markPodsNotReady(podsByNode.get(name) ?? [], name);
        } catch (err) {
          deps.logger.error('Unable to mark all pods NotReady on node; queuing for retry', err, { node: name });
          this.nodesToRetry.add(name);
          continue;
        }
      }
      this.nodesToRetry.delete(name);
    }
    await this.handleDisruption(zoneConditions, nodes);
  }

  private async updateNodeHealthWithRetry(node: Node): Promise<{ node: Node; observed: NodeCondition; current: NodeCondition | undefined } | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        return { node, ...(await this.tryUpdateNodeHealth(node)) };
      } catch (err) {
        if (attempt >= 4) {
          this.deps.logger.error('Update health of Node from Controller error, Skipping - no pods will be evicted', err, { node: node.metadata?.name });
          return undefined;
        }
        try {
          node = await this.deps.client.resource<Node>(nodesResource).get(node.metadata!.name!);
        } catch {
          return undefined;
        }
      }
    }
  }

  /**
   * upstream tryUpdateNodeHealth: refreshes the probe timestamp when the Ready heartbeat or the Lease moved,
   * and once nothing was heard for the grace period (startup grace for nodes that never posted Ready) sets
   * Ready, MemoryPressure, DiskPressure and PIDPressure to Unknown. Returns the Ready condition as observed
   * before and as it is after. `node` is a private copy and is updated in place.
   */
  async tryUpdateNodeHealth(node: Node): Promise<{ observed: NodeCondition; current: NodeCondition | undefined }> {
    const { deps } = this;
    const now = deps.clock.now();
    const name = node.metadata!.name!;
    const created = node.metadata?.creationTimestamp ? Date.parse(node.metadata.creationTimestamp) : now;
    let health = this.health.get(name);
    let current = readyCondition(node);
    let observed: NodeCondition;
    let gracePeriod: number;
    if (!current) {
      observed = { type: 'Ready', status: 'Unknown', lastHeartbeatTime: node.metadata?.creationTimestamp, lastTransitionTime: node.metadata?.creationTimestamp };
      gracePeriod = deps.options.nodeStartupGracePeriodMs;
      if (health) health.ready = undefined;
      else health = { probeTimestamp: created, readyTransitionTimestamp: created, ready: undefined, leaseRenewTime: undefined };
    } else {
      observed = structuredClone(current);
      gracePeriod = deps.options.nodeMonitorGracePeriodMs;
    }
    const saved = health?.ready;
    if (!health) {
      deps.logger.info('Missing timestamp for Node. Assuming now as a timestamp', { node: name });
      health = { probeTimestamp: now, readyTransitionTimestamp: now, ready: current, leaseRenewTime: undefined };
    } else if ((!saved && current) || (saved && !current)) {
      health = { probeTimestamp: now, readyTransitionTimestamp: now, ready: current, leaseRenewTime: health.leaseRenewTime };
    } else if (saved && current && saved.lastHeartbeatTime !== current.lastHeartbeatTime) {
      const transition = saved.lastTransitionTime !== current.lastTransitionTime ? now : health.readyTransitionTimestamp;
      health = { probeTimestamp: now, readyTransitionTimestamp: transition, ready: current, leaseRenewTime: health.leaseRenewTime };
    }
    const lease = deps.leases.lister.namespace(nodeLeaseNamespace).get(name);
    const renew = lease?.spec?.renewTime;
    if (renew && (!health.leaseRenewTime || Date.parse(health.leaseRenewTime) < Date.parse(renew))) {
      health.leaseRenewTime = renew;
      health.probeTimestamp = now;
    }
    this.health.set(name, health);

    if (now > health.probeTimestamp + gracePeriod) {
      const stamp = metaTime(now);
      const conditions = (node.status ??= {}).conditions ??= [];
      for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
        const c = conditions.find((x) => x.type === type);
        if (!c) {
          conditions.push({
            type,
            status: 'Unknown',
            reason: 'NodeStatusNeverUpdated',
            message: 'Kubelet never posted node status.',
            lastHeartbeatTime: node.metadata?.creationTimestamp,
            lastTransitionTime: stamp,
          });
        } else if (c.status !== 'Unknown') {
          c.status = 'Unknown';
          c.reason = 'NodeStatusUnknown';
          c.message = 'Kubelet stopped posting node status.';
          c.lastTransitionTime = stamp;
        }
      }
      current = readyCondition(node);
      if (JSON.stringify(current) !== JSON.stringify(observed)) {
        const updated = await deps.client.resource<Node>(nodesResource).update(node, { subresource: 'status' });
        node.metadata = updated.metadata;
        this.health.set(name, { probeTimestamp: health.probeTimestamp, readyTransitionTimestamp: now, ready: current, leaseRenewTime: health.leaseRenewTime });
      }
    }
    return { observed, current };
  }

  /** upstream processTaintBaseEviction: swap at once between the two NoExecute taints, else queue or untaint. */
  private async processTaintBasedEviction(node: Node, observed: NodeCondition): Promise<void> {
    const name = node.metadata!.name!;
    const taints = node.spec?.taints;
    if (observed.status === 'False') {
      if (taintExists(taints, unreachableNoExecute)) await this.swapNodeTaints(name, [notReadyNoExecute], [unreachableNoExecute]);
      else if (this.tainterFor(node).add(name)) this.deps.logger.v(2).info('Node is NotReady. Adding it to the Taint queue', { node: name });
    } else if (observed.status === 'Unknown') {
      if (taintExists(taints, notReadyNoExecute)) await this.swapNodeTaints(name, [unreachableNoExecute], [notReadyNoExecute]);
      else if (this.tainterFor(node).add(name)) this.deps.logger.v(2).info('Node is unresponsive. Adding it to the Taint queue', { node: name });
    } else if (observed.status === 'True') {
      if (await this.markNodeAsReachable(node)) this.deps.logger.v(2).info('Node is healthy again, removed all taints', { node: name });
    }
  }

  /** Removes both NoExecute taints and takes the node out of its tainting queue; true when a taint was removed. */
  private async markNodeAsReachable(node: Node): Promise<boolean> {
    const name = node.metadata!.name!;
    this.tainterFor(node).remove(name);
    const taints = node.spec?.taints;
    if (!taintExists(taints, unreachableNoExecute) && !taintExists(taints, notReadyNoExecute)) return false;
    await this.swapNodeTaints(name, [], [unreachableNoExecute, notReadyNoExecute]);
    return true;
  }

  private ensureZone(node: Node): void {
    const zone = zoneKey(node);
    if (this.zoneStates.has(zone)) return;
    this.zoneStates.set(zone, 'Initial');
    this.zoneTainters.set(zone, new RateLimitedNodeQueue(this.deps.options.evictionRate, this.deps.clock));
  }

  private tainterFor(node: Node): RateLimitedNodeQueue {
    this.ensureZone(node);
    return this.zoneTainters.get(zoneKey(node))!;
  }

  /** Drains each zone's queue at its rate, putting the NoExecute taint matching the Ready condition on. */
  async doNoExecuteTaintingPass(): Promise<void> {
    for (const queue of this.zoneTainters.values()) {
      await queue.try(async (name) => {
        const node = this.deps.nodes.lister.get(name);
        if (!node) return true;
        const ready = readyCondition(node);
        if (!ready) return false;
        if (ready.status !== 'False' && ready.status !== 'Unknown') return true;
        const [add, remove] = ready.status === 'False' ? [notReadyNoExecute, unreachableNoExecute] : [unreachableNoExecute, notReadyNoExecute];
        const done = await this.swapNodeTaints(name, [add], [remove]);
        if (done) this.zoneMetrics?.countEviction(zoneKey(node));
        return done;
      });
    }
  }

  /** The zone's current state (for tests and metrics). */
  zoneState(zone: string): ZoneState | undefined {
    return this.zoneStates.get(zone);
  }

  /**
   * upstream handleDisruption: when every zone is fully disrupted the problem is more likely the control
   * plane's than the nodes', so all NoExecute taints are removed and tainting stops; when that ends, probe
   * timestamps restart; otherwise each zone's tainting rate follows its state.
   */
  private async handleDisruption(zoneConditions: Map<string, Array<NodeCondition | undefined>>, nodes: Node[]): Promise<void> {
    const { options, logger, clock } = this.deps;
    const newStates = new Map<string, ZoneState>();
    let allAreFullyDisrupted = true;
    for (const [zone, conditions] of zoneConditions) {
      const { state, notReady } = computeZoneState(conditions, options.unhealthyZoneThreshold);
      this.zoneMetrics?.setZone(zone, conditions.length, notReady);
      if (state !== 'FullDisruption') allAreFullyDisrupted = false;
      newStates.set(zone, state);
      if (!this.zoneStates.has(zone)) this.zoneStates.set(zone, 'Initial');
    }
    let allWasFullyDisrupted = true;
    for (const [zone, state] of [...this.zoneStates]) {
      if (!zoneConditions.has(zone)) {
        this.zoneMetrics?.clearZone(zone);
        this.zoneStates.delete(zone);
        continue;
      }
      if (state !== 'FullDisruption') allWasFullyDisrupted = false;
    }
    if (allAreFullyDisrupted && allWasFullyDisrupted) return;
    const rateOpts = { evictionRate: options.evictionRate, secondaryEvictionRate: options.secondaryEvictionRate, largeClusterSizeThreshold: options.largeClusterSizeThreshold };
    if (allAreFullyDisrupted) {
      logger.info('Controller detected that all Nodes are not-Ready. Entering master disruption mode');
      for (const node of nodes) await this.markNodeAsReachable(node);
      for (const zone of this.zoneStates.keys()) {
        this.zoneTainters.get(zone)?.swapLimiter(0);
        this.zoneStates.set(zone, 'FullDisruption');
      }
      return;
    }
    if (allWasFullyDisrupted) {
      logger.info('Controller detected that some Nodes are Ready. Exiting master disruption mode');
      const now = clock.now();
      for (const h of this.health.values()) {
        h.probeTimestamp = now;
        h.readyTransitionTimestamp = now;
      }
    }
    for (const [zone, state] of this.zoneStates) {
      const next = newStates.get(zone)!;
      if (state === next && !allWasFullyDisrupted) continue;
      if (state !== next) logger.info('Controller detected that zone is now in new state', { zone, newState: next });
      this.zoneTainters.get(zone)?.swapLimiter(zoneEvictionRate(next, zoneConditions.get(zone)!.length, rateOpts));
      this.zoneStates.set(zone, next);
    }
  }

  /** Bound pods by node name, from one walk over the cache (a pass may need them for many nodes). */
  private podsByNode(): Map<string, Pod[]> {
    const out = new Map<string, Pod[]>();
    for (const p of this.deps.pods.lister.list()) {
      const node = p.spec?.nodeName;
      if (!node) continue;
      const list = out.get(node);
      if (list) list.push(p);
      else out.set(node, [p]);
    }
    return out;
  }

  /**
   * upstream MarkPodsNotReady: sets every pod's Ready condition on `nodeName` to False (with a NodeNotReady
   * event). Rejects after trying them all when some update failed.
   */
  async markPodsNotReady(pods: Pod[], nodeName: string): Promise<void> {
    const stamp = metaTime(this.deps.clock.now());
    let failure: unknown;
    for (const cached of pods) {
      if (cached.spec?.nodeName !== nodeName) continue;
      const ready = cached.status?.conditions?.find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      const pod = structuredClone(cached);
      const cond = pod.status!.conditions!.find((c) => c.type === 'Ready')!;
      cond.status = 'False';
      cond.lastTransitionTime = stamp;
      try {
        await this.deps.client.resource<Pod>(podsResource, pod.metadata!.namespace).update(pod, { subresource: 'status' });
        this.podEvents.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (err) {
        if (isNotFound(err)) continue;
        failure ??= err;
      }
    }
    if (failure) throw failure;
  }
}

/** upstream records node events against a reference whose UID is the node's name. */
function nodeRef(node: Node): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: node.metadata?.name, uid: node.metadata?.name } };
}

/** The registry's constructor. */
export function newNodeLifecycleController(ctx: ControllerContext): Controller {
  const o = ctx.options;
  return new NodeLifecycleController({
    client: ctx.client,
    nodes: ctx.informers.forResource<Node>(nodesResource),
    leases: ctx.informers.forResource<Lease>(leasesResource, { namespace: nodeLeaseNamespace }),
    pods: ctx.informers.forResource<Pod>(podsResource),
    recorder: ctx.recorder('node-controller'),
    queue: ctx.newQueue('node_lifecycle_controller'),
    options: {
      nodeMonitorPeriodMs: o.nodeMonitorPeriodMs,
      nodeMonitorGracePeriodMs: o.nodeMonitorGracePeriodMs,
      nodeStartupGracePeriodMs: o.nodeStartupGracePeriodMs,
      evictionRate: o.nodeEvictionRate,
      secondaryEvictionRate: o.secondaryNodeEvictionRate,
      largeClusterSizeThreshold: o.largeClusterSizeThreshold,
      unhealthyZoneThreshold: o.unhealthyZoneThreshold,
    },
    clock: ctx.clock,
    logger: ctx.logger.withName('node-lifecycle-controller'),
    metrics: ctx.metrics,
  });
}
