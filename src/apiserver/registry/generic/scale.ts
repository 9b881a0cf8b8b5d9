// The autoscaling/v1 Scale view of objects with spec.replicas (deployments, replicasets, statefulsets,
// replicationcontrollers), as upstream's scaleFrom<Kind> functions build it.

import type { APIObject } from '../strategy.js';

/** The Scale of `obj`; namespaced decides whether metadata.namespace is kept. */
export function toScale(obj: APIObject, namespaced: boolean): APIObject {
  const meta = obj.metadata ?? {};
  const spec = (obj.spec ?? {}) as { replicas?: number; selector?: unknown };
  const status = (obj.status ?? {}) as { replicas?: number };
  const scale: APIObject = {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion, creationTimestamp: meta.creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector: selectorString(spec.selector) },
  };
  if (scale.metadata && !namespaced) delete scale.metadata.namespace;
  return scale;
}

/** The string form of a label selector (metav1.LabelSelector or an RC's map), as Scale.status.selector. */
export function selectorString(selector: unknown): string {
  if (!selector || typeof selector !== 'object') return '';
  const sel = selector as { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };
  const isLabelSelector = 'matchLabels' in sel || 'matchExpressions' in sel;
  const labels = isLabelSelector ? (sel.matchLabels ?? {}) : (selector as Record<string, string>);
  const parts: Array<[string, string]> = Object.keys(labels).map((k) => [k, `${k}=${labels[k]}`]);
  for (const e of isLabelSelector ? (sel.matchExpressions ?? []) : []) {
    const values = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push([e.key, `${e.key} in (${values})`]);
    else if (e.operator === 'NotIn') parts.push([e.key, `${e.key} notin (${values})`]);
    else if (e.operator === 'Exists') parts.push([e.key, e.key]);
    else if (e.operator === 'DoesNotExist') parts.push([e.key, `!${e.key}`]);
  }
  return parts
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map((p) => p[1])
    .join(',');
}
