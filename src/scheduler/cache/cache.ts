// The scheduler cache (upstream internal/cache): NodeInfos built from the node and pod informers plus the
// pods the scheduler has assumed onto nodes while their binding is in flight, so the next cycle already
// counts them. Assumed pods are confirmed by the informer's add, or forgotten when binding fails, or expire
// after `ttlMs` once binding finished without the informer confirming it.
import type { Node, Pod } from '../../api/generated/core/v1.js';
import { realClock, type Clock } from '../../base/clock.js';
import { klog } from '../../base/logger.js';
import { NodeInfo, newPodInfo, podKey, type ImageStateSummary, type PodInfo } from '../framework/node-info.js';
import { NodeTree } from './node-tree.js';
import type { Snapshot } from './snapshot.js';

const log = klog.withName('cache.ts');

interface PodState {
  pi: PodInfo;
  nodeName: string;
  /** Set by finishBinding when a TTL applies. */
  deadline: number | undefined;
  bindingFinished: boolean;
}

interface ImageState extends ImageStateSummary {
  nodes: Set<string>;
}

/** True when two versions of a pod ask for the same things (containers, overhead, affinity, node). */
function sameSchedulingSpec(a: Pod, b: Pod): boolean {
  const sa = a.spec;
  const sb = b.spec;
  if (sa === sb) return true;
  if (!sa || !sb) return false;
  return (
    sa.nodeName === sb.nodeName &&
    JSON.stringify([sa.containers, sa.initContainers, sa.overhead, sa.resources, sa.affinity]) ===
      JSON.stringify([sb.containers, sb.initContainers, sb.overhead, sb.resources, sb.affinity])
  );
}

export interface CacheOptions {
  /** How long an assumed pod whose binding finished may wait for the informer; 0 = forever (upstream default). */
  ttlMs?: number;
  clock?: Clock;
}

export class Cache {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  private readonly assumedPods = new Set<string>();
  private readonly imageStates = new Map<string, ImageState>();
  private readonly nodeTree = new NodeTree();
  /** Nodes changed since the last snapshot update. */
  private readonly dirty = new Set<string>();
  /** The node set or order changed: the snapshot list must be rebuilt. */
  private nodeListChanged = true;
  private generation = 0;
  private readonly ttlMs: number;
  private readonly clock: Clock;

  constructor(opts: CacheOptions = {}) {
    this.ttlMs = opts.ttlMs ?? 0;
    this.clock = opts.clock ?? realClock;
  }

  private touch(nodeName: string): void {
    this.dirty.add(nodeName);
    this.generation++;
  }

  private nodeInfo(nodeName: string): NodeInfo {
    let ni = this.nodes.get(nodeName);
    if (!ni) {
      ni = new NodeInfo();
      this.nodes.set(nodeName, ni);
    }
    return ni;
  }

  private addPodToNode(pi: PodInfo, nodeName: string): void {
    this.nodeInfo(nodeName).addPodInfo(pi);
    this.touch(nodeName);
  }

  private removePodFromNode(pi: PodInfo, nodeName: string): void {
    const ni = this.nodes.get(nodeName);
    if (!ni) return;
    ni.removePod(pi);
    // A deleted node lingers while pods still refer to it (upstream keeps such "ghost" NodeInfos).
    if (ni.pods.length === 0 && !ni.node) this.nodes.delete(nodeName);
    this.touch(nodeName);
  }

  /** Adds `pod` (spec.nodeName set by the caller) as if bound. Throws if the pod is already known (a bug). */
  assumePod(pod: Pod): void {
    const pi = newPodInfo(pod);
    if (this.podStates.has(pi.uid)) throw new Error(`pod ${pi.key}(${pi.uid}) is in the cache, so can't be assumed`);
    const nodeName = pod.spec?.nodeName ?? '';
    this.addPodToNode(pi, nodeName);
    this.podStates.set(pi.uid, { pi, nodeName, deadline: undefined, bindingFinished: false });
    this.assumedPods.add(pi.uid);
  }

  /** Binding returned: an assumed pod may now expire (when a TTL is set). */
  finishBinding(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    const ps = this.podStates.get(uid);
    if (!ps || !this.assumedPods.has(uid)) return;
    ps.bindingFinished = true;
    if (this.ttlMs > 0) ps.deadline = this.clock.now() + this.ttlMs;
  }

  /** Drops an assumed pod (binding failed). */
  forgetPod(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    const ps = this.podStates.get(uid);
    if (!ps || !this.assumedPods.has(uid)) return;
    this.removePodFromNode(ps.pi, ps.nodeName);
    this.podStates.delete(uid);
    this.assumedPods.delete(uid);
  }

  isAssumedPod(pod: Pod): boolean {
    return this.assumedPods.has(pod.metadata?.uid ?? '');
  }

  /** An assigned pod from the informer: confirms an assumed pod (moving it if bound elsewhere) or adds it. */
  addPod(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    const nodeName = pod.spec?.nodeName ?? '';
    const ps = this.podStates.get(uid);
    // Confirming an assumed pod reuses what was derived from it (requests, ports) when the spec is the same.
    const reuse = ps !== undefined && this.assumedPods.has(uid) && sameSchedulingSpec(ps.pi.pod, pod);
    const pi = reuse ? { ...ps.pi, pod } : newPodInfo(pod);
    if (ps && this.assumedPods.has(pi.uid)) {
      this.assumedPods.delete(pi.uid);
      const ni = this.nodes.get(nodeName);
      if (reuse && nodeName === ps.nodeName && ni?.replacePod(pi)) {
        // Bound where we assumed it: the amounts are unchanged, only the object is newer. The node is not
        // marked dirty: the snapshot's copy of the assumed pod is equivalent for scheduling.
        this.podStates.set(pi.uid, { pi, nodeName, deadline: undefined, bindingFinished: false });
        return;
      }
      this.removePodFromNode(ps.pi, ps.nodeName);
      this.addPodToNode(pi, nodeName);
      this.podStates.set(pi.uid, { pi, nodeName, deadline: undefined, bindingFinished: false });
      return;
    }
    if (ps) {
      log.v(4).info('Pod was already in the cache', { pod: pi.key });
      this.updatePod(ps.pi.pod, pod);
      return;
    }
    this.addPodToNode(pi, nodeName);
    this.podStates.set(pi.uid, { pi, nodeName, deadline: undefined, bindingFinished: false });
  }

  updatePod(_oldPod: Pod, newPod: Pod): void {
    const pi = newPodInfo(newPod);
    const ps = this.podStates.get(pi.uid);
    if (!ps) {
      this.addPod(newPod);
      return;
    }
    this.removePodFromNode(ps.pi, ps.nodeName);
    const nodeName = newPod.spec?.nodeName ?? ps.nodeName;
    this.addPodToNode(pi, nodeName);
    this.podStates.set(pi.uid, { ...ps, pi, nodeName });
    this.assumedPods.delete(pi.uid);
  }

  removePod(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    const ps = this.podStates.get(uid);
    if (!ps) return;
    this.removePodFromNode(ps.pi, ps.nodeName);
    this.podStates.delete(uid);
    this.assumedPods.delete(uid);
  }

  /** Removes assumed pods whose deadline passed (binding finished but the informer never confirmed them). */
  cleanupAssumedPods(now = this.clock.now()): number {
    let n = 0;
    for (const uid of [...this.assumedPods]) {
      const ps = this.podStates.get(uid);
      if (!ps || !ps.bindingFinished || ps.deadline === undefined || now < ps.deadline) continue;
      log.warning('Assumed pod expired', { pod: ps.pi.key, node: ps.nodeName });
      this.removePodFromNode(ps.pi, ps.nodeName);
      this.podStates.delete(uid);
      this.assumedPods.delete(uid);
      n++;
    }
    return n;
  }

  addNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const ni = this.nodeInfo(name);
    if (ni.node) this.removeNodeImageStates(ni.node);
    this.nodeTree.addNode(node);
    ni.setNode(node);
    this.addNodeImageStates(node, ni);
    this.nodeListChanged = true;
    this.touch(name);
  }

  updateNode(oldNode: Node, newNode: Node): void {
    const name = newNode.metadata?.name ?? '';
    const ni = this.nodeInfo(name);
    if (!ni.node) {
      this.addNode(newNode);
      return;
    }
    if (this.nodeTree.updateNode(oldNode, newNode)) this.nodeListChanged = true;
    if (JSON.stringify(oldNode.status?.images ?? []) !== JSON.stringify(newNode.status?.images ?? [])) {
      this.removeNodeImageStates(ni.node);
      this.addNodeImageStates(newNode, ni);
    }
    ni.setNode(newNode);
    this.touch(name);
  }

  removeNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const ni = this.nodes.get(name);
    if (!ni) return;
    if (ni.node) this.removeNodeImageStates(ni.node);
    ni.removeNode();
    if (ni.pods.length === 0) this.nodes.delete(name);
    this.nodeTree.removeNode(node);
    this.nodeListChanged = true;
    this.touch(name);
  }

  private addNodeImageStates(node: Node, ni: NodeInfo): void {
    const name = node.metadata?.name ?? '';
    const states = new Map<string, ImageStateSummary>();
    for (const image of node.status?.images ?? []) {
      for (const imageName of image.names ?? []) {
        let st = this.imageStates.get(imageName);
        if (!st) {
          st = { size: image.sizeBytes ?? 0, numNodes: 0, nodes: new Set() };
          this.imageStates.set(imageName, st);
        }
        st.nodes.add(name);
        st.numNodes = st.nodes.size;
        states.set(imageName, st);
      }
    }
    ni.imageStates = states;
  }

  private removeNodeImageStates(node: Node): void {
    const name = node.metadata?.name ?? '';
    for (const image of node.status?.images ?? []) {
      for (const imageName of image.names ?? []) {
        const st = this.imageStates.get(imageName);
        if (!st) continue;
        st.nodes.delete(name);
        st.numNodes = st.nodes.size;
        if (st.nodes.size === 0) this.imageStates.delete(imageName);
      }
    }
  }

  nodeCount(): number {
    return this.nodeTree.numNodes;
  }

  podCount(): number {
    return this.podStates.size;
  }

  /** Whether the cache knows the pod (bound or assumed). */
  hasPod(pod: Pod): boolean {
    return this.podStates.has(pod.metadata?.uid ?? '');
  }

  /** The pod's key → node, for tests and dumps. */
  dump(): { nodes: string[]; pods: Array<{ key: string; node: string; assumed: boolean }> } {
    return {
      nodes: this.nodeTree.list(),
      pods: [...this.podStates.entries()].map(([uid, ps]) => ({ key: podKey(ps.pi.pod), node: ps.nodeName, assumed: this.assumedPods.has(uid) })),
    };
  }

  /**
   * Brings `snapshot` up to date: clones only the NodeInfos changed since the last update, and rebuilds the
   * ordered list when nodes were added, removed or re-zoned.
   */
  updateSnapshot(snapshot: Snapshot): void {
    if (snapshot.generation === this.generation && !this.nodeListChanged) return;
    let affinityChanged = false;
    for (const name of this.dirty) {
      const ni = this.nodes.get(name);
      const old = snapshot.nodeInfoMap.get(name);
      if (old && (old.podsWithAffinity.length > 0 || old.podsWithRequiredAntiAffinity.length > 0)) affinityChanged = true;
      if (!ni || !ni.node) {
        snapshot.nodeInfoMap.delete(name);
        continue;
      }
      const c = ni.clone();
      if (c.podsWithAffinity.length > 0 || c.podsWithRequiredAntiAffinity.length > 0) affinityChanged = true;
      snapshot.nodeInfoMap.set(name, c);
      const i = snapshot.index.get(name);
      if (i !== undefined && !this.nodeListChanged) snapshot.nodeInfoList[i] = c;
    }
    this.dirty.clear();
    if (this.nodeListChanged) {
      const list: NodeInfo[] = [];
      const index = new Map<string, number>();
      for (const name of this.nodeTree.list()) {
        const ni = snapshot.nodeInfoMap.get(name);
        if (!ni) continue;
        index.set(name, list.length);
        list.push(ni);
      }
      snapshot.nodeInfoList = list;
      snapshot.index = index;
      affinityChanged = true;
      this.nodeListChanged = false;
    }
    if (affinityChanged) {
      snapshot.havePodsWithAffinityNodeInfoList = snapshot.nodeInfoList.filter((n) => n.podsWithAffinity.length > 0);
      snapshot.havePodsWithRequiredAntiAffinityNodeInfoList = snapshot.nodeInfoList.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
    }
    snapshot.generation = this.generation;
  }
}
