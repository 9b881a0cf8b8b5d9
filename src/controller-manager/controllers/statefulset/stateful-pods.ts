// A StatefulSet's pods and claims (upstream stateful_set_utils.go): stable names `<set>-<ordinal>`, the
// pod-name and pod-index labels, hostname/subdomain, PVCs `<template>-<set>-<ordinal>` mounted in place of
// the template's volumes, and pod health.
import type * as appsv1 from '../../../api/generated/apps/v1.js';
import type * as corev1 from '../../../api/generated/core/v1.js';
import type { Typed } from '../../../client/typed.js';
import { isPodAvailable, isPodReady } from '../../active-pods.js';
import { newControllerRef } from '../../controller-ref-manager.js';
import { podFromTemplate } from '../../pod-control.js';

export type StatefulSet = Typed<appsv1.StatefulSet>;
export type Pod = Typed<corev1.Pod>;
export type PersistentVolumeClaim = Typed<corev1.PersistentVolumeClaim>;

export const statefulSetKind = { apiVersion: 'apps/v1', kind: 'StatefulSet' } as const;
export const statefulSetPodNameLabel = 'statefulset.kubernetes.io/pod-name';
export const podIndexLabel = 'apps.kubernetes.io/pod-index';
/** The pod's revision: the ControllerRevision's name (apps/v1 StatefulSetRevisionLabel). */
export const statefulSetRevisionLabel = 'controller-revision-hash';

const statefulPodName = /^(.*)-([0-9]+)$/;

/** The parent name and ordinal encoded in a pod's name; ordinal -1 when it has none. */
export function parentAndOrdinal(pod: corev1.Pod): { parent: string; ordinal: number } {
  const m = statefulPodName.exec(pod.metadata?.name ?? '');
  if (!m) return { parent: '', ordinal: -1 };
  const ordinal = Number(m[2]);
  return { parent: m[1]!, ordinal: ordinal <= 0x7fffffff ? ordinal : -1 };
}

export function isMemberOf(set: StatefulSet, pod: corev1.Pod): boolean {
  return parentAndOrdinal(pod).parent === set.metadata?.name;
}

export function startOrdinal(set: StatefulSet): number {
  return set.spec?.ordinals?.start ?? 0;
}

export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata?.name ?? ''}-${ordinal}`;
}

export function claimName(set: StatefulSet, template: corev1.PersistentVolumeClaim, ordinal: number): string {
  return `${template.metadata?.name ?? ''}-${set.metadata?.name ?? ''}-${ordinal}`;
}

export function podRevision(pod: corev1.Pod): string | undefined {
  return pod.metadata?.labels?.[statefulSetRevisionLabel];
}

/** The claims the pod of `ordinal` mounts, by template name, with the selector's labels (upstream getPersistentVolumeClaims). */
export function claimsFor(set: StatefulSet, ordinal: number): Map<string, PersistentVolumeClaim> {
  const out = new Map<string, PersistentVolumeClaim>();
  const matchLabels = set.spec?.selector?.matchLabels ?? {};
  for (const template of set.spec?.volumeClaimTemplates ?? []) {
    const claim: PersistentVolumeClaim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: claimName(set, template, ordinal),
        namespace: set.metadata?.namespace,
        labels: { ...template.metadata?.labels, ...matchLabels },
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      },
      spec: structuredClone(template.spec ?? {}),
    };
    out.set(template.metadata?.name ?? '', claim);
  }
  return out;
}

/**
 * The pod of `ordinal` for `set` (at one revision): template pod with the set as controller, the stable
 * name, hostname and subdomain, the pod-name/pod-index/revision labels, and claim volumes in place of
 * same-named template volumes.
 */
export function newStatefulSetPod(set: StatefulSet, ordinal: number, revision: string): Pod {
  const pod = podFromTemplate(set.spec?.template ?? {}, set, newControllerRef(set, statefulSetKind));
  const name = podName(set, ordinal);
  delete pod.metadata!.generateName;
  pod.metadata!.name = name;
  pod.metadata!.labels = { ...pod.metadata!.labels, [statefulSetPodNameLabel]: name, [podIndexLabel]: String(ordinal), [statefulSetRevisionLabel]: revision };
  const spec = (pod.spec ??= { containers: [] });
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  const claims = claimsFor(set, ordinal);
  const volumes: corev1.Volume[] = [...claims].map(([volume, claim]) => ({ name: volume, persistentVolumeClaim: { claimName: claim.metadata!.name! } }));
  for (const v of spec.volumes ?? []) if (!claims.has(v.name)) volumes.push(v);
  if (volumes.length > 0) spec.volumes = volumes;
  return pod;
}

export function isCreated(pod: corev1.Pod): boolean {
  return Boolean(pod.metadata?.uid);
}

export function isTerminating(pod: corev1.Pod): boolean {
  return Boolean(pod.metadata?.deletionTimestamp);
}

export function isRunningAndReady(pod: corev1.Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

/** Running, ready for minReadySeconds, and not being deleted. */
export function isHealthy(pod: corev1.Pod, minReadySeconds: number, now: number): boolean {
  return isRunningAndReady(pod) && isPodAvailable(pod, minReadySeconds, now) && !isTerminating(pod);
}

export function hasFinished(pod: corev1.Pod): boolean {
  return pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded';
}
