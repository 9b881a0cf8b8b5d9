// Aggregated discovery (apidiscovery.k8s.io v2 and v2beta1): every group, version and resource in one
// APIGroupDiscoveryList, so clients need one request instead of one per group-version. The two API versions
// have the same shape; only apiVersion differs.
import type { ServedGroup } from './served-groups.js';

export type AggregatedVersion = 'v2' | 'v2beta1';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: GroupVersionKind;
  verbs: string[];
}

export interface APIResourceDiscovery {
  resource: string;
  responseKind: GroupVersionKind;
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APIVersionDiscovery {
  version: string;
  resources: APIResourceDiscovery[];
  freshness: 'Current' | 'Stale';
}

export interface APIGroupDiscovery {
  metadata: { name?: string };
  versions: APIVersionDiscovery[];
}

export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: `apidiscovery.k8s.io/${AggregatedVersion}`;
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

function groupDiscovery(g: ServedGroup): APIGroupDiscovery {
  return {
    metadata: g.name ? { name: g.name } : {},
    versions: g.versions.map((v) => ({
      version: v.version,
      resources: v.resources.map((r) => {
        const out: APIResourceDiscovery = {
          resource: r.plural,
          responseKind: { group: r.group, version: r.version, kind: r.kind },
          scope: r.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: r.singular,
          verbs: r.verbs,
        };
        if (r.shortNames.length) out.shortNames = r.shortNames;
        if (r.categories.length) out.categories = r.categories;
        if (r.subresources.length) {
          out.subresources = [...r.subresources]
            .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
            .map((s) => ({
              subresource: s.name,
              responseKind: { group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind },
              verbs: s.verbs,
            }));
        }
        return out;
      }),
      freshness: 'Current',
    })),
  };
}

/**
 * The aggregated document for `/api` (scope "core": the core group only, as one item with no name) or for
 * `/apis` (scope "named": every other group), in the given API version.
 */
export function aggregatedDiscovery(
  groups: readonly ServedGroup[],
  scope: 'core' | 'named',
  version: AggregatedVersion,
): APIGroupDiscoveryList {
  const selected = groups.filter((g) => (scope === 'core' ? g.name === '' : g.name !== ''));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: selected.map(groupDiscovery),
  };
}
