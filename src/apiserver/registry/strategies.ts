// Every resource's strategy, in one explicit list (upstream: each pkg/registry/<group>/<resource>).
// Resources not listed get the generic behaviour. Stateful strategies (Services: IP and port allocation)
// are built from the dependencies passed in.

import { invalid, type FieldError } from '../../apimachinery/field-error.js';
import { customResourceDefinitionStrategy } from '../crd/crd-strategy.js';
import { apiServiceStrategy } from '../aggregator/apiservice-strategy.js';
import { validatingAdmissionPolicyStrategy } from '../admission/policy/policy-validation.js';
import { newCertificateSigningRequestStrategy } from './certificatesigningrequests/strategy.js';
import { configMapStrategy } from './configmaps/strategy.js';
import { eventStrategy, eventsV1Strategy } from './events/strategy.js';
import { hpaStrategy } from './horizontalpodautoscalers/strategy.js';
import { ingressStrategy } from './ingresses/strategy.js';
import { newNamespaceStrategy } from './namespaces/strategy.js';
import { nodeStrategy } from './nodes/strategy.js';
import { persistentVolumeStrategy } from './persistentvolumes/validation.js';
import { persistentVolumeClaimStrategy } from './persistentvolumeclaims/strategy.js';
import { networkPolicyStrategy } from './networkpolicies/validation.js';
import { podDisruptionBudgetStrategy } from './poddisruptionbudgets/strategy.js';
import { priorityClassStrategy } from './priorityclasses/validation.js';
import { clusterRoleBindingStrategy, clusterRoleStrategy, roleBindingStrategy, roleStrategy } from './rbac/validation.js';
import { storageClassStrategy } from './storageclasses/validation.js';
import { podStrategy } from './pods/strategy.js';
import { withPodUpdateSubresources } from './pods/update-subresources.js';
import { podTemplateStrategy } from './pods/validation-podtemplate.js';
import { secretStrategy } from './secrets/strategy.js';
import type { ServiceAllocation } from './services/allocation.js';
import { newServiceStrategy } from './services/strategy.js';
import { statusStrategy } from './spec-status.js';
import { withBuiltinValidation } from './validation.js';
import type { APIObject, ResourceStrategy } from './strategy.js';
import {
  cronJobStrategy,
  daemonSetStrategy,
  deploymentStrategy,
  jobStrategy,
  replicaSetStrategy,
  replicationControllerStrategy,
  statefulSetStrategy,
} from './workloads/strategy.js';

export interface StrategyDependencies {
  /** ClusterIP/NodePort allocation; without it Service creates that need an IP fail with 500. */
  serviceAllocation?: ServiceAllocation;
  /** Wall clock for timestamps strategies set (namespace deletion). */
  now?: () => Date;
}

/** Kinds with a spec whose changes do not bump metadata.generation upstream. */
const noGeneration: ResourceStrategy = { hasGeneration: false };

/** Leases (leader election, node heartbeats): no generation; durations, when set, are positive. */
const leaseStrategy: ResourceStrategy = {
  hasGeneration: false,
  validate: (obj) => validateLease(obj),
  validateUpdate: (obj) => validateLease(obj),
};

function validateLease(obj: APIObject): FieldError[] {
  const d = (obj.spec as { leaseDurationSeconds?: number } | undefined)?.leaseDurationSeconds;
  return d !== undefined && d <= 0 ? [invalid('spec.leaseDurationSeconds', d, 'must be greater than 0')] : [];
}

/** The CRD's first status: names not yet accepted, the storage version recorded. */
/** Stateless strategies by `group/resource`. */
const staticStrategies: Record<string, ResourceStrategy> = {
  '/pods': withPodUpdateSubresources(podStrategy),
  '/podtemplates': podTemplateStrategy,
  '/nodes': nodeStrategy,
  '/events': eventStrategy,
  '/secrets': secretStrategy,
  '/configmaps': configMapStrategy,
  '/replicationcontrollers': replicationControllerStrategy,
  '/persistentvolumes': persistentVolumeStrategy,
  '/persistentvolumeclaims': persistentVolumeClaimStrategy,
  '/resourcequotas': statusStrategy({ hasGeneration: false, initialStatus: () => ({}) }),
  '/limitranges': noGeneration,
  'apps/deployments': deploymentStrategy,
  'apps/replicasets': replicaSetStrategy,
  'apps/statefulsets': statefulSetStrategy,
  'apps/daemonsets': daemonSetStrategy,
  'batch/jobs': jobStrategy,
  'batch/cronjobs': cronJobStrategy,
  'autoscaling/horizontalpodautoscalers': hpaStrategy,
  'policy/poddisruptionbudgets': podDisruptionBudgetStrategy,
  'networking.k8s.io/ingresses': ingressStrategy,
  'networking.k8s.io/networkpolicies': networkPolicyStrategy,
  'networking.k8s.io/ingressclasses': { hasGeneration: true },
  'networking.k8s.io/ipaddresses': noGeneration,
  'networking.k8s.io/servicecidrs': statusStrategy({ hasGeneration: false }),
  'apiextensions.k8s.io/customresourcedefinitions': customResourceDefinitionStrategy,
  'apiregistration.k8s.io/apiservices': apiServiceStrategy,
  'coordination.k8s.io/leases': leaseStrategy,
  'events.k8s.io/events': eventsV1Strategy,
  'storage.k8s.io/volumeattachments': statusStrategy({ hasGeneration: false, initialStatus: () => ({ attached: false }) }),
  'storage.k8s.io/csidrivers': noGeneration,
  'storage.k8s.io/storageclasses': storageClassStrategy,
  'scheduling.k8s.io/priorityclasses': priorityClassStrategy,
  'rbac.authorization.k8s.io/roles': roleStrategy,
  'rbac.authorization.k8s.io/clusterroles': clusterRoleStrategy,
  'rbac.authorization.k8s.io/rolebindings': roleBindingStrategy,
  'rbac.authorization.k8s.io/clusterrolebindings': clusterRoleBindingStrategy,
  'admissionregistration.k8s.io/validatingwebhookconfigurations': { hasGeneration: true },
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': { hasGeneration: true },
  'admissionregistration.k8s.io/validatingadmissionpolicies': validatingAdmissionPolicyStrategy,
  'flowcontrol.apiserver.k8s.io/flowschemas': statusStrategy({ hasGeneration: true, initialStatus: () => ({}) }),
  'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations': statusStrategy({ hasGeneration: true, initialStatus: () => ({}) }),
};

/**
 * The strategy of `group/resource` (group '' for core), or undefined for the generic behaviour. Pass the
 * same `deps` for every call of one apiserver: the namespace and service strategies are built per call.
 */
export function strategyFor(group: string, resource: string, deps: StrategyDependencies = {}): ResourceStrategy | undefined {
  const own = kindStrategyFor(group, resource, deps);
  // CustomResourceDefinitions keep their own structural-schema validation (crd/).
  return group === 'apiextensions.k8s.io' ? own : withBuiltinValidation(own);
}

/** The kind's own strategy, without the schema-driven checks strategyFor adds (benchmarks compare the two). */
export function kindStrategyFor(group: string, resource: string, deps: StrategyDependencies = {}): ResourceStrategy | undefined {
  const key = `${group}/${resource}`;
  if (key === '/services') return newServiceStrategy({ allocation: deps.serviceAllocation });
  if (key === '/namespaces') return newNamespaceStrategy({ now: deps.now });
  if (key === 'certificates.k8s.io/certificatesigningrequests') return newCertificateSigningRequestStrategy({ now: deps.now && (() => (deps.now as () => Date)().getTime()) });
  return staticStrategies[key];
}
