// The endpoints controller (upstream pkg/controller/endpoint): keeps an Endpoints object beside every Service
// with a selector, listing the matching pods' addresses (ready and not ready) and resolved target ports.
// Selector-less and ExternalName Services are left alone; Endpoints of deleted Services are removed.
import type * as corev1 from '../../../api/generated/core/v1.js';
import { isForbidden, isNotFound } from '../../../apimachinery/errors.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import { isDeletedFinalStateUnknown } from '../../../client/cache/keys.js';
import type { Interface, KubeObject } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import type { Controller, ControllerContext, EventRecorder, InformerHandle } from '../../controller-context.js';
import { recorderForKind, resources } from '../../controller-context.js';
import type { ControllerMetrics } from '../../metrics.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import { isNamespaceTerminating } from '../../worker-loop.js';
import {
  findPort,
  ipFamilyOf,
  isPodReady,
  podIPs,
  queueServicesOnChanges,
  setSelectorMatches,
  shouldPodBeInEndpoints,
  shouldSetHostname,
  splitServiceKey,
  type IPFamily,
  type Pod,
  type Service,
} from '../endpointslice/util/pod-membership.js';
import { formatRFC3339Nano, TriggerTimeTracker } from '../endpointslice/util/trigger-time-tracker.js';
import { repackSubsets, truncateSubsets } from './repack-subsets.js';

type Endpoints = Typed<corev1.Endpoints>;

export const servicesResource = { group: '', version: 'v1', resource: 'services' } as const;
export const endpointsResource = { group: '', version: 'v1', resource: 'endpoints' } as const;

export const endpointsLastChangeTriggerTimeAnnotation = 'endpoints.kubernetes.io/last-change-trigger-time';
export const endpointsOverCapacityAnnotation = 'endpoints.kubernetes.io/over-capacity';
export const headlessServiceLabel = 'service.kubernetes.io/headless';
/** Endpoints used as leader-election locks carry it; they have no Service and must survive. */
export const leaderElectionAnnotation = 'control-plane.alpha.kubernetes.io/leader';

/** upstream maxRetries for a Service key. */
const maxRetries = 15;

export interface EndpointsControllerDeps {
  client: Interface;
  services: InformerHandle<Service>;
  pods: InformerHandle<Pod>;
  endpoints: InformerHandle<Endpoints>;
  queue: RateLimitingQueue<string>;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
}

export class EndpointsController implements Controller {
  readonly name = 'endpoints-controller';
  private readonly triggerTimes = new TriggerTimeTracker();
  /** Endpoints resourceVersions this controller replaced: a cache still showing one is stale (upstream staleEndpointsTracker). */
  private readonly replaced = new Map<string, string>();

  constructor(private readonly deps: EndpointsControllerDeps) {
    queueServicesOnChanges(deps);
    const enqueue = (obj: KubeObject) => deps.queue.add(`${obj.metadata?.namespace}/${obj.metadata?.name}`);
    deps.endpoints.informer.addEventHandler({
      onDelete: (obj) => enqueue(isDeletedFinalStateUnknown(obj) ? obj.obj : obj),
    });
  }

  run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    // Last in `hasSynced`, so it runs once, right after the three caches are synced.
    const checkLeftovers = () => {
      this.checkLeftoverEndpoints();
      return true;
    };
    return runAfterCacheSync({
      name: this.name,
      hasSynced: [() => deps.pods.informer.hasSynced(), () => deps.services.informer.hasSynced(), () => deps.endpoints.informer.hasSynced(), checkLeftovers],
      queue: deps.queue,
      sync: (key) => this.syncService(key),
      workers: opts.workers,
      signal: opts.signal,
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
      maxRetries,
      isIgnorable: isNamespaceTerminating,
    });
  }

  /** Queues every Endpoints once at start, so those whose Service went away while we were down are deleted. */
  checkLeftoverEndpoints(): void {
    for (const ep of this.deps.endpoints.lister.list()) {
      if (ep.metadata?.annotations?.[leaderElectionAnnotation] !== undefined) continue;
      this.deps.queue.add(`${ep.metadata?.namespace}/${ep.metadata?.name}`);
    }
  }

  /** upstream syncService. */
  async syncService(key: string): Promise<void> {
    const { namespace, name } = splitServiceKey(key);
    const endpointsClient = this.deps.client.resource<Endpoints>(endpointsResource, namespace);
    const service = this.deps.services.lister.namespace(namespace).get(name);
    if (!service) {
      try {
        await endpointsClient.delete(name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      this.triggerTimes.deleteService(namespace, name);
      this.replaced.delete(key);
      return;
    }
    if (service.spec?.type === 'ExternalName') return;
    const selector = service.spec?.selector;
    if (selector === undefined || selector === null) return;

    const pods = this.deps.pods.lister.namespace(namespace).list().filter((p) => setSelectorMatches(selector, p.metadata?.labels));
    // Computed before the no-op check so the tracker's state follows every sync.
    const triggerTime = this.triggerTimes.compute(namespace, service, pods);
    const subsets = repackSubsets(desiredSubsets(service, pods, this.deps.logger));

    const current = this.deps.endpoints.lister.namespace(namespace).get(name);
    if (current && this.replaced.get(key) === current.metadata?.resourceVersion) {
      throw new Error(`endpoints informer cache is out of date, resource version ${current.metadata?.resourceVersion} already processed for endpoints ${key}`);
    }
    const serviceLabels = service.metadata?.labels ?? {};
    if (current) {
      const { [headlessServiceLabel]: _headless, ...compareLabels } = current.metadata?.labels ?? {};
      void _headless;
      if (
        sameJSON(current.subsets ?? [], subsets) &&
        sameJSON(sortedEntries(compareLabels), sortedEntries(serviceLabels)) &&
        capacityAnnotationSetCorrectly(current)
      ) {
        return;
      }
    }
    const annotations = { ...current?.metadata?.annotations };
    if (triggerTime !== undefined) annotations[endpointsLastChangeTriggerTimeAnnotation] = formatRFC3339Nano(triggerTime);
    else delete annotations[endpointsLastChangeTriggerTimeAnnotation];
    const written = subsets.map((s) => ({ ...s }));
    if (truncateSubsets(written)) annotations[endpointsOverCapacityAnnotation] = 'truncated';
    else delete annotations[endpointsOverCapacityAnnotation];
    const labels: Record<string, string> = { ...serviceLabels };
    if (!isServiceIPSet(service)) labels[headlessServiceLabel] = '';
    else delete labels[headlessServiceLabel];

    const desired: Endpoints = {
      ...(current ? structuredClone(current) : {}),
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { ...(current ? structuredClone(current.metadata) : { name }), labels, annotations },
      subsets: written,
    };
    try {
      if (!current) {
        await endpointsClient.create(desired);
      } else {
        const updated = await endpointsClient.update(desired);
        if (updated.metadata?.resourceVersion !== current.metadata?.resourceVersion) this.replaced.set(key, current.metadata?.resourceVersion ?? '');
      }
    } catch (err) {
      if (!current && isForbidden(err) && isNamespaceTerminating(err)) return;
      if (!current) {
        this.deps.recorder.event(desired, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${namespace}/${name}: ${errorText(err)}`);
      } else {
        this.deps.recorder.event(desired, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${namespace}/${name}: ${errorText(err)}`);
      }
      throw err;
    }
  }
}

/** One single-address subset per pod and port, before repacking (upstream's loop over pods and ports). */
export function desiredSubsets(service: Service, pods: Pod[], logger?: Logger): corev1.EndpointSubset[] {
  const subsets: corev1.EndpointSubset[] = [];
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const address = podToEndpointAddress(service, pod);
    if (!address) {
      logger?.v(2).info('Failed to find endpoint for service with ClusterIP on pod with error', { service: service.metadata?.name, pod: pod.metadata?.name });
      continue;
    }
    if (shouldSetHostname(pod, service)) address.hostname = pod.spec?.hostname;
    const ready = publishNotReady || isPodReady(pod);
    const subsetFor = (ports: corev1.EndpointPort[]): corev1.EndpointSubset => (ready ? { addresses: [address], ports } : { notReadyAddresses: [address], ports });
    const servicePorts = service.spec?.ports ?? [];
    if (servicePorts.length === 0) {
      // A headless Service may have no ports; its endpoints are addresses only.
      if (service.spec?.clusterIP === 'None') subsets.push(subsetFor([]));
      continue;
    }
    for (const sp of servicePorts) {
      const portNum = findPort(pod, sp);
      if (portNum instanceof Error) {
        logger?.v(4).info('Failed to find port for service', { service: service.metadata?.name, err: portNum.message });
        continue;
      }
      const port: corev1.EndpointPort = { port: portNum, protocol: sp.protocol ?? 'TCP' };
      if (sp.name) port.name = sp.name;
      if (sp.appProtocol) port.appProtocol = sp.appProtocol;
      subsets.push(subsetFor([port]));
    }
  }
  return subsets;
}

/** upstream podToEndpointAddressForService: the pod IP of the Service's primary IP family. */
function podToEndpointAddress(service: Service, pod: Pod): corev1.EndpointAddress | undefined {
  const family = serviceIPFamily(service, pod);
  const ip = podIPs(pod).find((candidate) => ipFamilyOf(candidate) === family);
  if (!ip) return undefined;
  const address: corev1.EndpointAddress = {
    ip,
    targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid },
  };
  if (pod.spec?.nodeName) address.nodeName = pod.spec.nodeName;
  return address;
}

function serviceIPFamily(service: Service, pod: Pod): IPFamily {
  const families = service.spec?.ipFamilies;
  if (families?.length) return families[0] as IPFamily;
  const clusterIP = service.spec?.clusterIP;
  if (clusterIP && clusterIP !== 'None') return ipFamilyOf(clusterIP);
  return ipFamilyOf(pod.status?.podIP ?? '');
}

function isServiceIPSet(service: Service): boolean {
  const ip = service.spec?.clusterIP;
  return !!ip && ip !== 'None';
}

/** upstream capacityAnnotationSetCorrectly: within capacity and without the over-capacity annotation. */
function capacityAnnotationSetCorrectly(ep: Endpoints): boolean {
  let n = 0;
  for (const s of ep.subsets ?? []) n += (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0);
  if (n > 1000) return false;
  return ep.metadata?.annotations?.[endpointsOverCapacityAnnotation] === undefined;
}

function sortedEntries(m: Record<string, string>): Array<[string, string]> {
  return Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Structural equality of JSON data, key order included (both sides are built in canonical order). */
function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Drops undefined and the targetRef resourceVersion (ignored in comparisons, as upstream) and sorts keys. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined || k === 'resourceVersion') continue;
      out[k] = canonical(x);
    }
    return out;
  }
  return v;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The registry's constructor. */
export function newEndpointsController(ctx: ControllerContext): Controller {
  return new EndpointsController({
    client: ctx.client,
    services: ctx.informers.forResource<Service>(servicesResource),
    pods: ctx.informers.forResource<Pod>(resources.pods),
    endpoints: ctx.informers.forResource<Endpoints>(endpointsResource),
    queue: ctx.newQueue('endpoint'),
    recorder: recorderForKind(ctx.recorder('endpoint-controller'), { apiVersion: 'v1', kind: 'Endpoints' }),
    clock: ctx.clock,
    logger: ctx.logger.withName('endpoints'),
    metrics: ctx.metrics,
  });
}
