// The served-resource table: the generated facts from the OpenAPI document plus what the document does not
// carry (short names, categories, group order, storage versions), with the lookups the apiserver needs.
import { generatedResources } from './generated/resources.js';
import type { ResourceInfo } from './resource-info.js';

/** Short names as upstream discovery lists them, keyed by "group/plural" (core group: "/plural"). */
const shortNamesByResource: Record<string, string[]> = {
  '/componentstatuses': ['cs'],
  '/configmaps': ['cm'],
  '/endpoints': ['ep'],
  '/events': ['ev'],
  '/limitranges': ['limits'],
  '/namespaces': ['ns'],
  '/nodes': ['no'],
  '/persistentvolumeclaims': ['pvc'],
  '/persistentvolumes': ['pv'],
  '/pods': ['po'],
  '/replicationcontrollers': ['rc'],
  '/resourcequotas': ['quota'],
  '/serviceaccounts': ['sa'],
  '/services': ['svc'],
  'apiextensions.k8s.io/customresourcedefinitions': ['crd', 'crds'],
  'apps/daemonsets': ['ds'],
  'apps/deployments': ['deploy'],
  'apps/replicasets': ['rs'],
  'apps/statefulsets': ['sts'],
  'autoscaling/horizontalpodautoscalers': ['hpa'],
  'batch/cronjobs': ['cj'],
  'certificates.k8s.io/certificatesigningrequests': ['csr'],
  'events.k8s.io/events': ['ev'],
  'networking.k8s.io/ingresses': ['ing'],
  'networking.k8s.io/ipaddresses': ['ip'],
  'networking.k8s.io/networkpolicies': ['netpol'],
  'policy/poddisruptionbudgets': ['pdb'],
  'scheduling.k8s.io/priorityclasses': ['pc'],
  'storage.k8s.io/storageclasses': ['sc'],
  'storage.k8s.io/volumeattributesclasses': ['vac'],
};

/** Categories (`kubectl get all`, `kubectl get api-extensions`), keyed like shortNamesByResource. */
const categoriesByResource: Record<string, string[]> = {
  '/pods': ['all'],
  '/replicationcontrollers': ['all'],
  '/services': ['all'],
  'apps/daemonsets': ['all'],
  'apps/deployments': ['all'],
  'apps/replicasets': ['all'],
  'apps/statefulsets': ['all'],
  'autoscaling/horizontalpodautoscalers': ['all'],
  'batch/cronjobs': ['all'],
  'batch/jobs': ['all'],
  'admissionregistration.k8s.io/mutatingadmissionpolicies': ['api-extensions'],
  'admissionregistration.k8s.io/mutatingadmissionpolicybindings': ['api-extensions'],
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': ['api-extensions'],
  'admissionregistration.k8s.io/validatingadmissionpolicies': ['api-extensions'],
  'admissionregistration.k8s.io/validatingadmissionpolicybindings': ['api-extensions'],
  'admissionregistration.k8s.io/validatingwebhookconfigurations': ['api-extensions'],
  'apiextensions.k8s.io/customresourcedefinitions': ['api-extensions'],
  'apiregistration.k8s.io/apiservices': ['api-extensions'],
};

/**
 * API groups in the order upstream lists them in /apis, each with its versions preferred-first: the
 * aggregator sorts by group priority (highest first), ties by APIService name ("v1.apps"). The core
 * group ("") is served at /api and comes first.
 */
export const apiGroupOrder: ReadonlyArray<{ group: string; versions: readonly string[] }> = [
  { group: '', versions: ['v1'] },
  { group: 'apiregistration.k8s.io', versions: ['v1'] },
  { group: 'apps', versions: ['v1'] },
  { group: 'events.k8s.io', versions: ['v1'] },
  { group: 'authentication.k8s.io', versions: ['v1'] },
  { group: 'authorization.k8s.io', versions: ['v1'] },
  { group: 'autoscaling', versions: ['v2', 'v1'] },
  { group: 'batch', versions: ['v1'] },
  { group: 'certificates.k8s.io', versions: ['v1'] },
  { group: 'networking.k8s.io', versions: ['v1'] },
  { group: 'policy', versions: ['v1'] },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'] },
  { group: 'storage.k8s.io', versions: ['v1'] },
  { group: 'admissionregistration.k8s.io', versions: ['v1'] },
  { group: 'apiextensions.k8s.io', versions: ['v1'] },
  { group: 'scheduling.k8s.io', versions: ['v1'] },
  { group: 'coordination.k8s.io', versions: ['v1'] },
  { group: 'node.k8s.io', versions: ['v1'] },
  { group: 'discovery.k8s.io', versions: ['v1'] },
  { group: 'resource.k8s.io', versions: ['v1'] },
  { group: 'flowcontrol.apiserver.k8s.io', versions: ['v1'] },
];

/**
 * Resources served in more than one place but stored once: "group/version/plural" of the served
 * resource → the one whose encoding is stored. Everything else is stored as served.
 */
const storedAs: Record<string, string> = {
  'autoscaling/v1/horizontalpodautoscalers': 'autoscaling/v2/horizontalpodautoscalers',
  'events.k8s.io/v1/events': '/v1/events',
};

function key(group: string, plural: string): string {
  return `${group}/${plural}`;
}

function gvr(group: string, version: string, plural: string): string {
  return `${group}/${version}/${plural}`;
}

const groupRank = new Map(apiGroupOrder.map((g, i) => [g.group, i]));

function versionRank(group: string, version: string): number {
  const versions = apiGroupOrder[groupRank.get(group) ?? -1]?.versions ?? [];
  const i = versions.indexOf(version);
  return i < 0 ? versions.length : i;
}

/**
 * Every served resource with short names and categories filled in, ordered as upstream discovery
 * orders them: by group (apiGroupOrder), then version (preferred first), then plural.
 */
export const resources: readonly ResourceInfo[] = generatedResources
  .map((r) => ({
    ...r,
    shortNames: shortNamesByResource[key(r.group, r.plural)] ?? [],
    categories: categoriesByResource[key(r.group, r.plural)] ?? [],
  }))
  .sort(
    (a, b) =>
      (groupRank.get(a.group) ?? groupRank.size) - (groupRank.get(b.group) ?? groupRank.size) ||
      a.group.localeCompare(b.group) ||
      versionRank(a.group, a.version) - versionRank(b.group, b.version) ||
      (a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0),
  );

const byGVR = new Map(resources.map((r) => [gvr(r.group, r.version, r.plural), r]));

/** The resource served at /apis/<group>/<version>/<plural> (core group: ""), or undefined. */
export function resourceFor(group: string, version: string, plural: string): ResourceInfo | undefined {
  return byGVR.get(gvr(group, version, plural));
}

/** Every served version of the resource whose kind is `kind` in `group`, preferred version first. */
export function resourcesForKind(group: string, kind: string): ResourceInfo[] {
  return resources.filter((r) => r.group === group && r.kind === kind);
}

/** The resource of a group/version/kind, or undefined (subresource kinds like Scale are not resources). */
export function resourceForKind(group: string, version: string, kind: string): ResourceInfo | undefined {
  return resources.find((r) => r.group === group && r.version === version && r.kind === kind);
}

/** The version clients should prefer for `group` (upstream's preferredVersion), or undefined if not served. */
export function preferredVersion(group: string): string | undefined {
  return apiGroupOrder[groupRank.get(group) ?? -1]?.versions[0];
}

/**
 * The resource whose encoding is stored for `r`: HPAs of every version are stored as autoscaling/v2,
 * events.k8s.io/v1 events as core v1 events; every other resource is stored as itself.
 */
export function storageResourceFor(r: ResourceInfo): ResourceInfo {
  const target = storedAs[gvr(r.group, r.version, r.plural)];
  if (!target) return r;
  const stored = byGVR.get(target);
  if (!stored) throw new Error(`storage resource ${target} of ${r.group}/${r.version}/${r.plural} is not served`);
  return stored;
}
