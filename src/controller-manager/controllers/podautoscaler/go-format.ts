// How Go prints a *metav1.LabelSelector with %v/%+v (its generated String method), which upstream's HPA puts
// into metric names and error messages users read in events, e.g.
// `external metric queue(&LabelSelector{MatchLabels:map[string]string{q: jobs,},MatchExpressions:[]LabelSelectorRequirement{},})`.
import type { LabelSelector } from '../../../apimachinery/labels/label-selector.js';

/** The Go text of a label selector pointer: `nil` when absent. Map keys are sorted, as Go prints them. */
export function goLabelSelectorString(sel: LabelSelector | null | undefined): string {
  if (!sel) return 'nil';
  const labels = Object.keys(sel.matchLabels ?? {})
    .sort()
    .map((k) => `${k}: ${sel.matchLabels![k]},`)
    .join('');
  const expressions = (sel.matchExpressions ?? [])
    .map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`)
    .join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${expressions}},}`;
}
