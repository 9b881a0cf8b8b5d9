// The EndpointSlice controller (upstream pkg/controller/endpointslice): for every Service with a selector,
// EndpointSlices (discovery.k8s.io/v1) listing the matching pods per address family and port set, at most
// 100 endpoints each, with ready/serving/terminating conditions, nodeName and zone.
import type * as corev1 from '../../../api/generated/core/v1.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { Interface } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import type { Controller, ControllerContext, EventRecorder, InformerHandle } from '../../controller-context.js';
import { recorderForKind, resources } from '../../controller-context.js';
import type { ControllerMetrics } from '../../metrics.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import { isNamespaceTerminating } from '../../worker-loop.js';
import { endpointsLastChangeTriggerTimeAnnotation, servicesResource } from '../endpoints/endpoints-controller.js';
import { defaultMaxEndpointsPerSlice, planSlices, portsKey, type DesiredGroup, type Endpoint, type EndpointPort, type EndpointSlice } from './slice-plan.js';
import { SliceWriter } from './slice-writer.js';
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
  type Pod,
  type Service,
} from './util/pod-membership.js';
import { formatRFC3339Nano, TriggerTimeTracker } from './util/trigger-time-tracker.js';

type Node = Typed<corev1.Node>;

export const endpointSlicesResource = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' } as const;
export const nodesResource = { group: '', version: 'v1', resource: 'nodes' } as const;

export const labelServiceName = 'kubernetes.io/service-name';
export const labelManagedBy = 'endpointslice.kubernetes.io/managed-by';
export const endpointSliceControllerName = 'endpointslice-controller.k8s.io';
export const headlessServiceLabel = 'service.kubernetes.io/headless';
export const labelTopologyZone = 'topology.kubernetes.io/zone';

/** upstream maxRetries for a Service key. */
const maxRetries = 15;

export interface EndpointSliceControllerDeps {
  client: Interface;
  services: InformerHandle<Service>;
  pods: InformerHandle<Pod>;
  nodes: InformerHandle<Node>;
  /** Slices managed by this controller (label selector on managed-by). */
  endpointSlices: InformerHandle<EndpointSlice>;
  queue: RateLimitingQueue<string>;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
  /** --max-endpoints-per-slice (default 100). */
  maxEndpointsPerSlice?: number;
}

export class EndpointSliceController implements Controller {
  readonly name = 'endpointslice-controller';
  private readonly triggerTimes = new TriggerTimeTracker();
  private readonly writer: SliceWriter;

  constructor(private readonly deps: EndpointSliceControllerDeps) {
    this.writer = new SliceWriter(deps.client);
    queueServicesOnChanges(deps);
    // Slices changed by someone else (or deleted) bring their Service back; our own writes do not.
    this.writer.queueOnForeignChanges(deps.endpointSlices.informer, endpointSliceControllerName, deps.queue);
  }

  run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    return runAfterCacheSync({
      name: this.name,
      hasSynced: [() => deps.pods.informer.hasSynced(), () => deps.services.informer.hasSynced(), () => deps.endpointSlices.informer.hasSynced(), () => deps.nodes.informer.hasSynced()],
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

  /** upstream syncService + Reconcile. Deleted Services' slices go with the garbage collector (owner reference). */
  async syncService(key: string): Promise<void> {
    const { namespace, name } = splitServiceKey(key);
    const service = this.deps.services.lister.namespace(namespace).get(name);
    if (!service) {
      this.triggerTimes.deleteService(namespace, name);
      this.writer.forgetService(namespace, name);
      return;
    }
    if (service.spec?.type === 'ExternalName') return;
    const selector = service.spec?.selector;
    if (selector === undefined || selector === null) return;
    const pods = this.deps.pods.lister.namespace(namespace).list().filter((p) => setSelectorMatches(selector, p.metadata?.labels));
    const existing = this.deps.endpointSlices.lister
      .namespace(namespace)
      .list()
      .filter((s) => s.metadata?.labels?.[labelServiceName] === name && s.metadata?.labels?.[labelManagedBy] === endpointSliceControllerName && !s.metadata?.deletionTimestamp);
    this.writer.checkFresh(namespace, name, existing);
    const triggerTime = this.triggerTimes.compute(namespace, service, pods);

    const { groups, missingNodes } = this.desiredGroups(service, pods);
    const families = serviceAddressTypes(service, pods);
    const annotate = (slice: EndpointSlice): EndpointSlice => {
      if (triggerTime === undefined) return slice;
      return { ...slice, metadata: { ...slice.metadata, annotations: { ...slice.metadata?.annotations, [endpointsLastChangeTriggerTimeAnnotation]: formatRFC3339Nano(triggerTime) } } };
    };
    const plan = planSlices({
      desired: groups.filter((g) => families.includes(g.addressType)),
      existing,
      maxEndpointsPerSlice: this.deps.maxEndpointsPerSlice ?? defaultMaxEndpointsPerSlice,
      placeholderAddressType: families[0],
      newSlice: (addressType, ports) => newSliceFor(service, addressType, ports),
      refreshMeta: (slice) => refreshSliceMeta(slice, service),
    });
    try {
      await this.writer.apply(namespace, name, { create: plan.create.map(annotate), update: plan.update.map(annotate), delete: plan.delete });
    } catch (err) {
      this.deps.recorder.event(service, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${namespace}/${name}: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
    // Pods on nodes the cache does not know yet were left out; try again once the node shows up.
    if (missingNodes.length) throw new Error(`skipping Pods for Service ${namespace}/${name}: Node ${missingNodes.join(', ')} Not Found`);
  }

  /** The endpoints per address type and port set (upstream reconcileByAddressType's first half). */
  private desiredGroups(service: Service, pods: Pod[]): { groups: DesiredGroup[]; missingNodes: string[] } {
    const groups = new Map<string, DesiredGroup>();
    const missingNodes = new Set<string>();
    const publishNotReady = service.spec?.publishNotReadyAddresses === true;
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, true)) continue;
      const nodeName = pod.spec?.nodeName;
      let node: Node | undefined;
      if (nodeName) {
        node = this.deps.nodes.lister.get(nodeName);
        if (!node) {
          missingNodes.add(nodeName);
          continue;
        }
      }
      const ports = endpointPorts(service, pod);
      for (const addressType of ['IPv4', 'IPv6']) {
        const addresses = podIPs(pod).filter((ip) => ipFamilyOf(ip) === addressType);
        if (addresses.length === 0) continue;
        const serving = isPodReady(pod);
        const terminating = pod.metadata?.deletionTimestamp !== undefined;
        const ep: Endpoint = {
          addresses,
          conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
          targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid },
        };
        if (shouldSetHostname(pod, service)) ep.hostname = pod.spec?.hostname;
        if (nodeName) ep.nodeName = nodeName;
        const zone = node?.metadata?.labels?.[labelTopologyZone];
        if (zone) ep.zone = zone;
        const key = `${addressType}|${portsKey(ports)}`;
        let group = groups.get(key);
        if (!group) groups.set(key, (group = { addressType, ports, endpoints: [] }));
        group.endpoints.push(ep);
      }
    }
    for (const g of groups.values()) g.endpoints.sort((a, b) => (a.addresses[0] < b.addresses[0] ? -1 : a.addresses[0] > b.addresses[0] ? 1 : 0));
    return { groups: [...groups.values()], missingNodes: [...missingNodes] };
  }
}

/** upstream getEndpointPorts: the Service's ports resolved for this pod (unresolvable ones left out). */
function endpointPorts(service: Service, pod: Pod): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of service.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port instanceof Error) continue;
    const ep: EndpointPort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' };
    if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
    out.push(ep);
  }
  return out;
}

/** The address types the Service serves: its ipFamilies, else the family of its clusterIP (or pods). */
function serviceAddressTypes(service: Service, pods: Pod[]): string[] {
  if (service.spec?.ipFamilies?.length) return service.spec.ipFamilies;
  const ip = service.spec?.clusterIP;
  if (ip && ip !== 'None') return [ipFamilyOf(ip)];
  const podIP = pods.map((p) => podIPs(p)[0]).find((x) => x);
  return [podIP ? ipFamilyOf(podIP) : 'IPv4'];
}

/** upstream setEndpointSliceLabels: the Service's labels (reserved keys excluded) plus ours. */
export function sliceLabels(service: Service, managedBy: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(service.metadata?.labels ?? {})) {
    if (k === labelServiceName || k === labelManagedBy || k === headlessServiceLabel) continue;
    labels[k] = v;
  }
  if (!service.spec?.clusterIP || service.spec.clusterIP === 'None') labels[headlessServiceLabel] = '';
  labels[labelServiceName] = service.metadata?.name ?? '';
  labels[labelManagedBy] = managedBy;
  return labels;
}

/** upstream getEndpointSlicePrefix: `<service>-`, or the name cut to fit generateName. */
export function slicePrefix(serviceName: string): string {
  const prefix = `${serviceName}-`;
  return prefix.length > 253 - 5 ? prefix.slice(0, 253 - 5) : prefix;
}

function newSliceFor(service: Service, addressType: string, ports: EndpointPort[]): EndpointSlice {
  const slice: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: slicePrefix(service.metadata?.name ?? ''),
      namespace: service.metadata?.namespace,
      labels: sliceLabels(service, endpointSliceControllerName),
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: service.metadata?.name ?? '', uid: service.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    addressType,
    endpoints: [],
  };
  if (ports.length) slice.ports = ports;
  return slice;
}

function refreshSliceMeta(slice: EndpointSlice, service: Service): { slice: EndpointSlice; changed: boolean } {
  const labels = sliceLabels(service, endpointSliceControllerName);
  const current = slice.metadata?.labels ?? {};
  const changed = Object.keys(labels).length !== Object.keys(current).length || Object.entries(labels).some(([k, v]) => current[k] !== v);
  return { slice: { ...structuredClone(slice), metadata: { ...structuredClone(slice.metadata), labels } }, changed };
}

/** The registry's constructor. */
export function newEndpointSliceController(ctx: ControllerContext): Controller {
  return new EndpointSliceController({
    client: ctx.client,
    services: ctx.informers.forResource<Service>(servicesResource),
    pods: ctx.informers.forResource<Pod>(resources.pods),
    nodes: ctx.informers.forResource<Node>(nodesResource),
    endpointSlices: ctx.informers.forResource<EndpointSlice>(endpointSlicesResource, { labelSelector: `${labelManagedBy}=${endpointSliceControllerName}` }),
    queue: ctx.newQueue('endpoint_slice'),
    recorder: recorderForKind(ctx.recorder('endpoint-slice-controller'), { apiVersion: 'v1', kind: 'Service' }),
    clock: ctx.clock,
    logger: ctx.logger.withName('endpointslice'),
    metrics: ctx.metrics,
  });
}
