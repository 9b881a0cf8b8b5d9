// The defaulters of the built-in kinds, listed in one table by group/version/kind, and applyDefaults, the
// entry point the apiserver calls on every decoded body. Kinds absent from the table have no defaults.
import type { Clock } from '../../base/clock.js';
import { isJSONObject } from '../../apimachinery/patch/json-value.js';
import { defaultAdmissionPolicy, defaultAdmissionPolicyBinding, defaultMutatingWebhookConfiguration, defaultValidatingWebhookConfiguration } from './admissionregistration-v1.js';
import { defaultCustomResourceDefinition } from './apiextensions-v1.js';
import { defaultDaemonSet, defaultDeployment, defaultReplicaSet, defaultStatefulSet } from './apps-v1.js';
import { defaultHorizontalPodAutoscalerV1, defaultHorizontalPodAutoscalerV2 } from './autoscaling.js';
import { defaultCronJob, defaultJob } from './batch-v1.js';
import {
  defaultEndpoints, defaultLimitRange, defaultNamespace, defaultNode, defaultPersistentVolume, defaultPodTemplate,
  defaultReplicationController, defaultSecret, defaultService,
} from './core-v1.js';
import { defaultEndpointSlice } from './discovery-v1.js';
import type { DefaultingContext, Defaulter, JSONObject } from './fields.js';
import { defaultFlowSchema, defaultPriorityLevelConfiguration } from './flowcontrol-v1.js';
import { defaultIngressClass, defaultNetworkPolicy } from './networking-v1.js';
import { defaultPod } from './pod.js';
import { defaultRoleBinding } from './rbac-v1.js';
import { defaultResourceClaim, defaultResourceClaimTemplate, defaultResourceSlice } from './resource-v1.js';
import { defaultPriorityClass } from './scheduling-v1.js';
import { defaultCSIDriver, defaultStorageClass, defaultVolumeAttachment } from './storage-v1.js';
import { defaultPersistentVolumeClaim } from './volumes.js';

export type { DefaultingContext, Defaulter } from './fields.js';

/** "group/version/Kind", the core group being "" (so "/v1/Pod"). */
function key(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

/**
 * Every built-in kind with upstream defaults, and its defaulter. Subresource bodies use the entry of
 * their kind (pods/status and pods/ephemeralcontainers carry a Pod). autoscaling/v1 Scale has one
 * default (replicas 0) that JSON cannot show, so it has no entry.
 */
export const builtinDefaulters: ReadonlyMap<string, Defaulter> = new Map<string, Defaulter>([
  [key('', 'v1', 'Pod'), defaultPod],
  [key('', 'v1', 'PodTemplate'), defaultPodTemplate],
  [key('', 'v1', 'ReplicationController'), defaultReplicationController],
  [key('', 'v1', 'Service'), defaultService],
  [key('', 'v1', 'Endpoints'), defaultEndpoints],
  [key('', 'v1', 'Namespace'), defaultNamespace],
  [key('', 'v1', 'Node'), defaultNode],
  [key('', 'v1', 'PersistentVolume'), defaultPersistentVolume],
  [key('', 'v1', 'PersistentVolumeClaim'), defaultPersistentVolumeClaim],
  [key('', 'v1', 'Secret'), defaultSecret],
  [key('', 'v1', 'LimitRange'), defaultLimitRange],
  [key('apps', 'v1', 'Deployment'), defaultDeployment],
  [key('apps', 'v1', 'ReplicaSet'), defaultReplicaSet],
  [key('apps', 'v1', 'StatefulSet'), defaultStatefulSet],
  [key('apps', 'v1', 'DaemonSet'), defaultDaemonSet],
  [key('batch', 'v1', 'Job'), defaultJob],
  [key('batch', 'v1', 'CronJob'), defaultCronJob],
  [key('autoscaling', 'v1', 'HorizontalPodAutoscaler'), defaultHorizontalPodAutoscalerV1],
  [key('autoscaling', 'v2', 'HorizontalPodAutoscaler'), defaultHorizontalPodAutoscalerV2],
  [key('networking.k8s.io', 'v1', 'NetworkPolicy'), defaultNetworkPolicy],
  [key('networking.k8s.io', 'v1', 'IngressClass'), defaultIngressClass],
  [key('rbac.authorization.k8s.io', 'v1', 'RoleBinding'), defaultRoleBinding],
  [key('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding'), defaultRoleBinding],
  [key('storage.k8s.io', 'v1', 'StorageClass'), defaultStorageClass],
  [key('storage.k8s.io', 'v1', 'CSIDriver'), defaultCSIDriver],
  [key('storage.k8s.io', 'v1', 'VolumeAttachment'), defaultVolumeAttachment],
  [key('scheduling.k8s.io', 'v1', 'PriorityClass'), defaultPriorityClass],
  [key('discovery.k8s.io', 'v1', 'EndpointSlice'), defaultEndpointSlice],
  [key('admissionregistration.k8s.io', 'v1', 'ValidatingWebhookConfiguration'), defaultValidatingWebhookConfiguration],
  [key('admissionregistration.k8s.io', 'v1', 'MutatingWebhookConfiguration'), defaultMutatingWebhookConfiguration],
  [key('admissionregistration.k8s.io', 'v1', 'ValidatingAdmissionPolicy'), defaultAdmissionPolicy],
  [key('admissionregistration.k8s.io', 'v1', 'ValidatingAdmissionPolicyBinding'), defaultAdmissionPolicyBinding],
  [key('admissionregistration.k8s.io', 'v1', 'MutatingAdmissionPolicy'), defaultAdmissionPolicy],
  [key('admissionregistration.k8s.io', 'v1', 'MutatingAdmissionPolicyBinding'), defaultAdmissionPolicyBinding],
  [key('flowcontrol.apiserver.k8s.io', 'v1', 'FlowSchema'), defaultFlowSchema],
  [key('flowcontrol.apiserver.k8s.io', 'v1', 'PriorityLevelConfiguration'), defaultPriorityLevelConfiguration],
  [key('resource.k8s.io', 'v1', 'ResourceClaim'), defaultResourceClaim],
  [key('resource.k8s.io', 'v1', 'ResourceClaimTemplate'), defaultResourceClaimTemplate],
  [key('resource.k8s.io', 'v1', 'ResourceSlice'), defaultResourceSlice],
  [key('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition'), defaultCustomResourceDefinition],
]);

export interface DefaultingOptions {
  /** Time source for defaults that record the time (ResourceSlice taints). Default: the wall clock. */
  clock?: Pick<Clock, 'now'>;
}

/** The defaulter of group/version/kind, or undefined when upstream defines no defaults for it. */
export function defaulterFor(group: string, version: string, kind: string): Defaulter | undefined {
  return builtinDefaulters.get(key(group, version, kind));
}

/**
 * Applies upstream's defaults for group/version/kind to `obj`, in place. `obj` must be a fresh copy the
 * caller owns (a just-decoded body or patch result), never an object shared with a cache. A "…List" kind
 * defaults each of its items as its item kind. Unknown kinds and custom resources are left untouched.
 * Idempotent: applying it twice gives the same object as applying it once.
 */
export function applyDefaults(group: string, version: string, kind: string, obj: JSONObject, options: DefaultingOptions = {}): void {
  const ctx: DefaultingContext = { now: () => (options.clock ? options.clock.now() : Date.now()) };
  const defaulter = defaulterFor(group, version, kind);
  if (defaulter) {
    defaulter(obj, ctx);
    return;
  }
  const itemDefaulter = kind.endsWith('List') ? defaulterFor(group, version, kind.slice(0, -'List'.length)) : undefined;
  if (!itemDefaulter || !Array.isArray(obj.items)) return;
  for (const item of obj.items) {
    if (isJSONObject(item)) itemDefaulter(item, ctx);
  }
}
