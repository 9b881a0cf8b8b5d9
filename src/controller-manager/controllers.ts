// The controller registry: every controller kube-controller-manager knows, by upstream's canonical name and
// aliases, and — for those k8ts implements — how to build it and which informers it needs. Adding a
// controller = one folder under controllers/ + one entry in `controllerDescriptors`.
import type { GroupVersionResource } from '../client/rest/interface.js';
import type { Controller, ControllerContext } from './controller-context.js';
import { resources } from './controller-context.js';
import { newDeploymentController } from './controllers/deployment/deployment-controller.js';
import { customResourceDefinitionsResource, newGarbageCollector } from './controllers/garbagecollector/garbage-collector.js';
import { namespacesResource, newNamespaceController } from './controllers/namespace/namespace-controller.js';
import { newReplicaSetController, newReplicationManager } from './controllers/replicaset/replica-set-controller.js';
import { daemonSetsResource, newDaemonSetController, nodesResource as daemonSetNodesResource } from './controllers/daemonset/daemonset-controller.js';
import { newStatefulSetController, persistentVolumeClaimsResource, statefulSetsResource } from './controllers/statefulset/statefulset-controller.js';
import { controllerRevisionsResource } from './controller-history.js';
import { newTTLAfterFinishedController } from './controllers/ttlafterfinished/ttl-after-finished-controller.js';
import { hpaResource, newHorizontalController } from './controllers/podautoscaler/horizontal-controller.js';
import { cronJobsResource, newCronJobController } from './controllers/cronjob/cronjob-controller.js';
import { jobsResource, newJobController } from './controllers/job/job-controller.js';
import { configMapsResource, newRootCACertPublisher } from './controllers/rootcacertpublisher/publisher.js';
import { namespacesResource as saNamespacesResource, newServiceAccountsController, serviceAccountsResource } from './controllers/serviceaccount/serviceaccounts-controller.js';
import { newTokensController } from './controllers/serviceaccounttoken/tokens-controller.js';
import { endpointsResource, newEndpointsController, servicesResource } from './controllers/endpoints/endpoints-controller.js';
import { newEndpointSliceController, nodesResource as sliceNodesResource } from './controllers/endpointslice/endpointslice-controller.js';
import { newPodGCController } from './controllers/podgc/gc-controller.js';
import { newEndpointSliceMirroringController } from './controllers/endpointslicemirroring/mirroring-controller.js';
import {
  newPVCProtectionController,
  persistentVolumeClaimsResource as pvcProtectionClaimsResource,
  podsResource as pvcProtectionPodsResource,
} from './controllers/volumeprotection/pvc-protection-controller.js';
import { newPVProtectionController, persistentVolumesResource } from './controllers/volumeprotection/pv-protection-controller.js';
import {
  claimsResource as pvBinderClaimsResource,
  newPersistentVolumeController,
  nodesResource as pvBinderNodesResource,
  podsResource as pvBinderPodsResource,
  storageClassesResource,
  volumesResource as pvBinderVolumesResource,
} from './controllers/persistentvolume/pv-controller.js';
import { newEphemeralVolumeController } from './controllers/ephemeral/ephemeral-controller.js';
import { newNodeLifecycleController, nodesResource, podsResource as nodePodsResource } from './controllers/nodelifecycle/node-lifecycle-controller.js';
import { newTaintEvictionController } from './controllers/nodelifecycle/taint-eviction-controller.js';
import { newNodeIPAMController } from './controllers/nodeipam/node-ipam-controller.js';
import { newCSRApprovingController } from './controllers/certificates/approving-controller.js';
import { newCSRCleanerController } from './controllers/certificates/cleaner-controller.js';
import { csrsResource } from './controllers/certificates/csr.js';
import { newCSRSigningController } from './controllers/certificates/signing-controller.js';
import { configMapsResource as bootstrapConfigMapsResource, newBootstrapSigner, secretsResource as bootstrapSecretsResource } from './controllers/bootstrap/bootstrap-signer.js';
import { newTokenCleaner } from './controllers/bootstrap/token-cleaner.js';
import { newResourceQuotaController, replenishedResources, resourceQuotasResource } from './controllers/resourcequota/resource-quota-controller.js';
import { disruptionResources, newDisruptionController, pdbsResource } from './controllers/disruption/disruption-controller.js';
import {
  newValidatingAdmissionPolicyStatusController,
  validatingAdmissionPoliciesResource,
} from './controllers/validatingadmissionpolicystatus/status-controller.js';

/** A controller k8ts can run. */
export interface ControllerDescriptor {
  /** upstream's canonical name (cmd/kube-controller-manager/names), e.g. `deployment-controller`. */
  name: string;
  /** Older names `--controllers` still accepts, e.g. `deployment`. */
  aliases: string[];
  /**
   * The name of its API client and, with --use-service-account-credentials, of its service account in
   * kube-system (upstream's ClientOrDie name, e.g. `replication-controller`; the RBAC bootstrap policy binds
   * system:controller:<clientName> to it). Default: `name`.
   */
  clientName?: string;
  /**
   * Uses the manager's own credentials even with --use-service-account-credentials (upstream's
   * rootClientBuilder: the service account token controller, which service-account credentials depend on).
   */
  useRootClient?: boolean;
  /** Only runs when named explicitly in --controllers (upstream: bootstrap-signer, token-cleaner). */
  disabledByDefault?: boolean;
  /** The shared informers it reads; the manager starts them before the controller and waits for sync. */
  requiredInformers: GroupVersionResource[];
  /** The key of ControllerManagerOptions.concurrency that sizes its workers (default 1 worker). */
  concurrencyKey?: string;
  /** Builds the controller; event handlers are registered here, work starts in `run`. */
  construct(ctx: ControllerContext): Controller;
}

/** The controllers k8ts implements, in start order. */
export const controllerDescriptors: ControllerDescriptor[] = [
  {
    name: 'replicationcontroller-controller',
    aliases: ['replicationcontroller'],
    clientName: 'replication-controller',
    requiredInformers: [resources.replicationControllers, resources.pods],
    concurrencyKey: 'replicationcontroller',
    construct: newReplicationManager,
  },
  {
    name: 'replicaset-controller',
    aliases: ['replicaset'],
    requiredInformers: [resources.replicaSets, resources.pods],
    concurrencyKey: 'replicaset',
    construct: newReplicaSetController,
  },
  {
    name: 'deployment-controller',
    aliases: ['deployment'],
    requiredInformers: [resources.deployments, resources.replicaSets, resources.pods],
    concurrencyKey: 'deployment',
    construct: newDeploymentController,
  },
  {
    name: 'namespace-controller',
    aliases: ['namespace'],
    requiredInformers: [namespacesResource],
    concurrencyKey: 'namespace',
    construct: newNamespaceController,
  },
  {
    // Its graph comes from its own metadata-only monitors; the CRD informer only triggers re-discovery.
    name: 'garbage-collector-controller',
    aliases: ['garbagecollector'],
    clientName: 'generic-garbage-collector',
    requiredInformers: [customResourceDefinitionsResource],
    concurrencyKey: 'garbage-collector',
    construct: newGarbageCollector,
  },
  {
    name: 'job-controller',
    aliases: ['job'],
    requiredInformers: [jobsResource, resources.pods],
    concurrencyKey: 'job',
    construct: newJobController,
  },
  {
    name: 'serviceaccount-controller',
    aliases: ['serviceaccount'],
    clientName: 'service-account-controller',
    requiredInformers: [saNamespacesResource, serviceAccountsResource],
    construct: newServiceAccountsController,
  },
  {
    name: 'root-ca-certificate-publisher-controller',
    aliases: ['root-ca-cert-publisher'],
    clientName: 'root-ca-cert-publisher',
    requiredInformers: [saNamespacesResource, configMapsResource],
    construct: newRootCACertPublisher,
  },
  {
    // Its secrets informer is its own (field selector type=kubernetes.io/service-account-token).
    name: 'serviceaccount-token-controller',
    aliases: ['serviceaccount-token'],
    clientName: 'tokens-controller',
    useRootClient: true,
    requiredInformers: [serviceAccountsResource],
    concurrencyKey: 'serviceaccount-token',
    construct: newTokensController,
  },
  {
    name: 'endpoints-controller',
    aliases: ['endpoint'],
    clientName: 'endpoint-controller',
    requiredInformers: [resources.pods, servicesResource, endpointsResource],
    concurrencyKey: 'endpoints',
    construct: newEndpointsController,
  },
  {
    // Its EndpointSlice informer is its own (label selector on managed-by).
    name: 'endpointslice-controller',
    aliases: ['endpointslice'],
    clientName: 'endpointslice-controller',
    requiredInformers: [resources.pods, servicesResource, sliceNodesResource],
    concurrencyKey: 'endpointslice',
    construct: newEndpointSliceController,
  },
  {
    // Its EndpointSlice informer is its own (label selector on managed-by).
    name: 'endpointslice-mirroring-controller',
    aliases: ['endpointslicemirroring'],
    clientName: 'endpointslicemirroring-controller',
    requiredInformers: [servicesResource, endpointsResource],
    concurrencyKey: 'endpointslice-mirroring',
    construct: newEndpointSliceMirroringController,
  },
  {
    name: 'pod-garbage-collector-controller',
    aliases: ['podgc'],
    clientName: 'pod-garbage-collector',
    requiredInformers: [resources.pods, sliceNodesResource],
    construct: newPodGCController,
  },
  {
    name: 'cronjob-controller',
    aliases: ['cronjob'],
    requiredInformers: [cronJobsResource, jobsResource],
    concurrencyKey: 'cronjob',
    construct: newCronJobController,
  },
  {
    name: 'ttl-after-finished-controller',
    aliases: ['ttl-after-finished'],
    requiredInformers: [jobsResource],
    concurrencyKey: 'ttl-after-finished',
    construct: newTTLAfterFinishedController,
  },
  {
    name: 'statefulset-controller',
    aliases: ['statefulset'],
    requiredInformers: [statefulSetsResource, resources.pods, persistentVolumeClaimsResource, controllerRevisionsResource],
    concurrencyKey: 'statefulset',
    construct: newStatefulSetController,
  },
  {
    // Its kube-node-lease Lease informer is its own (namespace-scoped).
    name: 'node-lifecycle-controller',
    aliases: ['nodelifecycle'],
    clientName: 'node-controller',
    requiredInformers: [nodesResource, nodePodsResource],
    construct: newNodeLifecycleController,
  },
  {
    // upstream's own client name has no bootstrap RBAC role in k8ts; node-controller's role covers it.
    name: 'taint-eviction-controller',
    aliases: [],
    clientName: 'node-controller',
    requiredInformers: [nodesResource, nodePodsResource],
    construct: newTaintEvictionController,
  },
  {
    name: 'node-ipam-controller',
    aliases: ['nodeipam'],
    clientName: 'node-controller',
    requiredInformers: [nodesResource],
    construct: newNodeIPAMController,
  },
  {
    name: 'daemonset-controller',
    aliases: ['daemonset'],
    clientName: 'daemon-set-controller',
    requiredInformers: [daemonSetsResource, resources.pods, daemonSetNodesResource, controllerRevisionsResource],
    concurrencyKey: 'daemonset',
    construct: newDaemonSetController,
  },
  {
    name: 'certificatesigningrequest-signing-controller',
    aliases: ['csrsigning'],
    clientName: 'certificate-controller',
    requiredInformers: [csrsResource],
    construct: newCSRSigningController,
  },
  {
    name: 'certificatesigningrequest-approving-controller',
    aliases: ['csrapproving'],
    clientName: 'certificate-controller',
    requiredInformers: [csrsResource],
    construct: newCSRApprovingController,
  },
  {
    name: 'certificatesigningrequest-cleaner-controller',
    aliases: ['csrcleaner'],
    clientName: 'certificate-controller',
    requiredInformers: [csrsResource],
    construct: newCSRCleanerController,
  },
  {
    // It reads through its own scoped informers (kube-public ConfigMaps, kube-system token Secrets); the
    // declared ones are what it reads, unscoped.
    name: 'bootstrap-signer-controller',
    aliases: ['bootstrapsigner'],
    clientName: 'bootstrap-signer',
    disabledByDefault: true,
    requiredInformers: [bootstrapConfigMapsResource, bootstrapSecretsResource],
    construct: newBootstrapSigner,
  },
  {
    name: 'token-cleaner-controller',
    aliases: ['tokencleaner'],
    clientName: 'token-cleaner',
    disabledByDefault: true,
    requiredInformers: [bootstrapSecretsResource],
    construct: newTokenCleaner,
  },
  {
    name: 'resourcequota-controller',
    aliases: ['resourcequota'],
    requiredInformers: [resourceQuotasResource, ...replenishedResources],
    concurrencyKey: 'resourcequota',
    construct: newResourceQuotaController,
  },
  {
    name: 'horizontal-pod-autoscaler-controller',
    aliases: ['horizontalpodautoscaling'],
    clientName: 'horizontal-pod-autoscaler',
    requiredInformers: [hpaResource, resources.pods],
    concurrencyKey: 'horizontalpodautoscaling',
    construct: newHorizontalController,
  },
  {
    name: 'validatingadmissionpolicy-status-controller',
    aliases: [],
    requiredInformers: [validatingAdmissionPoliciesResource],
    concurrencyKey: 'validatingadmissionpolicy-status',
    construct: newValidatingAdmissionPolicyStatusController,
  },
  {
    name: 'disruption-controller',
    aliases: ['disruption'],
    requiredInformers: [pdbsResource, ...Object.values(disruptionResources)],
    concurrencyKey: 'disruption',
    construct: newDisruptionController,
  },
  {
    name: 'persistentvolumeclaim-protection-controller',
    aliases: ['pvc-protection'],
    clientName: 'pvc-protection-controller',
    requiredInformers: [pvcProtectionClaimsResource, pvcProtectionPodsResource],
    construct: newPVCProtectionController,
  },
  {
    name: 'persistentvolume-protection-controller',
    aliases: ['pv-protection'],
    clientName: 'pv-protection-controller',
    requiredInformers: [persistentVolumesResource],
    construct: newPVProtectionController,
  },
  {
    name: 'persistentvolume-binder-controller',
    aliases: ['persistentvolume-binder'],
    clientName: 'persistent-volume-binder',
    requiredInformers: [pvBinderClaimsResource, pvBinderVolumesResource, storageClassesResource, pvBinderNodesResource, pvBinderPodsResource],
    construct: newPersistentVolumeController,
  },
  {
    name: 'ephemeral-volume-controller',
    aliases: ['ephemeral-volume'],
    clientName: 'ephemeral-volume-controller',
    requiredInformers: [pvBinderPodsResource, pvBinderClaimsResource],
    concurrencyKey: 'ephemeral-volume',
    construct: newEphemeralVolumeController,
  },
];

/**
 * Every controller name upstream's kube-controller-manager knows (canonical name → aliases), so that
 * command lines naming controllers k8ts does not implement yet are accepted (with a warning).
 */
export const knownControllers: Record<string, { aliases: string[]; disabledByDefault?: boolean }> = {
  'serviceaccount-token-controller': { aliases: ['serviceaccount-token'] },
  'endpoints-controller': { aliases: ['endpoint'] },
  'endpointslice-controller': { aliases: ['endpointslice'] },
  'endpointslice-mirroring-controller': { aliases: ['endpointslicemirroring'] },
  'replicationcontroller-controller': { aliases: ['replicationcontroller'] },
  'pod-garbage-collector-controller': { aliases: ['podgc'] },
  'resourcequota-controller': { aliases: ['resourcequota'] },
  'namespace-controller': { aliases: ['namespace'] },
  'serviceaccount-controller': { aliases: ['serviceaccount'] },
  'garbage-collector-controller': { aliases: ['garbagecollector'] },
  'daemonset-controller': { aliases: ['daemonset'] },
  'job-controller': { aliases: ['job'] },
  'deployment-controller': { aliases: ['deployment'] },
  'replicaset-controller': { aliases: ['replicaset'] },
  'disruption-controller': { aliases: ['disruption'] },
  'statefulset-controller': { aliases: ['statefulset'] },
  'cronjob-controller': { aliases: ['cronjob'] },
  'certificatesigningrequest-signing-controller': { aliases: ['csrsigning'] },
  'certificatesigningrequest-approving-controller': { aliases: ['csrapproving'] },
  'certificatesigningrequest-cleaner-controller': { aliases: ['csrcleaner'] },
  'ttl-controller': { aliases: ['ttl'] },
  'bootstrap-signer-controller': { aliases: ['bootstrapsigner'], disabledByDefault: true },
  'token-cleaner-controller': { aliases: ['tokencleaner'], disabledByDefault: true },
  'node-ipam-controller': { aliases: ['nodeipam'] },
  'node-lifecycle-controller': { aliases: ['nodelifecycle'] },
  'taint-eviction-controller': { aliases: [] },
  'persistentvolume-binder-controller': { aliases: ['persistentvolume-binder'] },
  'persistentvolume-attach-detach-controller': { aliases: ['attachdetach'] },
  'persistentvolume-expander-controller': { aliases: ['persistentvolume-expander'] },
  'clusterrole-aggregation-controller': { aliases: ['clusterrole-aggregation'] },
  'persistentvolumeclaim-protection-controller': { aliases: ['pvc-protection'] },
  'persistentvolume-protection-controller': { aliases: ['pv-protection'] },
  'ttl-after-finished-controller': { aliases: ['ttl-after-finished'] },
  'root-ca-certificate-publisher-controller': { aliases: ['root-ca-cert-publisher'] },
  'ephemeral-volume-controller': { aliases: ['ephemeral-volume'] },
  'storageversion-garbage-collector-controller': { aliases: ['storage-version-gc'] },
  'resourceclaim-controller': { aliases: ['resource-claim-controller'] },
  'legacy-serviceaccount-token-cleaner-controller': { aliases: ['legacy-service-account-token-cleaner'] },
  'validatingadmissionpolicy-status-controller': { aliases: [] },
  'service-cidr-controller': { aliases: [] },
};

/** The canonical name for a name or alias, or undefined when upstream has no such controller. */
export function canonicalControllerName(name: string): string | undefined {
  if (knownControllers[name] || controllerDescriptors.some((d) => d.name === name)) return name;
  for (const d of controllerDescriptors) if (d.aliases.includes(name)) return d.name;
  for (const [canonical, known] of Object.entries(knownControllers)) if (known.aliases.includes(name)) return canonical;
  return undefined;
}

/**
 * Checks a --controllers list: each entry is `*`, a known name or alias, or `-` + one. Returns upstream's
 * error for the first unknown one.
 */
export function validateControllersFlag(controllers: readonly string[]): string[] {
  const problems: string[] = [];
  for (const entry of controllers) {
    if (entry === '*') continue;
    const name = entry.startsWith('-') ? entry.slice(1) : entry;
    if (canonicalControllerName(name) === undefined) problems.push(`${JSON.stringify(name)} is not in the list of known controllers`);
  }
  return problems;
}

/**
 * upstream IsControllerEnabled: an explicit name enables, `-name` disables (the first mention wins), and `*`
 * enables everything not disabled by default. Entries may use aliases.
 */
export function isControllerEnabled(name: string, controllers: readonly string[], disabledByDefault = false): boolean {
  let star = false;
  for (const entry of controllers) {
    if (entry === '*') {
      star = true;
      continue;
    }
    const negated = entry.startsWith('-');
    const canonical = canonicalControllerName(negated ? entry.slice(1) : entry);
    if (canonical === name) return !negated;
  }
  return star && !disabledByDefault;
}

/** The descriptors to run for a --controllers value, in registry order. */
export function enabledControllers(controllers: readonly string[]): ControllerDescriptor[] {
  return controllerDescriptors.filter((d) => isControllerEnabled(d.name, controllers, d.disabledByDefault));
}

/** Controllers named explicitly in --controllers that k8ts does not implement yet (for a warning). */
export function unimplementedControllers(controllers: readonly string[]): string[] {
  const out: string[] = [];
  for (const entry of controllers) {
    if (entry === '*' || entry.startsWith('-')) continue;
    const canonical = canonicalControllerName(entry);
    if (canonical && !controllerDescriptors.some((d) => d.name === canonical)) out.push(canonical);
  }
  return out;
}
