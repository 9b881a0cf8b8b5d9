// Upstream's AvailableConditionController: sets each APIService's Available condition — Local ones always
// True, remote ones after checking their Service, its endpoints and a GET of their discovery document — and
// keeps the last discovery document of each remote group-version for the merged /apis.

import type { APIService, APIServiceCondition } from '../../api/generated/apiregistration/v1.js';
import { isConflict, isNotFound } from '../../apimachinery/errors.js';
import { realClock, type Clock } from '../../base/clock.js';
import { klog } from '../../base/logger.js';
import { rfc3339 } from '../registry/generic/object-meta.js';
import type { GenericRegistry } from '../registry/generic/registry.js';
import type { AggregatorObjects } from './cached-objects.js';
import { sendToBackend, type ProxyTransports } from './proxy-transport.js';
import { resolveEndpoint } from './service-resolver.js';
import { discardAvailabilityMetrics, type AvailabilityMetrics } from './availability-metrics.js';

const log = klog.withName('available-controller.ts');

/** A probe's verdict, before it becomes a condition. */
export interface Availability {
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

/** The identity of discovery probes (upstream's: always allowed on the backend). */
export const probeUser = { name: 'system:kube-aggregator', groups: ['system:masters'] };

/** How long one discovery GET may take (upstream's client timeout). */
export const discoveryTimeoutMs = 5_000;

/** The APIResourceList a backend answered at /apis/<group>/<version>, and whether the last check failed. */
export interface FetchedDiscovery {
  /** The backend's legacy discovery document (meta/v1 APIResourceList). */
  resourceList: { groupVersion?: string; resources?: unknown[] };
  stale: boolean;
}

export interface AvailableConditionControllerOptions {
  /** The APIService registry (status writes). */
  registry: GenericRegistry;
  objects: AggregatorObjects;
  transports: ProxyTransports;
  clock?: Clock;
  /** Every APIService is checked again after this long (default 30 s). */
  resyncMs?: number;
  /** A failed remote check is retried after this long (default 5 s). */
  retryMs?: number;
  /** Called when a remote group-version's discovery document changes or goes stale (re-render /apis). */
  onDiscoveryChange?: () => void;
  /** aggregator_unavailable_apiservice(_total); default: not recorded. */
  metrics?: AvailabilityMetrics;
}

/** The condition of an APIService without a service. */
export const localAvailability: Availability = { status: 'True', reason: 'Local', message: 'Local APIServices are always available' };

/**
 * Checks a remote APIService (upstream's order and texts): the Service must exist; a non-ExternalName Service
 * must list the port and have a ready endpoint on it; then GET /apis/<group>/<version> (insecure TLS, the
 * proxy client certificate, system:kube-aggregator in system:masters) must answer 2xx within 5 s.
 */
export async function checkAvailability(args: {
  svc: APIService;
  objects: AggregatorObjects;
  transports: ProxyTransports;
  signal: AbortSignal;
}): Promise<{ availability: Availability; body?: string }> {
  const { svc, objects } = args;
  const ref = svc.spec?.service;
  if (!ref) return { availability: localAvailability };
  const name = ref.name ?? '';
  const namespace = ref.namespace ?? '';
  const port = ref.port ?? 443;
  const service = objects.service(namespace, name);
  if (!service) return { availability: { status: 'False', reason: 'ServiceNotFound', message: `service/${name} in "${namespace}" is not present` } };
  if (service.spec?.type !== 'ExternalName') {
    const svcPort = service.spec?.ports?.find((p) => p.port === port);
    if (!svcPort) return { availability: { status: 'False', reason: 'ServicePortError', message: `service/${name} in "${namespace}" is not listening on port ${port}` } };
    const slices = objects.endpointSlices(namespace, name);
    if (slices.length === 0) return { availability: { status: 'False', reason: 'EndpointsNotFound', message: `cannot find endpoints for service/${name} in "${namespace}"` } };
  }
  const target = resolveEndpoint(objects, { namespace, name, port });
  if ('error' in target) {
    const portName = service.spec?.ports?.find((p) => p.port === port)?.name ?? '';
    return { availability: { status: 'False', reason: 'MissingEndpoints', message: `endpoints for service/${name} in "${namespace}" have no addresses with port name "${portName}"` } };
  }
  const path = `/apis/${svc.spec?.group ?? ''}/${svc.spec?.version ?? ''}`;
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  const url = `https://${host}:${target.port}${path}`;
  const failed = (message: string): { availability: Availability } => ({
    availability: { status: 'False', reason: 'FailedDiscoveryCheck', message: `failing or missing response from ${url}: ${message}` },
  });
  try {
    const res = await sendToBackend({
      agent: args.transports.agentFor(svc, true),
      host: target.host,
      port: target.port,
      method: 'GET',
      path,
      headers: { accept: 'application/json', 'X-Remote-User': probeUser.name, 'X-Remote-Group': probeUser.groups },
      signal: args.signal,
      timeoutMs: discoveryTimeoutMs,
    });
    const chunks: Buffer[] = [];
    for await (const c of res as AsyncIterable<Buffer>) chunks.push(c);
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) return failed(`bad status from ${url}: ${status}`);
    return { availability: { status: 'True', reason: 'Passed', message: 'all checks passed' }, body: Buffer.concat(chunks).toString('utf8') };
  } catch (err) {
    if (args.signal.aborted) throw err;
    return failed(`Get "${url}": ${(err as Error).message}`);
  }
}

/** The condition to store: the new verdict, keeping lastTransitionTime while the status stays the same. */
export function nextCondition(previous: APIServiceCondition | undefined, verdict: Availability, now: string): APIServiceCondition {
  const lastTransitionTime = previous && previous.status === verdict.status && previous.lastTransitionTime ? previous.lastTransitionTime : now;
  return { type: 'Available', status: verdict.status, lastTransitionTime, reason: verdict.reason, message: verdict.message };
}

/**
 * Runs the checks: `enqueue(name)` on any change that may affect an APIService, plus a periodic resync of all.
 * One APIService is checked at a time per name; status is written only when the condition changes.
 */
export class AvailableConditionController {
  private readonly clock: Clock;
  private readonly discovery = new Map<string, FetchedDiscovery>();
  private readonly pending = new Set<string>();
  private readonly retries = new Map<string, { stop(): boolean }>();
  private readonly inflight = new Map<string, Promise<void>>();
  private signal: AbortSignal | undefined;
  private resyncTimer: { stop(): boolean } | undefined;

  private readonly metrics: AvailabilityMetrics;

  constructor(private readonly opts: AvailableConditionControllerOptions) {
    this.clock = opts.clock ?? realClock;
    this.metrics = opts.metrics ?? discardAvailabilityMetrics;
  }

  /** The last discovery document of a remote APIService (by name), if one was ever fetched. */
  discoveryOf(name: string): FetchedDiscovery | undefined {
    return this.discovery.get(name);
  }

  /**
   * Checks every APIService now, then every resyncMs, until `signal` aborts. Resolves once the local ones are
   * marked (readiness must not wait for remote backends, which may be down).
   */
  async start(signal: AbortSignal): Promise<void> {
    this.signal = signal;
    signal.addEventListener(
      'abort',
      () => {
        this.resyncTimer?.stop();
        for (const t of this.retries.values()) t.stop();
        this.retries.clear();
      },
      { once: true },
    );
    const all = this.opts.objects.apiServices();
    for (const svc of all) if (!svc.spec?.service) this.enqueue(svc.metadata?.name ?? '');
    await this.idle();
    for (const svc of all) if (svc.spec?.service) this.enqueue(svc.metadata?.name ?? '');
    const resync = () => {
      if (signal.aborted) return;
      for (const svc of this.opts.objects.apiServices()) this.enqueue(svc.metadata?.name ?? '');
      this.resyncTimer = this.clock.setTimer(this.opts.resyncMs ?? 30_000, resync);
    };
    if (!signal.aborted) this.resyncTimer = this.clock.setTimer(this.opts.resyncMs ?? 30_000, resync);
  }

  /**
   * Schedules a check of the APIService `name`. Different APIServices are checked concurrently; one name is
   * never checked twice at once (a request while it runs makes it run once more afterwards).
   */
  enqueue(name: string): void {
    if (!name || this.signal?.aborted) return;
    if (this.inflight.has(name)) {
      this.pending.add(name);
      return;
    }
    const run = (async () => {
      try {
        await this.sync(name);
      } catch (err) {
        if (!this.signal?.aborted) log.error('Checking an APIService failed', err, { name });
      }
    })().finally(() => {
      this.inflight.delete(name);
      if (this.pending.delete(name)) this.enqueue(name);
    });
    this.inflight.set(name, run);
  }

  /** Resolves once every check queued so far is done (tests, start). */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.all([...this.inflight.values()]);
  }

  private retryLater(name: string): void {
    if (this.retries.has(name) || this.signal?.aborted) return;
    this.retries.set(
      name,
      this.clock.setTimer(this.opts.retryMs ?? 5_000, () => {
        this.retries.delete(name);
        this.enqueue(name);
      }),
    );
  }

  private async sync(name: string): Promise<void> {
    const svc = this.opts.objects.apiService(name);
    if (!svc) {
      this.metrics.forget(name);
      if (this.discovery.delete(name)) this.opts.onDiscoveryChange?.();
      return;
    }
    const signal = this.signal ?? new AbortController().signal;
    const { availability, body } = await checkAvailability({ svc, objects: this.opts.objects, transports: this.opts.transports, signal });
    if (svc.spec?.service) this.recordDiscovery(name, availability, body);
    if (availability.status !== 'True') this.retryLater(name);
    const previous = svc.status?.conditions?.find((c) => c.type === 'Available');
    this.metrics.setAvailable(name, availability.status === 'True');
    if (previous && previous.status === availability.status && previous.reason === availability.reason && previous.message === availability.message) return;
    if (previous?.status === 'True' && availability.status !== 'True') this.metrics.becameUnavailable(name, availability.reason);
    if ((previous?.status ?? 'Unknown') !== availability.status) {
      log.v(2).info('changing APIService availability', { name, oldStatus: previous?.status ?? 'Unknown', newStatus: availability.status, message: availability.message, reason: availability.reason });
    }
    const condition = nextCondition(previous, availability, rfc3339(this.clock.now()));
    const conditions = [...(svc.status?.conditions ?? []).filter((c) => c.type !== 'Available'), condition];
    try {
      await this.opts.registry.update({
        namespace: '',
        name,
        subresource: 'status',
        obj: { ...svc, status: { ...svc.status, conditions } } as never,
      });
    } catch (err) {
      // Someone else wrote it meanwhile (the cache will bring the new version): check again.
      if (isConflict(err)) this.retryLater(name);
      else if (!isNotFound(err)) throw err;
    }
  }

  private recordDiscovery(name: string, availability: Availability, body: string | undefined): void {
    const had = this.discovery.get(name);
    if (availability.status === 'True' && body !== undefined) {
      let resourceList: FetchedDiscovery['resourceList'];
      try {
        resourceList = JSON.parse(body) as FetchedDiscovery['resourceList'];
      } catch {
        return;
      }
      if (had && !had.stale && JSON.stringify(had.resourceList) === JSON.stringify(resourceList)) return;
      this.discovery.set(name, { resourceList, stale: false });
      this.opts.onDiscoveryChange?.();
    } else if (had && !had.stale) {
      this.discovery.set(name, { ...had, stale: true });
      this.opts.onDiscoveryChange?.();
    }
  }
}
