// The PV protection controller (upstream pkg/controller/volume/pvprotection): a PersistentVolume carries the
// `kubernetes.io/pv-protection` finalizer; once it is being deleted and is no longer Bound to a claim, the
// finalizer comes off and the volume goes away.
import type * as corev1 from '../../../api/generated/core/v1.js';
import { isNotFound } from '../../../apimachinery/errors.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { Interface } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import type { Controller, ControllerContext, InformerHandle } from '../../controller-context.js';
import type { ControllerMetrics } from '../../metrics.js';
import { runAfterCacheSync } from '../../run-after-sync.js';

type Volume = Typed<corev1.PersistentVolume>;

export const pvProtectionFinalizer = 'kubernetes.io/pv-protection';
export const persistentVolumesResource = { group: '', version: 'v1', resource: 'persistentvolumes' } as const;

export interface PVProtectionControllerDeps {
  client: Interface;
  volumes: InformerHandle<Volume>;
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
}

export class PVProtectionController implements Controller {
  readonly name = 'persistentvolume-protection-controller';

  constructor(private readonly deps: PVProtectionControllerDeps) {
    const enqueue = (v: Volume) => {
      if (v.metadata?.name) deps.queue.add(v.metadata.name);
    };
    deps.volumes.informer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, v) => enqueue(v) });
  }

  run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    return runAfterCacheSync({
      name: this.name,
      hasSynced: [() => deps.volumes.informer.hasSynced()],
      queue: deps.queue,
      sync: (key) => this.syncVolume(key),
      workers: opts.workers,
      signal: opts.signal,
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
    });
  }

  /** upstream processPV: add the finalizer to live volumes; remove it from deleted ones that are not Bound. */
  async syncVolume(name: string): Promise<void> {
    const pv = this.deps.volumes.lister.get(name);
    if (!pv) return;
    const finalizers = pv.metadata?.finalizers ?? [];
    let next: string[] | undefined;
    if (!pv.metadata?.deletionTimestamp) {
      if (!finalizers.includes(pvProtectionFinalizer)) next = [...finalizers, pvProtectionFinalizer];
    } else if (finalizers.includes(pvProtectionFinalizer) && pv.status?.phase !== 'Bound') {
      next = finalizers.filter((f) => f !== pvProtectionFinalizer);
    }
    if (!next) return;
    const updated = structuredClone(pv) as Volume;
    updated.metadata = { ...updated.metadata, finalizers: next };
    try {
      await this.deps.client.resource<Volume>(persistentVolumesResource, '').update(updated);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

export function newPVProtectionController(ctx: ControllerContext): Controller {
  return new PVProtectionController({
    client: ctx.client,
    volumes: ctx.informers.forResource<Volume>(persistentVolumesResource),
    queue: ctx.newQueue('pvprotection'),
    clock: ctx.clock,
    logger: ctx.logger.withName('pv-protection'),
    metrics: ctx.metrics,
  });
}
