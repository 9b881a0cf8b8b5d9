// PodTopologySpread's scoring (upstream podtopologyspread/scoring.go): a node scores the matching pods of its
// domains, each constraint weighted by log(number of domains + 2) plus maxSkew − 1; NormalizeScore reverses,
// so the least crowded domains win. Nodes missing a topology key are ignored (score 0).
import type { Pod } from '../../../api/generated/core/v1.js';
import type { StateData } from '../../framework/cycle-state.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { LabelHostname } from './args.js';
import {
  countPodsMatchSelector,
  matchNodeInclusionPolicies,
  nodeLabelsMatchSpreadConstraints,
  RequiredNodeAffinity,
  type SpreadConstraint,
} from './constraints.js';

export class PreScoreState implements StateData {
  constructor(
    readonly constraints: readonly SpreadConstraint[],
    /** Nodes lacking a required topology key. */
    readonly ignoredNodes: Set<string>,
    /** Per constraint: topology value → matching pods (hostname constraints are counted in Score). */
    readonly topologyValueToPodCounts: Map<string, number>[],
    readonly topologyNormalizingWeight: number[],
  ) {}

  clone(): StateData {
    return this;
  }
}

/** log(size + 2): smaller topologies are not watered down by bigger ones. */
export function topologyNormalizingWeight(size: number): number {
  return Math.log(size + 2);
}

export function scoreForCount(count: number, maxSkew: number, weight: number): number {
  return count * weight + (maxSkew - 1);
}

/**
 * Builds the scoring state over the filtered nodes, counting pods over `allNodes` (upstream PreScore after
 * the constraints are known). `requireAllTopologies` is false only for system-default constraints.
 */
export function calPreScoreState(
  pod: Pod,
  constraints: readonly SpreadConstraint[],
  filteredNodes: readonly NodeInfo[],
  allNodes: readonly NodeInfo[],
  requireAllTopologies: boolean,
): PreScoreState {
  const ignored = new Set<string>();
  const counts = constraints.map(() => new Map<string, number>());
  for (const ni of filteredNodes) {
    const labels = ni.node?.metadata?.labels;
    if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(labels, constraints)) {
      ignored.add(ni.name());
      continue;
    }
    constraints.forEach((c, i) => {
      if (c.topologyKey === LabelHostname) return;
      const v = labels?.[c.topologyKey] ?? '';
      if (!counts[i].has(v)) counts[i].set(v, 0);
    });
  }
  const weights = constraints.map((c, i) =>
    topologyNormalizingWeight(c.topologyKey === LabelHostname ? filteredNodes.length - ignored.size : counts[i].size),
  );
  const required = new RequiredNodeAffinity(pod);
  const ns = pod.metadata?.namespace ?? '';
  for (const ni of allNodes) {
    const node = ni.node;
    if (!node) continue;
    const labels = node.metadata?.labels;
    if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(labels, constraints)) continue;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i];
      if (!matchNodeInclusionPolicies(c, pod, node, required)) continue;
      const v = labels?.[c.topologyKey] ?? '';
      const current = counts[i].get(v);
      // Only domains of candidate nodes are counted; hostname domains are counted per node in Score.
      if (current === undefined) continue;
      counts[i].set(v, current + countPodsMatchSelector(ni.pods, c.selector, ns));
    }
  }
  return new PreScoreState(constraints, ignored, counts, weights);
}

/** The raw score of one node (rounded sum over constraints). */
export function scoreNode(s: PreScoreState, pod: Pod, ni: NodeInfo): number {
  if (s.ignoredNodes.has(ni.name())) return 0;
  const labels = ni.node?.metadata?.labels;
  let score = 0;
  s.constraints.forEach((c, i) => {
    const v = labels?.[c.topologyKey];
    if (v === undefined) return;
    const count = c.topologyKey === LabelHostname ? countPodsMatchSelector(ni.pods, c.selector, pod.metadata?.namespace ?? '') : (s.topologyValueToPodCounts[i].get(v) ?? 0);
    score += scoreForCount(count, c.maxSkew, s.topologyNormalizingWeight[i]);
  });
  return Math.round(score);
}
