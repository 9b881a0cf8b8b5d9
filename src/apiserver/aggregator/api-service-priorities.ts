// The group and version priorities of the APIServices this apiserver registers for its own APIs (upstream
// kube-apiserver's apiVersionPriorities table): they order /apis and the versions inside each group.

import type { APIService } from '../../api/generated/apiregistration/v1.js';

export interface APIServicePriority {
  /** spec.groupPriorityMinimum: higher groups come first in /apis. */
  group: number;
  /** spec.versionPriority: higher versions come first inside their group. */
  version: number;
}

/**
 * Upstream's table, "group/version" (core: "/v1") → priorities. Group-versions missing here get no APIService,
 * as upstream skips them. CustomResourceDefinitions use crdPriority instead.
 */
const priorities: Readonly<Record<string, APIServicePriority>> = {
  '/v1': { group: 18000, version: 1 },
  'apiregistration.k8s.io/v1': { group: 18000, version: 15 },
  'apps/v1': { group: 17800, version: 15 },
  'events.k8s.io/v1': { group: 17750, version: 15 },
  'events.k8s.io/v1beta1': { group: 17750, version: 5 },
  'authentication.k8s.io/v1': { group: 17700, version: 15 },
  'authentication.k8s.io/v1beta1': { group: 17700, version: 9 },
  'authentication.k8s.io/v1alpha1': { group: 17700, version: 1 },
  'authorization.k8s.io/v1': { group: 17600, version: 15 },
  'autoscaling/v2': { group: 17500, version: 30 },
  'autoscaling/v1': { group: 17500, version: 15 },
  'autoscaling/v2beta1': { group: 17500, version: 9 },
  'autoscaling/v2beta2': { group: 17500, version: 1 },
  'batch/v1': { group: 17400, version: 15 },
  'batch/v1beta1': { group: 17400, version: 9 },
  'certificates.k8s.io/v1': { group: 17300, version: 15 },
  'certificates.k8s.io/v1beta1': { group: 17300, version: 9 },
  'certificates.k8s.io/v1alpha1': { group: 17300, version: 1 },
  'networking.k8s.io/v1': { group: 17200, version: 15 },
  'networking.k8s.io/v1beta1': { group: 17200, version: 9 },
  'policy/v1': { group: 17100, version: 15 },
  'policy/v1beta1': { group: 17100, version: 9 },
  'rbac.authorization.k8s.io/v1': { group: 17000, version: 15 },
  'storage.k8s.io/v1': { group: 16800, version: 15 },
  'storage.k8s.io/v1beta1': { group: 16800, version: 9 },
  'storage.k8s.io/v1alpha1': { group: 16800, version: 1 },
  'admissionregistration.k8s.io/v1': { group: 16700, version: 15 },
  'admissionregistration.k8s.io/v1beta1': { group: 16700, version: 12 },
  'admissionregistration.k8s.io/v1alpha1': { group: 16700, version: 9 },
  'apiextensions.k8s.io/v1': { group: 16700, version: 15 },
  'scheduling.k8s.io/v1': { group: 16600, version: 15 },
  'coordination.k8s.io/v1': { group: 16500, version: 15 },
  'node.k8s.io/v1': { group: 16300, version: 15 },
  'node.k8s.io/v1beta1': { group: 16300, version: 9 },
  'node.k8s.io/v1alpha1': { group: 16300, version: 1 },
  'discovery.k8s.io/v1': { group: 16200, version: 15 },
  'discovery.k8s.io/v1beta1': { group: 16200, version: 12 },
  'resource.k8s.io/v1': { group: 16200, version: 21 },
  'resource.k8s.io/v1beta2': { group: 16200, version: 15 },
  'resource.k8s.io/v1beta1': { group: 16200, version: 9 },
  'resource.k8s.io/v1alpha3': { group: 16200, version: 1 },
  'flowcontrol.apiserver.k8s.io/v1': { group: 16100, version: 21 },
  'flowcontrol.apiserver.k8s.io/v1beta3': { group: 16100, version: 18 },
  'internal.apiserver.k8s.io/v1alpha1': { group: 16000, version: 9 },
  'storagemigration.k8s.io/v1alpha1': { group: 15800, version: 9 },
};

/** What upstream's CRD registration gives every CustomResourceDefinition version: low, and equal among versions. */
export const crdPriority: APIServicePriority = { group: 1000, version: 100 };

/** The label upstream's autoregister controller manages its APIServices by. */
export const autoManagedLabel = 'kube-aggregator.kubernetes.io/automanaged';

/** The priority of a built-in group-version; undefined when upstream registers none for it. */
export function builtinPriority(group: string, version: string): APIServicePriority | undefined {
  return priorities[`${group}/${version}`];
}

/** Upstream's APIService name of a group-version: `v1.apps`, `v1.` for the core group. */
export function apiServiceName(group: string, version: string): string {
  return `${version}.${group}`;
}

/**
 * The APIService of a locally served group-version (spec.service unset). `automanaged` is upstream's label
 * value: "onstart" for built-in APIs (synced at start), "true" for CRDs (kept in sync while they exist).
 */
export function localAPIService(args: { group: string; version: string; priority: APIServicePriority; automanaged: 'onstart' | 'true' }): APIService {
  return {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: apiServiceName(args.group, args.version), labels: { [autoManagedLabel]: args.automanaged } },
    spec: {
      ...(args.group ? { group: args.group } : {}),
      version: args.version,
      groupPriorityMinimum: args.priority.group,
      versionPriority: args.priority.version,
    },
  };
}
