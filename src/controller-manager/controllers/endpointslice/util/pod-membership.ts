// Which pods back which Services (upstream k8s.io/endpointslice/util): the rules the endpoints and
// EndpointSlice controllers share for membership, readiness, hostnames and which pod changes matter.
import type * as corev1 from '../../../../api/generated/core/v1.js';
import type { Lister, SharedInformer } from '../../../../client/cache/interface.js';
import { isDeletedFinalStateUnknown } from '../../../../client/cache/keys.js';
import type { Typed } from '../../../../client/typed.js';
import { isPodReady } from '../../../active-pods.js';

export type Pod = Typed<corev1.Pod>;
export type Service = Typed<corev1.Service>;

export { isPodReady };

/** Succeeded or Failed: its containers are stopped for good. */
export function isPodTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/**
 * upstream ShouldPodBeInEndpoints: a pod with an IP that is not terminal; a terminating pod (deletionTimestamp
 * set) only when `includeTerminating`.
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (!pod.status?.podIP && !pod.status?.podIPs?.length) return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false;
  return true;
}

/** upstream ShouldSetHostname: the pod names a hostname and this Service as its subdomain. */
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  return !!pod.spec?.hostname && pod.spec.subdomain === svc.metadata?.name && svc.metadata?.namespace === pod.metadata?.namespace;
}

/** Whether a map selector (Service.spec.selector) matches `labels`; every key must be equal. */
export function setSelectorMatches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels?.[k] !== v) return false;
  return true;
}

/** Keys ("ns/name") of the Services in `namespace` whose selector matches `labels`; a nil selector matches nothing. */
export function servicesForLabels(services: Lister<Service>, namespace: string, labels: Record<string, string> | undefined): Set<string> {
  const keys = new Set<string>();
  for (const svc of services.namespace(namespace).list()) {
    const selector = svc.spec?.selector;
    if (selector === undefined || selector === null) continue;
    if (setSelectorMatches(selector, labels)) keys.add(`${namespace}/${svc.metadata?.name}`);
  }
  return keys;
}

function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => a![k] === b?.[k]);
}

/**
 * upstream podEndpointsChanged: `podChanged` when what an endpoint shows moved (deletion, readiness, IPs);
 * `labelsChanged` when the set of matching Services may have (labels, hostname, subdomain).
 */
export function podEndpointsChanged(oldPod: Pod, newPod: Pod): { podChanged: boolean; labelsChanged: boolean } {
  const labelsChanged =
    !sameLabels(oldPod.metadata?.labels, newPod.metadata?.labels) ||
    oldPod.spec?.hostname !== newPod.spec?.hostname ||
    oldPod.spec?.subdomain !== newPod.spec?.subdomain;
  const oldIPs = (oldPod.status?.podIPs ?? []).map((p) => p.ip);
  const newIPs = (newPod.status?.podIPs ?? []).map((p) => p.ip);
  const podChanged =
    oldPod.metadata?.deletionTimestamp !== newPod.metadata?.deletionTimestamp ||
    isPodReady(oldPod) !== isPodReady(newPod) ||
    oldIPs.length !== newIPs.length ||
    oldIPs.some((ip, i) => ip !== newIPs[i]);
  return { podChanged, labelsChanged };
}

/**
 * The Services to resync after a pod update (upstream GetPodUpdateProjectionKey + GetServicesToUpdate):
 * none for resyncs and irrelevant changes; with changed labels the symmetric difference of old and new
 * memberships, or their union when the pod's endpoint changed too.
 */
export function servicesToUpdateOnPodChange(services: Lister<Service>, oldPod: Pod, newPod: Pod): Set<string> {
  if (oldPod.metadata?.resourceVersion === newPod.metadata?.resourceVersion) return new Set();
  const { podChanged, labelsChanged } = podEndpointsChanged(oldPod, newPod);
  if (!podChanged && !labelsChanged) return new Set();
  const namespace = newPod.metadata?.namespace ?? '';
  const current = servicesForLabels(services, namespace, newPod.metadata?.labels);
  if (!labelsChanged) return current;
  const previous = servicesForLabels(services, namespace, oldPod.metadata?.labels);
  const out = new Set<string>();
  for (const k of current) if (podChanged || !previous.has(k)) out.add(k);
  for (const k of previous) if (podChanged || !current.has(k)) out.add(k);
  return out;
}

export type IPFamily = 'IPv4' | 'IPv6';

export function ipFamilyOf(ip: string): IPFamily {
  return ip.includes(':') ? 'IPv6' : 'IPv4';
}

/** The pod's IPs (status.podIPs, else status.podIP). */
export function podIPs(pod: Pod): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => !!ip);
  if (ips.length === 0 && pod.status?.podIP) ips.push(pod.status.podIP);
  return ips;
}

/**
 * upstream FindPort: a numeric targetPort as is (unset: the Service port); a named one is the containerPort
 * of that name and protocol in the pod's containers or restartable (sidecar) init containers.
 */
export function findPort(pod: Pod, port: corev1.ServicePort): number | Error {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target === 0 ? port.port : target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = port.protocol ?? 'TCP';
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return new Error(`no suitable port for manifest: ${pod.metadata?.uid ?? ''}`);
}

/**
 * Wires the handlers both endpoints controllers share: every Service event queues the Service; pod
 * additions and deletions queue the Services the pod matches, pod updates those servicesToUpdateOnPodChange
 * names. Keys are "namespace/name".
 */
export function queueServicesOnChanges(opts: {
  services: { informer: SharedInformer<Service>; lister: Lister<Service> };
  pods: { informer: SharedInformer<Pod> };
  queue: { add(key: string): void };
}): void {
  const { services, queue } = opts;
  const queueService = (svc: Service) => queue.add(`${svc.metadata?.namespace}/${svc.metadata?.name}`);
  services.informer.addEventHandler({
    onAdd: queueService,
    onUpdate: (_old, svc) => queueService(svc),
    onDelete: (obj) => queueService(isDeletedFinalStateUnknown(obj) ? obj.obj : obj),
  });
  const queueMemberships = (pod: Pod) => {
    for (const key of servicesForLabels(services.lister, pod.metadata?.namespace ?? '', pod.metadata?.labels)) queue.add(key);
  };
  opts.pods.informer.addEventHandler({
    onAdd: queueMemberships,
    onUpdate: (oldPod, pod) => {
      for (const key of servicesToUpdateOnPodChange(services.lister, oldPod, pod)) queue.add(key);
    },
    onDelete: (obj) => queueMemberships(isDeletedFinalStateUnknown(obj) ? obj.obj : obj),
  });
}

/** Splits a "namespace/name" queue key. */
export function splitServiceKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
