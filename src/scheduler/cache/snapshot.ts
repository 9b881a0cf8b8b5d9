// The per-cycle view of the cluster (upstream cache.Snapshot): NodeInfo clones in node-tree order that do not
// change while a pod is being scheduled. The cache refreshes it incrementally before every cycle.
import type { NodeInfoLister } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';

export class Snapshot implements NodeInfoLister {
  nodeInfoMap = new Map<string, NodeInfo>();
  nodeInfoList: NodeInfo[] = [];
  /** Position of each node in nodeInfoList. */
  index = new Map<string, number>();
  havePodsWithAffinityNodeInfoList: NodeInfo[] = [];
  havePodsWithRequiredAntiAffinityNodeInfoList: NodeInfo[] = [];
  /** The cache generation this snapshot reflects. */
  generation = 0;

  list(): readonly NodeInfo[] {
    return this.nodeInfoList;
  }

  get(nodeName: string): NodeInfo | undefined {
    return this.nodeInfoMap.get(nodeName);
  }

  havePodsWithAffinityList(): readonly NodeInfo[] {
    return this.havePodsWithAffinityNodeInfoList;
  }

  havePodsWithRequiredAntiAffinityList(): readonly NodeInfo[] {
    return this.havePodsWithRequiredAntiAffinityNodeInfoList;
  }

  numNodes(): number {
    return this.nodeInfoList.length;
  }
}
