// Victim selection and candidate ranking of DefaultPreemption (upstream default_preemption.go's
// SelectVictimsOnNode helpers and preemption.go's pickOneNodeForPreemption): importance order, PDB
// violations, and the tie-break chain that picks the node to preempt on.
import type { Pod } from '../../../api/generated/core/v1.js';
import type { PodDisruptionBudget } from '../../../api/generated/policy/v1.js';
import { labelSelectorAsSelector } from '../../../apimachinery/labels/label-selector.js';
import type { PodInfo } from '../../framework/node-info.js';

export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

/** status.startTime in ms, or `now` for a pod that has not started (it counts as the newest). */
export function podStartTime(pod: Pod, now: number): number {
  const t = pod.status?.startTime ? Date.parse(pod.status.startTime) : NaN;
  return Number.isNaN(t) ? now : t;
}

/** Upstream util.MoreImportantPod: higher priority first, then the one that started earlier. */
export function moreImportantPod(a: Pod, b: Pod, now: number): boolean {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return podStartTime(a, now) < podStartTime(b, now);
}

/**
 * Splits pods (keeping their order) into those whose eviction would exceed a PDB's disruptionsAllowed and the
 * rest (upstream filterPodsWithPDBViolation). Each matching pod uses up one allowed disruption of every PDB
 * that selects it, unless the PDB already lists it in disruptedPods.
 */
export function filterPodsWithPDBViolation(pods: readonly PodInfo[], pdbs: readonly PodDisruptionBudget[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const selectors = pdbs.map((p) => {
    try {
      return labelSelectorAsSelector(p.spec?.selector);
    } catch {
      return undefined;
    }
  });
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const pi of pods) {
    const meta = pi.pod.metadata;
    let violated = false;
    if (meta?.labels && Object.keys(meta.labels).length > 0) {
      pdbs.forEach((pdb, i) => {
        const sel = selectors[i];
        if ((pdb.metadata?.namespace ?? '') !== (meta.namespace ?? '') || !sel || sel.empty() || !sel.matches(meta.labels)) return;
        if (meta.name && pdb.status?.disruptedPods && meta.name in pdb.status.disruptedPods) return;
        allowed[i]--;
        if (allowed[i] < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(pi);
  }
  return { violating, nonViolating };
}

/** The pods to evict on one node, most important first, and how many of them violate a PDB. */
export interface Victims {
  pods: Pod[];
  numPDBViolations: number;
}

export interface Candidate {
  name: string;
  victims: Victims;
}

/**
 * The node to preempt on (upstream pickOneNodeForPreemption): fewest PDB violations, then the lowest
 * highest-priority victim, the smallest sum of priorities, the fewest victims, the latest start among the
 * highest-priority victims; remaining ties go to the first candidate.
 */
export function pickOneNodeForPreemption(candidates: readonly Candidate[], now: number): string {
  if (candidates.length === 0) return '';
  // Priorities are shifted by 2^31 so that many negative-priority victims do not sum below fewer ones.
  const shift = 2 ** 31;
  const scoreFuncs: Array<(c: Candidate) => number> = [
    (c) => -c.victims.numPDBViolations,
    (c) => -podPriority(c.victims.pods[0]),
    (c) => -c.victims.pods.reduce((sum, p) => sum + podPriority(p) + shift, 0),
    (c) => -c.victims.pods.length,
    (c) => earliestStartOfHighestPriority(c.victims.pods, now),
  ];
  let remaining = candidates.slice();
  for (const f of scoreFuncs) {
    let best = -Infinity;
    let selected: Candidate[] = [];
    for (const c of remaining) {
      const s = f(c);
      if (s > best) {
        best = s;
        selected = [];
      }
      if (s === best) selected.push(c);
    }
    if (selected.length === 1) return selected[0].name;
    remaining = selected;
  }
  return remaining[0].name;
}

/** The earliest start time among the victims sharing the highest priority (upstream GetEarliestPodStartTime). */
function earliestStartOfHighestPriority(pods: readonly Pod[], now: number): number {
  const top = podPriority(pods[0]);
  let earliest = Infinity;
  for (const p of pods) if (podPriority(p) === top) earliest = Math.min(earliest, podStartTime(p, now));
  return earliest;
}
