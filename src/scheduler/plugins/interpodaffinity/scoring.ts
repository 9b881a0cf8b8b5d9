// InterPodAffinity's scoring (upstream interpodaffinity/scoring.go): each existing pod adds or subtracts
// weights on its node's topology pairs — the incoming pod's preferred terms it matches, and its own
// required affinity (hardPodAffinityWeight) and preferred terms the incoming pod matches. A node scores the
// sum over its labels; NormalizeScore maps [min, max] onto [0, 100].
import type { Node, Pod } from '../../../api/generated/core/v1.js';
import type { Labels } from '../../../apimachinery/labels/selector.js';
import type { StateData } from '../../framework/cycle-state.js';
import type { PodInfo } from '../../framework/node-info.js';
import { podAffinityTerms, termMatches, type AffinityTerm, type WeightedAffinityTerm } from './affinity-term.js';

/** topologyKey → topologyValue → score. */
export class TopologyScore {
  readonly m = new Map<string, Map<string, number>>();

  processTerm(t: AffinityTerm, weight: number, pod: Pod, nsLabels: Labels, node: Node, multiplier: number): void {
    if (!termMatches(t, pod, nsLabels)) return;
    const value = node.metadata?.labels?.[t.topologyKey];
    if (value === undefined) return;
    let values = this.m.get(t.topologyKey);
    if (!values) this.m.set(t.topologyKey, (values = new Map()));
    values.set(value, (values.get(value) ?? 0) + weight * multiplier);
  }

  processTerms(terms: readonly WeightedAffinityTerm[], pod: Pod, nsLabels: Labels, node: Node, multiplier: number): void {
    for (const w of terms) this.processTerm(w.term, w.weight, pod, nsLabels, node, multiplier);
  }

  /** The node's score: the sum over its labels. */
  score(node: Node | undefined): number {
    let s = 0;
    const labels = node?.metadata?.labels;
    if (!labels) return 0;
    for (const [key, values] of this.m) {
      const v = labels[key];
      if (v !== undefined) s += values.get(v) ?? 0;
    }
    return s;
  }
}

export class PreScoreState implements StateData {
  constructor(readonly topologyScore: TopologyScore) {}
  clone(): StateData {
    return this;
  }
}

export interface IncomingPreferred {
  pod: Pod;
  /** The incoming pod's preferred terms, namespaceSelector resolved. */
  preferredAffinity: readonly WeightedAffinityTerm[];
  preferredAntiAffinity: readonly WeightedAffinityTerm[];
  namespaceLabels: Labels;
  hardPodAffinityWeight: number;
}

/** One existing pod's contribution (upstream processExistingPod). */
export function processExistingPod(s: TopologyScore, incoming: IncomingPreferred, existing: PodInfo, node: Node): void {
  if (Object.keys(node.metadata?.labels ?? {}).length === 0) return;
  s.processTerms(incoming.preferredAffinity, existing.pod, undefined, node, 1);
  s.processTerms(incoming.preferredAntiAffinity, existing.pod, undefined, node, -1);
  if (!existing.hasAffinity) return;
  let terms;
  try {
    terms = podAffinityTerms(existing.pod);
  } catch {
    return;
  }
  if (incoming.hardPodAffinityWeight > 0) {
    for (const t of terms.requiredAffinity) s.processTerm(t, incoming.hardPodAffinityWeight, incoming.pod, incoming.namespaceLabels, node, 1);
  }
  s.processTerms(terms.preferredAffinity, incoming.pod, incoming.namespaceLabels, node, 1);
  s.processTerms(terms.preferredAntiAffinity, incoming.pod, incoming.namespaceLabels, node, -1);
}
