// Defaulters of the core/v1 kinds (upstream pkg/apis/core/v1/defaults.go and the `+default` markers of
// k8s.io/api/core/v1). ConfigMap's only default (an empty data map) and ResourceQuota's (rounding
// quantities to milli-units) change nothing a client sees in JSON, so they have no entry.
import { deepCopy } from '../../apimachinery/patch/json-value.js';
import { defaultNil, defaultZero, ensureObject, isEmpty, objectAt, objectField, objectItems, type JSONObject } from './fields.js';
import { defaultPodTemplateSpec } from './pod.js';
import { defaultPersistentVolumeSource } from './volumes.js';

/** Upstream DefaultClientIPServiceAffinitySeconds: three hours. */
export const defaultClientIPAffinitySeconds = 10800;

/** Label every named namespace carries, set to its name (upstream LabelMetadataName). */
export const namespaceNameLabel = 'kubernetes.io/metadata.name';

export function defaultPodTemplate(obj: JSONObject): void {
  defaultPodTemplateSpec(objectField(obj, 'template'));
}

/**
 * Upstream SetDefaults_ReplicationController: a selector and labels taken from the template's labels when
 * absent, one replica, and the template's PodSpec defaults.
 */
export function defaultReplicationController(obj: JSONObject): void {
  const spec = ensureObject(obj, 'spec');
  const templateLabels = objectAt(spec, 'template', 'metadata', 'labels');
  if (templateLabels) {
    if (isEmpty(spec.selector)) spec.selector = deepCopy(templateLabels);
    const metadata = ensureObject(obj, 'metadata');
    if (isEmpty(metadata.labels)) metadata.labels = deepCopy(templateLabels);
  }
  defaultNil(spec, 'replicas', 1);
  defaultPodTemplateSpec(objectField(spec, 'template'));
}

/** NodePort and LoadBalancer Services, and ClusterIP Services with external IPs (upstream ExternallyAccessible). */
function externallyAccessible(spec: JSONObject): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && !isEmpty(spec.externalIPs));
}

/**
 * Upstream SetDefaults_Service. ipFamilyPolicy, ipFamilies and clusterIPs are not defaults: the Service
 * REST fills them from the cluster's configuration while allocating.
 */
export function defaultService(obj: JSONObject): void {
  const spec = ensureObject(obj, 'spec');
  defaultZero(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const timeout = objectAt(spec, 'sessionAffinityConfig', 'clientIP')?.timeoutSeconds;
    if (timeout === undefined || timeout === null) {
      spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: defaultClientIPAffinitySeconds } };
    }
  }
  defaultZero(spec, 'type', 'ClusterIP');
  for (const port of objectItems(spec, 'ports')) {
    defaultZero(port, 'protocol', 'TCP');
    if (typeof port.port === 'number') defaultZero(port, 'targetPort', port.port);
  }
  if (externallyAccessible(spec)) defaultZero(spec, 'externalTrafficPolicy', 'Cluster');
  if (spec.type === 'ClusterIP' || spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    defaultNil(spec, 'internalTrafficPolicy', 'Cluster');
  }
  if (spec.type === 'LoadBalancer') {
    defaultNil(spec, 'allocateLoadBalancerNodePorts', true);
    for (const ingress of objectItems(objectAt(obj, 'status', 'loadBalancer'), 'ingress')) {
      if (typeof ingress.ip === 'string' && ingress.ip !== '') defaultNil(ingress, 'ipMode', 'VIP');
    }
  }
}

export function defaultEndpoints(obj: JSONObject): void {
  for (const subset of objectItems(obj, 'subsets')) {
    for (const port of objectItems(subset, 'ports')) defaultZero(port, 'protocol', 'TCP');
  }
}

/** Upstream SetDefaults_Namespace and _NamespaceStatus: the metadata.name label (not for generateName alone) and phase Active. */
export function defaultNamespace(obj: JSONObject): void {
  const metadata = ensureObject(obj, 'metadata');
  if (typeof metadata.name === 'string' && metadata.name !== '') {
    ensureObject(metadata, 'labels')[namespaceNameLabel] = metadata.name;
  }
  defaultZero(ensureObject(obj, 'status'), 'phase', 'Active');
}

/** Upstream SetDefaults_NodeStatus: allocatable is the capacity when a node reports none. */
export function defaultNode(obj: JSONObject): void {
  const status = objectField(obj, 'status');
  const capacity = objectField(status, 'capacity');
  if (status && capacity && (status.allocatable === undefined || status.allocatable === null)) {
    status.allocatable = deepCopy(capacity);
  }
}

export function defaultPersistentVolume(obj: JSONObject): void {
  defaultZero(ensureObject(obj, 'status'), 'phase', 'Pending');
  const spec = ensureObject(obj, 'spec');
  defaultZero(spec, 'persistentVolumeReclaimPolicy', 'Retain');
  defaultNil(spec, 'volumeMode', 'Filesystem');
  defaultPersistentVolumeSource(spec);
}

export function defaultSecret(obj: JSONObject): void {
  defaultZero(obj, 'type', 'Opaque');
}

/** Adds to `target` the entries of `source` it lacks; returns the (possibly new) map, or undefined if empty. */
function fillMissing(target: JSONObject | undefined, source: JSONObject | undefined): JSONObject | undefined {
  const merged: JSONObject = target ?? {};
  for (const [name, quantity] of Object.entries(source ?? {})) {
    if (merged[name] === undefined) merged[name] = quantity;
  }
  return isEmpty(merged) ? target : merged;
}

/**
 * Upstream SetDefaults_LimitRangeItem, for Container items: default limits from max, then default
 * requests from the default limits and finally from min.
 */
export function defaultLimitRange(obj: JSONObject): void {
  for (const item of objectItems(objectField(obj, 'spec'), 'limits')) {
    if (item.type !== 'Container') continue;
    const defaults = fillMissing(objectField(item, 'default'), objectField(item, 'max'));
    if (defaults) item.default = defaults;
    const defaultRequests = fillMissing(fillMissing(objectField(item, 'defaultRequest'), defaults), objectField(item, 'min'));
    if (defaultRequests) item.defaultRequest = defaultRequests;
  }
}
