// The node IPAM controller with upstream's RangeAllocator (pkg/controller/nodeipam): with
// --allocate-node-cidrs it gives every node spec.podCIDR/podCIDRs, one subnet of each --cluster-cidr,
// rebuilds what is taken from existing nodes at start, and releases a node's subnets when it is deleted.
import type * as corev1 from '../../../api/generated/core/v1.js';
import { isNotFound } from '../../../apimachinery/errors.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import { isDeletedFinalStateUnknown } from '../../../client/cache/keys.js';
import type { Interface } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import { recorderForKind, type Controller, type ControllerContext, type EventRecorder, type InformerHandle } from '../../controller-context.js';
import type { ControllerMetrics } from '../../metrics.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import { CIDRSet, parseCIDR } from './cidr-set.js';

type Node = Typed<corev1.Node>;

export const nodesResource = { group: '', version: 'v1', resource: 'nodes' } as const;

export interface NodeIPAMDeps {
  client: Interface;
  nodes: InformerHandle<Node>;
  /** One set per cluster CIDR (two for dual-stack), in --cluster-cidr order. */
  cidrSets: CIDRSet[];
  recorder: EventRecorder;
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
}

export class NodeIPAMController implements Controller {
  readonly name = 'node-ipam-controller';
  private readonly nodeEvents: EventRecorder;
  /** What each node holds, as this controller knows it (released on delete). */
  private readonly assigned = new Map<string, string[]>();

  constructor(private readonly deps: NodeIPAMDeps) {
    this.nodeEvents = recorderForKind(deps.recorder, { apiVersion: 'v1', kind: 'Node' });
    deps.nodes.informer.addEventHandler({
      onAdd: (n) => deps.queue.add(n.metadata!.name!),
      onUpdate: (_o, n) => deps.queue.add(n.metadata!.name!),
      onDelete: (obj) => this.releaseNode(isDeletedFinalStateUnknown(obj) ? obj.obj : obj),
    });
  }

  run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    let rebuilt = false;
    return runAfterCacheSync({
      name: this.name,
      hasSynced: [
        () => {
          if (!deps.nodes.informer.hasSynced()) return false;
          // Before any allocation: every subnet already on a node is taken (no double allocation after a restart).
          if (!rebuilt) this.occupyExisting();
          rebuilt = true;
          return true;
        },
      ],
      queue: deps.queue,
      sync: (name) => this.syncNode(name),
      workers: Math.max(opts.workers, 1),
      signal: opts.signal,
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
    });
  }

  /** Marks the podCIDRs of every cached node as taken. */
  occupyExisting(): void {
    for (const node of this.deps.nodes.lister.list()) this.occupy(node);
  }

  private occupy(node: Node): void {
    const cidrs = podCIDRsOf(node);
    if (cidrs.length === 0) return;
    for (const cidr of cidrs) {
      if (!this.deps.cidrSets.some((s) => s.occupy(cidr))) this.deps.logger.info('Node PodCIDR is outside the cluster CIDRs; not occupying it', { node: node.metadata?.name, podCIDR: cidr });
    }
    this.assigned.set(node.metadata!.name!, cidrs);
  }

  private releaseNode(node: Node): void {
    const name = node.metadata!.name!;
    const cidrs = this.assigned.get(name) ?? podCIDRsOf(node);
    this.assigned.delete(name);
    for (const cidr of cidrs) for (const s of this.deps.cidrSets) s.release(cidr);
    if (cidrs.length) this.deps.logger.v(4).info('Released node CIDRs', { node: name, podCIDRs: cidrs });
  }

  /**
   * upstream AllocateOrOccupyCIDR: a node that has podCIDRs keeps them (occupied); one without gets the next
   * free subnet of every cluster CIDR, written as spec.podCIDR (the first) and spec.podCIDRs. When a range is
   * exhausted the node gets a CIDRNotAvailable event and the key is retried later.
   */
  async syncNode(name: string): Promise<void> {
    const node = this.deps.nodes.lister.get(name);
    if (!node || node.metadata?.deletionTimestamp) return;
    if (podCIDRsOf(node).length > 0) {
      if (!this.assigned.has(name)) this.occupy(node);
      return;
    }
    if (this.assigned.has(name)) return; // written, not yet in the cache
    const allocated: string[] = [];
    for (const [i, set] of this.deps.cidrSets.entries()) {
      try {
        allocated.push(set.allocateNext());
      } catch (err) {
        for (const [j, cidr] of allocated.entries()) this.deps.cidrSets[j]!.release(cidr);
        this.nodeEvents.event(nodeRef(node), 'Normal', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
        throw new Error(`failed to allocate cidr from cluster cidr at idx:${i}: ${(err as Error).message}`);
      }
    }
    this.assigned.set(name, allocated);
    try {
      await this.deps.client.resource<Node>(nodesResource).patch(name, 'strategic', { spec: { podCIDR: allocated[0], podCIDRs: allocated } });
      this.deps.logger.info('Set node PodCIDR', { node: name, podCIDRs: allocated });
    } catch (err) {
      this.assigned.delete(name);
      for (const [j, cidr] of allocated.entries()) this.deps.cidrSets[j]!.release(cidr);
      if (isNotFound(err)) return;
      this.nodeEvents.event(nodeRef(node), 'Normal', 'CIDRAssignmentFailed', `Node ${name} status is now: CIDRAssignmentFailed`);
      throw err;
    }
  }
}

function podCIDRsOf(node: Node): string[] {
  if (node.spec?.podCIDRs?.length) return node.spec.podCIDRs;
  return node.spec?.podCIDR ? [node.spec.podCIDR] : [];
}

function nodeRef(node: Node): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: node.metadata?.name, uid: node.metadata?.name } };
}

/**
 * The CIDR sets for --cluster-cidr (comma-separated, at most one per IP family), minus the
 * --service-cluster-ip-range. Node subnet sizes as upstream: dual-stack clusters use
 * --node-cidr-mask-size-ipv4/-ipv6; a single-stack one --node-cidr-mask-size, which for IPv6 only counts
 * when changed from its IPv4 default (else /64).
 */
export function cidrSetsFromOptions(o: { clusterCIDR: string; nodeCIDRMaskSize: number; nodeCIDRMaskSizes?: { ipv4: number; ipv6: number }; serviceClusterIPRange: string }): CIDRSet[] {
  const clusters = o.clusterCIDR.split(',').map((s) => s.trim()).filter(Boolean).map(parseCIDR);
  if (clusters.length === 0) throw new Error('--cluster-cidr is required with --allocate-node-cidrs');
  if (clusters.length > 2 || (clusters.length === 2 && clusters[0]!.bits === clusters[1]!.bits)) throw new Error('--cluster-cidr: at most one CIDR per IP family is allowed');
  const sizes = o.nodeCIDRMaskSizes ?? { ipv4: 24, ipv6: 64 };
  const maskFor = (bits: 32 | 128): number => {
    if (clusters.length === 2) return bits === 32 ? sizes.ipv4 : sizes.ipv6;
    if (bits === 32) return o.nodeCIDRMaskSize;
    return o.nodeCIDRMaskSize !== 24 ? o.nodeCIDRMaskSize : sizes.ipv6;
  };
  const sets = clusters.map((c) => new CIDRSet(c, maskFor(c.bits)));
  for (const svc of o.serviceClusterIPRange.split(',').map((s) => s.trim()).filter(Boolean)) for (const s of sets) s.occupy(svc);
  return sets;
}

/** The registry's constructor: idle unless --allocate-node-cidrs (upstream does not start it then). */
export function newNodeIPAMController(ctx: ControllerContext): Controller {
  const o = ctx.options;
  if (!o.allocateNodeCIDRs) return { name: 'node-ipam-controller', run: async () => {} };
  let cidrSets: CIDRSet[];
  try {
    cidrSets = cidrSetsFromOptions(o);
  } catch (err) {
    ctx.logger.error('Not starting the node IPAM controller', err);
    return { name: 'node-ipam-controller', run: async () => {} };
  }
  return new NodeIPAMController({
    client: ctx.client,
    nodes: ctx.informers.forResource<Node>(nodesResource),
    cidrSets,
    recorder: ctx.recorder('cidrAllocator'),
    queue: ctx.newQueue('node_ipam_controller'),
    clock: ctx.clock,
    logger: ctx.logger.withName('node-ipam-controller'),
    metrics: ctx.metrics,
  });
}
