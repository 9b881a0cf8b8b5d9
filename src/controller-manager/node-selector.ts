// Matching a core/v1 NodeSelector against a Node (upstream component-helpers nodeaffinity): terms are ORed,
// a term's expressions (labels) and fields (metadata.name) are ANDed. Used for daemon pods' required node
// affinity and for the node affinity of local PersistentVolumes.
import type * as corev1 from '../api/generated/core/v1.js';

function requirementMatches(r: corev1.NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1 || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(values[0]!)) return false;
      return r.operator === 'Gt' ? BigInt(value) > BigInt(values[0]!) : BigInt(value) < BigInt(values[0]!);
    }
    default:
      return false;
  }
}

/** A term matches when all its expressions (labels) and fields (metadata.name) do; an empty term never matches. */
function termMatches(term: corev1.NodeSelectorTerm, node: corev1.Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  if (!exprs.every((r) => requirementMatches(r, labels[r.key]))) return false;
  return fields.every((r) => r.key === 'metadata.name' && requirementMatches(r, node.metadata?.name));
}

/** Whether any of the selector's terms matches the node (an empty selector matches nothing). */
export function nodeSelectorMatches(selector: corev1.NodeSelector, node: corev1.Node): boolean {
  return (selector.nodeSelectorTerms ?? []).some((term) => termMatches(term, node));
}
