// Reconciling the default policy with what is stored (upstream pkg/registry/rbac/reconciliation): missing
// roles and bindings are created; missing rules, aggregation selectors and subjects are added; labels and
// annotations are merged; what users added is kept; `rbac.authorization.kubernetes.io/autoupdate: "false"`
// protects an object from any change.

import { autoupdateAnnotation } from './bootstrap-policy.js';
import { covers } from './covers.js';
import type { BindingObject, LabelSelector, RoleObject, Subject } from './types.js';

export type ReconcileOperation = 'none' | 'create' | 'update' | 'recreate';

export interface ReconcileResult<T> {
  /** What to store (for none: the existing object). */
  object: T;
  operation: ReconcileOperation;
  /** The existing object opts out of reconciliation; `operation` says what it would have needed. */
  protected: boolean;
}

const isProtected = (o: { metadata: { annotations?: Record<string, string> } }): boolean => o.metadata.annotations?.[autoupdateAnnotation] === 'false';

/** Expected keys added; existing values win for keys both have. Undefined when neither has any. */
function mergeMaps(expected: Record<string, string> | undefined, existing: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!expected && !existing) return undefined;
  return { ...(expected ?? {}), ...(existing ?? {}) };
}

function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function mergeMetadata<T extends { metadata: RoleObject['metadata'] }>(result: T, expected: T, existing: T): boolean {
  const labels = mergeMaps(expected.metadata.labels, existing.metadata.labels);
  const annotations = mergeMaps(expected.metadata.annotations, existing.metadata.annotations);
  const changed = !sameJSON(labels, existing.metadata.labels) || !sameJSON(annotations, existing.metadata.annotations);
  if (labels) result.metadata.labels = labels;
  if (annotations) result.metadata.annotations = annotations;
  return changed;
}

/** Upstream computeReconciledRole with removeExtraPermissions=false. */
export function reconcileRole(existing: RoleObject | undefined, expected: RoleObject): ReconcileResult<RoleObject> {
  if (!existing) return { object: structuredClone(expected), operation: 'create', protected: false };
  const result = structuredClone(existing);
  let changed = mergeMetadata(result, expected, existing);
  const { missing } = covers(existing.rules ?? [], expected.rules ?? []);
  if (missing.length) {
    result.rules = [...(existing.rules ?? []), ...missing];
    changed = true;
  }
  const wantSelectors = expected.aggregationRule?.clusterRoleSelectors ?? [];
  if (expected.aggregationRule) {
    const have: LabelSelector[] = existing.aggregationRule?.clusterRoleSelectors ?? [];
    const missingSelectors = wantSelectors.filter((w) => !have.some((h) => sameJSON(h, w)));
    if (missingSelectors.length || !existing.aggregationRule) {
      result.aggregationRule = { ...(existing.aggregationRule ?? {}), clusterRoleSelectors: [...have, ...missingSelectors] };
      changed = true;
    }
  }
  return { object: result, operation: changed ? 'update' : 'none', protected: isProtected(existing) };
}

const sameSubject = (a: Subject, b: Subject): boolean =>
  a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '') && (a.apiGroup ?? '') === (b.apiGroup ?? '');

/** Upstream computeReconciledRoleBinding with removeExtraSubjects=false; a changed roleRef means recreate. */
export function reconcileBinding(existing: BindingObject | undefined, expected: BindingObject): ReconcileResult<BindingObject> {
  if (!existing) return { object: structuredClone(expected), operation: 'create', protected: false };
  if (!sameJSON(existing.roleRef, expected.roleRef)) {
    // roleRef is immutable: the binding is deleted and created again, with the user's extra subjects.
    const object = structuredClone(expected);
    const extra = (existing.subjects ?? []).filter((s) => !(expected.subjects ?? []).some((e) => sameSubject(s, e)));
    object.subjects = [...(expected.subjects ?? []), ...extra];
    mergeMetadata(object, expected, existing);
    return { object, operation: 'recreate', protected: isProtected(existing) };
  }
  const result = structuredClone(existing);
  let changed = mergeMetadata(result, expected, existing);
  const missing = (expected.subjects ?? []).filter((e) => !(existing.subjects ?? []).some((s) => sameSubject(s, e)));
  if (missing.length) {
    result.subjects = [...(existing.subjects ?? []), ...missing];
    changed = true;
  }
  return { object: result, operation: changed ? 'update' : 'none', protected: isProtected(existing) };
}
