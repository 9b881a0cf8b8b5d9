// The steps of DELETE that do not touch storage, as upstream's rest.BeforeDelete and genericregistry's
// finalizer handling: graceful deletion periods, the garbage collector's finalizers, marking as deleting.

import type { APIObject, ObjectMeta, ResourceStrategy } from '../strategy.js';
import type { DeleteOptions } from './delete-options.js';
import { rfc3339 } from './object-meta.js';

/** Finalizers the garbage collector acts on (upstream metav1.FinalizerOrphanDependents / DeleteDependents). */
export const finalizerOrphanDependents = 'orphan';
export const finalizerDeleteDependents = 'foregroundDeletion';

function sameStringSet(a: string[] | undefined, b: string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/**
 * The finalizers after applying the deletion's propagation policy: Orphan adds `orphan`, Foreground adds
 * `foregroundDeletion`, Background removes both (upstream deletionFinalizersForGarbageCollection).
 * Without a policy the existing GC finalizers are kept.
 */
export function gcFinalizers(existing: string[] | undefined, options: DeleteOptions): string[] {
  const list = [...(existing ?? [])];
  let policy = options.propagationPolicy;
  if (!policy && options.orphanDependents !== undefined) policy = options.orphanDependents ? 'Orphan' : 'Background';
  if (!policy) return list;
  const want = new Set<string>();
  if (policy === 'Orphan') want.add(finalizerOrphanDependents);
  if (policy === 'Foreground') want.add(finalizerDeleteDependents);
  const out = list.filter((f) => (f !== finalizerOrphanDependents && f !== finalizerDeleteDependents) || want.has(f));
  for (const f of want) if (!out.includes(f)) out.push(f);
  return sameStringSet(out, list) ? list : out;
}

/**
 * rest.BeforeDelete for graceful kinds: sets deletionTimestamp/deletionGracePeriodSeconds on `obj`.
 * 'no' = not graceful (the kind is not, or a grace period of 0 was already set); 'yes' = updated;
 * 'pending' = a graceful deletion is already running and the request does not shorten it.
 */
export function beforeDelete(args: { obj: APIObject; options: DeleteOptions; strategy?: ResourceStrategy; now: number }): 'no' | 'yes' | 'pending' {
  const meta = args.obj.metadata as ObjectMeta;
  let grace = args.options.gracePeriodSeconds;
  if (grace !== undefined && grace < 0) grace = 1;
  if (meta.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds < 0) meta.deletionGracePeriodSeconds = 1;
  const check = args.strategy?.checkGracefulDelete;
  if (!check) return 'no';
  if (meta.deletionTimestamp) {
    const existing = meta.deletionGracePeriodSeconds ?? 0;
    if (existing === 0) return 'no';
    if (grace === undefined || grace >= existing) return 'pending';
    const ts = Date.parse(meta.deletionTimestamp) - existing * 1000 + grace * 1000;
    meta.deletionTimestamp = rfc3339(ts);
    meta.deletionGracePeriodSeconds = grace;
    return 'yes';
  }
  const period = check(args.obj, { gracePeriodSeconds: grace });
  meta.deletionTimestamp = rfc3339(args.now + period * 1000);
  meta.deletionGracePeriodSeconds = period;
  if ((meta.generation ?? 0) > 0) meta.generation = (meta.generation as number) + 1;
  return 'yes';
}

/** upstream markAsDeleting: deletionTimestamp now (unless earlier), grace period 0, generation bumped once. */
export function markAsDeleting(meta: ObjectMeta, now: number): void {
  if (!meta.deletionTimestamp && (meta.generation ?? 0) > 0) meta.generation = (meta.generation as number) + 1;
  if (!meta.deletionTimestamp || Date.parse(meta.deletionTimestamp) > now) meta.deletionTimestamp = rfc3339(now);
  meta.deletionGracePeriodSeconds = 0;
}
