// The Recreate strategy (upstream recreate.go): scale every old ReplicaSet to zero, wait until none of
// their pods runs, then create or scale up the new ReplicaSet.
import { deploymentComplete } from './progress.js';
import { actualReplicaCount, desiredReplicas, filterActiveReplicaSets, specReplicas } from './replica-sets.js';
import type { DeploymentSync, StepResult } from './sync.js';
import type { Deployment, Pod, ReplicaSet } from './types.js';

/** Pods of the Deployment by the UID of the ReplicaSet that controls them. */
export type PodMap = Map<string, Pod[]>;

export async function rolloutRecreate(s: DeploymentSync, d: Deployment, rsList: ReplicaSet[], podMap: PodMap): Promise<StepResult> {
  let { newRS, oldRSs } = await s.getAllReplicaSetsAndSyncRevision(d, rsList, false);
  let allRSs: Array<ReplicaSet | undefined> = [...oldRSs, newRS];

  let scaledDown = false;
  for (const rs of filterActiveReplicaSets(oldRSs)) {
    if (specReplicas(rs) === 0) continue;
    await s.scaleReplicaSet(rs, 0, d);
    scaledDown = true;
  }
  if (scaledDown) return s.syncRolloutStatus(allRSs, newRS, d);
  if (oldPodsRunning(newRS, oldRSs, podMap)) return s.syncRolloutStatus(allRSs, newRS, d);

  if (!newRS) {
    ({ newRS, oldRSs } = await s.getAllReplicaSetsAndSyncRevision(d, rsList, true));
    allRSs = [...oldRSs, newRS];
  }
  if (newRS && specReplicas(newRS) !== desiredReplicas(d)) {
    const result = await s.scaleReplicaSet(newRS, desiredReplicas(d), d);
    newRS = result.rs;
    allRSs = [...oldRSs, newRS];
  }
  if (deploymentComplete(d, d.status ?? {})) await s.cleanupDeployment(oldRSs, d);
  return s.syncRolloutStatus(allRSs, newRS, d);
}

/** Old ReplicaSets still report pods, or some pod of theirs is not finished (upstream oldPodsRunning). */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[], podMap: PodMap): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata?.uid === uid) continue;
    for (const pod of pods) {
      const phase = pod.status?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') continue;
      return true;
    }
  }
  return false;
}
