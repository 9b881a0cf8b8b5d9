// The ephemeral-volume controller (upstream pkg/controller/volume/ephemeral): for every pod volume of the
// generic ephemeral kind (`volumes[].ephemeral.volumeClaimTemplate`) it creates the claim
// `<pod name>-<volume name>` from the template, owned by the pod (controller, blockOwnerDeletion), so the
// garbage collector deletes the claim with the pod. A claim of that name the pod does not own is left alone
// and reported, as upstream.
import type * as corev1 from '../../../api/generated/core/v1.js';
import { isAlreadyExists } from '../../../apimachinery/errors.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { Interface } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import type { Controller, ControllerContext, EventRecorder, InformerHandle } from '../../controller-context.js';
import { recorderForKind } from '../../controller-context.js';
import { deletedObject } from '../../deleted-object.js';
import type { ControllerMetrics } from '../../metrics.js';
import { runAfterCacheSync } from '../../run-after-sync.js';

type Pod = Typed<corev1.Pod>;
type Claim = Typed<corev1.PersistentVolumeClaim>;

export const podsResource = { group: '', version: 'v1', resource: 'pods' } as const;
export const claimsResource = { group: '', version: 'v1', resource: 'persistentvolumeclaims' } as const;

/** upstream ephemeral.VolumeClaimName: the claim of a pod's generic ephemeral volume. */
export function ephemeralClaimName(pod: corev1.Pod, volume: corev1.Volume): string {
  return `${pod.metadata?.name}-${volume.name}`;
}

export interface EphemeralVolumeControllerDeps {
  client: Interface;
  pods: InformerHandle<Pod>;
  claims: InformerHandle<Claim>;
  queue: RateLimitingQueue<string>;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
}

export class EphemeralVolumeController implements Controller {
  readonly name = 'ephemeral-volume-controller';
  private readonly podEvents: EventRecorder;

  constructor(private readonly deps: EphemeralVolumeControllerDeps) {
    this.podEvents = recorderForKind(deps.recorder, { apiVersion: 'v1', kind: 'Pod' });
    const enqueuePod = (pod: Pod) => {
      // Pods being deleted need no new claims; pods without ephemeral volumes need nothing.
      if (pod.metadata?.deletionTimestamp || !(pod.spec?.volumes ?? []).some((v) => v.ephemeral)) return;
      deps.queue.add(`${pod.metadata?.namespace}/${pod.metadata?.name}`);
    };
    deps.pods.informer.addEventHandler({ onAdd: enqueuePod, onUpdate: (_old, pod) => enqueuePod(pod) });
    // A deleted claim of a live pod is created again (upstream's claim delete handler).
    deps.claims.informer.addEventHandler({
      onDelete: (o) => {
        const claim = deletedObject(o);
        const owner = claim.metadata?.ownerReferences?.find((r) => r.controller && r.kind === 'Pod');
        if (owner) deps.queue.add(`${claim.metadata?.namespace}/${owner.name}`);
      },
    });
  }

  run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    return runAfterCacheSync({
      name: this.name,
      hasSynced: [() => deps.pods.informer.hasSynced(), () => deps.claims.informer.hasSynced()],
      queue: deps.queue,
      sync: (key) => this.syncPod(key),
      workers: opts.workers,
      signal: opts.signal,
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
    });
  }

  /** upstream syncHandler: creates each missing claim of the pod's generic ephemeral volumes. */
  async syncPod(key: string): Promise<void> {
    const pod = this.deps.pods.lister.get(key);
    if (!pod || pod.metadata?.deletionTimestamp) return;
    const ns = pod.metadata?.namespace ?? '';
    for (const volume of pod.spec?.volumes ?? []) {
      const template = volume.ephemeral?.volumeClaimTemplate;
      if (!template) continue;
      const name = ephemeralClaimName(pod, volume);
      const existing = this.deps.claims.lister.namespace(ns).get(name);
      if (existing) {
        if (!existing.metadata?.ownerReferences?.some((r) => r.controller && r.uid === pod.metadata?.uid)) {
          this.podEvents.event(pod, 'Warning', 'FailedBinding', `PVC ${ns}/${name} was not created for pod ${ns}/${pod.metadata?.name} (pod is not owner)`);
        }
        continue;
      }
      const claim: Claim = {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: {
          name,
          namespace: ns,
          labels: template.metadata?.labels,
          annotations: template.metadata?.annotations,
          ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
        },
        spec: template.spec,
      };
      try {
        await this.deps.client.resource<Claim>(claimsResource, ns).create(claim);
      } catch (err) {
        // Created meanwhile (our cache lags): the next sync checks its owner.
        if (!isAlreadyExists(err)) {
          this.podEvents.event(pod, 'Warning', 'FailedBinding', `create failed: ${(err as Error).message}`);
          throw err;
        }
      }
    }
  }
}

export function newEphemeralVolumeController(ctx: ControllerContext): Controller {
  return new EphemeralVolumeController({
    client: ctx.client,
    pods: ctx.informers.forResource<Pod>(podsResource),
    claims: ctx.informers.forResource<Claim>(claimsResource),
    queue: ctx.newQueue('ephemeral_volume'),
    recorder: ctx.recorder('ephemeral_volume'),
    clock: ctx.clock,
    logger: ctx.logger.withName('ephemeral-volume'),
    metrics: ctx.metrics,
  });
}
