// The arithmetic of a rolling update (upstream deployment util): maxSurge/maxUnavailable with their
// rounding, how far the new ReplicaSet may grow, and how a scaling event is shared among ReplicaSets.
import { desiredReplicas, replicaCount, specReplicas } from './replica-sets.js';
import { desiredReplicasAnnotationOf, maxReplicasAnnotationOf } from './revisions.js';
import type { Deployment, ReplicaSet } from './types.js';

type IntOrString = number | string;

/**
 * upstream intstr.GetScaledValueFromIntOrPercent: an int as is, `"N%"` of `total` rounded up or down.
 * Throws for a string that is not a percentage.
 */
export function scaledValueFromIntOrPercent(value: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = /^(-?\d+)%$/.exec(value);
  if (!m) throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(value)}: strconv.Atoi: parsing ${JSON.stringify(value.replace(/%$/, ''))}: invalid syntax`);
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/**
 * upstream ResolveFenceposts: maxSurge rounds up, maxUnavailable rounds down, and when both come out 0
 * maxUnavailable becomes 1 so the rollout can make progress.
 */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValueFromIntOrPercent(maxSurge ?? 0, desired, true);
  let unavailable = scaledValueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** Pods above spec.replicas a rolling update may create (0 for Recreate). */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, desiredReplicas(d)).surge;
}

/** Pods below spec.replicas a rolling update may leave unavailable, at most spec.replicas (0 for Recreate). */
export function maxUnavailable(d: Deployment): number {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return Math.min(resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, desired).unavailable, desired);
}

/**
 * How many replicas the new ReplicaSet should have now (upstream NewRSNewReplicas): for a rolling update as
 * many as fit under spec.replicas + maxSurge counting every ReplicaSet, never above spec.replicas; for
 * Recreate spec.replicas.
 */
export function newRSNewReplicas(d: Deployment, allRSs: ReadonlyArray<ReplicaSet | undefined>, newRS: ReplicaSet): number {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d)) return desired;
  const current = replicaCount(allRSs);
  const maxTotal = desired + maxSurge(d);
  if (current >= maxTotal) return specReplicas(newRS);
  const scaleUp = Math.min(maxTotal - current, desired - specReplicas(newRS));
  return specReplicas(newRS) + scaleUp;
}

/**
 * The new ReplicaSet is saturated when it has all the Deployment's replicas and they are all available
 * (upstream IsSaturated).
 */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = desiredReplicas(d);
  const annotated = desiredReplicasAnnotationOf(rs);
  if (annotated === undefined) return false;
  return specReplicas(rs) === desired && annotated === desired && (rs.status?.availableReplicas ?? 0) === desired;
}

/** Go's math.Round: halves away from zero. */
function roundHalfAwayFromZero(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** The share of a scaling event `rs` would get in proportion to its size (upstream getReplicaSetFraction). */
function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  const desired = desiredReplicas(d);
  if (desired === 0) return -specReplicas(rs);
  const deploymentReplicas = desired + maxSurge(d);
  // Without the annotation, fall back to the Deployment's current size.
  const annotated = maxReplicasAnnotationOf(rs) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  return roundHalfAwayFromZero((specReplicas(rs) * deploymentReplicas) / annotated) - specReplicas(rs);
}

/**
 * How many of `toAdd` (negative: to remove) replicas `rs` takes, given `added` were already handed out
 * (upstream GetProportion).
 */
export function proportionFor(rs: ReplicaSet | undefined, d: Deployment, toAdd: number, added: number): number {
  if (!rs || specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
