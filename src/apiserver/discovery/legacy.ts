// Legacy (per group-version) discovery documents: APIVersions at /api, APIGroupList at /apis, APIGroup at
// /apis/<group> and APIResourceList at /api/v1 and /apis/<group>/<version>, shaped as meta/v1 puts them on the wire.
import type { ResourceInfo } from '../../api/resource-info.js';
import { groupVersionString, type ServedGroup, type ServedVersion } from './served-groups.js';
import { storageVersionHash } from './storage-version-hash.js';

export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

export interface APIGroup {
  kind?: 'APIGroup';
  apiVersion?: 'v1';
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

/** The group/version/kind under which a resource is stored (e.g. autoscaling/v2 for every HPA version). */
export type StorageVersionOf = (r: ResourceInfo) => { group: string; version: string; kind: string };

/** `/api`: the core group's versions and where clients should reach the server. */
export function apiVersions(core: ServedGroup | undefined, serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: core?.versions.map((v) => v.version) ?? [],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(g: ServedGroup): APIGroup {
  const versions = g.versions.map((v) => ({ groupVersion: groupVersionString(g.name, v.version), version: v.version }));
  return { name: g.name, versions, preferredVersion: versions[0]! };
}

/** `/apis`: every named group (the core group is not listed here), in the given order. */
export function apiGroupList(groups: readonly ServedGroup[]) {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.filter((g) => g.name !== '').map(apiGroup) };
}

/** `/apis/<group>`. */
export function apiGroupDocument(g: ServedGroup): APIGroup {
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) };
}

/**
 * The entries of one group-version's APIResourceList: each resource, then each of its subresources as a
 * separate "<plural>/<sub>" entry, sorted by name as upstream does. Subresource entries carry group and
 * version only when their kind lives elsewhere (deployments/scale → autoscaling/v1 Scale).
 */
export function apiResources(group: string, v: ServedVersion, storageVersionOf: StorageVersionOf): APIResource[] {
  const out: APIResource[] = [];
  for (const r of v.resources) {
    const entry: APIResource = {
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
    };
    if (r.shortNames.length) entry.shortNames = r.shortNames;
    if (r.categories.length) entry.categories = r.categories;
    // Only resources kept in storage have a storage version; virtual ones (reviews, bindings,
    // componentstatuses) cannot be watched, which is how we tell them apart.
    if (r.verbs.includes('watch')) {
      const s = storageVersionOf(r);
      entry.storageVersionHash = storageVersionHash(s.group, s.version, s.kind);
    }
    out.push(entry);
    for (const sub of r.subresources) {
      const subGroup = sub.group ?? group;
      const subVersion = sub.version ?? v.version;
      const elsewhere = subGroup !== group || subVersion !== v.version;
      out.push({
        name: `${r.plural}/${sub.name}`,
        singularName: '',
        namespaced: r.namespaced,
        ...(elsewhere ? { group: subGroup, version: subVersion } : {}),
        kind: sub.kind,
        verbs: sub.verbs,
      });
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `/api/v1` or `/apis/<group>/<version>`. */
export function apiResourceList(group: string, v: ServedVersion, storageVersionOf: StorageVersionOf) {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersionString(group, v.version),
    resources: apiResources(group, v, storageVersionOf),
  };
}
