// The selector of a pod's "siblings" for default spreading (upstream helper.DefaultSelector): the union of
// the selectors of the Services, ReplicationControllers, ReplicaSets and StatefulSets that select the pod.
import type { ReplicaSet, StatefulSet } from '../../../api/generated/apps/v1.js';
import type { Pod, ReplicationController, Service } from '../../../api/generated/core/v1.js';
import { labelSelectorAsSelector } from '../../../apimachinery/labels/label-selector.js';
import { newSelector, selectorFromSet, type Requirement, type Selector } from '../../../apimachinery/labels/selector.js';

/** Namespace-scoped reads of the owners default spreading looks at (listers in production, arrays in tests). */
export interface SpreadOwnerListers {
  services(namespace: string): readonly Service[];
  replicationControllers(namespace: string): readonly ReplicationController[];
  replicaSets(namespace: string): readonly ReplicaSet[];
  statefulSets(namespace: string): readonly StatefulSet[];
}

function selectsPod(set: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  // A nil or empty map selector selects nothing here, as upstream skips it.
  if (!set || Object.keys(set).length === 0) return false;
  return selectorFromSet(set).matches(labels);
}

/**
 * The combined selector; `empty()` when nothing selects the pod. Map selectors (Services, RCs) merge into one
 * label set; ReplicaSet and StatefulSet selectors add their requirements.
 */
export function defaultSelector(pod: Pod, listers: SpreadOwnerListers | undefined): Selector {
  if (!listers) return newSelector([]);
  const ns = pod.metadata?.namespace ?? '';
  const labels = pod.metadata?.labels;
  const labelSet: Record<string, string> = {};
  const reqs: Requirement[] = [];
  for (const s of listers.services(ns)) if (selectsPod(s.spec?.selector, labels)) Object.assign(labelSet, s.spec?.selector);
  for (const rc of listers.replicationControllers(ns)) if (selectsPod(rc.spec?.selector, labels)) Object.assign(labelSet, rc.spec?.selector);
  for (const owner of [...listers.replicaSets(ns), ...listers.statefulSets(ns)]) {
    let sel: Selector;
    try {
      sel = labelSelectorAsSelector(owner.spec?.selector);
    } catch {
      continue;
    }
    if (!sel.empty() && sel.matches(labels)) reqs.push(...sel.requirements);
  }
  if (Object.keys(labelSet).length > 0) reqs.push(...selectorFromSet(labelSet).requirements);
  return newSelector(reqs);
}
