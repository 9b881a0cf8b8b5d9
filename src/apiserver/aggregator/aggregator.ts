// kube-aggregator inside k8ts' apiserver: it sits in front of the local handlers (after authentication and
// authorization), proxies the group-versions of remote APIServices, merges them into /apis, registers the
// local APIServices and keeps every APIService's Available condition.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ResourceInfo } from '../../api/resource-info.js';
import type { APIService } from '../../api/generated/apiregistration/v1.js';
import { realClock, type Clock } from '../../base/clock.js';
import { klog } from '../../base/logger.js';
import { unsecuredUser } from '../authentication/interface.js';
import type { APIGroupDiscoveryList } from '../discovery/aggregated.js';
import type { APIRequest, APIResponse } from '../endpoints/resource-handler.js';
import type { HTTPResponse, NonResourceHandler } from '../http-types.js';
import type { APIServerOptions } from '../options.js';
import type { Registries } from '../registry/generic/registries.js';
import type { GenericRegistry } from '../registry/generic/registry.js';
import { everything } from '../registry/generic/selection.js';
import type { RequestInfo } from '../request-info.js';
import { resourceKeys } from '../storage-keys.js';
import type { WatchCacheSet } from '../watchcache/cache-set.js';
import { apiServiceName } from './api-service-priorities.js';
import { localAPIServicesFor, syncLocalAPIServices } from './autoregister.js';
import { AvailableConditionController } from './available-controller.js';
import type { AggregatorObjects } from './cached-objects.js';
import { apiGroupFromAPIServices, apiServiceGroups, mergeAggregatedDiscovery, mergeAPIGroupList } from './discovery-merge.js';
import { backendOpenAPIPath, isAvailable, proxyToAPIService } from './proxy-handler.js';
import { ProxyTransports, type ProxyClientCertificate } from './proxy-transport.js';
import type { AvailabilityMetrics } from './availability-metrics.js';
import type { HealthChecker } from '../healthz/health-checks.js';

const log = klog.withName('aggregator.ts');

/** How long a backend's OpenAPI URL is used before it is asked again (in the background). */
const openAPIPathTTLMs = 60_000;

export interface AggregatorOptions {
  registries: Registries;
  caches: WatchCacheSet;
  etcdPrefix: string;
  objects: AggregatorObjects;
  /** The local discovery handler (/apis is merged from its answer). */
  localDiscovery: NonResourceHandler;
  /** The local OpenAPI handler (the /openapi/v3 root is merged from its answer); absent: not merged. */
  localOpenAPI?: NonResourceHandler;
  /** --proxy-client-cert-file/--proxy-client-key-file; absent: requests go out without a client certificate. */
  proxyClientCertificate?: ProxyClientCertificate;
  clock?: Clock;
  /** aggregator_unavailable_apiservice(_total); default: not recorded. */
  metrics?: AvailabilityMetrics;
  /** Availability re-check period (default 30 s) and retry delay of failed checks (default 5 s). */
  resyncMs?: number;
  retryMs?: number;
}

/** Reads --proxy-client-cert-file and --proxy-client-key-file (both or neither). */
export async function proxyClientCertificateFrom(opts: APIServerOptions): Promise<ProxyClientCertificate | undefined> {
  if (!opts.proxyClientCertFile || !opts.proxyClientKeyFile) return undefined;
  return { cert: await readFile(opts.proxyClientCertFile, 'utf8'), key: await readFile(opts.proxyClientKeyFile, 'utf8') };
}

interface MergedRoot {
  localBody: string;
  generation: number;
  response: HTTPResponse;
}

export class Aggregator {
  private readonly transports: ProxyTransports;
  private readonly available: AvailableConditionController;
  private served: { builtin: readonly ResourceInfo[]; custom: readonly ResourceInfo[] } = { builtin: [], custom: [] };
  private started = false;
  private registering: Promise<void> = Promise.resolve();
  /** Bumped whenever APIServices or fetched discovery change: merged /apis documents are re-rendered. */
  private generation = 0;
  private readonly merged = new Map<string, MergedRoot>();
  private readonly openAPIPaths = new Map<string, { version: string; url: string | undefined; fetchedAt: number; pending: Promise<string | undefined> | undefined }>();

  constructor(private readonly opts: AggregatorOptions) {
    this.transports = new ProxyTransports(opts.proxyClientCertificate);
    this.available = new AvailableConditionController({
      registry: this.apiServiceRegistry(),
      objects: opts.objects,
      transports: this.transports,
      clock: opts.clock,
      resyncMs: opts.resyncMs,
      retryMs: opts.retryMs,
      onDiscoveryChange: () => this.generation++,
      metrics: opts.metrics,
    });
  }

  private apiServiceRegistry(): GenericRegistry {
    const r = this.opts.registries.get('apiregistration.k8s.io', 'apiservices', 'v1');
    if (!r) throw new Error('apiregistration.k8s.io/v1 apiservices are not served');
    return r;
  }

  /**
   * Upstream's `autoregister-completion` health check: fails with `missing APIService: [names]` until every
   * local APIService registered at start has been seen Available once.
   */
  readonly autoregisterCompletion: HealthChecker = {
    name: 'autoregister-completion',
    check: () => {
      // Built-in APIs only: upstream waits for the APIServices it syncs on start, not for CRDs'.
      const pending = (this.pendingLocal ??= new Set(localAPIServicesFor({ builtin: this.served.builtin, custom: [] }).map((s) => s.metadata!.name!)));
      for (const name of pending) {
        const svc = this.opts.objects.apiService(name);
        if (svc && isAvailable(svc)) pending.delete(name);
      }
      if (pending.size) throw new Error(`missing APIService: [${[...pending].sort().join(' ')}]`);
    },
  };
  private pendingLocal: Set<string> | undefined;

  /** The availability controller (tests wait on it). */
  get availability(): AvailableConditionController {
    return this.available;
  }

  /**
   * The resources served locally (built-ins and CRDs): their APIServices are registered once started, and
   * kept in sync on every later call.
   */
  setServedResources(served: { builtin: readonly ResourceInfo[]; custom: readonly ResourceInfo[] }): void {
    this.served = served;
    if (this.started) this.register(false);
  }

  private register(initial: boolean): Promise<void> {
    this.registering = this.registering
      .then(() => syncLocalAPIServices({ registry: this.apiServiceRegistry(), desired: localAPIServicesFor(this.served), initial }))
      .catch((err: unknown) => log.error('Registering the local APIServices failed', err));
    return this.registering;
  }

  /**
   * The autoregistration and availability post-start work: registers the local APIServices, checks every
   * APIService once, then follows APIService, Service and EndpointSlice changes until `signal` aborts.
   */
  async start(signal: AbortSignal): Promise<void> {
    this.started = true;
    await this.register(true);
    // The first availability pass reads the caches: let them see the registrations first.
    await this.opts.caches.waitFor(await this.apiServiceRegistry().currentRevision(), signal);
    // Services and EndpointSlices matter only while some APIService is remote: until then their events are
    // not even parsed.
    let remote = this.opts.objects.apiServices().some((s) => s.spec?.service);
    this.follow('apiregistration.k8s.io', 'apiservices', false, signal, () => true, (obj) => {
      this.generation++;
      const all = this.opts.objects.apiServices();
      remote = all.some((s) => s.spec?.service);
      // Connections to backends of deleted APIServices are closed.
      this.transports.retain(new Set(all.map((s) => s.metadata?.name ?? '')));
      this.available.enqueue(obj.metadata?.name ?? '');
    });
    const byService = (namespace: string, name: string) => {
      for (const svc of this.opts.objects.apiServices()) {
        const ref = svc.spec?.service;
        if (ref && ref.namespace === namespace && ref.name === name) this.available.enqueue(svc.metadata?.name ?? '');
      }
    };
    this.follow('', 'services', true, signal, () => remote, (obj) => byService(obj.metadata?.namespace ?? '', obj.metadata?.name ?? ''));
    this.follow('discovery.k8s.io', 'endpointslices', true, signal, () => remote, (obj) =>
      byService(obj.metadata?.namespace ?? '', (obj.metadata?.labels as Record<string, string> | undefined)?.['kubernetes.io/service-name'] ?? ''),
    );
    signal.addEventListener('abort', () => this.transports.close(), { once: true });
    await this.available.start(signal);
  }

  /**
   * Calls `onObject` for every change of one resource while `wanted()` holds, from the watch cache; a reset
   * re-checks every APIService.
   */
  private follow(
    group: string,
    plural: string,
    namespaced: boolean,
    signal: AbortSignal,
    wanted: () => boolean,
    onObject: (obj: { metadata?: { name?: string; namespace?: string; labels?: unknown } }) => void,
  ): void {
    const root = resourceKeys({ etcdPrefix: this.opts.etcdPrefix, group, plural, namespaced }).root;
    void (async () => {
      let rv = this.opts.caches.cacheFor(root)?.rv ?? 0;
      while (!signal.aborted) {
        const cache = this.opts.caches.cacheFor(root);
        if (!cache) return;
        const watcher = cache.watch({ prefix: root, predicate: everything }, rv);
        for (;;) {
          const frames = await watcher.next(signal);
          if (frames.length === 0) break;
          if (!wanted()) continue;
          for (const frame of frames) {
            const event = JSON.parse(frame) as { object: { metadata?: { name?: string; namespace?: string; resourceVersion?: string } } };
            rv = Math.max(rv, Number(event.object.metadata?.resourceVersion ?? rv));
            onObject(event.object);
          }
        }
        if (signal.aborted || watcher.endReason === 'closed') return;
        rv = cache.rv;
        this.generation++;
        for (const svc of this.opts.objects.apiServices()) this.available.enqueue(svc.metadata?.name ?? '');
      }
    })().catch((err: unknown) => {
      if (!signal.aborted) log.error('Following a watch cache failed', err, { root });
    });
  }

  /**
   * Answers the requests the aggregator owns, after authentication and authorization: anything under a remote
   * APIService's /apis/<group>/<version> (and its /openapi/v3 document) is proxied; /apis, /apis/<group> and
   * the /openapi/v3 root are merged with the remote groups. Everything else resolves undefined: the local
   * handlers serve it.
   */
  async handle(_info: RequestInfo, req: APIRequest, signal: AbortSignal): Promise<APIResponse | undefined> {
    const parts = req.path.split('/').filter((p) => p !== '');
    const remoteAt = parts[0] === 'apis' ? 1 : parts[0] === 'openapi' && parts[1] === 'v3' && parts[2] === 'apis' ? 3 : -1;
    if (remoteAt < 0) return parts.length === 2 && parts[0] === 'openapi' && parts[1] === 'v3' ? this.mergedOpenAPIRoot(req, signal) : undefined;
    if (parts.length >= remoteAt + 2) {
      const svc = this.opts.objects.apiService(apiServiceName(parts[remoteAt]!, parts[remoteAt + 1]!));
      if (!svc?.spec?.service) return undefined;
      return proxyToAPIService({ svc, req, user: req.user ?? unsecuredUser, services: this.opts.objects, transports: this.transports, signal });
    }
    if (remoteAt !== 1 || (req.method !== 'GET' && req.method !== 'HEAD')) return undefined;
    const groups = apiServiceGroups(this.opts.objects.apiServices());
    if (![...groups.values()].some((g) => g.versions.some((v) => v.remote))) return undefined;
    if (parts.length === 2) {
      const g = groups.get(parts[1]!);
      if (!g?.versions.some((v) => v.remote)) return undefined;
      const body = req.method === 'HEAD' ? '' : JSON.stringify(apiGroupFromAPIServices(g));
      return { status: 200, headers: { 'Content-Type': 'application/json' }, body };
    }
    return this.mergedRoot(req, groups);
  }

  /**
   * The /openapi/v3 root with an entry per available remote group-version: the URL (with its hash) the
   * backend's own root gives, so the document is fetched through the proxy exactly as the backend names it.
   */
  private async mergedOpenAPIRoot(req: APIRequest, signal: AbortSignal): Promise<HTTPResponse | undefined> {
    if (!this.opts.localOpenAPI || (req.method !== 'GET' && req.method !== 'HEAD')) return undefined;
    const remote = this.opts.objects.apiServices().filter((s) => s.spec?.service && isAvailable(s) && s.spec.group);
    if (remote.length === 0) return undefined;
    const local = await this.opts.localOpenAPI.handle({ ...req, method: 'GET', headers: { ...req.headers, 'if-none-match': undefined } });
    if (!local || local.status !== 200) return local;
    const doc = JSON.parse(typeof local.body === 'string' ? local.body : Buffer.from(local.body).toString('utf8')) as { paths: Record<string, { serverRelativeURL: string }> };
    const found = await Promise.all(remote.map((svc) => this.openAPIPathOf(svc, signal)));
    remote.forEach((svc, i) => {
      if (found[i]) doc.paths[`apis/${svc.spec!.group}/${svc.spec!.version}`] = { serverRelativeURL: found[i] };
    });
    const body = JSON.stringify(doc);
    const etag = `"${createHash('sha512').update(body).digest('hex').toUpperCase()}"`;
    const headers: Record<string, string> = { ...local.headers, ETag: etag };
    if (req.headers['if-none-match'] === etag) return { status: 304, headers, body: '' };
    return { status: 200, headers, body: req.method === 'HEAD' ? '' : body };
  }

  /**
   * The backend's OpenAPI URL for `svc`, remembered for openAPIPathTTLMs: only the first root request after a
   * change waits for the backend; later ones get the remembered URL while a refresh runs in the background.
   */
  private async openAPIPathOf(svc: APIService, signal: AbortSignal): Promise<string | undefined> {
    const name = svc.metadata?.name ?? '';
    const version = svc.metadata?.resourceVersion ?? '';
    const clock = this.opts.clock ?? realClock;
    const have = this.openAPIPaths.get(name);
    const current = have?.version === version ? have : undefined;
    // Never fetched for this version of the APIService: wait for the (single) fetch.
    if (!current?.fetchedAt) return current?.pending ?? this.refreshOpenAPIPath(svc, signal);
    if (clock.now() - current.fetchedAt > openAPIPathTTLMs && !current.pending) void this.refreshOpenAPIPath(svc, signal);
    return current.url;
  }

  private refreshOpenAPIPath(svc: APIService, signal: AbortSignal): Promise<string | undefined> {
    const name = svc.metadata?.name ?? '';
    const version = svc.metadata?.resourceVersion ?? '';
    const have = this.openAPIPaths.get(name);
    const pending = backendOpenAPIPath({ svc, services: this.opts.objects, transports: this.transports, signal }).then((url) => {
      this.openAPIPaths.set(name, { version, url, fetchedAt: (this.opts.clock ?? realClock).now(), pending: undefined });
      return url;
    });
    this.openAPIPaths.set(name, have?.version === version ? { ...have, pending } : { version, url: undefined, fetchedAt: 0, pending });
    return pending;
  }

  /** /apis from the local answer plus the remote groups; cached per local document and generation. */
  private async mergedRoot(req: APIRequest, groups: ReturnType<typeof apiServiceGroups>): Promise<HTTPResponse | undefined> {
    const ifNoneMatch = req.headers['if-none-match'];
    const local = await this.opts.localDiscovery.handle({ ...req, method: 'GET', headers: { ...req.headers, 'if-none-match': undefined } });
    if (!local || local.status !== 200) return local;
    const localBody = typeof local.body === 'string' ? local.body : Buffer.from(local.body).toString('utf8');
    const contentType = local.headers['Content-Type'] ?? 'application/json';
    let merged = this.merged.get(contentType);
    if (!merged || merged.localBody !== localBody || merged.generation !== this.generation) {
      const generation = this.generation;
      const aggregated = contentType.includes('apidiscovery.k8s.io');
      const body = aggregated
        ? JSON.stringify(mergeAggregatedDiscovery(JSON.parse(localBody) as APIGroupDiscoveryList, groups, (name) => this.available.discoveryOf(name)))
        : JSON.stringify(mergeAPIGroupList(JSON.parse(localBody), groups));
      const headers = { ...local.headers };
      if (aggregated) headers.ETag = `"${createHash('sha512').update(body).digest('hex').toUpperCase()}"`;
      merged = { localBody, generation, response: { status: 200, headers, body } };
      this.merged.set(contentType, merged);
    }
    const r = merged.response;
    if (r.headers.ETag && ifNoneMatch === r.headers.ETag) return { status: 304, headers: r.headers, body: '' };
    return req.method === 'HEAD' ? { ...r, body: '' } : r;
  }
}
