// Which of a Deployment's ReplicaSets is the new one and which are old, and the orders upstream sorts them
// in (deployment util: FindNewReplicaSet, FindOldReplicaSets, EqualIgnoreHash, ReplicaSetsBy*).
import type { PodTemplateSpec } from '../../../api/generated/core/v1.js';
import { canonicalJSON, podTemplateHashLabel } from './pod-template-hash.js';
import { revisionOf } from './revisions.js';
import type { Deployment, ReplicaSet } from './types.js';

/** spec.replicas of a ReplicaSet (the apiserver defaults it to 1). */
export function specReplicas(rs: ReplicaSet | undefined): number {
  return rs?.spec?.replicas ?? 1;
}

export function desiredReplicas(d: Deployment): number {
  return d.spec?.replicas ?? 1;
}

/**
 * Drops what Go's semantic equality treats as unset: undefined, null, empty objects and empty arrays, so a
 * template read back from the API equals the one written.
 */
function normalize(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((v) => normalize(v) ?? null);
    return items.length === 0 ? undefined : items;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const n = normalize(v);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value;
}

/** Two templates are the same revision when equal apart from the pod-template-hash label (EqualIgnoreHash). */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  const strip = (t: PodTemplateSpec | undefined) => {
    const copy = structuredClone(t ?? {});
    if (copy.metadata?.labels) delete copy.metadata.labels[podTemplateHashLabel];
    return canonicalJSON(normalize(copy) ?? {});
  };
  return strip(a) === strip(b);
}

function creationTime(rs: ReplicaSet): number {
  const t = rs.metadata?.creationTimestamp;
  return t ? Date.parse(t) : 0;
}

/** Oldest first; ties by name (ReplicaSetsByCreationTimestamp). */
export function byCreationTimestamp(a: ReplicaSet, b: ReplicaSet): number {
  const d = creationTime(a) - creationTime(b);
  if (d !== 0) return d;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Lowest revision first; ties by creation time (ReplicaSetsByRevision). */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const d = revisionOf(a) - revisionOf(b);
  return d !== 0 ? d : byCreationTimestamp(a, b);
}

/** Largest first; ties newer first (ReplicaSetsBySizeNewer: scaling up favours the newest). */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  const d = specReplicas(b) - specReplicas(a);
  return d !== 0 ? d : byCreationTimestamp(b, a);
}

/** Largest first; ties older first (ReplicaSetsBySizeOlder: scaling down takes from the oldest). */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  const d = specReplicas(b) - specReplicas(a);
  return d !== 0 ? d : byCreationTimestamp(a, b);
}

/** The ReplicaSet whose template equals the Deployment's (the oldest one if several do), if any. */
export function findNewReplicaSet(d: Deployment, rsList: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList].sort(byCreationTimestamp).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** Every ReplicaSet but the new one. */
export function findOldReplicaSets(d: Deployment, rsList: readonly ReplicaSet[]): ReplicaSet[] {
  const newRS = findNewReplicaSet(d, rsList);
  return rsList.filter((rs) => rs.metadata?.uid !== newRS?.metadata?.uid);
}

/** ReplicaSets that want pods (spec.replicas > 0). */
export function filterActiveReplicaSets(rsList: ReadonlyArray<ReplicaSet | undefined>): ReplicaSet[] {
  return rsList.filter((rs): rs is ReplicaSet => rs !== undefined && specReplicas(rs) > 0);
}

/** Sum of spec.replicas. */
export function replicaCount(rsList: ReadonlyArray<ReplicaSet | undefined>): number {
  return rsList.reduce((n, rs) => n + (rs ? specReplicas(rs) : 0), 0);
}

/** Sum of status.replicas (pods that exist). */
export function actualReplicaCount(rsList: ReadonlyArray<ReplicaSet | undefined>): number {
  return rsList.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0);
}

export function readyReplicaCount(rsList: ReadonlyArray<ReplicaSet | undefined>): number {
  return rsList.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0);
}

export function availableReplicaCount(rsList: ReadonlyArray<ReplicaSet | undefined>): number {
  return rsList.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0);
}
