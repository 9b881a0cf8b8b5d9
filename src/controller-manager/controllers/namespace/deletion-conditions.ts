// The conditions the namespace controller keeps on a terminating namespace (upstream
// namespace/deletion/status_condition_utils.go): each of the five types is True with what went wrong, or
// False with upstream's "all is well" reason and message.
import type * as corev1 from '../../../api/generated/core/v1.js';

export type NamespaceCondition = corev1.NamespaceCondition;

export const conditionTypes = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

export type ConditionType = (typeof conditionTypes)[number];

const okReasons: Record<ConditionType, string> = {
  NamespaceDeletionDiscoveryFailure: 'ResourcesDiscovered',
  NamespaceDeletionGroupVersionParsingFailure: 'ParsedGroupVersions',
  NamespaceDeletionContentFailure: 'ContentDeleted',
  NamespaceContentRemaining: 'ContentRemoved',
  NamespaceFinalizersRemaining: 'ContentRemoved',
};

const okMessages: Record<ConditionType, string> = {
  NamespaceDeletionDiscoveryFailure: 'All resources successfully discovered',
  NamespaceDeletionGroupVersionParsingFailure: 'All legacy kube types successfully parsed',
  NamespaceDeletionContentFailure: 'All content successfully deleted, may be waiting on finalization',
  NamespaceContentRemaining: 'All content successfully removed',
  NamespaceFinalizersRemaining: 'All content successfully removed',
};

/** What one pass over the namespace's content found. */
export interface DeletionFindings {
  /** The discovery error message, when some groups failed. */
  discoveryFailure?: string;
  /** Group versions discovery returned that do not parse. */
  groupVersionFailure?: string;
  /** One message per resource whose content could not be deleted. */
  contentErrors: string[];
  /** "resource.group" → instances still present. */
  remainingByResource: Map<string, number>;
  /** finalizer → instances still carrying it. */
  remainingByFinalizer: Map<string, number>;
}

function failing(type: ConditionType, reason: string, message: string): { type: ConditionType; reason: string; message: string } {
  return { type, reason, message };
}

/** The failing conditions `findings` call for (upstream's namespaceConditionUpdater). */
export function failingConditions(findings: DeletionFindings): Array<{ type: ConditionType; reason: string; message: string }> {
  const out = [];
  if (findings.discoveryFailure !== undefined) out.push(failing('NamespaceDeletionDiscoveryFailure', 'DiscoveryFailed', findings.discoveryFailure));
  if (findings.groupVersionFailure !== undefined) out.push(failing('NamespaceDeletionGroupVersionParsingFailure', 'GroupVersionParsingFailed', findings.groupVersionFailure));
  if (findings.contentErrors.length > 0) {
    const msgs = [...findings.contentErrors].sort();
    out.push(failing('NamespaceDeletionContentFailure', 'ContentDeletionFailed', `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}`));
  }
  const resources = [...findings.remainingByResource].filter(([, n]) => n > 0).map(([r, n]) => `${r} has ${n} resource instances`).sort();
  if (resources.length > 0) out.push(failing('NamespaceContentRemaining', 'SomeResourcesRemain', `Some resources are remaining: ${resources.join(', ')}`));
  const finalizers = [...findings.remainingByFinalizer].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`).sort();
  if (finalizers.length > 0) out.push(failing('NamespaceFinalizersRemaining', 'SomeFinalizerRemain', `Some finalizers are remaining: ${finalizers.join(', ')}`));
  return out;
}

/**
 * The namespace's conditions after `findings`: every type present, failing ones True, others False with the
 * OK reason; lastTransitionTime changes only when the status flips. Returns undefined when nothing changed.
 */
export function updateConditions(current: readonly NamespaceCondition[], findings: DeletionFindings, now: string): NamespaceCondition[] | undefined {
  const failures = failingConditions(findings);
  const next = current.map((c) => ({ ...c }));
  let changed = false;
  for (const type of conditionTypes) {
    const f = failures.find((x) => x.type === type);
    const want = f ? { status: 'True', reason: f.reason, message: f.message } : { status: 'False', reason: okReasons[type], message: okMessages[type] };
    const old = next.find((c) => c.type === type);
    if (!old) {
      next.push({ type, ...want, lastTransitionTime: now });
      changed = true;
    } else if (old.status !== want.status || old.reason !== want.reason || old.message !== want.message) {
      if (old.status !== want.status) old.lastTransitionTime = now;
      Object.assign(old, want);
      changed = true;
    }
  }
  return changed ? next : undefined;
}
