// What one object uses of a ResourceQuota (upstream's quota evaluators: object counts, pods' requests and
// limits, services' node ports and load balancers, claims' storage per class) and whether a quota's scopes select it.

import type * as corev1 from '../../../api/generated/core/v1.js';
import { parseQuantity } from '../../../apimachinery/quantity/parse.js';
import type { Quantity } from '../../../apimachinery/quantity/quantity.js';
import type { APIObject } from '../../registry/strategy.js';

/** Quantities by resource name (`pods`, `requests.cpu`, `count/configmaps`…). */
export type Usage = Map<string, Quantity>;

/** A quantity field's value; undefined when unset. */
export const quantity = (s: unknown): Quantity | undefined => (s === undefined || s === null ? undefined : parseQuantity(String(s)).quantity);
const one = quantity('1')!;

/** Adds `q` to the usage of `key`. */
export function add(u: Usage, key: string, q: Quantity): void {
  u.set(key, u.has(key) ? u.get(key)!.add(q) : q);
}

/** The legacy names of object counts for core resources (besides count/<resource>). */
const legacyCounts: Record<string, string> = {
  pods: 'pods',
  services: 'services',
  configmaps: 'configmaps',
  secrets: 'secrets',
  replicationcontrollers: 'replicationcontrollers',
  resourcequotas: 'resourcequotas',
  persistentvolumeclaims: 'persistentvolumeclaims',
};

/** A pod's effective requests or limits per resource: containers summed, raised to any init container, plus overhead. */
function podResources(pod: corev1.Pod, field: 'requests' | 'limits'): Usage {
  const sum: Usage = new Map();
  for (const c of pod.spec?.containers ?? []) for (const [k, v] of Object.entries(c.resources?.[field] ?? {})) add(sum, k, quantity(v)!);
  for (const c of pod.spec?.initContainers ?? []) {
    for (const [k, v] of Object.entries(c.resources?.[field] ?? {})) {
      const q = quantity(v)!;
      if (!sum.has(k) || q.cmp(sum.get(k)!) > 0) sum.set(k, q);
    }
  }
  for (const [k, v] of Object.entries(pod.spec?.overhead ?? {})) if (sum.has(k) || field === 'requests') add(sum, k, quantity(v)!);
  return sum;
}

const isTerminal = (pod: corev1.Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** The usage one object contributes (upstream's evaluators: pods, services, claims, generic object counts). */
export function usageOf(resource: { group: string; resource: string }, obj: APIObject): Usage {
  const u: Usage = new Map();
  const countKey = resource.group ? `count/${resource.resource}.${resource.group}` : `count/${resource.resource}`;
  add(u, countKey, one);
  if (!resource.group && legacyCounts[resource.resource]) add(u, legacyCounts[resource.resource], one);
  if (!resource.group && resource.resource === 'pods') {
    const pod = obj as corev1.Pod;
    if (isTerminal(pod)) return new Map();
    for (const [k, v] of podResources(pod, 'requests')) {
      add(u, `requests.${k}`, v);
      if (k === 'cpu' || k === 'memory' || k === 'ephemeral-storage') add(u, k, v);
    }
    for (const [k, v] of podResources(pod, 'limits')) add(u, `limits.${k}`, v);
  }
  if (!resource.group && resource.resource === 'services') {
    const svc = obj as corev1.Service;
    if (svc.spec?.type === 'LoadBalancer') add(u, 'services.loadbalancers', one);
    if (svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer') {
      const ports = svc.spec.ports?.length ?? 0;
      if (ports) add(u, 'services.nodeports', quantity(String(ports))!);
    }
  }
  if (!resource.group && resource.resource === 'persistentvolumeclaims') {
    const pvc = obj as corev1.PersistentVolumeClaim;
    const storage = quantity(pvc.spec?.resources?.requests?.storage);
    const cls = pvc.spec?.storageClassName;
    if (storage) add(u, 'requests.storage', storage);
    if (cls) {
      add(u, `${cls}.storageclass.storage.k8s.io/persistentvolumeclaims`, one);
      if (storage) add(u, `${cls}.storageclass.storage.k8s.io/requests.storage`, storage);
    }
  }
  return u;
}

/** Whether a quota's scopes select the pod (Terminating, NotTerminating, BestEffort, NotBestEffort, PriorityClass). */
export function scopesMatch(quota: corev1.ResourceQuota, resource: string, obj: APIObject): boolean {
  const scopes = [...(quota.spec?.scopes ?? []).map((s) => ({ scopeName: s, operator: 'Exists', values: [] as string[] })), ...(quota.spec?.scopeSelector?.matchExpressions ?? [])];
  if (!scopes.length) return true;
  if (resource !== 'pods') return false;
  const pod = obj as corev1.Pod;
  const bestEffort = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].every(
    (c) => !Object.keys(c.resources?.requests ?? {}).length && !Object.keys(c.resources?.limits ?? {}).length,
  );
  return scopes.every((s) => {
    switch (s.scopeName) {
      case 'Terminating':
        return pod.spec?.activeDeadlineSeconds !== undefined;
      case 'NotTerminating':
        return pod.spec?.activeDeadlineSeconds === undefined;
      case 'BestEffort':
        return bestEffort;
      case 'NotBestEffort':
        return !bestEffort;
      case 'PriorityClass': {
        const name = pod.spec?.priorityClassName ?? '';
        if (s.operator === 'In') return (s.values ?? []).includes(name);
        if (s.operator === 'NotIn') return !(s.values ?? []).includes(name);
        if (s.operator === 'DoesNotExist') return !name;
        return !!name;
      }
      default:
        return false;
    }
  });
}

/** upstream prettyPrint: `name=quantity` pairs sorted by name, comma-separated. */
export const prettyPrint = (u: Usage) =>
  [...u.keys()]
    .sort()
    .map((k) => `${k}=${u.get(k)!.toString()}`)
    .join(',');
