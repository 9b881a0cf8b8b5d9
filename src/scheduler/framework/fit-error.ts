// Why a pod fits nowhere (upstream framework.FitError and Diagnosis), and the one-line summary users see in
// FailedScheduling events and the PodScheduled condition: `0/3 nodes are available: 1 node(s) had
// untolerated taint {…}, 2 Insufficient cpu.` — reasons counted over nodes and sorted as strings.
import type { Pod } from '../../api/generated/core/v1.js';
import type { NodeToStatus } from './interface.js';
import type { Status } from './status.js';

export const NoNodeAvailableMsg = '0/%v nodes are available';
/** The message when the cluster has no nodes at all (upstream ErrNoNodesAvailable). */
export const ErrNoNodesAvailable = 'no nodes available to schedule pods';

export interface Diagnosis {
  /** Rejection status per evaluated node. */
  nodeToStatus: NodeToStatus;
  /** The status of nodes that were not evaluated because a PreFilter result excluded them. */
  absentNodesStatus: Status | undefined;
  /** Plugins that rejected the pod somewhere (their events can make it schedulable). */
  unschedulablePlugins: Set<string>;
  pendingPlugins: Set<string>;
  /** Set when a PreFilter plugin rejected the pod: then per-node reasons are not repeated. */
  preFilterMsg: string;
  /** What PostFilter (preemption) said. */
  postFilterMsg: string;
}

export function newDiagnosis(): Diagnosis {
  return {
    nodeToStatus: new Map(),
    absentNodesStatus: undefined,
    unschedulablePlugins: new Set(),
    pendingPlugins: new Set(),
    preFilterMsg: '',
    postFilterMsg: '',
  };
}

/**
 * The outcome of a scheduling attempt in which no node fits: a value, not a thrown error (upstream's
 * FitError is an error type; ours is returned by schedulePod).
 */
export class FitError {
  constructor(
    readonly pod: Pod,
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {}

  /** The summary, computed on demand: the diagnosis gains a PostFilter message after the error is built. */
  message(): string {
    return fitErrorMessage(this.numAllNodes, this.diagnosis);
  }
}

/** "<count> <reason>" strings sorted as strings (so "10 …" sorts before "2 …", as upstream's sort.Strings). */
export function sortReasonsHistogram(reasons: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [reason, n] of reasons) out.push(`${n} ${reason}`);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Upstream FitError.Error(). */
export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `${NoNodeAvailableMsg.replace('%v', String(numAllNodes))}:`;
  if (d.preFilterMsg !== '') {
    msg += ` ${d.preFilterMsg}.`;
  } else {
    const reasons = new Map<string, number>();
    for (const status of d.nodeToStatus.values()) {
      for (const r of status.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
    }
    const absent = numAllNodes - d.nodeToStatus.size;
    if (absent > 0 && d.absentNodesStatus) {
      for (const r of d.absentNodesStatus.reasons) reasons.set(r, (reasons.get(r) ?? 0) + absent);
    }
    const sorted = sortReasonsHistogram(reasons);
    if (sorted.length > 0) msg += ` ${sorted.join(', ')}.`;
  }
  // The PostFilter message (preemption's own FitError summary) already ends with its full stop.
  if (d.postFilterMsg !== '') msg += ` ${d.postFilterMsg}`;
  return msg;
}
