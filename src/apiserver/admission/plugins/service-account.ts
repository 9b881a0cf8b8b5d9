// ServiceAccount admission (upstream plugin/pkg/admission/serviceaccount): a pod runs as a service account
// that exists ("default" unless it names one), gets that account's imagePullSecrets, and has the projected
// kube-api-access-<suffix> volume (bound token, kube-root-ca.crt, namespace) mounted in every container.

import type * as corev1 from '../../../api/generated/core/v1.js';
import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import type { ObjectReader } from '../object-reader.js';

export const serviceAccountPluginName = 'ServiceAccount';
export const defaultServiceAccountName = 'default';
/** Where the token, ca.crt and namespace files appear in containers. */
export const defaultAPITokenMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
/** Prefix of the injected volume's name; a 5-character random suffix follows. */
export const serviceAccountVolumeName = 'kube-api-access';
/** The kubelet's annotation on mirror pods (static pods reflected into the API). */
export const mirrorPodAnnotation = 'kubernetes.io/config.mirror';
/** Upstream's bound token lifetime for the injected volume (one hour and seven seconds: "warn-only" tokens). */
export const injectedTokenExpirationSeconds = 3607;

const nameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

export interface ServiceAccountOptions {
  reader: ObjectReader;
  /** Random numbers in [0, 1) for the volume name's suffix (tests pin it). */
  random?: () => number;
}

/** The projected volume source upstream injects (TokenVolumeSource). */
export function tokenVolumeSource(): corev1.ProjectedVolumeSource {
  return {
    defaultMode: 0o644,
    sources: [
      { serviceAccountToken: { expirationSeconds: injectedTokenExpirationSeconds, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  };
}

/** The pod's own automountServiceAccountToken wins, then the service account's; the default is to mount. */
function shouldAutomount(sa: corev1.ServiceAccount, pod: corev1.Pod): boolean {
  return pod.spec?.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true;
}

function isPodCreate(attrs: AdmissionAttributes): boolean {
  return attrs.operation === 'CREATE' && attrs.resource.group === '' && attrs.resource.resource === 'pods' && attrs.subresource === '' && !!attrs.object;
}

/** Secret names a pod references anywhere (volumes, env, envFrom, imagePullSecrets), for the mirror-pod rule. */
function referencesSecrets(pod: corev1.Pod): boolean {
  const spec = pod.spec;
  if (!spec) return false;
  if (spec.imagePullSecrets?.length) return true;
  for (const v of spec.volumes ?? []) {
    if (v.secret || v.azureFile || v.cephfs?.secretRef || v.cinder?.secretRef || v.flexVolume?.secretRef || v.rbd?.secretRef || v.scaleIO?.secretRef || v.iscsi?.secretRef || v.storageos?.secretRef || v.csi?.nodePublishSecretRef) return true;
    if (v.projected?.sources?.some((s) => s.secret)) return true;
  }
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];
  return containers.some((c) => c.envFrom?.some((e) => e.secretRef) || c.env?.some((e) => e.valueFrom?.secretKeyRef));
}

export function newServiceAccount(opts: ServiceAccountOptions): AdmissionPlugin {
  const random = opts.random ?? Math.random;
  const generateName = (prefix: string) => {
    let s = prefix;
    for (let i = 0; i < 5; i++) s += nameAlphabet[Math.floor(random() * nameAlphabet.length)];
    return s;
  };

  function mountServiceAccountToken(pod: corev1.Pod): void {
    const spec = pod.spec!;
    let volumeName = spec.volumes?.find((v) => (v.name ?? '').startsWith(`${serviceAccountVolumeName}-`))?.name;
    const hasVolume = volumeName !== undefined;
    volumeName ??= generateName(`${serviceAccountVolumeName}-`);
    let needsVolume = false;
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      // A mount at the token path already (the user's own) keeps the injected one out of that container.
      if (c.volumeMounts?.some((m) => m.mountPath === defaultAPITokenMountPath)) continue;
      (c.volumeMounts ??= []).push({ name: volumeName, readOnly: true, mountPath: defaultAPITokenMountPath });
      needsVolume = true;
    }
    if (!hasVolume && needsVolume) (spec.volumes ??= []).push({ name: volumeName, projected: tokenVolumeSource() });
  }

  return {
    name: serviceAccountPluginName,
    handles: (op) => op === 'CREATE',
    async admit(attrs) {
      if (!isPodCreate(attrs)) return;
      const pod = attrs.object as corev1.Pod;
      // Mirror pods mirror a file on a node: their spec must stay exactly as the kubelet sent it.
      if (pod.metadata?.annotations?.[mirrorPodAnnotation] !== undefined) return;
      const spec = (pod.spec ??= { containers: [] });
      // The v1 field `serviceAccount` is the deprecated spelling of serviceAccountName; the two always agree.
      spec.serviceAccountName ||= spec.serviceAccount || defaultServiceAccountName;
      spec.serviceAccount = spec.serviceAccountName;
      const sa = (await opts.reader.get({ group: '', resource: 'serviceaccounts' }, attrs.namespace, spec.serviceAccountName)) as corev1.ServiceAccount | undefined;
      if (!sa) {
        throw newAdmissionForbidden(attrs, `error looking up service account ${attrs.namespace}/${spec.serviceAccountName}: serviceaccount "${spec.serviceAccountName}" not found`);
      }
      if (shouldAutomount(sa, pod)) mountServiceAccountToken(pod);
      if (!spec.imagePullSecrets?.length && sa.imagePullSecrets?.length) {
        spec.imagePullSecrets = sa.imagePullSecrets.map((s) => ({ name: s.name }));
      }
    },
    async validate(attrs) {
      if (!isPodCreate(attrs)) return;
      const pod = attrs.object as corev1.Pod;
      if (pod.metadata?.annotations?.[mirrorPodAnnotation] === undefined) return;
      if (pod.spec?.serviceAccountName) throw newAdmissionForbidden(attrs, 'a mirror pod may not reference service accounts');
      if (referencesSecrets(pod)) throw newAdmissionForbidden(attrs, 'a mirror pod may not reference secrets');
      if (pod.spec?.volumes?.some((v) => v.projected?.sources?.some((s) => s.serviceAccountToken))) {
        throw newAdmissionForbidden(attrs, 'a mirror pod may not use ServiceAccountToken volume projections');
      }
    },
  };
}
