// Pods nominated to nodes by preemption (upstream nominator): the framework counts them as already running
// on their node when filtering pods of lower or equal priority.
import type { Pod } from '../../api/generated/core/v1.js';
import type { PodNominator } from '../framework/interface.js';
import type { PodInfo } from '../framework/node-info.js';

export class Nominator implements PodNominator {
  private readonly byNode = new Map<string, PodInfo[]>();
  private readonly nodeOf = new Map<string, string>();

  /** Records `pi` on `nominatedNodeName`, or on its status.nominatedNodeName when empty. */
  addNominatedPod(pi: PodInfo, nominatedNodeName: string): void {
    this.deleteNominatedPodIfExists(pi.pod);
    const node = nominatedNodeName || pi.pod.status?.nominatedNodeName || '';
    if (node === '' || pi.pod.spec?.nodeName) return;
    this.nodeOf.set(pi.uid, node);
    const list = this.byNode.get(node) ?? [];
    list.push(pi);
    this.byNode.set(node, list);
  }

  deleteNominatedPodIfExists(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    const node = this.nodeOf.get(uid);
    if (node === undefined) return;
    this.nodeOf.delete(uid);
    const list = (this.byNode.get(node) ?? []).filter((p) => p.uid !== uid);
    if (list.length === 0) this.byNode.delete(node);
    else this.byNode.set(node, list);
  }

  /** Keeps an existing nomination when the update does not carry one (the scheduler may not have written it yet). */
  updateNominatedPod(oldPod: Pod, newPi: PodInfo): void {
    const uid = oldPod.metadata?.uid ?? '';
    const kept = newPi.pod.status?.nominatedNodeName ? '' : (this.nodeOf.get(uid) ?? '');
    this.deleteNominatedPodIfExists(oldPod);
    this.addNominatedPod(newPi, kept);
  }

  nominatedPodsForNode(nodeName: string): PodInfo[] {
    return this.byNode.get(nodeName) ?? [];
  }

  /** True when no pod is nominated anywhere (lets the filter loop skip the lookup). */
  empty(): boolean {
    return this.nodeOf.size === 0;
  }
}
