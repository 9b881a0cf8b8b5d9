// The discovery endpoints: /api, /apis (legacy or aggregated, chosen by Accept), /apis/<group>, and the
// per-group-version APIResourceLists at /api/v1 and /apis/<group>/<version>.
import { createHash } from 'node:crypto';
import type { ResourceInfo } from '../../api/resource-info.js';
import type { HTTPRequest, HTTPResponse, NonResourceHandler } from '../http-types.js';
import { aggregatedDiscovery, type AggregatedVersion } from './aggregated.js';
import { apiGroupDocument, apiGroupList, apiResourceList, apiVersions, type StorageVersionOf } from './legacy.js';
import { negotiateDiscovery } from './negotiation.js';
import { headerValue, methodNotAllowedResponse, notAcceptableResponse, notFoundResponse } from './responses.js';
import { servedGroups, type GroupOrder, type ServedGroup } from './served-groups.js';

export interface DiscoveryHandlerOptions {
  /** Every served resource (built-ins, later CRDs); replace it with setResources(). */
  resources: readonly ResourceInfo[];
  /** Upstream's group and version order (src/api/resources.ts apiGroupOrder); unlisted groups follow, by name. */
  groupOrder: GroupOrder;
  /** Where clients reach this server ("10.0.0.1:6443") for /api; defaults to the request's Host (or :authority). */
  serverAddress?: string;
  /** The storage group/version/kind of a resource, for storageVersionHash; defaults to the resource itself. */
  storageVersionOf?: StorageVersionOf;
}

interface Rendered {
  body: string;
  /** Quoted upper-case hex SHA-512 of the v2 body, as upstream computes aggregated discovery ETags. */
  etag: string;
}

/**
 * Serves discovery. Documents are rendered once per resource set and cached as bytes; setResources()
 * replaces the set (e.g. when a CRD is established) and drops the cache. Aggregated replies carry an ETag
 * and answer a matching If-None-Match with 304, as upstream does.
 */
export class DiscoveryHandler implements NonResourceHandler {
  private groups: ServedGroup[] = [];
  private readonly legacyCache = new Map<string, string>();
  private readonly aggregatedCache = new Map<string, Rendered>();
  private readonly storageVersionOf: StorageVersionOf;

  constructor(private readonly opts: DiscoveryHandlerOptions) {
    this.storageVersionOf = opts.storageVersionOf ?? ((r) => r);
    this.setResources(opts.resources);
  }

  /** Replaces the served resources; subsequent replies reflect the new set. */
  setResources(resources: readonly ResourceInfo[]): void {
    this.groups = servedGroups(resources, this.opts.groupOrder);
    this.legacyCache.clear();
    this.aggregatedCache.clear();
  }

  /** Every discovery path currently served: /api, /api/v1, /apis, /apis/<group>, /apis/<group>/<version>. */
  paths(): string[] {
    const out = ['/api', '/apis', '/apis/'];
    for (const g of this.groups) {
      if (g.name === '') out.push(...g.versions.map((v) => `/api/${v.version}`));
      else out.push(`/apis/${g.name}`, ...g.versions.map((v) => `/apis/${g.name}/${v.version}`));
    }
    return out;
  }

  async handle(req: HTTPRequest): Promise<HTTPResponse | undefined> {
    const res = await this.serve(req);
    return res && req.method === 'HEAD' ? { ...res, body: '' } : res;
  }

  private async serve(req: HTTPRequest): Promise<HTTPResponse | undefined> {
    const route = this.route(req.path);
    if (route === undefined) return undefined;
    if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowedResponse();
    if (route === 'not-found') return notFoundResponse();

    if (route.kind === 'root') {
      const format = negotiateDiscovery(headerValue(req.headers, 'accept'));
      if (!format) {
        return notAcceptableResponse([
          'application/json',
          'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
          'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
        ]);
      }
      if (format.kind === 'aggregated') {
        const doc = this.aggregated(route.scope, format.version);
        const headers = { 'Content-Type': format.contentType, Vary: 'Accept', ETag: doc.etag, 'Cache-Control': 'public' };
        if (headerValue(req.headers, 'if-none-match') === doc.etag) return { status: 304, headers, body: '' };
        return { status: 200, headers, body: doc.body };
      }
      const body =
        route.scope === 'core'
          ? JSON.stringify(apiVersions(this.group(''), this.opts.serverAddress ?? headerValue(req.headers, 'host') ?? headerValue(req.headers, ':authority') ?? ''))
          : this.legacy('group list', () => apiGroupList(this.groups));
      return { status: 200, headers: { 'Content-Type': 'application/json', Vary: 'Accept' }, body };
    }
    const legacyHeaders = { 'Content-Type': 'application/json' };
    if (route.kind === 'group') {
      return { status: 200, headers: legacyHeaders, body: this.legacy(`group ${route.group.name}`, () => apiGroupDocument(route.group)) };
    }
    const v = route.group.versions[route.versionIndex]!;
    return {
      status: 200,
      headers: legacyHeaders,
      body: this.legacy(`version ${route.group.name}/${v.version}`, () => apiResourceList(route.group.name, v, this.storageVersionOf)),
    };
  }

  /** Classifies a path: one of ours (and which), one of ours that names nothing served, or not ours. */
  private route(
    path: string,
  ):
    | { kind: 'root'; scope: 'core' | 'named' }
    | { kind: 'group'; group: ServedGroup }
    | { kind: 'version'; group: ServedGroup; versionIndex: number }
    | 'not-found'
    | undefined {
    const parts = path.split('/').filter((p) => p !== '');
    if (parts[0] === 'api') {
      if (parts.length === 1) return { kind: 'root', scope: 'core' };
      if (parts.length !== 2) return undefined;
      return this.versionRoute('', parts[1]!);
    }
    if (parts[0] === 'apis') {
      if (parts.length === 1) return { kind: 'root', scope: 'named' };
      if (parts.length === 2) {
        const group = this.group(parts[1]!);
        return group && group.name !== '' ? { kind: 'group', group } : 'not-found';
      }
      if (parts.length === 3) return this.versionRoute(parts[1]!, parts[2]!);
    }
    return undefined;
  }

  private versionRoute(groupName: string, version: string) {
    const group = this.group(groupName);
    const versionIndex = group?.versions.findIndex((v) => v.version === version) ?? -1;
    if (!group || versionIndex < 0) return 'not-found' as const;
    return { kind: 'version' as const, group, versionIndex };
  }

  private group(name: string): ServedGroup | undefined {
    return this.groups.find((g) => g.name === name);
  }

  private legacy(key: string, build: () => unknown): string {
    let body = this.legacyCache.get(key);
    if (body === undefined) this.legacyCache.set(key, (body = JSON.stringify(build())));
    return body;
  }

  private aggregated(scope: 'core' | 'named', version: AggregatedVersion): Rendered {
    const key = `${scope}/${version}`;
    let doc = this.aggregatedCache.get(key);
    if (!doc) {
      // The ETag hashes the v2 rendering for both versions: the content is the same and Vary: Accept keeps
      // caches from mixing them up, which is how upstream does it.
      const v2 = JSON.stringify(aggregatedDiscovery(this.groups, scope, 'v2'));
      const etag = `"${createHash('sha512').update(v2).digest('hex').toUpperCase()}"`;
      const body = version === 'v2' ? v2 : JSON.stringify(aggregatedDiscovery(this.groups, scope, version));
      this.aggregatedCache.set(key, (doc = { body, etag }));
    }
    return doc;
  }
}
