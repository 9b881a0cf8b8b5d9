// Quota usage (upstream pkg/quota/v1/evaluator/core): what one object counts against a ResourceQuota —
// object counts (count/<resource>[.<group>] and the legacy core names), a pod's requests and limits, a
// service's node ports and load balancers, a claim's storage — and which quotas' scopes select a pod. The
// same rules as the apiserver's ResourceQuota admission, so admission and status.used agree.
import type * as corev1 from '../../../api/generated/core/v1.js';
import { parseQuantity } from '../../../apimachinery/quantity/parse.js';
import type { Quantity } from '../../../apimachinery/quantity/quantity.js';
import type { GroupVersionResource, KubeObject } from '../../../client/rest/interface.js';

export type Usage = Map<string, Quantity>;

/** Parses a quantity; throws upstream's parse error for malformed text. */
export function parseQty(s: string): Quantity {
  const r = parseQuantity(s);
  if (r.error !== undefined) throw new Error(`${JSON.stringify(s)}: ${r.error}`);
  return r.quantity;
}

const one = parseQty('1');

function addTo(u: Usage, key: string, q: Quantity): void {
  const prev = u.get(key);
  u.set(key, prev ? prev.add(q) : q);
}

/** Adds every entry of `from` into `into`. */
export function addUsage(into: Usage, from: Usage): void {
  for (const [k, v] of from) addTo(into, k, v);
}

/** Core resources whose object count also has a short name (`pods` besides `count/pods`). */
const legacyCountNames = new Set(['pods', 'services', 'configmaps', 'secrets', 'replicationcontrollers', 'resourcequotas', 'persistentvolumeclaims']);

/** Pod requests or limits: the containers' sum, raised to the largest init container, plus overhead. */
function podTotals(pod: corev1.Pod, field: 'requests' | 'limits'): Usage {
  const total: Usage = new Map();
  for (const c of pod.spec?.containers ?? []) for (const [k, v] of Object.entries(c.resources?.[field] ?? {})) addTo(total, k, parseQty(String(v)));
  for (const c of pod.spec?.initContainers ?? []) {
    for (const [k, v] of Object.entries(c.resources?.[field] ?? {})) {
      const q = parseQty(String(v));
      const cur = total.get(k);
      if (!cur || q.cmp(cur) > 0) total.set(k, q);
    }
  }
  for (const [k, v] of Object.entries(pod.spec?.overhead ?? {})) if (field === 'requests' || total.has(k)) addTo(total, k, parseQty(String(v)));
  return total;
}

/** Terminal pods (Succeeded/Failed) use no quota (upstream QuotaV1Pod). */
export function podCountsAgainstQuota(pod: corev1.Pod): boolean {
  return pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
}

/** What `obj`, an object of resource `gvr`, uses. */
export function objectUsage(gvr: Pick<GroupVersionResource, 'group' | 'resource'>, obj: KubeObject): Usage {
  const usage: Usage = new Map();
  const core = gvr.group === '';
  if (core && gvr.resource === 'pods' && !podCountsAgainstQuota(obj as corev1.Pod)) return usage;
  addTo(usage, core ? `count/${gvr.resource}` : `count/${gvr.resource}.${gvr.group}`, one);
  if (core && legacyCountNames.has(gvr.resource)) addTo(usage, gvr.resource, one);
  if (core && gvr.resource === 'pods') {
    const pod = obj as corev1.Pod;
    for (const [k, v] of podTotals(pod, 'requests')) {
      addTo(usage, `requests.${k}`, v);
      if (k === 'cpu' || k === 'memory' || k === 'ephemeral-storage') addTo(usage, k, v);
    }
    for (const [k, v] of podTotals(pod, 'limits')) addTo(usage, `limits.${k}`, v);
  } else if (core && gvr.resource === 'services') {
    const spec = (obj as corev1.Service).spec;
    if (spec?.type === 'LoadBalancer') addTo(usage, 'services.loadbalancers', one);
    const ports = spec?.ports?.length ?? 0;
    if ((spec?.type === 'NodePort' || spec?.type === 'LoadBalancer') && ports > 0) addTo(usage, 'services.nodeports', parseQty(String(ports)));
  } else if (core && gvr.resource === 'persistentvolumeclaims') {
    const spec = (obj as corev1.PersistentVolumeClaim).spec;
    const storage = spec?.resources?.requests?.storage;
    if (storage !== undefined) addTo(usage, 'requests.storage', parseQty(String(storage)));
    if (spec?.storageClassName) {
      const prefix = `${spec.storageClassName}.storageclass.storage.k8s.io/`;
      addTo(usage, `${prefix}persistentvolumeclaims`, one);
      if (storage !== undefined) addTo(usage, `${prefix}requests.storage`, parseQty(String(storage)));
    }
  }
  return usage;
}

/**
 * The core resource whose objects a hard limit counts: pods for compute resources, claims for storage,
 * services for their ports; for count/<resource>[.<group>] the named resource (version left to the caller).
 */
export function resourceForQuotaKey(key: string): { group: string; resource: string } | undefined {
  if (key.startsWith('count/')) {
    const rest = key.slice('count/'.length);
    const dot = rest.indexOf('.');
    return dot < 0 ? { group: '', resource: rest } : { group: rest.slice(dot + 1), resource: rest.slice(0, dot) };
  }
  if (legacyCountNames.has(key)) return { group: '', resource: key };
  if (key === 'requests.storage' || key.includes('.storageclass.storage.k8s.io/')) return { group: '', resource: 'persistentvolumeclaims' };
  if (key.startsWith('services.')) return { group: '', resource: 'services' };
  if (key.startsWith('requests.') || key.startsWith('limits.') || key === 'cpu' || key === 'memory' || key === 'ephemeral-storage') return { group: '', resource: 'pods' };
  if (key.startsWith('requests.hugepages-') || key.startsWith('hugepages-')) return { group: '', resource: 'pods' };
  return undefined;
}

/**
 * Whether the quota's scopes (spec.scopes and scopeSelector) select `obj`: without scopes every object
 * counts; scoped quotas only count pods (Terminating, NotTerminating, BestEffort, NotBestEffort,
 * PriorityClass with In/NotIn/Exists/DoesNotExist).
 */
export function quotaSelects(quota: corev1.ResourceQuota, resource: string, obj: KubeObject): boolean {
  const selectors = [
    ...(quota.spec?.scopes ?? []).map((scopeName) => ({ scopeName, operator: 'Exists', values: [] as string[] })),
    ...(quota.spec?.scopeSelector?.matchExpressions ?? []),
  ];
  if (selectors.length === 0) return true;
  if (resource !== 'pods') return false;
  const pod = obj as corev1.Pod;
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const bestEffort = containers.every((c) => Object.keys(c.resources?.requests ?? {}).length === 0 && Object.keys(c.resources?.limits ?? {}).length === 0);
  const terminating = pod.spec?.activeDeadlineSeconds !== undefined && pod.spec.activeDeadlineSeconds !== null;
  return selectors.every((sel) => {
    const priorityClass = pod.spec?.priorityClassName ?? '';
    switch (sel.scopeName) {
      case 'Terminating':
        return terminating;
      case 'NotTerminating':
        return !terminating;
      case 'BestEffort':
        return bestEffort;
      case 'NotBestEffort':
        return !bestEffort;
      case 'PriorityClass':
        if (sel.operator === 'In') return (sel.values ?? []).includes(priorityClass);
        if (sel.operator === 'NotIn') return !(sel.values ?? []).includes(priorityClass);
        if (sel.operator === 'DoesNotExist') return priorityClass === '';
        return priorityClass !== '';
      default:
        return false;
    }
  });
}
