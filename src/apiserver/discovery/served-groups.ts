// The served API surface as discovery sees it: groups in /apis order, each with its versions preferred-first
// and the resources of each version. Legacy and aggregated discovery are both rendered from this one model.
import type { ResourceInfo } from '../../api/resource-info.js';
import { compareKubeAwareVersions } from './version-priority.js';

export interface ServedVersion {
  version: string;
  /** The resources of this group/version, sorted by plural name. */
  resources: ResourceInfo[];
}

export interface ServedGroup {
  /** "" for the core (legacy) group served at /api. */
  name: string;
  /** Preferred version first. */
  versions: ServedVersion[];
}

/** Upstream's group order: each entry lists a group and its versions, preferred first. */
export type GroupOrder = ReadonlyArray<{ group: string; versions: readonly string[] }>;

/**
 * Groups the resources by group and version and orders them: groups listed in `order` first, in that order,
 * then any other group (CRDs) alphabetically; inside a group, the versions named in `order` first, in that
 * order, then the rest by Kubernetes version priority. The core group is included (name "").
 */
export function servedGroups(resources: readonly ResourceInfo[], order: GroupOrder): ServedGroup[] {
  const byGroup = new Map<string, Map<string, ResourceInfo[]>>();
  for (const r of resources) {
    let versions = byGroup.get(r.group);
    if (!versions) byGroup.set(r.group, (versions = new Map()));
    let list = versions.get(r.version);
    if (!list) versions.set(r.version, (list = []));
    list.push(r);
  }
  const rank = new Map(order.map((o, i) => [o.group, i]));
  const groupNames = [...byGroup.keys()].sort((a, b) => {
    const ra = rank.get(a) ?? Infinity;
    const rb = rank.get(b) ?? Infinity;
    if (ra !== rb) return ra - rb;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return groupNames.map((name) => {
    const versions = byGroup.get(name)!;
    const preferred = order.find((o) => o.group === name)?.versions ?? [];
    const versionNames = [...versions.keys()].sort((a, b) => {
      const ia = preferred.indexOf(a);
      const ib = preferred.indexOf(b);
      if (ia >= 0 || ib >= 0) return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib);
      return compareKubeAwareVersions(a, b);
    });
    return {
      name,
      versions: versionNames.map((version) => ({
        version,
        resources: [...versions.get(version)!].sort((a, b) => (a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0)),
      })),
    };
  });
}

/** "apps/v1", or "v1" for the core group. */
export function groupVersionString(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}
