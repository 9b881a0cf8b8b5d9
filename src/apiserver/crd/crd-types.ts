// The parts of apiextensions.k8s.io/v1 CustomResourceDefinition the apiserver reads, and the ResourceInfo
// each served version becomes (names, scope, verbs, status/scale subresources).

import type { CustomResourceConversion } from '../../api/generated/apiextensions/v1.js';
import type { ResourceInfo, SubresourceInfo } from '../../api/resource-info.js';
import type { CustomResourceColumnDefinition } from '../printers/custom-resource-printer.js';
import type { APIObject } from '../registry/strategy.js';

/** apiextensions.k8s.io/v1 JSONSchemaProps (the keywords structural schemas may use). */
export interface JSONSchemaProps {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  items?: JSONSchemaProps;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  allOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
}

export interface CRDNames {
  plural: string;
  singular?: string;
  kind: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

export interface CRDVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: {
    status?: Record<string, never>;
    scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  };
  additionalPrinterColumns?: CustomResourceColumnDefinition[];
  selectableFields?: Array<{ jsonPath: string }>;
}

export interface CRDCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface CustomResourceDefinition extends APIObject {
  spec: {
    group: string;
    names: CRDNames;
    scope: 'Namespaced' | 'Cluster';
    versions: CRDVersion[];
    conversion?: CustomResourceConversion;
    preserveUnknownFields?: boolean;
  };
  status?: {
    conditions?: CRDCondition[];
    acceptedNames?: CRDNames;
    storedVersions?: string[];
  };
}

/** The finalizer that holds a deleted CRD until its custom resources are gone. */
export const cleanupFinalizer = 'customresourcecleanup.apiextensions.k8s.io';

/** Upstream's verbs of a custom resource, in discovery order. */
const customResourceVerbs = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];

/** The condition of `type`, if the CRD has one. */
export function conditionOf(crd: CustomResourceDefinition, type: string): CRDCondition | undefined {
  return crd.status?.conditions?.find((c) => c.type === type);
}

/** The version objects are stored in (the one with `storage: true`). */
export function storageVersionOf(crd: CustomResourceDefinition): CRDVersion | undefined {
  return crd.spec.versions.find((v) => v.storage);
}

/**
 * The ResourceInfo of one version of the CRD, named by `names` (the accepted names: a CRD is served under
 * the names the naming check accepted, not under whatever its spec asks for now).
 */
export function resourceInfoFor(crd: CustomResourceDefinition, version: CRDVersion, names: CRDNames): ResourceInfo {
  const subresources: SubresourceInfo[] = [];
  if (version.subresources?.status) subresources.push({ name: 'status', kind: names.kind, verbs: ['get', 'patch', 'update'] });
  if (version.subresources?.scale) subresources.push({ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] });
  return {
    group: crd.spec.group,
    version: version.name,
    kind: names.kind,
    listKind: names.listKind || `${names.kind}List`,
    plural: names.plural,
    singular: names.singular || names.kind.toLowerCase(),
    namespaced: crd.spec.scope !== 'Cluster',
    verbs: [...customResourceVerbs],
    shortNames: [...(names.shortNames ?? [])],
    categories: [...(names.categories ?? [])],
    subresources,
    definition: `${reverseGroup(crd.spec.group)}.${version.name}.${names.kind}`,
  };
}

/** Upstream's OpenAPI definition prefix of a CRD group: "stable.example.com" → "com.example.stable". */
function reverseGroup(group: string): string {
  return group.split('.').reverse().join('.');
}
