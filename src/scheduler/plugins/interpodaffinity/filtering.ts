// InterPodAffinity's filtering state (upstream interpodaffinity/filtering.go): per topology pair
// ("key=value"), how many existing pods match the incoming pod's required affinity terms, its anti-affinity
// terms, and how many existing pods' required anti-affinity terms match the incoming pod.
import type { Node, Pod } from '../../../api/generated/core/v1.js';
import type { Labels } from '../../../apimachinery/labels/selector.js';
import type { StateData } from '../../framework/cycle-state.js';
import type { NodeInfo, PodInfo } from '../../framework/node-info.js';
import { podAffinityTerms, podMatchesAllAffinityTerms, termMatches, type AffinityTerm } from './affinity-term.js';

export const ErrReasonExistingAntiAffinityRulesNotMatch = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ErrReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";
export const ErrReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";

/** Counts keyed by topologyKey → topologyValue; entries that drop to 0 are removed. */
export class TopologyCounts {
  readonly m = new Map<string, Map<string, number>>();

  get(key: string, value: string): number {
    return this.m.get(key)?.get(value) ?? 0;
  }

  size(): number {
    return this.m.size;
  }

  /** Adds `delta` to the node's pair for `key` when the node has that label. */
  update(node: Node, key: string, delta: number): void {
    const value = node.metadata?.labels?.[key];
    if (value === undefined) return;
    let values = this.m.get(key);
    if (!values) this.m.set(key, (values = new Map()));
    const n = (values.get(value) ?? 0) + delta;
    if (n === 0) {
      values.delete(value);
      if (values.size === 0) this.m.delete(key);
    } else {
      values.set(value, n);
    }
  }

  /** Every term's pair counts `delta` when `pod` matches all terms (affinity). */
  updateWithAffinityTerms(terms: readonly AffinityTerm[], pod: Pod, node: Node, delta: number): void {
    if (!podMatchesAllAffinityTerms(terms, pod)) return;
    for (const t of terms) this.update(node, t.topologyKey, delta);
  }

  /** Each term `pod` matches counts `delta` on its pair (anti-affinity). */
  updateWithAntiAffinityTerms(terms: readonly AffinityTerm[], pod: Pod, nsLabels: Labels, node: Node, delta: number): void {
    for (const t of terms) if (termMatches(t, pod, nsLabels)) this.update(node, t.topologyKey, delta);
  }

  clone(): TopologyCounts {
    const c = new TopologyCounts();
    for (const [k, v] of this.m) c.m.set(k, new Map(v));
    return c;
  }
}

export class PreFilterState implements StateData {
  constructor(
    readonly pod: Pod,
    /** The incoming pod's required terms, namespaceSelector resolved. */
    readonly requiredAffinity: readonly AffinityTerm[],
    readonly requiredAntiAffinity: readonly AffinityTerm[],
    /** Labels of the incoming pod's namespace, for existing pods' namespaceSelectors. */
    readonly namespaceLabels: Labels,
    readonly existingAntiAffinityCounts: TopologyCounts,
    readonly affinityCounts: TopologyCounts,
    readonly antiAffinityCounts: TopologyCounts,
  ) {}

  clone(): StateData {
    return new PreFilterState(
      this.pod,
      this.requiredAffinity,
      this.requiredAntiAffinity,
      this.namespaceLabels,
      this.existingAntiAffinityCounts.clone(),
      this.affinityCounts.clone(),
      this.antiAffinityCounts.clone(),
    );
  }

  /** Adds (1) or removes (−1) a pod on `node` (upstream preFilterState.updateWithPod). */
  updateWithPod(pi: PodInfo, node: Node, delta: 1 | -1): void {
    let terms: AffinityTerm[] = [];
    try {
      terms = podAffinityTerms(pi.pod).requiredAntiAffinity;
    } catch {
      // A pod with unparsable terms never got scheduled by us; nothing of it to count.
    }
    this.existingAntiAffinityCounts.updateWithAntiAffinityTerms(terms, this.pod, this.namespaceLabels, node, delta);
    this.affinityCounts.updateWithAffinityTerms(this.requiredAffinity, pi.pod, node, delta);
    this.antiAffinityCounts.updateWithAntiAffinityTerms(this.requiredAntiAffinity, pi.pod, undefined, node, delta);
  }

  /** All of the pod's affinity topology keys present, and each pair holds a match — or the self-affinity exception. */
  satisfyPodAffinity(node: Node): boolean {
    let podsExist = true;
    const labels = node.metadata?.labels;
    for (const t of this.requiredAffinity) {
      const value = labels?.[t.topologyKey];
      if (value === undefined) return false;
      if (this.affinityCounts.get(t.topologyKey, value) <= 0) podsExist = false;
    }
    if (podsExist) return true;
    // The first pod of a group with affinity to itself may go anywhere the keys exist.
    return this.affinityCounts.size() === 0 && podMatchesAllAffinityTerms(this.requiredAffinity, this.pod);
  }

  satisfyPodAntiAffinity(node: Node): boolean {
    if (this.antiAffinityCounts.size() === 0) return true;
    const labels = node.metadata?.labels;
    for (const t of this.requiredAntiAffinity) {
      const value = labels?.[t.topologyKey];
      if (value !== undefined && this.antiAffinityCounts.get(t.topologyKey, value) > 0) return false;
    }
    return true;
  }

  satisfyExistingPodsAntiAffinity(node: Node): boolean {
    if (this.existingAntiAffinityCounts.size() === 0) return true;
    const labels = node.metadata?.labels;
    if (!labels) return true;
    // Any of the node's topology pairs counted with a positive count: walk the few counted keys, not every label.
    for (const [key, values] of this.existingAntiAffinityCounts.m) {
      const value = labels[key];
      if (value !== undefined && (values.get(value) ?? 0) > 0) return false;
    }
    return true;
  }
}

/** Existing pods with required anti-affinity whose terms match the incoming pod (upstream getExistingAntiAffinityCounts). */
export function existingAntiAffinityCounts(pod: Pod, nsLabels: Labels, nodes: readonly NodeInfo[]): TopologyCounts {
  const counts = new TopologyCounts();
  for (const ni of nodes) {
    const node = ni.node;
    if (!node) continue;
    for (const pi of ni.podsWithRequiredAntiAffinity) {
      let terms: AffinityTerm[];
      try {
        terms = podAffinityTerms(pi.pod).requiredAntiAffinity;
      } catch {
        continue;
      }
      counts.updateWithAntiAffinityTerms(terms, pod, nsLabels, node, 1);
    }
  }
  return counts;
}

/** Existing pods matching the incoming pod's required affinity and anti-affinity terms. */
export function incomingAffinityAntiAffinityCounts(
  affinity: readonly AffinityTerm[],
  antiAffinity: readonly AffinityTerm[],
  nodes: readonly NodeInfo[],
): { affinityCounts: TopologyCounts; antiAffinityCounts: TopologyCounts } {
  const affinityCounts = new TopologyCounts();
  const antiAffinityCounts = new TopologyCounts();
  if (affinity.length === 0 && antiAffinity.length === 0) return { affinityCounts, antiAffinityCounts };
  for (const ni of nodes) {
    const node = ni.node;
    if (!node) continue;
    for (const pi of ni.pods) {
      affinityCounts.updateWithAffinityTerms(affinity, pi.pod, node, 1);
      antiAffinityCounts.updateWithAntiAffinityTerms(antiAffinity, pi.pod, undefined, node, 1);
    }
  }
  return { affinityCounts, antiAffinityCounts };
}
