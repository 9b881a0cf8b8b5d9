// The 409 an apply gets when it would change fields other managers own, worded and structured as upstream.
import { StatusError, type StatusCause } from '../errors.js';
import type { FieldSet } from './field-set.js';
import { pathString } from './path-element.js';

/** A field another manager owns (identified as in managedFields, see `managerIdentifier`). */
export interface Conflict {
  managerId: string;
  path: string;
}

/** Conflicts, by owner; managers in identifier order, paths in set order. */
export function conflictsFromManagers(sets: Map<string, FieldSet>): Conflict[] {
  const out: Conflict[] = [];
  for (const id of [...sets.keys()].sort()) for (const p of sets.get(id)!.paths()) out.push({ managerId: id, path: pathString(p) });
  return out;
}

/** `"kubectl-client-side-apply" using apps/v1`, `"x" with subresource "status"`: how messages name a manager. */
export function printManager(managerId: string): string {
  let e: { manager?: string; operation?: string; apiVersion?: string; subresource?: string };
  try {
    e = JSON.parse(managerId) as typeof e;
  } catch {
    return JSON.stringify(managerId);
  }
  let s = JSON.stringify(e.manager ?? '');
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion ?? ''}`;
  return s;
}

/**
 * 409 Conflict with one FieldManagerConflict cause per field. Message: `Apply failed with 1 conflict:
 * conflict with "m" using apps/v1: .spec.replicas`, or for several, per manager (sorted): `Apply failed
 * with 2 conflicts: conflicts with "m" using apps/v1:\n- .a\n- .b`.
 */
export function newApplyConflict(conflicts: readonly Conflict[]): StatusError {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.managerId)}`,
    field: c.path,
  }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0]!.managerId)}: ${conflicts[0]!.path}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) byManager.set(c.managerId, [...(byManager.get(c.managerId) ?? []), c.path]);
    const lines: string[] = [];
    for (const id of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${printManager(id)}:`);
      for (const p of byManager.get(id)!) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError({ code: 409, reason: 'Conflict', message, details: { causes } });
}
