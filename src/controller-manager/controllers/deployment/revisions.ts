// The annotations a Deployment and its ReplicaSets carry (upstream deployment util): the revision
// sequence that `kubectl rollout history/undo` reads, the revision history of a rolled-back-to ReplicaSet,
// and the desired/max replica counts that tell scaling apart from rolling out.
import type { Deployment, ReplicaSet } from './types.js';

export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
const lastAppliedConfigAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

/** The longest revision-history annotation kept; the oldest entries go first. */
export const maxRevisionHistoryLengthInChars = 2000;

/** Annotations that belong to the Deployment or to one ReplicaSet and are never copied between them. */
const annotationsToSkip = new Set([
  lastAppliedConfigAnnotation,
  revisionAnnotation,
  revisionHistoryAnnotation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  'deprecated.deployment.rollback.to',
]);

/** The revision of an object; 0 when absent or unparsable (upstream logs and skips those). */
export function revisionOf(obj: { metadata?: { annotations?: Record<string, string> } } | undefined): number {
  const raw = obj?.metadata?.annotations?.[revisionAnnotation];
  if (raw === undefined || !/^\d+$/.test(raw)) return 0;
  return Number(raw);
}

export function maxRevision(rsList: ReadonlyArray<ReplicaSet | undefined>): number {
  return rsList.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

/** Copies the Deployment's own annotations onto the ReplicaSet; true when something changed. */
export function copyDeploymentAnnotationsToReplicaSet(d: Deployment, rs: ReplicaSet): boolean {
  let changed = false;
  const meta = (rs.metadata ??= {});
  const annotations = (meta.annotations ??= {});
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (annotationsToSkip.has(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  return changed;
}

/** Sets desired-replicas and max-replicas; true when either changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = ((rs.metadata ??= {}).annotations ??= {});
  let changed = false;
  if (annotations[desiredReplicasAnnotation] !== String(desired)) {
    annotations[desiredReplicasAnnotation] = String(desired);
    changed = true;
  }
  if (annotations[maxReplicasAnnotation] !== String(max)) {
    annotations[maxReplicasAnnotation] = String(max);
    changed = true;
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = rs.metadata?.annotations ?? {};
  return annotations[desiredReplicasAnnotation] !== String(desired) || annotations[maxReplicasAnnotation] !== String(max);
}

/** The desired-replicas annotation as a number, or undefined when absent or malformed. */
export function desiredReplicasAnnotationOf(rs: ReplicaSet): number | undefined {
  return intAnnotation(rs, desiredReplicasAnnotation);
}

export function maxReplicasAnnotationOf(rs: ReplicaSet): number | undefined {
  return intAnnotation(rs, maxReplicasAnnotation);
}

function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const raw = rs.metadata?.annotations?.[key];
  return raw !== undefined && /^-?\d+$/.test(raw) ? Number(raw) : undefined;
}

/**
 * Prepares the new ReplicaSet's annotations (upstream SetNewReplicaSetAnnotations): the Deployment's own
 * annotations, the revision raised to `newRevision` when lower (a rollback to an old template keeps its
 * former revisions in revision-history), and for a ReplicaSet about to be created the replica annotations.
 * Returns true when something changed.
 */
export function setNewReplicaSetAnnotations(opts: {
  deployment: Deployment;
  rs: ReplicaSet;
  newRevision: number;
  exists: boolean;
  maxSurge: number;
}): boolean {
  const { deployment: d, rs } = opts;
  let changed = copyDeploymentAnnotationsToReplicaSet(d, rs);
  const annotations = ((rs.metadata ??= {}).annotations ??= {});
  const oldRaw = annotations[revisionAnnotation];
  if (oldRaw !== undefined && !/^\d+$/.test(oldRaw)) return false;
  const oldRevision = oldRaw === undefined ? 0 : Number(oldRaw);
  if (oldRevision < opts.newRevision) {
    annotations[revisionAnnotation] = String(opts.newRevision);
    changed = true;
    if (oldRaw !== undefined) {
      const history = annotations[revisionHistoryAnnotation] ? annotations[revisionHistoryAnnotation].split(',') : [];
      history.push(oldRaw);
      while (history.length > 1 && history.join(',').length > maxRevisionHistoryLengthInChars) history.shift();
      annotations[revisionHistoryAnnotation] = history.join(',');
    }
  }
  const desired = d.spec?.replicas ?? 1;
  if (!opts.exists && setReplicasAnnotations(rs, desired, desired + opts.maxSurge)) changed = true;
  return changed;
}
