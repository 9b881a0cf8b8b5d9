// Where each resource lives in the key-value store: upstream's key layout
// (`<etcdPrefix>/<resource prefix>/<namespace>/<name>`), so `etcdctl get --prefix /registry` looks familiar.

import { resources } from '../api/resources.js';

/**
 * Resources whose storage prefix is not simply their plural, keyed by `group/plural` (core group: "").
 * Facts from upstream's registry wiring (the `DefaultQualifiedResource`/`KeyRootFunc` of each REST store).
 */
const prefixOverrides: Readonly<Record<string, string>> = {
  '/services': 'services/specs',
  '/endpoints': 'services/endpoints',
  '/nodes': 'minions',
  '/replicationcontrollers': 'controllers',
  'networking.k8s.io/ingresses': 'ingress',
  'apiextensions.k8s.io/customresourcedefinitions': 'apiextensions.k8s.io/customresourcedefinitions',
  'apiregistration.k8s.io/apiservices': 'apiregistration.k8s.io/apiservices',
};

/** `group/plural` of every built-in resource: they live under their plural alone. */
const builtinResources: ReadonlySet<string> = new Set(resources.map((r) => `${r.group}/${r.plural}`));

/**
 * The resource prefix (without the etcd prefix) of `group/plural`: "services/specs", "deployments" for
 * built-ins; `<group>/<plural>` for everything else (custom resources, as upstream's apiextensions-apiserver
 * stores them), so a custom resource whose plural equals a built-in one (metrics.k8s.io `pods`) never shares
 * its keys.
 */
export function resourcePrefix(group: string, plural: string): string {
  const key = `${group}/${plural}`;
  return prefixOverrides[key] ?? (group === '' || builtinResources.has(key) ? plural : key);
}

/** How keys of one resource are built. All keys of one resource start with `root`. */
export interface ResourceKeys {
  /** `<etcdPrefix>/<resource prefix>/`, with exactly one slash between segments. */
  root: string;
  namespaced: boolean;
}

export function resourceKeys(opts: { etcdPrefix: string; group: string; plural: string; namespaced: boolean }): ResourceKeys {
  const base = opts.etcdPrefix.replace(/\/+$/, '');
  return { root: `${base}/${resourcePrefix(opts.group, opts.plural)}/`, namespaced: opts.namespaced };
}

/** The key of one object. `namespace` is ignored for cluster-scoped resources. */
export function objectKey(keys: ResourceKeys, namespace: string, name: string): string {
  return keys.namespaced ? `${keys.root}${namespace}/${name}` : `${keys.root}${name}`;
}

/** The prefix a list covers: every object of the resource, or those of one namespace. */
export function listPrefix(keys: ResourceKeys, namespace: string): string {
  return keys.namespaced && namespace ? `${keys.root}${namespace}/` : keys.root;
}

/** Splits a key of this resource into namespace and name; undefined when the key is not one of its objects. */
export function parseObjectKey(keys: ResourceKeys, key: string): { namespace: string; name: string } | undefined {
  if (!key.startsWith(keys.root)) return undefined;
  const rest = key.slice(keys.root.length);
  const parts = rest.split('/');
  if (keys.namespaced) return parts.length === 2 && parts[0] && parts[1] ? { namespace: parts[0], name: parts[1] } : undefined;
  return parts.length === 1 && parts[0] ? { namespace: '', name: parts[0] } : undefined;
}
