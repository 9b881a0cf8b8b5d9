// ControllerRevisions, as StatefulSets and DaemonSets keep them (upstream pkg/controller/history): a
// revision per distinct pod template, named `<owner>-<hash>`, numbered, reused when a template comes back,
// and pruned beyond revisionHistoryLimit.
import type * as appsv1 from '../api/generated/apps/v1.js';
import type * as corev1 from '../api/generated/core/v1.js';
import { isAlreadyExists, isNotFound } from '../apimachinery/errors.js';
import type { Interface, KubeObject, ResourceInterface } from '../client/rest/interface.js';
import type { Typed } from '../client/typed.js';
import { newControllerRef } from './controller-ref-manager.js';
import { FNV32a, canonicalJSON, safeEncodeString } from './controllers/deployment/pod-template-hash.js';

export type ControllerRevision = Typed<appsv1.ControllerRevision>;

export const controllerRevisionsResource = { group: 'apps', version: 'v1', resource: 'controllerrevisions' } as const;
/** Label carrying a revision's hash (upstream ControllerRevisionHashLabel). */
export const controllerRevisionHashLabel = 'controller.kubernetes.io/hash';

/** The hash of a revision's data and the owner's collision count (FNV-1a, vowel-free alphabet). */
export function hashControllerRevision(data: unknown, collisionCount?: number): string {
  const hasher = new FNV32a().write(Buffer.from(canonicalJSON(data ?? null), 'utf8'));
  if (collisionCount !== undefined) {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32LE(collisionCount >>> 0, 0);
    hasher.write(bytes);
  }
  return safeEncodeString(String(hasher.sum32()));
}

/** `<prefix>-<hash>`, the prefix cut so the name stays within 253 characters. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

/** What a ControllerRevision of a StatefulSet or DaemonSet stores: a patch replacing spec.template. */
export function revisionData(template: corev1.PodTemplateSpec | undefined): { spec: { template: Record<string, unknown> } } {
  return { spec: { template: { ...(structuredClone(template ?? {}) as Record<string, unknown>), $patch: 'replace' } } };
}

/** The template a revision stores (the inverse of revisionData). */
export function templateOfRevision(data: unknown): corev1.PodTemplateSpec {
  const template = { ...((data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template ?? {}) };
  delete template.$patch;
  return template as corev1.PodTemplateSpec;
}

/** A new revision of `owner` holding `data`, labelled with `labels` and its hash, controlled by the owner. */
export function newControllerRevision(opts: {
  owner: KubeObject;
  ownerKind: { apiVersion: string; kind: string };
  labels: Record<string, string>;
  data: unknown;
  revision: number;
  collisionCount?: number;
}): ControllerRevision {
  const hash = hashControllerRevision(opts.data, opts.collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(opts.owner.metadata?.name ?? '', hash),
      namespace: opts.owner.metadata?.namespace,
      labels: { ...opts.labels, [controllerRevisionHashLabel]: hash },
      ownerReferences: [newControllerRef(opts.owner, opts.ownerKind)],
    },
    data: structuredClone(opts.data) as ControllerRevision['data'],
    revision: opts.revision,
  };
}

/** Same hash label and same data (upstream EqualRevision). */
export function equalRevision(a: ControllerRevision, b: ControllerRevision): boolean {
  const ha = a.metadata?.labels?.[controllerRevisionHashLabel];
  const hb = b.metadata?.labels?.[controllerRevisionHashLabel];
  if (ha !== undefined && hb !== undefined && ha !== hb) return false;
  return canonicalJSON(a.data ?? null) === canonicalJSON(b.data ?? null);
}

export function sortRevisions(revisions: ControllerRevision[]): ControllerRevision[] {
  return [...revisions].sort((a, b) => a.revision - b.revision || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

/** The revision number after the highest in `revisions` (1 when there are none). */
export function nextRevisionNumber(revisions: ControllerRevision[]): number {
  return revisions.reduce((max, r) => Math.max(max, r.revision), 0) + 1;
}

export interface RevisionsResult {
  /** The revision of the owner's current template (created or renumbered as needed). */
  updateRevision: ControllerRevision;
  /** Every owned revision, sorted, including updateRevision. */
  revisions: ControllerRevision[];
  /** The collision count to store in the owner's status (raised after a hash collision). */
  collisionCount: number;
}

/**
 * Finds or creates the revision for `data` among the owner's `revisions` (upstream getStatefulSetRevisions /
 * constructHistory): an equal latest revision is used as is, an equal older one gets the next number, and
 * otherwise a new one is created — on a name taken by different data the collision count goes up and the
 * creation is retried with the new hash.
 */
export async function ensureRevision(opts: {
  client: Interface;
  owner: KubeObject;
  ownerKind: { apiVersion: string; kind: string };
  labels: Record<string, string>;
  data: unknown;
  revisions: ControllerRevision[];
  collisionCount: number;
}): Promise<RevisionsResult> {
  const api: ResourceInterface<ControllerRevision> = opts.client.resource<ControllerRevision>(controllerRevisionsResource, opts.owner.metadata?.namespace ?? '');
  let revisions = sortRevisions(opts.revisions);
  let collisionCount = opts.collisionCount;
  const next = nextRevisionNumber(revisions);
  const probe = newControllerRevision({ ...opts, revision: next, collisionCount });
  const equal = revisions.filter((r) => equalRevision(r, probe));
  const latest = revisions[revisions.length - 1];
  if (equal.length > 0 && latest && equal[equal.length - 1] === latest) return { updateRevision: latest, revisions, collisionCount };
  if (equal.length > 0) {
    const old = equal[equal.length - 1]!;
    const renumbered = await api.update({ ...structuredClone(old), revision: next });
    revisions = sortRevisions(revisions.map((r) => (r === old ? renumbered : r)));
    return { updateRevision: renumbered, revisions, collisionCount };
  }
  for (let attempt = 0; attempt < 10; attempt++) {
    const candidate = newControllerRevision({ ...opts, revision: next, collisionCount });
    try {
      const created = await api.create(candidate);
      return { updateRevision: created, revisions: sortRevisions([...revisions, created]), collisionCount };
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = await api.get(candidate.metadata?.name ?? '');
      const ours = existing.metadata?.ownerReferences?.some((r) => r.uid === opts.owner.metadata?.uid);
      if (ours && equalRevision(existing, candidate)) return { updateRevision: existing, revisions: sortRevisions([...revisions, existing]), collisionCount };
      collisionCount++;
    }
  }
  throw new Error(`could not find a free ControllerRevision name for ${opts.owner.metadata?.name} after 10 hash collisions`);
}

/**
 * Deletes the oldest revisions not in `live` (names still in use) beyond `limit` (upstream
 * truncateHistory); already gone counts as deleted. Rejects with the first failure after trying all.
 */
export async function truncateHistory(opts: { client: Interface; namespace: string; revisions: ControllerRevision[]; live: Set<string>; limit: number }): Promise<void> {
  const history = sortRevisions(opts.revisions).filter((r) => !opts.live.has(r.metadata?.name ?? ''));
  const excess = history.length - Math.max(0, opts.limit);
  if (excess <= 0) return;
  const api = opts.client.resource<ControllerRevision>(controllerRevisionsResource, opts.namespace);
  const results = await Promise.allSettled(history.slice(0, excess).map((r) => api.delete(r.metadata?.name ?? '')));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !isNotFound(r.reason));
  if (failed) throw failed.reason;
}
