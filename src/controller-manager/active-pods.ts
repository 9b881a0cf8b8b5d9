// Pod facts controllers share (upstream pkg/api/v1/pod and controller_utils): active, ready, available, and
// the ranking that decides which pods go first when a controller scales down (ActivePodsWithRanks).
import type { Pod } from '../api/generated/core/v1.js';

/** Scaling down prefers to delete pods with a lower cost (upstream annotation, an int32). */
export const podDeletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';

/** A pod that counts towards a controller's replicas: not finished and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
}

function readyCondition(pod: Pod) {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: Pod): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** When the pod last became ready (ms since the epoch), or undefined when it is not ready. */
export function podReadyTime(pod: Pod): number | undefined {
  const c = readyCondition(pod);
  if (c?.status !== 'True' || !c.lastTransitionTime) return undefined;
  return Date.parse(c.lastTransitionTime);
}

/**
 * Ready for at least `minReadySeconds` at time `now` (upstream IsPodAvailable). With minReadySeconds 0 a
 * ready pod is available at once.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadyTime(pod);
  return since !== undefined && since + minReadySeconds * 1000 <= now;
}

function maxContainerRestarts(pod: Pod): number {
  let max = 0;
  for (const s of pod.status?.containerStatuses ?? []) max = Math.max(max, s.restartCount ?? 0);
  return max;
}

const phaseOrder: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(pod: Pod): number {
  const raw = pod.metadata?.annotations?.[podDeletionCostAnnotation];
  if (raw === undefined || !/^[+-]?\d+$/.test(raw)) return 0;
  return Number(raw);
}

/**
 * log2 of how long ago `t` was, in nanoseconds as upstream measures it, so that pods of similar age fall
 * into the same bucket and the tie goes to other criteria (LogarithmicScaleDown, on by default).
 */
function logBucket(t: number, now: number): number {
  const nanos = (now - t) * 1e6;
  return nanos <= 0 ? -1 : Math.floor(Math.log2(nanos));
}

/**
 * -1/0/1 comparing two times where "smaller" means "delete first": unset first, then newer first; with
 * `now` the comparison is by logarithmic age bucket.
 */
function compareNewerFirst(a: number | undefined, b: number | undefined, now: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (now !== undefined) {
    const diff = logBucket(a, now) - logBucket(b, now);
    return diff === 0 ? 0 : diff < 0 ? -1 : 1;
  }
  return a > b ? -1 : 1;
}

function creationTime(pod: Pod): number | undefined {
  const t = pod.metadata?.creationTimestamp;
  return t ? Date.parse(t) : undefined;
}

/** A pod and its rank: how many pods related to the same owner share its node (doubled-up pods go first). */
export interface RankedPod {
  pod: Pod;
  rank: number;
}

/**
 * Orders pods so that the ones to delete first come first (upstream ActivePodsWithRanks.Less):
 * unassigned < assigned; Pending < Unknown < Running; not ready < ready; lower deletion cost; higher rank;
 * ready more recently; more container restarts; created more recently; then by UID for a stable order.
 * `now` enables the logarithmic comparison of ready and creation times.
 */
export function compareForDeletion(a: RankedPod, b: RankedPod, now?: number): number {
  const pa = a.pod;
  const pb = b.pod;
  const assignedA = Boolean(pa.spec?.nodeName);
  const assignedB = Boolean(pb.spec?.nodeName);
  if (assignedA !== assignedB) return assignedA ? 1 : -1;
  const phaseA = phaseOrder[pa.status?.phase ?? ''] ?? 0;
  const phaseB = phaseOrder[pb.status?.phase ?? ''] ?? 0;
  if (phaseA !== phaseB) return phaseA - phaseB;
  const readyA = isPodReady(pa);
  const readyB = isPodReady(pb);
  if (readyA !== readyB) return readyA ? 1 : -1;
  const costA = deletionCost(pa);
  const costB = deletionCost(pb);
  if (costA !== costB) return costA - costB;
  if (a.rank !== b.rank) return b.rank - a.rank;
  if (readyA && readyB) {
    const c = compareNewerFirst(podReadyTime(pa), podReadyTime(pb), now);
    if (c !== 0) return c;
  }
  const restartsA = maxContainerRestarts(pa);
  const restartsB = maxContainerRestarts(pb);
  if (restartsA !== restartsB) return restartsB - restartsA;
  const c = compareNewerFirst(creationTime(pa), creationTime(pb), now);
  if (c !== 0) return c;
  const uidA = pa.metadata?.uid ?? '';
  const uidB = pb.metadata?.uid ?? '';
  return uidA < uidB ? -1 : uidA > uidB ? 1 : 0;
}
