// The PVC protection controller (upstream pkg/controller/volume/pvcprotection): a PersistentVolumeClaim
// carries the `kubernetes.io/pvc-protection` finalizer (added by the StorageObjectInUseProtection admission
// plugin, or here for older claims); once the claim is being deleted and no pod that has not finished uses it,
// the finalizer comes off and the claim goes away. A claim in use stays Terminating.
import type * as corev1 from '../../../api/generated/core/v1.js';
import { isNotFound } from '../../../apimachinery/errors.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import { isDeletedFinalStateUnknown } from '../../../client/cache/keys.js';
import type { DeletedFinalStateUnknown } from '../../../client/cache/interface.js';
import type { Interface, ResourceInterface } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import type { Controller, ControllerContext, InformerHandle } from '../../controller-context.js';
import type { ControllerMetrics } from '../../metrics.js';
import { runAfterCacheSync } from '../../run-after-sync.js';

type Claim = Typed<corev1.PersistentVolumeClaim>;
type Pod = Typed<corev1.Pod>;

export const pvcProtectionFinalizer = 'kubernetes.io/pvc-protection';
export const persistentVolumeClaimsResource = { group: '', version: 'v1', resource: 'persistentvolumeclaims' } as const;
export const podsResource = { group: '', version: 'v1', resource: 'pods' } as const;

/** The claims a pod uses: named claims and the `<pod>-<volume>` claims of its generic ephemeral volumes. */
export function claimNamesOf(pod: Pod): string[] {
  const names: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim?.claimName) names.push(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral) names.push(`${pod.metadata?.name ?? ''}-${v.name}`);
  }
  return names;
}

/** A pod that has finished (Succeeded or Failed) no longer holds its claims. */
function isTerminated(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

export interface PVCProtectionControllerDeps {
  client: Interface;
  claims: InformerHandle<Claim>;
  pods: InformerHandle<Pod>;
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
}

export class PVCProtectionController implements Controller {
  readonly name = 'persistentvolumeclaim-protection-controller';

  constructor(private readonly deps: PVCProtectionControllerDeps) {
    deps.claims.informer.addEventHandler({
      onAdd: (c) => this.enqueueClaim(c),
      onUpdate: (_old, c) => this.enqueueClaim(c),
    });
    // A pod going away (or finishing) may free the claims it used.
    deps.pods.informer.addEventHandler({
      onUpdate: (_old, p) => this.enqueuePodClaims(p),
      onDelete: (p) => this.enqueuePodClaims(p),
    });
  }

  private enqueueClaim(c: Claim): void {
    const fin = c.metadata?.finalizers ?? [];
    // Only claims that need the finalizer added or may need it removed are work.
    if (c.metadata?.deletionTimestamp ? fin.includes(pvcProtectionFinalizer) : !fin.includes(pvcProtectionFinalizer)) {
      this.deps.queue.add(`${c.metadata?.namespace}/${c.metadata?.name}`);
    }
  }

  private enqueuePodClaims(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = isDeletedFinalStateUnknown(obj) ? obj.obj : obj;
    for (const name of claimNamesOf(pod)) this.deps.queue.add(`${pod.metadata?.namespace}/${name}`);
  }

  run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    return runAfterCacheSync({
      name: this.name,
      hasSynced: [() => deps.claims.informer.hasSynced(), () => deps.pods.informer.hasSynced()],
      queue: deps.queue,
      sync: (key) => this.syncClaim(key),
      workers: opts.workers,
      signal: opts.signal,
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
    });
  }

  /** upstream processPVC: add the finalizer to live claims, remove it from deleted claims nobody uses. */
  async syncClaim(key: string): Promise<void> {
    const [namespace, name] = key.split('/') as [string, string];
    const claim = this.deps.claims.lister.namespace(namespace).get(name);
    if (!claim) return;
    const finalizers = claim.metadata?.finalizers ?? [];
    const claims = this.deps.client.resource<Claim>(persistentVolumeClaimsResource, namespace);
    if (!claim.metadata?.deletionTimestamp) {
      if (finalizers.includes(pvcProtectionFinalizer)) return;
      await this.writeFinalizers(claims, claim, [...finalizers, pvcProtectionFinalizer]);
      return;
    }
    if (!finalizers.includes(pvcProtectionFinalizer)) return;
    if (await this.inUse(namespace, name)) {
      this.deps.logger.v(4).info('Claim is still used by a pod; keeping its protection', { pvc: key });
      return;
    }
    await this.writeFinalizers(
      claims,
      claim,
      finalizers.filter((f) => f !== pvcProtectionFinalizer),
    );
  }

  /**
   * Whether a pod that has not finished uses the claim. The cache answers "yes" cheaply; a "no" is confirmed
   * with a live list (as upstream's askAPIServer), so a pod created a moment ago is never missed.
   */
  private async inUse(namespace: string, claimName: string): Promise<boolean> {
    const usedBy = (pods: Pod[]) => pods.some((p) => !isTerminated(p) && claimNamesOf(p).includes(claimName));
    if (usedBy(this.deps.pods.lister.namespace(namespace).list())) return true;
    const live = await this.deps.client.resource<Pod>(podsResource, namespace).list();
    return usedBy(live.items);
  }

  /**
   * Writes the claim's finalizers with an update (its RBAC role allows update, not patch). A conflict (stale
   * cache) is thrown, so the key is retried with backoff once the informer has the newer claim.
   */
  private async writeFinalizers(claims: ResourceInterface<Claim>, claim: Claim, finalizers: string[]): Promise<void> {
    const next = structuredClone(claim) as Claim;
    next.metadata = { ...next.metadata, finalizers };
    try {
      await claims.update(next);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

export function newPVCProtectionController(ctx: ControllerContext): Controller {
  return new PVCProtectionController({
    client: ctx.client,
    claims: ctx.informers.forResource<Claim>(persistentVolumeClaimsResource),
    pods: ctx.informers.forResource<Pod>(podsResource),
    queue: ctx.newQueue('pvcprotection'),
    clock: ctx.clock,
    logger: ctx.logger.withName('pvc-protection'),
    metrics: ctx.metrics,
  });
}
