// Small ObjectMeta rules the generic registry applies on every write: timestamps in upstream's format,
// omitempty for metadata collections, and what counts as a spec change.

import type { APIObject, ObjectMeta } from '../strategy.js';

/** RFC 3339 with whole seconds, as metav1.Time serializes. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Drops empty metadata collections, as upstream's typed round trip does (they are `omitempty`): removing
 * the last label leaves no `labels: {}` behind.
 */
export function omitEmptyMetadata(meta: ObjectMeta): void {
  for (const field of ['labels', 'annotations'] as const) {
    const v = meta[field];
    if (v !== undefined && (v === null || (typeof v === 'object' && Object.keys(v).length === 0))) delete meta[field];
  }
  for (const field of ['finalizers', 'ownerReferences', 'managedFields'] as const) {
    const v = meta[field];
    if (v !== undefined && (v === null || (Array.isArray(v) && v.length === 0))) delete meta[field];
  }
  for (const field of ['generateName', 'resourceVersion', 'uid'] as const) {
    if (meta[field] === '' || meta[field] === null) delete meta[field];
  }
}

/** Everything but metadata and status: what a spec change is judged on. */
export function specOf(obj: APIObject): string {
  const { metadata: _m, status: _s, ...rest } = obj;
  return JSON.stringify(rest);
}
