// The status a ReplicaSet (or ReplicationController) controller writes (upstream calculateStatus):
// counts over the pods it owns, and the ReplicaFailure condition when creating or deleting pods failed.
import { isDeepStrictEqual } from 'node:util';
import type { Pod } from '../../../api/generated/core/v1.js';
import { isPodAvailable, isPodReady } from '../../active-pods.js';
import { getCondition, metaTime, removeCondition, setCondition, type Condition } from '../../conditions.js';
import type { Replicated, ReplicatedStatus } from './replicated.js';

/**
 * The new status of `rs` given the active pods it owns. `manageError` is the failure of this sync's
 * create/delete step, if any: it sets ReplicaFailure (reason FailedCreate or FailedDelete); a sync without
 * failure clears it. `observedGeneration` is left as it was (set when writing).
 */
export function calculateStatus(rs: Replicated, pods: readonly Pod[], manageError: unknown, now: number): ReplicatedStatus {
  const templateLabels = Object.entries(rs.spec?.template?.metadata?.labels ?? {});
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    const labels = pod.metadata?.labels ?? {};
    if (templateLabels.every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, now)) available++;
    }
  }
  let conditions: Condition[] | undefined = rs.status?.conditions;
  const failure = getCondition(conditions, 'ReplicaFailure');
  if (manageError && !failure) {
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    conditions = setCondition(conditions, {
      type: 'ReplicaFailure',
      status: 'True',
      reason: diff < 0 ? 'FailedCreate' : 'FailedDelete',
      message: manageError instanceof Error ? manageError.message : String(manageError),
      lastTransitionTime: metaTime(now),
    });
  } else if (!manageError && failure) {
    conditions = removeCondition(conditions, 'ReplicaFailure');
  }
  return compactStatus({
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.status?.observedGeneration,
    conditions,
  });
}

/** Drops zero counts and empty conditions as Go's omitempty does (replicas is always present). */
export function compactStatus(s: ReplicatedStatus): ReplicatedStatus {
  const out: ReplicatedStatus = { replicas: s.replicas ?? 0 };
  if (s.fullyLabeledReplicas) out.fullyLabeledReplicas = s.fullyLabeledReplicas;
  if (s.readyReplicas) out.readyReplicas = s.readyReplicas;
  if (s.availableReplicas) out.availableReplicas = s.availableReplicas;
  if (s.observedGeneration) out.observedGeneration = s.observedGeneration;
  if (s.conditions && s.conditions.length > 0) out.conditions = s.conditions;
  return out;
}

/** True when writing `next` would change nothing (status compared after dropping zero values). */
export function statusUpToDate(rs: Replicated, next: ReplicatedStatus): boolean {
  return isDeepStrictEqual(compactStatus(rs.status ?? { replicas: 0 }), compactStatus(next)) && next.observedGeneration === rs.metadata?.generation;
}
