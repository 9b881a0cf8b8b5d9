// The registry of table printers: which printer prints which served group/version/kind. Kinds not listed
// get the default table (NAME, CREATED AT), exactly as upstream resources without a TableConvertor do.

import { eventsV1ToCore } from '../registry/events/convert.js';
import { hpaV1ToV2 } from '../registry/horizontalpodautoscalers/convert.js';
import type { APIObject } from '../registry/strategy.js';
import {
  apiServicePrinter,
  certificateSigningRequestPrinter,
  clusterRoleBindingPrinter,
  flowSchemaPrinter,
  leasePrinter,
  mutatingAdmissionPolicyBindingPrinter,
  mutatingAdmissionPolicyPrinter,
  mutatingWebhookConfigurationPrinter,
  priorityClassPrinter,
  priorityLevelConfigurationPrinter,
  roleBindingPrinter,
  runtimeClassPrinter,
  validatingAdmissionPolicyBindingPrinter,
  validatingAdmissionPolicyPrinter,
  validatingWebhookConfigurationPrinter,
} from './control-plane-printers.js';
import {
  componentStatusPrinter,
  configMapPrinter,
  endpointsPrinter,
  eventPrinter,
  namespacePrinter,
  nodePrinter,
  persistentVolumeClaimPrinter,
  persistentVolumePrinter,
  podTemplatePrinter,
  replicationControllerPrinter,
  resourceQuotaPrinter,
  secretPrinter,
  serviceAccountPrinter,
  servicePrinter,
} from './core-printers.js';
import { defaultTablePrinter } from './default-printer.js';
import {
  endpointSlicePrinter,
  ingressClassPrinter,
  ingressPrinter,
  ipAddressPrinter,
  networkPolicyPrinter,
  serviceCIDRPrinter,
} from './networking-printers.js';
import { podPrinter } from './pod-printer.js';
import { deviceClassPrinter, resourceClaimPrinter, resourceClaimTemplatePrinter, resourceSlicePrinter } from './resource-printers.js';
import {
  csiDriverPrinter,
  csiNodePrinter,
  csiStorageCapacityPrinter,
  storageClassPrinter,
  volumeAttachmentPrinter,
  volumeAttributesClassPrinter,
} from './storage-printers.js';
import type { TablePrinter } from './table.js';
import {
  controllerRevisionPrinter,
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  horizontalPodAutoscalerPrinter,
  jobPrinter,
  podDisruptionBudgetPrinter,
  replicaSetPrinter,
  scalePrinter,
  statefulSetPrinter,
} from './workload-printers.js';

/**
 * A printer for objects served in another version than the one it prints: upstream prints the internal
 * version, so events.k8s.io Events print as core Events and autoscaling/v1 HPAs as autoscaling/v2 ones.
 */
function printedAs(printer: TablePrinter, convert: (obj: APIObject) => APIObject): TablePrinter {
  return {
    columnDefinitions: printer.columnDefinitions,
    printRow: (obj, now) => printer.printRow(convert(obj), now),
    sortList: printer.sortList,
    printList: printer.printList && ((objects, now) => printer.printList!(objects.map(convert), now)),
  };
}

/** Built-in printers keyed by "group/version/Kind" (core group: "/v1/Kind"). */
const builtinPrinters: ReadonlyMap<string, TablePrinter> = new Map<string, TablePrinter>([
  ['/v1/ComponentStatus', componentStatusPrinter],
  ['/v1/ConfigMap', configMapPrinter],
  ['/v1/Endpoints', endpointsPrinter],
  ['/v1/Event', eventPrinter],
  ['/v1/Namespace', namespacePrinter],
  ['/v1/Node', nodePrinter],
  ['/v1/PersistentVolume', persistentVolumePrinter],
  ['/v1/PersistentVolumeClaim', persistentVolumeClaimPrinter],
  ['/v1/Pod', podPrinter],
  ['/v1/PodTemplate', podTemplatePrinter],
  ['/v1/ReplicationController', replicationControllerPrinter],
  ['/v1/ResourceQuota', resourceQuotaPrinter],
  ['/v1/Secret', secretPrinter],
  ['/v1/Service', servicePrinter],
  ['/v1/ServiceAccount', serviceAccountPrinter],
  ['admissionregistration.k8s.io/v1/MutatingAdmissionPolicy', mutatingAdmissionPolicyPrinter],
  ['admissionregistration.k8s.io/v1/MutatingAdmissionPolicyBinding', mutatingAdmissionPolicyBindingPrinter],
  ['admissionregistration.k8s.io/v1/MutatingWebhookConfiguration', mutatingWebhookConfigurationPrinter],
  ['admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy', validatingAdmissionPolicyPrinter],
  ['admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding', validatingAdmissionPolicyBindingPrinter],
  ['admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration', validatingWebhookConfigurationPrinter],
  ['apiregistration.k8s.io/v1/APIService', apiServicePrinter],
  ['apps/v1/ControllerRevision', controllerRevisionPrinter],
  ['apps/v1/DaemonSet', daemonSetPrinter],
  ['apps/v1/Deployment', deploymentPrinter],
  ['apps/v1/ReplicaSet', replicaSetPrinter],
  ['apps/v1/StatefulSet', statefulSetPrinter],
  ['autoscaling/v1/HorizontalPodAutoscaler', printedAs(horizontalPodAutoscalerPrinter, hpaV1ToV2)],
  ['autoscaling/v2/HorizontalPodAutoscaler', horizontalPodAutoscalerPrinter],
  // the scale subresource of deployments, replica sets, stateful sets and replication controllers
  ['autoscaling/v1/Scale', scalePrinter],
  ['batch/v1/CronJob', cronJobPrinter],
  ['batch/v1/Job', jobPrinter],
  ['certificates.k8s.io/v1/CertificateSigningRequest', certificateSigningRequestPrinter],
  ['coordination.k8s.io/v1/Lease', leasePrinter],
  ['discovery.k8s.io/v1/EndpointSlice', endpointSlicePrinter],
  ['events.k8s.io/v1/Event', printedAs(eventPrinter, eventsV1ToCore)],
  ['flowcontrol.apiserver.k8s.io/v1/FlowSchema', flowSchemaPrinter],
  ['flowcontrol.apiserver.k8s.io/v1/PriorityLevelConfiguration', priorityLevelConfigurationPrinter],
  ['networking.k8s.io/v1/IPAddress', ipAddressPrinter],
  ['networking.k8s.io/v1/Ingress', ingressPrinter],
  ['networking.k8s.io/v1/IngressClass', ingressClassPrinter],
  ['networking.k8s.io/v1/NetworkPolicy', networkPolicyPrinter],
  ['networking.k8s.io/v1/ServiceCIDR', serviceCIDRPrinter],
  ['node.k8s.io/v1/RuntimeClass', runtimeClassPrinter],
  ['policy/v1/PodDisruptionBudget', podDisruptionBudgetPrinter],
  ['rbac.authorization.k8s.io/v1/ClusterRoleBinding', clusterRoleBindingPrinter],
  ['rbac.authorization.k8s.io/v1/RoleBinding', roleBindingPrinter],
  ['resource.k8s.io/v1/DeviceClass', deviceClassPrinter],
  ['resource.k8s.io/v1/ResourceClaim', resourceClaimPrinter],
  ['resource.k8s.io/v1/ResourceClaimTemplate', resourceClaimTemplatePrinter],
  ['resource.k8s.io/v1/ResourceSlice', resourceSlicePrinter],
  ['scheduling.k8s.io/v1/PriorityClass', priorityClassPrinter],
  ['storage.k8s.io/v1/CSIDriver', csiDriverPrinter],
  ['storage.k8s.io/v1/CSINode', csiNodePrinter],
  ['storage.k8s.io/v1/CSIStorageCapacity', csiStorageCapacityPrinter],
  ['storage.k8s.io/v1/StorageClass', storageClassPrinter],
  ['storage.k8s.io/v1/VolumeAttachment', volumeAttachmentPrinter],
  ['storage.k8s.io/v1/VolumeAttributesClass', volumeAttributesClassPrinter],
]);

/** The keys of the built-in printers, for tests and docs. */
export function builtinPrinterKinds(): string[] {
  return [...builtinPrinters.keys()];
}

/**
 * The printer of a built-in served resource (or of a subresource's kind, e.g. autoscaling/v1 Scale; a
 * `status` subresource prints with its parent's kind): its own printer, or the default NAME / CREATED AT
 * table. Custom resources use customResourcePrinter(additionalPrinterColumns) instead.
 */
export function printerFor(resource: { group: string; version: string; kind: string }): TablePrinter {
  return builtinPrinters.get(`${resource.group}/${resource.version}/${resource.kind}`) ?? defaultTablePrinter;
}
