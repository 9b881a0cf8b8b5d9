// What the scheduler knows about one node (upstream framework.NodeInfo): the Node, the pods on it (bound or
// assumed), the resources they request, the host ports they use and the images the node holds. Amounts are
// kept incrementally as pods come and go, so filters read them in O(1).
import type { Node, Pod } from '../../api/generated/core/v1.js';
import { Resource, nonZeroDefaults, podRequests, resourceFromList } from './resource.js';

/** A pod plus what the scheduler derives from it once (upstream PodInfo). Read-only once built. */
export interface PodInfo {
  readonly pod: Pod;
  /** "namespace/name". */
  readonly key: string;
  readonly uid: string;
  /** podRequests(pod). */
  readonly requests: Resource;
  /** cpu and memory with the defaults for unset container requests (for scores). */
  readonly nonZeroMilliCPU: number;
  readonly nonZeroMemory: number;
  /** Host ports of the pod's containers (hostPort > 0). */
  readonly hostPorts: readonly HostPort[];
  readonly hasAffinity: boolean;
  readonly hasRequiredAntiAffinity: boolean;
}

export interface HostPort {
  /** "0.0.0.0" when the container leaves hostIP empty. */
  ip: string;
  protocol: string;
  port: number;
}

export function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

export const defaultBindAllHostIP = '0.0.0.0';

/** The host ports a pod asks for (upstream getContainerPorts: regular containers). */
export function podHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ ip: p.hostIP || defaultBindAllHostIP, protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return out;
}

export function newPodInfo(pod: Pod): PodInfo {
  const nonZero = podRequests(pod, { nonMissingContainerRequests: nonZeroDefaults });
  const affinity = pod.spec?.affinity;
  return {
    pod,
    key: podKey(pod),
    uid: pod.metadata?.uid ?? '',
    requests: podRequests(pod),
    nonZeroMilliCPU: nonZero.milliCPU,
    nonZeroMemory: nonZero.memory,
    hostPorts: podHostPorts(pod),
    hasAffinity: affinity?.podAffinity !== undefined || affinity?.podAntiAffinity !== undefined,
    hasRequiredAntiAffinity: (affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0,
  };
}

/**
 * Used host ports of a node, by "protocol/port" → IPs (upstream HostPortInfo). A port bound on 0.0.0.0
 * conflicts with every IP.
 */
export class HostPortInfo {
  private readonly used = new Map<string, Map<string, number>>();

  add(p: HostPort): void {
    const k = `${p.protocol}/${p.port}`;
    let ips = this.used.get(k);
    if (!ips) this.used.set(k, (ips = new Map()));
    ips.set(p.ip, (ips.get(p.ip) ?? 0) + 1);
  }

  remove(p: HostPort): void {
    const k = `${p.protocol}/${p.port}`;
    const ips = this.used.get(k);
    if (!ips) return;
    const n = (ips.get(p.ip) ?? 0) - 1;
    if (n > 0) ips.set(p.ip, n);
    else ips.delete(p.ip);
    if (ips.size === 0) this.used.delete(k);
  }

  /** True when `p` cannot be bound because the same protocol/port is taken on its IP or on 0.0.0.0. */
  checkConflict(p: HostPort): boolean {
    const ips = this.used.get(`${p.protocol}/${p.port}`);
    if (!ips) return false;
    if (p.ip === defaultBindAllHostIP) return ips.size > 0;
    return ips.has(p.ip) || ips.has(defaultBindAllHostIP);
  }

  len(): number {
    return this.used.size;
  }

  clone(): HostPortInfo {
    const c = new HostPortInfo();
    for (const [k, ips] of this.used) c.used.set(k, new Map(ips));
    return c;
  }
}

/** An image on a node: its size and on how many nodes of the cluster it is (upstream ImageStateSummary). */
export interface ImageStateSummary {
  size: number;
  numNodes: number;
}

/** One node's scheduling view. The cache owns the live copies; a Snapshot holds clones for one cycle. */
export class NodeInfo {
  node: Node | undefined = undefined;
  pods: PodInfo[] = [];
  podsWithAffinity: PodInfo[] = [];
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  usedPorts = new HostPortInfo();
  /** Sum of the pods' requests. */
  requested = new Resource();
  /** Sum with upstream's defaults for unset cpu/memory requests (for scores only). */
  nonZeroRequested = new Resource();
  allocatable = new Resource();
  /** Image name (every name of every image in node.status.images) → summary; numNodes filled by the snapshot. */
  imageStates = new Map<string, ImageStateSummary>();
  /** Bumped on every change; the cache uses it to refresh snapshots incrementally. */
  generation = 0;

  name(): string {
    return this.node?.metadata?.name ?? '';
  }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = resourceFromList(node.status?.allocatable);
  }

  removeNode(): void {
    this.node = undefined;
  }

  addPodInfo(pi: PodInfo): void {
    this.pods.push(pi);
    if (pi.hasAffinity) this.podsWithAffinity.push(pi);
    if (pi.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity.push(pi);
    this.update(pi, 1);
  }

  /**
   * Swaps in a newer PodInfo for the same pod whose amounts are unchanged (requests, ports, affinity), without
   * touching the totals. Returns false when the pod is not on this node.
   */
  replacePod(pi: PodInfo): boolean {
    const i = this.pods.findIndex((p) => p.uid === pi.uid);
    if (i < 0) return false;
    const old = this.pods[i];
    if (old.hasAffinity !== pi.hasAffinity || old.hasRequiredAntiAffinity !== pi.hasRequiredAntiAffinity) return false;
    this.pods[i] = pi;
    if (pi.hasAffinity) this.podsWithAffinity = this.podsWithAffinity.map((p) => (p.uid === pi.uid ? pi : p));
    if (pi.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity.map((p) => (p.uid === pi.uid ? pi : p));
    return true;
  }

  /** Removes the pod with `pi`'s uid; returns false when it is not on this node. */
  removePod(pi: PodInfo): boolean {
    const i = this.pods.findIndex((p) => p.uid === pi.uid);
    if (i < 0) return false;
    const old = this.pods[i];
    // Order of pods does not matter: swap-remove keeps removal O(1) after the search.
    this.pods[i] = this.pods[this.pods.length - 1];
    this.pods.pop();
    if (old.hasAffinity) this.podsWithAffinity = this.podsWithAffinity.filter((p) => p.uid !== old.uid);
    if (old.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity.filter((p) => p.uid !== old.uid);
    this.update(old, -1);
    return true;
  }

  private update(pi: PodInfo, sign: 1 | -1): void {
    this.requested.add(pi.requests, sign);
    this.nonZeroRequested.milliCPU += sign * pi.nonZeroMilliCPU;
    this.nonZeroRequested.memory += sign * pi.nonZeroMemory;
    for (const p of pi.hostPorts) {
      if (sign > 0) this.usedPorts.add(p);
      else this.usedPorts.remove(p);
    }
    this.generation++;
  }

  /** A copy that can change independently (pods are shared: PodInfo is read-only). */
  clone(): NodeInfo {
    const c = new NodeInfo();
    c.node = this.node;
    c.pods = this.pods.slice();
    c.podsWithAffinity = this.podsWithAffinity.slice();
    c.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity.slice();
    c.usedPorts = this.usedPorts.clone();
    c.requested = this.requested.clone();
    c.nonZeroRequested = this.nonZeroRequested.clone();
    c.allocatable = this.allocatable;
    c.imageStates = this.imageStates;
    c.generation = this.generation;
    return c;
  }
}

/** A NodeInfo for `node` holding `pods` (tests and simulations). */
export function newNodeInfo(node: Node | undefined, ...pods: Pod[]): NodeInfo {
  const ni = new NodeInfo();
  if (node) ni.setNode(node);
  for (const p of pods) ni.addPodInfo(newPodInfo(p));
  return ni;
}
