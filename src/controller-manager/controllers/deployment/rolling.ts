// The RollingUpdate strategy (upstream rolling.go): grow the new ReplicaSet up to maxSurge above the
// desired count, shrink old ones while keeping at least desired − maxUnavailable pods available.
import { maxUnavailable, newRSNewReplicas } from './replica-math.js';
import { availableReplicaCount, byCreationTimestamp, desiredReplicas, filterActiveReplicaSets, replicaCount, specReplicas } from './replica-sets.js';
import { deploymentComplete } from './progress.js';
import type { DeploymentSync, StepResult } from './sync.js';
import type { Deployment, ReplicaSet } from './types.js';

/** One step of a rolling update; every call moves the rollout as far as the limits allow. */
export async function rolloutRolling(s: DeploymentSync, d: Deployment, rsList: ReplicaSet[]): Promise<StepResult> {
  const { newRS, oldRSs } = await s.getAllReplicaSetsAndSyncRevision(d, rsList, true);
  let allRSs: Array<ReplicaSet | undefined> = [...oldRSs, newRS];

  const up = await reconcileNewReplicaSet(s, allRSs, newRS, d);
  if (up.scaled) {
    allRSs = [...oldRSs, up.rs];
    return s.syncRolloutStatus(allRSs, up.rs, d);
  }
  const scaledDown = await reconcileOldReplicaSets(s, allRSs, filterActiveReplicaSets(oldRSs), newRS, d);
  if (scaledDown) return s.syncRolloutStatus(allRSs, newRS, d);
  if (deploymentComplete(d, d.status ?? {})) await s.cleanupDeployment(oldRSs, d);
  return s.syncRolloutStatus(allRSs, newRS, d);
}

/** Scales the new ReplicaSet towards spec.replicas within maxSurge; down when it has more. */
async function reconcileNewReplicaSet(
  s: DeploymentSync,
  allRSs: Array<ReplicaSet | undefined>,
  newRS: ReplicaSet | undefined,
  d: Deployment,
): Promise<{ scaled: boolean; rs: ReplicaSet | undefined }> {
  if (!newRS) return { scaled: false, rs: newRS };
  const desired = desiredReplicas(d);
  if (specReplicas(newRS) === desired) return { scaled: false, rs: newRS };
  const target = specReplicas(newRS) > desired ? desired : newRSNewReplicas(d, allRSs, newRS);
  return s.scaleReplicaSet(newRS, target, d);
}

/**
 * Scales old ReplicaSets down as far as availability allows: first their unhealthy replicas, then healthy
 * ones, oldest ReplicaSet first (upstream reconcileOldReplicaSets). True when anything was scaled.
 */
async function reconcileOldReplicaSets(
  s: DeploymentSync,
  allRSs: Array<ReplicaSet | undefined>,
  oldRSs: ReplicaSet[],
  newRS: ReplicaSet | undefined,
  d: Deployment,
): Promise<boolean> {
  if (replicaCount(oldRSs) === 0) return false;
  const allPods = replicaCount(allRSs);
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const newRSUnavailable = specReplicas(newRS) - (newRS?.status?.availableReplicas ?? 0);
  const maxScaledDown = allPods - minAvailable - (newRS ? newRSUnavailable : 0);
  if (maxScaledDown <= 0) return false;

  const cleaned = await cleanupUnhealthyReplicas(s, oldRSs, d, maxScaledDown);
  const scaledDown = await scaleDownOldReplicaSetsForRollingUpdate(s, [...cleaned.oldRSs, newRS], cleaned.oldRSs, d);
  return cleaned.count + scaledDown > 0;
}

/** Removes unavailable replicas of old ReplicaSets first: they serve nobody (upstream cleanupUnhealthyReplicas). */
async function cleanupUnhealthyReplicas(s: DeploymentSync, oldRSs: ReplicaSet[], d: Deployment, maxCleanup: number): Promise<{ oldRSs: ReplicaSet[]; count: number }> {
  const sorted = [...oldRSs].sort(byCreationTimestamp);
  let total = 0;
  const out: ReplicaSet[] = [];
  for (const rs of sorted) {
    if (total >= maxCleanup) {
      out.push(rs);
      continue;
    }
    const replicas = specReplicas(rs);
    const available = rs.status?.availableReplicas ?? 0;
    if (replicas === 0 || replicas === available) {
      out.push(rs);
      continue;
    }
    const count = Math.min(maxCleanup - total, replicas - available);
    const result = await s.scaleReplicaSet(rs, replicas - count, d);
    total += count;
    out.push(result.rs);
  }
  return { oldRSs: out, count: total };
}

/** Scales old ReplicaSets down while more than desired − maxUnavailable pods are available. */
async function scaleDownOldReplicaSetsForRollingUpdate(
  s: DeploymentSync,
  allRSs: Array<ReplicaSet | undefined>,
  oldRSs: ReplicaSet[],
  d: Deployment,
): Promise<number> {
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const available = availableReplicaCount(allRSs);
  if (available <= minAvailable) return 0;
  const totalToScaleDown = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreationTimestamp)) {
    if (total >= totalToScaleDown) break;
    const replicas = specReplicas(rs);
    if (replicas === 0) continue;
    const count = Math.min(replicas, totalToScaleDown - total);
    await s.scaleReplicaSet(rs, replicas - count, d);
    total += count;
  }
  return total;
}
