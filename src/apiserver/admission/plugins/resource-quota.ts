// ResourceQuota admission (upstream k8s.io/apiserver/pkg/admission/plugin/resourcequota and the quota
// evaluators): a create in a namespace with ResourceQuotas is refused with 403 `exceeded quota: …` when its
// usage (object counts, pods' requests and limits, claims' storage) on top of what the namespace already
// uses would pass a quota's hard limits. Usage is computed from the objects themselves (watch cache), so it is
// right before any quota controller runs; then the quota's status is brought up to date. Admissions in one
// namespace are serialized, and each admitted create is held as a reservation until its object is visible to
// the reader, so two racing creates cannot both take the last unit (within this apiserver; upstream gets the
// same from a compare-and-swap of the quota status, which also spans several apiservers).

import type * as corev1 from '../../../api/generated/core/v1.js';
import { parseQuantity } from '../../../apimachinery/quantity/parse.js';
import type { Quantity } from '../../../apimachinery/quantity/quantity.js';
import { klog } from '../../../base/logger.js';
import type { Registries } from '../../registry/generic/registries.js';
import type { APIObject } from '../../registry/strategy.js';
import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import type { ObjectReader } from '../object-reader.js';

export const resourceQuotaPluginName = 'ResourceQuota';
const log = klog.withName('resource-quota');

type Usage = Map<string, Quantity>;

const quantity = (s: unknown): Quantity | undefined => (s === undefined || s === null ? undefined : parseQuantity(String(s)).quantity);
const one = quantity('1')!;

function add(u: Usage, key: string, q: Quantity): void {
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
function scopesMatch(quota: corev1.ResourceQuota, resource: string, obj: APIObject): boolean {
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

const prettyPrint = (u: Usage) =>
  [...u.keys()]
    .sort()
    .map((k) => `${k}=${u.get(k)!.toString()}`)
    .join(',');

/** An admitted create whose object the reader may not show yet. */
interface Reservation {
  resource: string;
  name: string;
  obj: APIObject;
  /** ms since the epoch after which it no longer counts (a create that failed after admission). */
  expires: number;
}

/** How long an admitted create counts before its object must be visible; covers a failed create's leftovers. */
const reservationTTLMs = 30_000;

export function newResourceQuota(opts: { reader: ObjectReader; registries?: Registries; now?: () => number }): AdmissionPlugin {
  const now = opts.now ?? Date.now;
  /** The tail of each namespace's admission queue: one quota evaluation at a time per namespace. */
  const queues = new Map<string, Promise<void>>();
  /** Admitted creates not yet seen by the reader, by namespace. */
  const reservations = new Map<string, Reservation[]>();

  async function serialized<T>(namespace: string, fn: () => Promise<T>): Promise<T> {
    const before = queues.get(namespace) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = before.then(() => mine);
    queues.set(namespace, tail);
    await before;
    try {
      return await fn();
    } finally {
      release();
      if (queues.get(namespace) === tail) queues.delete(namespace);
    }
  }

  /**
   * The namespace's current usage of `resource`: the objects themselves, plus admitted creates the reader does
   * not show yet. Reservations whose object appeared, or that expired, are dropped.
   */
  async function currentUsage(namespace: string, r: { group: string; resource: string }, quota: corev1.ResourceQuota): Promise<Usage> {
    const used: Usage = new Map();
    const key = `${r.group}/${r.resource}`;
    const seen = new Set<string>();
    for (const obj of await opts.reader.list(r, namespace)) {
      seen.add(obj.metadata?.name ?? '');
      if (!scopesMatch(quota, r.resource, obj)) continue;
      for (const [k, v] of usageOf(r, obj)) add(used, k, v);
    }
    const t = now();
    const pending = (reservations.get(namespace) ?? []).filter((p) => p.expires > t && !(p.resource === key && seen.has(p.name)));
    if (pending.length) reservations.set(namespace, pending);
    else reservations.delete(namespace);
    for (const p of pending) {
      if (p.resource !== key || !scopesMatch(quota, r.resource, p.obj)) continue;
      for (const [k, v] of usageOf(r, p.obj)) add(used, k, v);
    }
    return used;
  }

  function reserve(namespace: string, r: { group: string; resource: string }, obj: APIObject): void {
    const list = reservations.get(namespace) ?? [];
    list.push({ resource: `${r.group}/${r.resource}`, name: obj.metadata?.name ?? '', obj, expires: now() + reservationTTLMs });
    reservations.set(namespace, list);
  }

  /** Best effort: the quota's status shows hard and the usage just admitted. Conflicts are left to the next write. */
  async function recordStatus(quota: corev1.ResourceQuota, used: Usage): Promise<void> {
    const reg = opts.registries?.get('', 'resourcequotas');
    if (!reg) return;
    const status = { hard: { ...(quota.spec?.hard ?? {}) }, used: { ...(quota.status?.used ?? {}) } as Record<string, string> };
    for (const [k, v] of used) if (k in status.hard) status.used[k] = v.toString();
    if (JSON.stringify(status) === JSON.stringify(quota.status ?? {})) return;
    try {
      await reg.update({ namespace: quota.metadata?.namespace ?? '', name: quota.metadata?.name ?? '', subresource: 'status', obj: { ...(quota as APIObject), status } });
    } catch (err) {
      log.v(2).info('Could not record quota usage', { quota: quota.metadata?.name, err: String(err) });
    }
  }

  return {
    name: resourceQuotaPluginName,
    handles: (op) => op === 'CREATE',
    async validate(attrs: AdmissionAttributes) {
      if (attrs.subresource !== '' || !attrs.object || !attrs.namespace) return;
      const r = { group: attrs.resource.group, resource: attrs.resource.resource };
      const quotas = (await opts.reader.list({ group: '', resource: 'resourcequotas' }, attrs.namespace)) as corev1.ResourceQuota[];
      if (!quotas.length) return;
      const delta = usageOf(r, attrs.object);
      if (!delta.size) return;
      await serialized(attrs.namespace, () => evaluate(attrs, r, quotas, delta));
    },
  };

  /** Checks every quota that tracks the create; reserves its usage when all pass (not on dry runs). */
  async function evaluate(attrs: AdmissionAttributes, r: { group: string; resource: string }, quotas: corev1.ResourceQuota[], delta: Usage): Promise<void> {
    const namespace = attrs.namespace;
    const object = attrs.object!;
    const pod = !r.group && r.resource === 'pods' ? (object as corev1.Pod) : undefined;
    const passed: Array<{ quota: corev1.ResourceQuota; used: Usage }> = [];
    for (const quota of quotas) {
      const hard = quota.spec?.hard ?? {};
      if (!scopesMatch(quota, r.resource, object)) continue;
      const computeKey = (k: string) => /^(requests|limits)\.(cpu|memory)$|^(cpu|memory)$/.test(k);
      const tracked = Object.keys(hard).filter((k) => delta.has(k) || (pod && computeKey(k)));
      if (!tracked.length) continue;
      // A quota on cpu/memory needs every container to request (or limit) them (upstream Constraints).
      if (pod) {
        const required = tracked.filter(computeKey);
        const missing = new Map<string, string[]>();
        for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
          const has = usageOf(r, { spec: { containers: [c] } } as APIObject);
          for (const k of required) if (!has.has(k)) missing.set(k, [...(missing.get(k) ?? []), c.name]);
        }
        if (missing.size) {
          const detail = [...missing.keys()].sort().map((k) => `${k} for: ${missing.get(k)!.join(',')}`).join('; ');
          throw newAdmissionForbidden(attrs, `failed quota: ${quota.metadata?.name}: must specify ${detail}`);
        }
      }
      const used = await currentUsage(namespace, r, quota);
      const requested: Usage = new Map();
      const failedUsed: Usage = new Map();
      const failedHard: Usage = new Map();
      for (const k of tracked) {
        const d = delta.get(k);
        if (!d) continue;
        const limit = quantity(hard[k])!;
        const now = used.get(k) ?? quantity('0')!;
        if (now.add(d).cmp(limit) > 0) {
          requested.set(k, d);
          failedUsed.set(k, now);
          failedHard.set(k, limit);
        }
        used.set(k, now.add(d));
      }
      if (requested.size) {
        throw newAdmissionForbidden(attrs, `exceeded quota: ${quota.metadata?.name}, requested: ${prettyPrint(requested)}, used: ${prettyPrint(failedUsed)}, limited: ${prettyPrint(failedHard)}`);
      }
      passed.push({ quota, used });
    }
    if (attrs.dryRun) return;
    if (passed.length) reserve(namespace, r, object);
    for (const p of passed) await recordStatus(p.quota, p.used);
  }
}
