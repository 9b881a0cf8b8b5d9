// PodTopologySpread's filtering state (upstream podtopologyspread/filtering.go): per DoNotSchedule constraint,
// how many matching pods each topology domain holds, and the two least-loaded domains ("critical paths"),
// so that Filter is O(constraints) per node and preemption's what-ifs can add or remove a pod cheaply.
import type { Node, Pod } from '../../../api/generated/core/v1.js';
import type { StateData } from '../../framework/cycle-state.js';
import type { NodeInfo } from '../../framework/node-info.js';
import {
  countPodsMatchSelector,
  matchNodeInclusionPolicies,
  nodeLabelsMatchSpreadConstraints,
  RequiredNodeAffinity,
  type SpreadConstraint,
} from './constraints.js';

export const ErrReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
export const ErrReasonNodeLabelNotMatch = `${ErrReasonConstraintsNotMatch} (missing required label)`;

interface CriticalPath {
  topologyValue: string;
  matchNum: number;
}

/**
 * The two smallest domains seen so far. paths[0] always holds the minimum; paths[1] is only guaranteed to be
 * no smaller (enough for preemption, which changes one node at a time).
 */
export class CriticalPaths {
  readonly paths: [CriticalPath, CriticalPath] = [
    { topologyValue: '', matchNum: Number.MAX_SAFE_INTEGER },
    { topologyValue: '', matchNum: Number.MAX_SAFE_INTEGER },
  ];

  update(value: string, num: number): void {
    const p = this.paths;
    const existing = value === p[0].topologyValue ? p[0] : value === p[1].topologyValue ? p[1] : undefined;
    if (existing) {
      existing.matchNum = num;
      if (p[0].matchNum > p[1].matchNum) [p[0], p[1]] = [p[1], p[0]];
    } else if (num < p[0].matchNum) {
      p[1] = p[0];
      p[0] = { topologyValue: value, matchNum: num };
    } else if (num < p[1].matchNum) {
      p[1] = { topologyValue: value, matchNum: num };
    }
  }

  clone(): CriticalPaths {
    const c = new CriticalPaths();
    c.paths[0] = { ...this.paths[0] };
    c.paths[1] = { ...this.paths[1] };
    return c;
  }
}

export class PreFilterState implements StateData {
  constructor(
    readonly constraints: readonly SpreadConstraint[],
    readonly criticalPaths: CriticalPaths[],
    /** Per constraint: topology value → matching pods. */
    readonly tpValueToMatchNum: Map<string, number>[],
  ) {}

  /** The global minimum for skew: 0 while fewer than minDomains domains exist (upstream minMatchNum). */
  minMatchNum(i: number, minDomains: number): number {
    if (this.tpValueToMatchNum[i].size < minDomains) return 0;
    return this.criticalPaths[i].paths[0].matchNum;
  }

  clone(): StateData {
    return new PreFilterState(
      this.constraints,
      this.criticalPaths.map((p) => p.clone()),
      this.tpValueToMatchNum.map((m) => new Map(m)),
    );
  }

  /**
   * Adds (delta 1) or removes (delta −1) `updated`'s contribution on `node` for the preemptor `pod`
   * (upstream updateWithPod).
   */
  updateWithPod(updated: Pod, pod: Pod, node: Node | undefined, delta: 1 | -1): void {
    if (!node || (updated.metadata?.namespace ?? '') !== (pod.metadata?.namespace ?? '')) return;
    if (!nodeLabelsMatchSpreadConstraints(node.metadata?.labels, this.constraints)) return;
    const required = new RequiredNodeAffinity(pod);
    this.constraints.forEach((c, i) => {
      if (!c.selector.matches(updated.metadata?.labels)) return;
      if (!matchNodeInclusionPolicies(c, pod, node, required)) return;
      const v = node.metadata?.labels?.[c.topologyKey] ?? '';
      const n = (this.tpValueToMatchNum[i].get(v) ?? 0) + delta;
      this.tpValueToMatchNum[i].set(v, n);
      this.criticalPaths[i].update(v, n);
    });
  }
}

/** Counts matching pods per domain over all nodes (upstream calPreFilterState, after the constraints). */
export function calPreFilterState(pod: Pod, constraints: readonly SpreadConstraint[], allNodes: readonly NodeInfo[]): PreFilterState {
  const tpValueToMatchNum = constraints.map(() => new Map<string, number>());
  const required = new RequiredNodeAffinity(pod);
  const ns = pod.metadata?.namespace ?? '';
  // Plain loops and as few map writes as possible: this runs for every node on every attempt.
  const trivialPolicies = required.empty() && constraints.every((c) => c.nodeTaintsPolicy !== 'Honor');
  for (const ni of allNodes) {
    const node = ni.node;
    const labels = node?.metadata?.labels;
    if (!node || !nodeLabelsMatchSpreadConstraints(labels, constraints)) continue;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i];
      if (!trivialPolicies && !matchNodeInclusionPolicies(c, pod, node, required)) continue;
      const v = labels?.[c.topologyKey] ?? '';
      const m = tpValueToMatchNum[i];
      const n = ni.pods.length === 0 ? 0 : countPodsMatchSelector(ni.pods, c.selector, ns);
      const old = m.get(v);
      if (old === undefined) m.set(v, n);
      else if (n > 0) m.set(v, old + n);
    }
  }
  const criticalPaths = tpValueToMatchNum.map((m) => {
    const p = new CriticalPaths();
    for (const [v, n] of m) p.update(v, n);
    return p;
  });
  return new PreFilterState(constraints, criticalPaths, tpValueToMatchNum);
}
