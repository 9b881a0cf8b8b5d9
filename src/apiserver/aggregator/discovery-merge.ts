// /apis as the aggregator serves it: this apiserver's own groups plus the groups of remote APIServices, in
// APIService priority order — legacy APIGroupList and aggregated APIGroupDiscoveryList — and /apis/<group> of
// a group served only remotely.

import type { APIService } from '../../api/generated/apiregistration/v1.js';
import type { APIGroupDiscovery, APIGroupDiscoveryList, APIResourceDiscovery, APIVersionDiscovery } from '../discovery/aggregated.js';
import type { APIGroup, APIResource, GroupVersionForDiscovery } from '../discovery/legacy.js';
import { compareKubeAwareVersions } from '../discovery/version-priority.js';
import { crdPriority } from './api-service-priorities.js';
import type { FetchedDiscovery } from './available-controller.js';

/** One group as the APIServices describe it: its priority (the highest groupPriorityMinimum) and its versions. */
export interface APIServiceGroup {
  name: string;
  priority: number;
  /** Preferred first: versionPriority descending, then Kubernetes version order. */
  versions: Array<{ version: string; apiService: string; remote: boolean }>;
}

/** Groups every APIService (local and remote) by spec.group; the core group ("") is left out. */
export function apiServiceGroups(services: readonly APIService[]): Map<string, APIServiceGroup> {
  const groups = new Map<string, APIServiceGroup & { priorities: Map<string, number> }>();
  for (const s of services) {
    const name = s.spec?.group ?? '';
    const version = s.spec?.version ?? '';
    if (!name || !version) continue;
    let g = groups.get(name);
    if (!g) groups.set(name, (g = { name, priority: 0, versions: [], priorities: new Map() }));
    g.priority = Math.max(g.priority, s.spec?.groupPriorityMinimum ?? 0);
    g.versions.push({ version, apiService: s.metadata?.name ?? '', remote: !!s.spec?.service });
    g.priorities.set(version, s.spec?.versionPriority ?? 0);
  }
  for (const g of groups.values()) {
    g.versions.sort((a, b) => g.priorities.get(b.version)! - g.priorities.get(a.version)! || compareKubeAwareVersions(a.version, b.version));
  }
  return groups;
}

/** Whether a group has a remote version (and so must be merged into /apis). */
function hasRemote(g: APIServiceGroup): boolean {
  return g.versions.some((v) => v.remote);
}

/**
 * Inserts `extra` into `local` keeping the local order: each extra entry goes before the first local entry of
 * a lower priority (equal priorities: by name), as upstream's priority sort would place it.
 */
function insertByPriority<T>(local: T[], extra: T[], nameOf: (t: T) => string, priorityOf: (name: string) => number): T[] {
  const out = [...local];
  for (const e of extra) {
    const p = priorityOf(nameOf(e));
    const at = out.findIndex((o) => {
      const q = priorityOf(nameOf(o));
      return q < p || (q === p && nameOf(o) > nameOf(e));
    });
    if (at < 0) out.push(e);
    else out.splice(at, 0, e);
  }
  return out;
}

function groupVersionFor(group: string, version: string): GroupVersionForDiscovery {
  return { groupVersion: `${group}/${version}`, version };
}

/** A group's /apis entry from its APIServices: versions preferred-first. */
function apiGroupEntry(g: APIServiceGroup): APIGroup {
  const versions = g.versions.map((v) => groupVersionFor(g.name, v.version));
  return { name: g.name, versions, preferredVersion: versions[0]! };
}

/** The /apis/<group> document of a group from its APIServices (upstream's apiGroupHandler). */
export function apiGroupFromAPIServices(g: APIServiceGroup): APIGroup {
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroupEntry(g) };
}

/** The legacy /apis list with every group that has a remote APIService merged in. */
export function mergeAPIGroupList<L extends { groups: APIGroup[] }>(local: L, groups: ReadonlyMap<string, APIServiceGroup>): L {
  const priorityOf = (name: string) => groups.get(name)?.priority ?? crdPriority.group;
  const seen = new Set(local.groups.map((lg) => lg.name));
  const merged = local.groups.map((lg) => {
    const g = groups.get(lg.name);
    return g && hasRemote(g) ? apiGroupEntry(g) : lg;
  });
  const extra = [...groups.values()].filter((g) => !seen.has(g.name) && hasRemote(g)).map(apiGroupEntry);
  return { ...local, groups: insertByPriority(merged, extra, (x) => x.name, priorityOf) };
}

/**
 * A backend's APIResourceList as aggregated discovery (upstream's conversion for servers without aggregated
 * discovery): "<plural>/<sub>" entries become subresources of their parent.
 */
export function versionDiscoveryFromResourceList(group: string, version: string, list: FetchedDiscovery): APIVersionDiscovery {
  const entries = (list.resourceList.resources ?? []) as APIResource[];
  const parents = new Map<string, APIResourceDiscovery>();
  for (const e of entries) {
    if (e.name.includes('/')) continue;
    const r: APIResourceDiscovery = {
      resource: e.name,
      responseKind: { group: e.group ?? group, version: e.version ?? version, kind: e.kind },
      scope: e.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: e.singularName ?? '',
      verbs: e.verbs ?? [],
    };
    if (e.shortNames?.length) r.shortNames = e.shortNames;
    if (e.categories?.length) r.categories = e.categories;
    parents.set(e.name, r);
  }
  for (const e of entries) {
    const slash = e.name.indexOf('/');
    if (slash < 0) continue;
    const parent = parents.get(e.name.slice(0, slash));
    if (!parent) continue;
    (parent.subresources ??= []).push({
      subresource: e.name.slice(slash + 1),
      responseKind: { group: e.group ?? group, version: e.version ?? version, kind: e.kind },
      verbs: e.verbs ?? [],
    });
  }
  return { version, resources: [...parents.values()], freshness: list.stale ? 'Stale' : 'Current' };
}

/**
 * The aggregated /apis with the remote group-versions merged in. A remote version appears once its
 * discovery document was fetched (Stale after its backend stopped answering), as upstream's manager does.
 */
export function mergeAggregatedDiscovery(
  local: APIGroupDiscoveryList,
  groups: ReadonlyMap<string, APIServiceGroup>,
  discoveryOf: (apiService: string) => FetchedDiscovery | undefined,
): APIGroupDiscoveryList {
  const priorityOf = (name: string) => groups.get(name)?.priority ?? crdPriority.group;
  const remoteVersions = (g: APIServiceGroup): Map<string, APIVersionDiscovery> => {
    const out = new Map<string, APIVersionDiscovery>();
    for (const v of g.versions) {
      if (!v.remote) continue;
      const doc = discoveryOf(v.apiService);
      if (doc) out.set(v.version, versionDiscoveryFromResourceList(g.name, v.version, doc));
    }
    return out;
  };
  const merged: APIGroupDiscovery[] = [];
  const seen = new Set<string>();
  for (const item of local.items) {
    const name = item.metadata.name ?? '';
    seen.add(name);
    const g = groups.get(name);
    const remote = g && hasRemote(g) ? remoteVersions(g) : undefined;
    if (!g || !remote?.size) {
      merged.push(item);
      continue;
    }
    // Remote versions replace local ones of the same name (the APIService decides who serves it).
    const byVersion = new Map(item.versions.map((v) => [v.version, v]));
    for (const [version, v] of remote) byVersion.set(version, v);
    const ordered = g.versions.map((v) => byVersion.get(v.version)).filter((v): v is APIVersionDiscovery => !!v);
    for (const v of item.versions) if (!ordered.includes(byVersion.get(v.version)!)) ordered.push(v);
    merged.push({ ...item, versions: ordered });
  }
  const extra: APIGroupDiscovery[] = [];
  for (const g of groups.values()) {
    if (seen.has(g.name) || !hasRemote(g)) continue;
    const remote = remoteVersions(g);
    const versions = g.versions.map((v) => remote.get(v.version)).filter((v): v is APIVersionDiscovery => !!v);
    if (versions.length) extra.push({ metadata: { name: g.name }, versions });
  }
  return { ...local, items: insertByPriority(merged, extra, (x) => x.metadata.name ?? '', priorityOf) };
}
