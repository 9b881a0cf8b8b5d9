// The persistentvolume-binder controller (upstream pkg/controller/volume/persistentvolume, PersistentVolumeController):
// binds Pending claims to matching volumes, keeps both sides' phases (Available/Bound/Released/Failed,
// Pending/Bound/Lost) and annotations true, and applies a released volume's reclaim policy. k8ts has no
// in-tree volume plugins: claims of a class with a provisioner wait for an external provisioner (as upstream
// does for CSI), and the Delete policy removes only hostPath volumes under /tmp (upstream's hostPath deleter
// rule; the directory itself lives on a node and is not touched here).
import type * as corev1 from '../../../api/generated/core/v1.js';
import type * as storagev1 from '../../../api/generated/storage/v1.js';
import { isConflict, isNotFound } from '../../../apimachinery/errors.js';
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
import {
  annBetaStorageProvisioner,
  annBindCompleted,
  annBoundByController,
  annDynamicallyProvisioned,
  annSelectedNode,
  annStorageProvisioner,
  claimClass,
  findMatchingVolume,
  isVolumeBoundToClaim,
} from './volume-matching.js';

type Claim = Typed<corev1.PersistentVolumeClaim>;
type Volume = Typed<corev1.PersistentVolume>;
type Node = Typed<corev1.Node>;
type StorageClass = Typed<storagev1.StorageClass>;
type Pod = Typed<corev1.Pod>;

export const claimsResource = { group: '', version: 'v1', resource: 'persistentvolumeclaims' } as const;
export const volumesResource = { group: '', version: 'v1', resource: 'persistentvolumes' } as const;
export const storageClassesResource = { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' } as const;
export const nodesResource = { group: '', version: 'v1', resource: 'nodes' } as const;
export const podsResource = { group: '', version: 'v1', resource: 'pods' } as const;

/** Claims indexed by spec.volumeName (upstream's claim index by volume name). */
const claimsByVolumeIndex = 'persistentvolume-binder/volumeName';

/** upstream --pvclaimbinder-sync-period default: every claim and volume is synced again this often. */
export const defaultSyncPeriodMs = 15_000;

export interface PersistentVolumeControllerDeps {
  client: Interface;
  claims: InformerHandle<Claim>;
  volumes: InformerHandle<Volume>;
  classes: InformerHandle<StorageClass>;
  nodes: InformerHandle<Node>;
  pods: InformerHandle<Pod>;
  claimQueue: RateLimitingQueue<string>;
  volumeQueue: RateLimitingQueue<string>;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
  syncPeriodMs?: number;
}

const keyOf = (o: { metadata?: { namespace?: string; name?: string } }): string => (o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : (o.metadata?.name ?? ''));

export class PersistentVolumeController implements Controller {
  readonly name = 'persistentvolume-binder-controller';
  private readonly claimEvents: EventRecorder;
  private readonly volumeEvents: EventRecorder;

  constructor(private readonly deps: PersistentVolumeControllerDeps) {
    this.claimEvents = recorderForKind(deps.recorder, { apiVersion: 'v1', kind: 'PersistentVolumeClaim' });
    this.volumeEvents = recorderForKind(deps.recorder, { apiVersion: 'v1', kind: 'PersistentVolume' });
    // Before the informer starts: the index is built as claims arrive.
    deps.claims.informer.addIndexers({ [claimsByVolumeIndex]: (c) => (c.spec?.volumeName ? [c.spec.volumeName] : []) });
    deps.claims.informer.addEventHandler({
      onAdd: (c) => deps.claimQueue.add(keyOf(c)),
      onUpdate: (_o, c) => deps.claimQueue.add(keyOf(c)),
      // A deleted claim releases its volume: sync the volume it was bound to.
      onDelete: (o) => {
        const c = deletedObject(o);
        if (c.spec?.volumeName) deps.volumeQueue.add(c.spec.volumeName);
      },
    });
    deps.volumes.informer.addEventHandler({
      onAdd: (v) => {
        deps.volumeQueue.add(keyOf(v));
        // Claims waiting for this volume by name (pre-bound) need not wait for the periodic resync.
        for (const c of deps.claims.informer.getIndexer().byIndex(claimsByVolumeIndex, v.metadata?.name ?? '')) {
          if (!c.metadata?.annotations?.[annBindCompleted]) deps.claimQueue.add(keyOf(c));
        }
      },
      onUpdate: (_o, v) => deps.volumeQueue.add(keyOf(v)),
      // A deleted volume may leave a claim Lost.
      onDelete: (o) => {
        const ref = deletedObject(o).spec?.claimRef;
        if (ref?.name) deps.claimQueue.add(`${ref.namespace}/${ref.name}`);
      },
    });
  }

  async run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    const hasSynced = [deps.claims, deps.volumes, deps.classes, deps.nodes, deps.pods].map((h) => () => h.informer.hasSynced());
    const common = { hasSynced, workers: opts.workers, signal: opts.signal, logger: deps.logger, clock: deps.clock, metrics: deps.metrics };
    await Promise.all([
      runAfterCacheSync({ ...common, name: `${this.name}-claims`, queue: deps.claimQueue, sync: (key) => this.syncClaimKey(key) }),
      runAfterCacheSync({ ...common, name: `${this.name}-volumes`, queue: deps.volumeQueue, sync: (key) => this.syncVolumeKey(key) }),
      this.resync(opts.signal),
    ]);
  }

  /** upstream resync: every sync period, every claim and volume is queued again (matches may have appeared). */
  private async resync(signal: AbortSignal): Promise<void> {
    const period = this.deps.syncPeriodMs ?? defaultSyncPeriodMs;
    for (;;) {
      try {
        await this.deps.clock.sleep(period, signal);
      } catch {
        return;
      }
      for (const c of this.deps.claims.lister.list()) this.deps.claimQueue.add(keyOf(c));
      for (const v of this.deps.volumes.lister.list()) this.deps.volumeQueue.add(keyOf(v));
    }
  }

  async syncClaimKey(key: string): Promise<void> {
    const claim = this.deps.claims.lister.get(key);
    if (!claim) return;
    try {
      if (claim.metadata?.annotations?.[annBindCompleted] === undefined) await this.syncUnboundClaim(claim);
      else await this.syncBoundClaim(claim);
    } catch (err) {
      // A conflict means our cache is behind: the update events requeue the object.
      if (!isConflict(err) && !isNotFound(err)) throw err;
    }
  }

  async syncVolumeKey(name: string): Promise<void> {
    const volume = this.deps.volumes.lister.get(name);
    if (!volume) return;
    try {
      await this.syncVolume(volume);
    } catch (err) {
      if (!isConflict(err) && !isNotFound(err)) throw err;
    }
  }

  // ---- claims ----

  /** upstream syncUnboundClaim: the claim has no bind-completed annotation yet. */
  private async syncUnboundClaim(claim: Claim): Promise<void> {
    const volumeName = claim.spec?.volumeName ?? '';
    if (volumeName === '') {
      const cls = claimClass(claim);
      const storageClass = cls ? this.deps.classes.lister.get(cls) : undefined;
      const delayBinding = storageClass?.volumeBindingMode === 'WaitForFirstConsumer';
      const selected = claim.metadata?.annotations?.[annSelectedNode];
      const node = selected ? this.deps.nodes.lister.get(selected) : undefined;
      const volume = findMatchingVolume(claim, this.deps.volumes.lister.list(), { delayBinding, node });
      if (volume) {
        await this.bind(volume as Volume, claim);
        return;
      }
      if (delayBinding && !selected) {
        this.emitWaitingForConsumer(claim);
      } else if (cls !== '') {
        await this.provisionClaim(claim, cls, storageClass);
      } else {
        this.claimEvents.event(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
      }
      await this.setClaimPhase(claim, 'Pending');
      return;
    }
    // Pre-bound by the user (or by the scheduler) to a named volume.
    const volume = this.deps.volumes.lister.get(volumeName);
    if (!volume) {
      await this.setClaimPhase(claim, 'Pending');
      return;
    }
    if (!volume.spec?.claimRef || isVolumeBoundToClaim(volume, claim)) {
      await this.bind(volume, claim);
      return;
    }
    // The volume is bound to another claim: wait (it may be released).
    await this.setClaimPhase(claim, 'Pending');
  }

  /** upstream syncBoundClaim: the claim was bound once; keep it so, or mark it Lost. */
  private async syncBoundClaim(claim: Claim): Promise<void> {
    const volumeName = claim.spec?.volumeName ?? '';
    if (volumeName === '') {
      await this.setClaimPhase(claim, 'Lost', 'ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
      return;
    }
    const volume = this.deps.volumes.lister.get(volumeName);
    if (!volume) {
      await this.setClaimPhase(claim, 'Lost', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
      return;
    }
    if (!volume.spec?.claimRef || isVolumeBoundToClaim(volume, claim)) {
      await this.bind(volume, claim);
      return;
    }
    await this.setClaimPhase(claim, 'Lost', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
  }

  /** upstream emitEventForUnboundDelayBindingClaim. */
  private emitWaitingForConsumer(claim: Claim): void {
    const ns = claim.metadata?.namespace ?? '';
    const name = claim.metadata?.name ?? '';
    const users = this.deps.pods.lister
      .namespace(ns)
      .list()
      .filter((p) => !p.spec?.nodeName && (p.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === name));
    if (users.length > 0) {
      this.claimEvents.event(claim, 'Normal', 'WaitForPodScheduled', `waiting for pod ${users[0]!.metadata?.name} to be scheduled`);
    } else {
      this.claimEvents.event(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
    }
  }

  /**
   * upstream provisionClaim for a class whose provisioner is external (every class in k8ts): the claim is
   * annotated with the provisioner's name and left to it.
   */
  private async provisionClaim(claim: Claim, cls: string, storageClass: StorageClass | undefined): Promise<void> {
    if (!storageClass) {
      this.claimEvents.event(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${cls}" not found`);
      return;
    }
    const provisioner = storageClass.provisioner;
    const annotations = claim.metadata?.annotations ?? {};
    if (annotations[annStorageProvisioner] !== provisioner || annotations[annBetaStorageProvisioner] !== provisioner) {
      const next = structuredClone(claim) as Claim;
      next.metadata = { ...next.metadata, annotations: { ...annotations, [annStorageProvisioner]: provisioner, [annBetaStorageProvisioner]: provisioner } };
      await this.deps.client.resource<Claim>(claimsResource, claim.metadata?.namespace ?? '').update(next);
    }
    this.claimEvents.event(
      claim,
      'Normal',
      'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    );
  }

  /**
   * upstream bind: the volume's claimRef, the volume Bound, the claim's volumeName and annotations, the claim
   * Bound with the volume's capacity and access modes — each write skipped when already so.
   */
  private async bind(volume: Volume, claim: Claim): Promise<void> {
    const volumes = this.deps.client.resource<Volume>(volumesResource, '');
    const claims = this.deps.client.resource<Claim>(claimsResource, claim.metadata?.namespace ?? '');
    const meta = claim.metadata ?? {};
    let pv = volume;
    const ref = pv.spec?.claimRef;
    if (!ref || ref.uid !== meta.uid || ref.resourceVersion === undefined) {
      const next = structuredClone(pv) as Volume;
      next.spec = {
        ...next.spec,
        claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: meta.namespace, name: meta.name, uid: meta.uid, resourceVersion: meta.resourceVersion },
      };
      if (!ref) next.metadata = { ...next.metadata, annotations: { ...next.metadata?.annotations, [annBoundByController]: 'yes' } };
      pv = await volumes.update(next);
    }
    if (pv.status?.phase !== 'Bound') {
      pv = await volumes.updateStatus({ ...structuredClone(pv), status: { ...pv.status, phase: 'Bound', message: undefined, reason: undefined } } as Volume);
    }
    let pvc = claim;
    const annotations = meta.annotations ?? {};
    if (pvc.spec?.volumeName !== pv.metadata?.name || annotations[annBindCompleted] !== 'yes') {
      const next = structuredClone(pvc) as Claim;
      const added: Record<string, string> = { [annBindCompleted]: 'yes' };
      if (!pvc.spec?.volumeName) added[annBoundByController] = 'yes';
      next.metadata = { ...next.metadata, annotations: { ...annotations, ...added } };
      next.spec = { ...next.spec, volumeName: pv.metadata?.name };
      pvc = await claims.update(next);
    }
    const capacity = pv.spec?.capacity;
    const accessModes = pv.spec?.accessModes;
    if (pvc.status?.phase !== 'Bound' || JSON.stringify(pvc.status?.capacity) !== JSON.stringify(capacity) || JSON.stringify(pvc.status?.accessModes) !== JSON.stringify(accessModes)) {
      await claims.updateStatus({ ...structuredClone(pvc), status: { ...pvc.status, phase: 'Bound', capacity, accessModes } } as Claim);
    }
  }

  private async setClaimPhase(claim: Claim, phase: 'Pending' | 'Lost', reason?: string, message?: string): Promise<void> {
    if (reason && message && claim.status?.phase !== phase) this.claimEvents.event(claim, 'Warning', reason, message);
    if (claim.status?.phase === phase) return;
    await this.deps.client.resource<Claim>(claimsResource, claim.metadata?.namespace ?? '').updateStatus({ ...structuredClone(claim), status: { ...claim.status, phase } } as Claim);
  }

  // ---- volumes ----

  /** upstream syncVolume. */
  private async syncVolume(volume: Volume): Promise<void> {
    const ref = volume.spec?.claimRef;
    if (!ref) {
      await this.setVolumePhase(volume, 'Available');
      return;
    }
    if (!ref.uid) {
      // Pre-bound by the user to a claim that does not know yet: the claim's sync binds them.
      await this.setVolumePhase(volume, 'Available');
      return;
    }
    const found = this.deps.claims.lister.get(`${ref.namespace}/${ref.name}`);
    const claim = found && found.metadata?.uid === ref.uid ? found : undefined;
    if (!claim) {
      if (volume.status?.phase === 'Released' || volume.status?.phase === 'Failed') {
        if (volume.status.phase === 'Released') await this.reclaim(volume);
        return;
      }
      // The cache may lag a claim just created: ask the apiserver before releasing the volume.
      const live = await this.deps.client
        .resource<Claim>(claimsResource, ref.namespace ?? '')
        .get(ref.name ?? '')
        .catch((err: unknown) => {
          if (isNotFound(err)) return undefined;
          throw err;
        });
      if (live && live.metadata?.uid === ref.uid) return;
      const released = await this.setVolumePhase(volume, 'Released');
      await this.reclaim(released);
      return;
    }
    if (!claim.spec?.volumeName) {
      // Bound from the volume's side only (the scheduler's half of a binding, or a user's edit): the claim's
      // sync completes it, so queue the claim now rather than at the next resync.
      this.deps.claimQueue.add(`${ref.namespace}/${ref.name}`);
      return;
    }
    if (claim.spec.volumeName === volume.metadata?.name) {
      await this.setVolumePhase(volume, 'Bound');
      return;
    }
    // The claim is bound to another volume. A volume the controller bound is unbound; a user's pre-binding
    // keeps its claim name but loses the uid, so it waits for that claim again.
    const next = structuredClone(volume) as Volume;
    const annotations = { ...next.metadata?.annotations };
    if (annotations[annBoundByController] === 'yes') {
      delete annotations[annBoundByController];
      next.spec = { ...next.spec, claimRef: undefined };
    } else {
      next.spec = { ...next.spec, claimRef: { ...ref, uid: undefined } };
    }
    next.metadata = { ...next.metadata, annotations };
    const updated = await this.deps.client.resource<Volume>(volumesResource, '').update(next);
    await this.setVolumePhase(updated, 'Available');
  }

  /** upstream reclaimVolume for a Released volume. */
  private async reclaim(volume: Volume): Promise<void> {
    const policy = volume.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
    const name = volume.metadata?.name ?? '';
    if (policy === 'Retain') return;
    if (policy === 'Recycle') {
      this.volumeEvents.event(volume, 'Warning', 'VolumeFailedRecycle', 'No recycler plugin found for the volume!');
      await this.setVolumePhase(volume, 'Failed', 'No recycler plugin found for the volume!');
      return;
    }
    // Delete. Dynamically provisioned volumes are deleted by their (external) provisioner.
    if (volume.metadata?.annotations?.[annDynamicallyProvisioned]) return;
    const hostPath = volume.spec?.hostPath?.path;
    let failure: string | undefined;
    if (hostPath !== undefined) {
      if (!/^\/tmp\/.+/.test(hostPath)) failure = `host_path deleter only supports /tmp/.+ but received provided ${hostPath}`;
    } else {
      failure = `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched`;
    }
    if (failure) {
      this.volumeEvents.event(volume, 'Warning', 'VolumeFailedDelete', failure);
      await this.setVolumePhase(volume, 'Failed', failure);
      return;
    }
    try {
      await this.deps.client.resource<Volume>(volumesResource, '').delete(name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async setVolumePhase(volume: Volume, phase: 'Available' | 'Bound' | 'Released' | 'Failed', message?: string): Promise<Volume> {
    if (volume.status?.phase === phase && (volume.status?.message ?? undefined) === message) return volume;
    return this.deps.client.resource<Volume>(volumesResource, '').updateStatus({ ...structuredClone(volume), status: { ...volume.status, phase, message } } as Volume);
  }
}

export function newPersistentVolumeController(ctx: ControllerContext): Controller {
  return new PersistentVolumeController({
    client: ctx.client,
    claims: ctx.informers.forResource<Claim>(claimsResource),
    volumes: ctx.informers.forResource<Volume>(volumesResource),
    classes: ctx.informers.forResource<StorageClass>(storageClassesResource),
    nodes: ctx.informers.forResource<Node>(nodesResource),
    pods: ctx.informers.forResource<Pod>(podsResource),
    claimQueue: ctx.newQueue('claims'),
    volumeQueue: ctx.newQueue('volumes'),
    recorder: ctx.recorder('persistentvolume-controller'),
    clock: ctx.clock,
    logger: ctx.logger.withName('persistentvolume-binder'),
    metrics: ctx.metrics,
  });
}
