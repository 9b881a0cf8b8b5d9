// client-go's discovery client, the part controllers need: which resources the server serves (from /api,
// /apis and each group version's APIResourceList), with scope, kind and verbs, in every version or only the
// preferred one, and which group versions failed to answer.
import type { Interface } from '../rest/interface.js';

/** One top-level resource (no subresources) of one group version, as discovery lists it. */
export interface APIResourceInfo {
  group: string;
  version: string;
  /** Plural resource name, e.g. `deployments`. */
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  /** True when `version` is the group's preferred version. */
  preferred: boolean;
}

/** The server's resources, plus the group versions whose discovery failed (upstream ErrGroupDiscoveryFailed). */
export interface DiscoveryResult {
  resources: APIResourceInfo[];
  /** groupVersion ("apps/v1", "v1") → why it failed. Empty when discovery was complete. */
  failedGroups: Map<string, string>;
}

interface APIGroupList {
  groups?: Array<{ name: string; versions?: Array<{ groupVersion: string; version: string }>; preferredVersion?: { version: string } }>;
}

interface APIResourceList {
  resources?: Array<{ name: string; kind: string; namespaced: boolean; verbs?: string[] }>;
}

async function getJSON<T>(client: Interface, path: string, signal?: AbortSignal): Promise<T> {
  const resp = await client.raw({ method: 'GET', path, signal });
  if (resp.status !== 200) throw new Error(`the server responded with status ${resp.status} to GET ${path}`);
  return JSON.parse(resp.body.toString('utf8')) as T;
}

/**
 * Reads every group version's resources (client-go ServerGroupsAndResources). /api and /apis failing is an
 * error (nothing can be known); one group version failing is recorded in `failedGroups` and the rest is
 * still returned, as upstream's partial results are.
 */
export async function discoverResources(client: Interface, opts: { signal?: AbortSignal } = {}): Promise<DiscoveryResult> {
  const versions: Array<{ group: string; version: string; preferred: boolean }> = [];
  const core = await getJSON<{ versions?: string[] }>(client, '/api', opts.signal);
  for (const [i, v] of (core.versions ?? []).entries()) versions.push({ group: '', version: v, preferred: i === 0 });
  const groups = await getJSON<APIGroupList>(client, '/apis', opts.signal);
  for (const g of groups.groups ?? []) {
    const preferred = g.preferredVersion?.version ?? g.versions?.[0]?.version;
    for (const v of g.versions ?? []) versions.push({ group: g.name, version: v.version, preferred: v.version === preferred });
  }
  const failedGroups = new Map<string, string>();
  const lists = await Promise.all(
    versions.map(async (gv) => {
      const groupVersion = gv.group ? `${gv.group}/${gv.version}` : gv.version;
      const path = gv.group ? `/apis/${groupVersion}` : `/api/${gv.version}`;
      try {
        return { gv, list: await getJSON<APIResourceList>(client, path, opts.signal) };
      } catch (err) {
        if (opts.signal?.aborted) throw err;
        failedGroups.set(groupVersion, err instanceof Error ? err.message : String(err));
        return { gv, list: {} as APIResourceList };
      }
    }),
  );
  const resources: APIResourceInfo[] = [];
  for (const { gv, list } of lists) {
    for (const r of list.resources ?? []) {
      if (r.name.includes('/')) continue;
      resources.push({ group: gv.group, version: gv.version, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs ?? [], preferred: gv.preferred });
    }
  }
  return { resources, failedGroups };
}

/** Resources of the preferred version of each group that support every verb in `verbs` (discovery.FilteredBy). */
export function preferredResourcesWithVerbs(result: DiscoveryResult, verbs: readonly string[]): APIResourceInfo[] {
  return result.resources.filter((r) => r.preferred && verbs.every((v) => r.verbs.includes(v)));
}

/** "group/version" or "version" for the core group, as apiVersion fields spell it. */
export function apiVersionOf(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/**
 * A RESTMapper built from discovery: finds the resource of an apiVersion + kind (as owner references name
 * them), in any served version.
 */
export class RESTMapper {
  private readonly byKind = new Map<string, APIResourceInfo>();

  constructor(resources: readonly APIResourceInfo[]) {
    for (const r of resources) {
      const key = `${apiVersionOf(r)}|${r.kind}`;
      if (!this.byKind.has(key)) this.byKind.set(key, r);
    }
  }

  /** The resource serving `kind` in `apiVersion`, or undefined when the server does not serve it. */
  resourceFor(apiVersion: string, kind: string): APIResourceInfo | undefined {
    return this.byKind.get(`${apiVersion}|${kind}`);
  }
}
