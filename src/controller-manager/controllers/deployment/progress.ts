// A Deployment's status and conditions (upstream calculateStatus, syncRolloutStatus, progress.go): the
// counts `kubectl rollout status` reads, Available, and Progressing with its deadline.
import { isDeepStrictEqual } from 'node:util';
import { getCondition, metaTime, removeCondition, setCondition } from '../../conditions.js';
import { maxUnavailable } from './replica-math.js';
import { actualReplicaCount, availableReplicaCount, desiredReplicas, readyReplicaCount, replicaCount } from './replica-sets.js';
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from './types.js';

/** Condition reasons, as upstream's deployment util names them. */
export const reasons = {
  replicaSetUpdated: 'ReplicaSetUpdated',
  failedRSCreate: 'ReplicaSetCreateError',
  newReplicaSet: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** progressDeadlineSeconds is set and not "no deadline" (MaxInt32). */
export function hasProgressDeadline(d: Deployment): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return s !== undefined && s !== 2147483647;
}

/** A condition stamped `now` (lastUpdateTime and lastTransitionTime). */
export function newDeploymentCondition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, now: number): DeploymentCondition {
  const t = metaTime(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

export function setDeploymentCondition(status: DeploymentStatus, cond: DeploymentCondition): void {
  status.conditions = setCondition(status.conditions, cond);
}

export function removeDeploymentCondition(status: DeploymentStatus, type: string): void {
  status.conditions = removeCondition(status.conditions, type);
}

export function getDeploymentCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return getCondition(status?.conditions, type);
}

/** Drops zero counts and empty lists as Go's omitempty does, so comparisons with stored status are exact. */
export function compactDeploymentStatus(s: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = {};
  for (const [k, v] of Object.entries(s) as Array<[keyof DeploymentStatus, unknown]>) {
    if (v === undefined || v === 0 || (Array.isArray(v) && v.length === 0)) continue;
    (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

export function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean {
  return isDeepStrictEqual(compactDeploymentStatus(a ?? {}), compactDeploymentStatus(b ?? {}));
}

/** The Deployment's status computed from its ReplicaSets, with Available set (upstream calculateStatus). */
export function calculateStatus(allRSs: ReadonlyArray<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, d: Deployment, now: number): DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  const total = replicaCount(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
    collisionCount: d.status?.collisionCount,
    conditions: structuredClone(d.status?.conditions ?? []),
  };
  if (available >= desiredReplicas(d) - maxUnavailable(d)) {
    setDeploymentCondition(status, newDeploymentCondition('Available', 'True', reasons.minimumReplicasAvailable, 'Deployment has minimum availability.', now));
  } else {
    setDeploymentCondition(status, newDeploymentCondition('Available', 'False', reasons.minimumReplicasUnavailable, 'Deployment does not have minimum availability.', now));
  }
  return status;
}

/** Every replica updated, existing and available, for the current generation (upstream DeploymentComplete). */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const want = desiredReplicas(d);
  return (
    (s.updatedReplicas ?? 0) === want &&
    (s.replicas ?? 0) === want &&
    (s.availableReplicas ?? 0) === want &&
    (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0)
  );
}

/** Something moved since the stored status: more updated, fewer old, more ready or available pods. */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** No progress for progressDeadlineSeconds since the Progressing condition was last updated. */
export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const cond = getDeploymentCondition(s, 'Progressing');
  if (!cond) return false;
  if (cond.reason === reasons.newRSAvailable) return false;
  if (cond.reason === reasons.timedOut) return true;
  const from = cond.lastUpdateTime ? Date.parse(cond.lastUpdateTime) : now;
  return from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < now;
}

/**
 * The status to write at the end of a rollout step (upstream syncRolloutStatus without the write):
 * Progressing moves to NewReplicaSetAvailable, ReplicaSetUpdated or ProgressDeadlineExceeded, and
 * ReplicaFailure mirrors the ReplicaSets' failures.
 */
export function rolloutStatus(allRSs: ReadonlyArray<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, d: Deployment, now: number): DeploymentStatus {
  const s = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeDeploymentCondition(s, 'Progressing');
  const current = getDeploymentCondition(s, 'Progressing');
  const complete = s.replicas === s.updatedReplicas && current?.reason === reasons.newRSAvailable;
  if (hasProgressDeadline(d) && !complete) {
    const rsName = newRS?.metadata?.name;
    if (deploymentComplete(d, s)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : 'Deployment has successfully progressed.';
      setDeploymentCondition(s, newDeploymentCondition('Progressing', 'True', reasons.newRSAvailable, msg, now));
    } else if (deploymentProgressing(d, s)) {
      const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : 'Deployment is progressing.';
      const cond = newDeploymentCondition('Progressing', 'True', reasons.replicaSetUpdated, msg, now);
      // Progress refreshes lastUpdateTime (the deadline restarts) but is no transition.
      if (current?.status === 'True' && current.lastTransitionTime) cond.lastTransitionTime = current.lastTransitionTime;
      removeDeploymentCondition(s, 'Progressing');
      setDeploymentCondition(s, cond);
    } else if (deploymentTimedOut(d, s, now)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${d.metadata?.name}" has timed out progressing.`;
      setDeploymentCondition(s, newDeploymentCondition('Progressing', 'False', reasons.timedOut, msg, now));
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure) {
    setDeploymentCondition(s, {
      type: 'ReplicaFailure',
      status: failure.status,
      reason: failure.reason,
      message: failure.message,
      lastTransitionTime: failure.lastTransitionTime,
      lastUpdateTime: failure.lastTransitionTime,
    });
  } else {
    removeDeploymentCondition(s, 'ReplicaFailure');
  }
  return s;
}

/** The ReplicaFailure condition of the new ReplicaSet, else of the first old one that has it. */
function replicaFailure(allRSs: ReadonlyArray<ReplicaSet | undefined>, newRS: ReplicaSet | undefined) {
  const find = (rs: ReplicaSet | undefined) => getCondition(rs?.status?.conditions, 'ReplicaFailure');
  const fromNew = find(newRS);
  if (fromNew) return fromNew;
  for (const rs of allRSs) {
    if (rs === newRS) continue;
    const c = find(rs);
    if (c) return c;
  }
  return undefined;
}

/**
 * When to look at a Deployment again so that a stalled rollout is marked ProgressDeadlineExceeded on time
 * (upstream requeueStuckDeployment): undefined when no check is due, else milliseconds from `now`.
 */
export function stuckRequeueAfter(d: Deployment, s: DeploymentStatus, now: number): number | undefined {
  const cond = getDeploymentCondition(s, 'Progressing');
  if (!hasProgressDeadline(d) || !cond) return undefined;
  if (deploymentComplete(d, s) || cond.reason === reasons.timedOut) return undefined;
  const from = cond.lastUpdateTime ? Date.parse(cond.lastUpdateTime) : now;
  const after = from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - now;
  // A second past the deadline, so the next sync sees it passed (timestamps have whole seconds); never 0,
  // which would spin until the deadline (upstream backs off with the rate limiter there).
  return Math.max(after, 0) + 1000;
}
