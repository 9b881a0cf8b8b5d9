// The EndpointSlice mirroring controller (upstream pkg/controller/endpointslicemirroring): for Services
// without a selector whose Endpoints someone wrote by hand, mirrors those Endpoints into EndpointSlices
// (managed-by endpointslicemirroring-controller.k8s.io), so slice consumers see them too.
import type * as corev1 from '../../../api/generated/core/v1.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import { isDeletedFinalStateUnknown } from '../../../client/cache/keys.js';
import type { Interface, KubeObject } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import type { Controller, ControllerContext, EventRecorder, InformerHandle } from '../../controller-context.js';
import { recorderForKind } from '../../controller-context.js';
import type { ControllerMetrics } from '../../metrics.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import { isNamespaceTerminating } from '../../worker-loop.js';
import { endpointsLastChangeTriggerTimeAnnotation, endpointsResource, leaderElectionAnnotation, servicesResource } from '../endpoints/endpoints-controller.js';
import { endpointSlicesResource, labelManagedBy, labelServiceName } from '../endpointslice/endpointslice-controller.js';
import { planSlices, portsKey, type DesiredGroup, type Endpoint, type EndpointPort, type EndpointSlice } from '../endpointslice/slice-plan.js';
import { SliceWriter } from '../endpointslice/slice-writer.js';
import { ipFamilyOf, splitServiceKey, type Service } from '../endpointslice/util/pod-membership.js';

type Endpoints = Typed<corev1.Endpoints>;

export const mirroringControllerName = 'endpointslicemirroring-controller.k8s.io';
/** Endpoints carrying it = "true" are not mirrored. */
export const labelSkipMirror = 'endpointslice.kubernetes.io/skip-mirror';
/** --mirroring-max-endpoints-per-subset default: addresses mirrored per subset, and per slice. */
export const defaultMaxEndpointsPerSubset = 1000;

const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';
const maxRetries = 15;

export interface MirroringControllerDeps {
  client: Interface;
  services: InformerHandle<Service>;
  endpoints: InformerHandle<Endpoints>;
  /** Slices managed by this controller (label selector on managed-by). */
  endpointSlices: InformerHandle<EndpointSlice>;
  queue: RateLimitingQueue<string>;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
  maxEndpointsPerSubset?: number;
}

/** upstream shouldMirror: not marked skip-mirror and not a leader-election lock. */
export function shouldMirror(ep: Endpoints): boolean {
  if (ep.metadata?.labels?.[labelSkipMirror] === 'true') return false;
  return ep.metadata?.annotations?.[leaderElectionAnnotation] === undefined;
}

export class EndpointSliceMirroringController implements Controller {
  readonly name = 'endpointslice-mirroring-controller';
  private readonly writer: SliceWriter;

  constructor(private readonly deps: MirroringControllerDeps) {
    this.writer = new SliceWriter(deps.client);
    const enqueue = (obj: KubeObject) => deps.queue.add(`${obj.metadata?.namespace}/${obj.metadata?.name}`);
    deps.services.informer.addEventHandler({
      onAdd: enqueue,
      onUpdate: (old, svc) => {
        // Only a selector appearing or going away changes whether the Endpoints are mirrored.
        if ((old.spec?.selector == null) !== (svc.spec?.selector == null)) enqueue(svc);
      },
      onDelete: (obj) => enqueue(isDeletedFinalStateUnknown(obj) ? obj.obj : obj),
    });
    deps.endpoints.informer.addEventHandler({
      onAdd: enqueue,
      onUpdate: (_old, ep) => enqueue(ep),
      onDelete: (obj) => enqueue(isDeletedFinalStateUnknown(obj) ? obj.obj : obj),
    });
    // Slices changed by someone else (or deleted) bring their Service back; our own writes do not.
    this.writer.queueOnForeignChanges(deps.endpointSlices.informer, mirroringControllerName, deps.queue);
  }

  run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    return runAfterCacheSync({
      name: this.name,
      hasSynced: [() => deps.services.informer.hasSynced(), () => deps.endpoints.informer.hasSynced(), () => deps.endpointSlices.informer.hasSynced()],
      queue: deps.queue,
      sync: (key) => this.syncEndpoints(key),
      workers: opts.workers,
      signal: opts.signal,
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
      maxRetries,
      isIgnorable: isNamespaceTerminating,
    });
  }

  /** upstream syncEndpoints: mirror, or remove the mirrored slices when there is nothing (left) to mirror. */
  async syncEndpoints(key: string): Promise<void> {
    const { namespace, name } = splitServiceKey(key);
    const existing = this.deps.endpointSlices.lister
      .namespace(namespace)
      .list()
      .filter((s) => s.metadata?.labels?.[labelServiceName] === name && s.metadata?.labels?.[labelManagedBy] === mirroringControllerName && !s.metadata?.deletionTimestamp);
    const endpoints = this.deps.endpoints.lister.namespace(namespace).get(name);
    const service = this.deps.services.lister.namespace(namespace).get(name);
    if (!endpoints || !shouldMirror(endpoints) || !service || (service.spec?.selector !== undefined && service.spec.selector !== null)) {
      if (existing.length) await this.writer.apply(namespace, name, { create: [], update: [], delete: existing });
      if (!endpoints) this.writer.forgetService(namespace, name);
      return;
    }
    this.writer.checkFresh(namespace, name, existing);
    const groups = this.desiredGroups(endpoints);
    const labels = mirroredLabels(endpoints);
    const annotations = mirroredAnnotations(endpoints);
    const sameMap = (a: Record<string, string> | undefined, b: Record<string, string>) =>
      Object.keys(a ?? {}).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => a?.[k] === v);
    const max = this.deps.maxEndpointsPerSubset ?? defaultMaxEndpointsPerSubset;
    const plan = planSlices({
      desired: groups,
      existing,
      maxEndpointsPerSlice: max,
      // Mirroring keeps no placeholder: Endpoints without addresses have no slices.
      placeholderAddressType: undefined,
      newSlice: (addressType, ports) => ({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          generateName: `${name}-`,
          namespace,
          labels,
          annotations,
          ownerReferences: [{ apiVersion: 'v1', kind: 'Endpoints', name, uid: endpoints.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
        },
        addressType,
        ...(ports.length ? { ports } : {}),
        endpoints: [],
      }),
      refreshMeta: (slice) => ({
        slice: { ...structuredClone(slice), metadata: { ...structuredClone(slice.metadata), labels, annotations } },
        changed: !sameMap(slice.metadata?.labels, labels) || !sameMap(slice.metadata?.annotations, annotations),
      }),
    });
    try {
      await this.writer.apply(namespace, name, plan);
    } catch (err) {
      this.deps.recorder.event(endpoints, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating EndpointSlices for Endpoints ${namespace}/${name}: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }

  /** Each subset's addresses (at most the per-subset maximum, ready first) grouped by address type and ports. */
  private desiredGroups(endpoints: Endpoints): DesiredGroup[] {
    const max = this.deps.maxEndpointsPerSubset ?? defaultMaxEndpointsPerSubset;
    const groups = new Map<string, DesiredGroup>();
    for (const subset of endpoints.subsets ?? []) {
      const ports: EndpointPort[] = (subset.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
      const addresses = [...(subset.addresses ?? []).map((a) => ({ a, ready: true })), ...(subset.notReadyAddresses ?? []).map((a) => ({ a, ready: false }))].slice(0, max);
      if (addresses.length < (subset.addresses?.length ?? 0) + (subset.notReadyAddresses?.length ?? 0)) {
        this.deps.logger.info('Endpoints subset over the mirroring limit; addresses skipped', { endpoints: `${endpoints.metadata?.namespace}/${endpoints.metadata?.name}`, max });
      }
      for (const { a, ready } of addresses) {
        if (!isIP(a.ip)) continue;
        const addressType = ipFamilyOf(a.ip);
        const ep: Endpoint = { addresses: [a.ip], conditions: { ready } };
        if (a.hostname) ep.hostname = a.hostname;
        if (a.nodeName) ep.nodeName = a.nodeName;
        if (a.targetRef) ep.targetRef = a.targetRef;
        const key = `${addressType}|${portsKey(ports)}`;
        let group = groups.get(key);
        if (!group) groups.set(key, (group = { addressType, ports, endpoints: [] }));
        if (!group.endpoints.some((e) => e.addresses[0] === a.ip)) group.endpoints.push(ep);
      }
    }
    return [...groups.values()];
  }
}

function isIP(s: string): boolean {
  return /^(\d{1,3}\.){3}\d{1,3}$/.test(s) || (s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s));
}

/** The Endpoints' labels plus the slice labels this controller owns. */
function mirroredLabels(ep: Endpoints): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(ep.metadata?.labels ?? {})) if (k !== labelServiceName && k !== labelManagedBy) labels[k] = v;
  labels[labelServiceName] = ep.metadata?.name ?? '';
  labels[labelManagedBy] = mirroringControllerName;
  return labels;
}

/** The Endpoints' annotations without the trigger time and kubectl's last-applied copy. */
function mirroredAnnotations(ep: Endpoints): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ep.metadata?.annotations ?? {})) if (k !== endpointsLastChangeTriggerTimeAnnotation && k !== lastAppliedAnnotation) out[k] = v;
  return out;
}

/** The registry's constructor. */
export function newEndpointSliceMirroringController(ctx: ControllerContext): Controller {
  return new EndpointSliceMirroringController({
    client: ctx.client,
    services: ctx.informers.forResource<Service>(servicesResource),
    endpoints: ctx.informers.forResource<Endpoints>(endpointsResource),
    endpointSlices: ctx.informers.forResource<EndpointSlice>(endpointSlicesResource, { labelSelector: `${labelManagedBy}=${mirroringControllerName}` }),
    queue: ctx.newQueue('endpoint_slice_mirroring'),
    recorder: recorderForKind(ctx.recorder('endpoint-slice-mirroring-controller'), { apiVersion: 'v1', kind: 'Endpoints' }),
    clock: ctx.clock,
    logger: ctx.logger.withName('endpointslicemirroring'),
    metrics: ctx.metrics,
  });
}
