// VolumeBinding: pods with PersistentVolumeClaims. Filter keeps nodes where bound PVs are reachable and
// WaitForFirstConsumer claims can get a local/hostPath PV (by node affinity) or be provisioned; Reserve sets
// the chosen PVs aside; PreBind binds them through the API, or marks claims for provisioning and waits.
import type { PersistentVolume, PersistentVolumeClaim, Pod } from '../../../api/generated/core/v1.js';
import type { Clock } from '../../../base/clock.js';
import type { Interface as ClientInterface } from '../../../client/rest/interface.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import { ActionType } from '../../framework/events.js';
import type {
  ClusterEventWithHint,
  EnqueueExtensions,
  FilterPlugin,
  Handle,
  Plugin,
  PreBindPlugin,
  PreFilterPlugin,
  PreFilterResult,
  ReservePlugin,
} from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { Code, Status, asStatus, rejection } from '../../framework/status.js';
import { VolumeBinding as Name } from '../names.js';
import { candidateVolumes, claimKey, ErrUnboundImmediate, findPodVolumes, podVolumeClaims, type PodVolumeClaims, type PodVolumes } from './binder.js';
import { informerVolumeListers, type VolumeListers } from './listers.js';

const stateKey = Name;
const pvcs = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
const pvsGVR = { group: '', version: 'v1', resource: 'persistentvolumes' };

export const annSelectedNode = 'volume.kubernetes.io/selected-node';
export const annBindCompleted = 'pv.kubernetes.io/bind-completed';
export const annBoundByController = 'pv.kubernetes.io/bound-by-controller';

/** VolumeBindingArgs (v1). */
export interface VolumeBindingArgs {
  /** How long PreBind waits for provisioned claims to be bound; default 600. */
  bindTimeoutSeconds?: number;
}

class BindingState implements StateData {
  /** The pairing found on each node that passed Filter. */
  readonly podVolumesByNode = new Map<string, PodVolumes>();
  constructor(
    readonly claims: PodVolumeClaims,
    /** candidateVolumes of the delayed claims. */
    readonly candidates: ReadonlyMap<string, readonly PersistentVolume[]>,
  ) {}
  clone(): StateData {
    return this;
  }
}

export interface VolumeBindingOptions {
  args?: unknown;
  handle: Handle;
  listers?: VolumeListers;
  /** How often PreBind re-reads claims waiting for provisioning; default 1000 ms. */
  pollIntervalMs?: number;
}

export class VolumeBindingPlugin implements PreFilterPlugin, FilterPlugin, ReservePlugin, PreBindPlugin, EnqueueExtensions {
  readonly name = Name;
  private readonly bindTimeoutMs: number;
  private readonly pollIntervalMs: number;
  /** PVs set aside by Reserve until PreBind finishes: PV name → claim key (upstream's assume cache). */
  private readonly assumed = new Map<string, string>();

  constructor(private readonly o: VolumeBindingOptions) {
    const args = (o.args ?? {}) as VolumeBindingArgs;
    const t = args.bindTimeoutSeconds ?? 600;
    if (t < 0) throw new Error(`bindTimeoutSeconds: Invalid value: ${t}: invalid BindTimeoutSeconds, should not be a negative value`);
    this.bindTimeoutMs = t * 1000;
    this.pollIntervalMs = o.pollIntervalMs ?? 1000;
  }

  preFilter(state: CycleState, pod: Pod): { result: PreFilterResult | null; status: Status | null } {
    const hasClaims = (pod.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim || v.ephemeral);
    if (!hasClaims || !this.o.listers) return { result: null, status: rejection(Code.Skip) };
    const claims = podVolumeClaims(pod, this.o.listers);
    if ('error' in claims) return { result: null, status: rejection(Code.UnschedulableAndUnresolvable, claims.error) };
    if (claims.immediate.length > 0) return { result: null, status: rejection(Code.UnschedulableAndUnresolvable, ErrUnboundImmediate) };
    state.write(stateKey, new BindingState(claims, candidateVolumes(claims.delayed, claims.delayed.length > 0 ? this.o.listers.pvs() : [])));
    return { result: null, status: null };
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status | null {
    const s = state.read<BindingState>(stateKey);
    if (!s) return asStatus(new Error(`reading ${JSON.stringify(stateKey)} from cycleState: not found`));
    const node = nodeInfo.node;
    if (!node || !this.o.listers) return asStatus(new Error('node not found'));
    const r = findPodVolumes(s.claims, node, { listers: this.o.listers, candidates: s.candidates, assumed: this.assumed });
    if (r.reasons.length > 0) return new Status(Code.UnschedulableAndUnresolvable, r.reasons);
    s.podVolumesByNode.set(nodeInfo.name(), r.podVolumes);
    return null;
  }

  reserve(state: CycleState, _pod: Pod, nodeName: string): Status | null {
    const pv = state.read<BindingState>(stateKey)?.podVolumesByNode.get(nodeName);
    for (const b of pv?.staticBindings ?? []) this.assumed.set(b.pv.metadata?.name ?? '', claimKey(b.pvc));
    return null;
  }

  unreserve(state: CycleState, _pod: Pod, nodeName: string): void {
    const pv = state.read<BindingState>(stateKey)?.podVolumesByNode.get(nodeName);
    for (const b of pv?.staticBindings ?? []) this.assumed.delete(b.pv.metadata?.name ?? '');
  }

  async preBind(state: CycleState, _pod: Pod, nodeName: string, signal: AbortSignal): Promise<Status | null> {
    const s = state.read<BindingState>(stateKey);
    const podVolumes = s?.podVolumesByNode.get(nodeName);
    if (!podVolumes || (podVolumes.staticBindings.length === 0 && podVolumes.dynamicProvisions.length === 0)) return null;
    const client = this.o.handle.clientSet();
    if (!client) return asStatus(new Error('no client to bind volumes with'));
    try {
      // The scheduler writes only its half of each binding (upstream's BindPodVolumes): the PV's claimRef, or
      // the claim's selected-node annotation. The PersistentVolume controller completes the claim's half.
      const written = new Map<string, string>();
      for (const b of podVolumes.staticBindings) written.set(`pv/${b.pv.metadata?.name ?? ''}`, await bindStatic(client, b.pv, b.pvc));
      for (const pvc of podVolumes.dynamicProvisions) written.set(`pvc/${claimKey(pvc)}`, await selectNode(client, pvc, nodeName));
      await this.waitBound(client, { podVolumes, nodeName, written }, signal);
      return null;
    } catch (err) {
      return asStatus(new Error(`binding volumes: ${(err as Error).message}`));
    } finally {
      for (const b of podVolumes.staticBindings) this.assumed.delete(b.pv.metadata?.name ?? '');
    }
  }

  /**
   * Waits, up to bindTimeoutSeconds, until every claim of `podVolumes` is fully bound (spec.volumeName set and
   * the bind-completed annotation present), as upstream's checkBindings. Fails at once when a volume's claimRef
   * was reset or a provisioner gave the claim back (selected-node annotation no longer names `nodeName`).
   * `written` holds the resourceVersion each of our writes produced (`pv/<name>`, `pvc/<namespace>/<name>`):
   * older copies (an informer lagging behind) are waited for, not judged.
   */
  private async waitBound(
    client: ClientInterface,
    w: { podVolumes: PodVolumes; nodeName: string; written: ReadonlyMap<string, string> },
    signal: AbortSignal,
  ): Promise<void> {
    const { podVolumes, nodeName, written } = w;
    const clock: Clock = this.o.handle.clock();
    const deadline = clock.now() + this.bindTimeoutMs;
    const readClaim = async (pvc: PersistentVolumeClaim): Promise<PersistentVolumeClaim | undefined> => {
      const ns = pvc.metadata?.namespace ?? '';
      const name = pvc.metadata?.name ?? '';
      // The informer's copy when there is one (as upstream's claim cache), else a read through the API.
      return this.o.listers ? this.o.listers.pvc(ns, name) : ((await client.resource(pvcs, ns).get(name, { signal })) as PersistentVolumeClaim);
    };
    for (;;) {
      let all = true;
      for (const b of podVolumes.staticBindings) {
        const pvName = b.pv.metadata?.name ?? '';
        const pv = this.o.listers ? this.o.listers.pv(pvName) : ((await client.resource(pvsGVR).get(pvName, { signal })) as PersistentVolume);
        if (!pv) throw new Error(`failed to check binding: persistentvolume ${JSON.stringify(pvName)} not found`);
        const claim = await readClaim(b.pvc);
        if (!claim) throw new Error(`failed to check binding: persistentvolumeclaim ${JSON.stringify(b.pvc.metadata?.name ?? '')} not found`);
        const ref = pv.spec?.claimRef;
        if (olderThan(pv.metadata?.resourceVersion, written.get(`pv/${pvName}`))) all = false;
        else if (!ref?.uid || ref.uid !== claim.metadata?.uid) throw new Error(`ClaimRef got reset for pv ${JSON.stringify(pvName)}`);
        else if (!isFullyBound(claim)) all = false;
      }
      for (const pvc of podVolumes.dynamicProvisions) {
        const claim = await readClaim(pvc);
        if (!claim) throw new Error(`failed to check binding: persistentvolumeclaim ${JSON.stringify(pvc.metadata?.name ?? '')} not found`);
        if (olderThan(claim.metadata?.resourceVersion, written.get(`pvc/${claimKey(pvc)}`))) {
          all = false;
          continue;
        }
        // A provisioner that gives up removes the annotation, handing the claim back for rescheduling.
        if (claim.metadata?.annotations?.[annSelectedNode] !== nodeName) throw new Error(`provisioning failed for PVC ${JSON.stringify(claim.metadata?.name ?? '')}`);
        if (!isFullyBound(claim)) all = false;
      }
      if (all) return;
      if (clock.now() >= deadline) throw new Error('timed out waiting for the condition');
      await clock.sleep(this.pollIntervalMs, signal);
    }
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'PersistentVolumeClaim', actionType: ActionType.Add | ActionType.UpdateOther, label: 'PvcAdd|PvcUpdate' } },
      { event: { resource: 'PersistentVolume', actionType: ActionType.Add | ActionType.UpdateOther, label: 'PvAdd|PvUpdate' } },
      { event: { resource: 'StorageClass', actionType: ActionType.Add | ActionType.UpdateOther, label: 'StorageClassAdd|StorageClassUpdate' } },
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel, label: 'NodeAdd|UpdateNodeLabel' } },
      { event: { resource: 'CSINode', actionType: ActionType.Add | ActionType.UpdateOther, label: 'CSINodeAdd|CSINodeUpdate' } },
    ];
  }
}

/** Whether resourceVersion `seen` predates `wanted` (both decimal, as every k8ts store writes them). */
function olderThan(seen: string | undefined, wanted: string | undefined): boolean {
  if (!wanted || !/^\d+$/.test(wanted)) return false;
  if (!seen || !/^\d+$/.test(seen)) return true;
  return BigInt(seen) < BigInt(wanted);
}

/** A claim the PersistentVolume controller has finished binding (upstream isPVCFullyBound). */
function isFullyBound(pvc: PersistentVolumeClaim): boolean {
  return !!pvc.spec?.volumeName && pvc.metadata?.annotations?.[annBindCompleted] !== undefined;
}

/**
 * The scheduler's half of binding `pv` to `pvc` (upstream GetBindVolumeToClaim + the PV update): the volume's
 * claimRef and the bound-by-controller annotation. The claim's volumeName, its bind-completed annotation and
 * both phases are the PersistentVolume controller's to write. Returns the volume's new resourceVersion.
 */
async function bindStatic(client: ClientInterface, pv: PersistentVolume, pvc: PersistentVolumeClaim): Promise<string> {
  const meta = pvc.metadata ?? {};
  const claimRef = { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: meta.namespace, name: meta.name, uid: meta.uid, resourceVersion: meta.resourceVersion };
  const pvName = pv.metadata?.name ?? '';
  const updated = await client.resource(pvsGVR).patch(pvName, 'merge', { metadata: { annotations: { [annBoundByController]: 'yes' } }, spec: { claimRef } });
  return updated.metadata?.resourceVersion ?? '';
}

/** Marks a claim for provisioning on `nodeName` (upstream: the selected-node annotation); returns its new resourceVersion. */
async function selectNode(client: ClientInterface, pvc: PersistentVolumeClaim, nodeName: string): Promise<string> {
  const meta = pvc.metadata ?? {};
  const updated = await client.resource(pvcs, meta.namespace ?? '').patch(meta.name ?? '', 'merge', { metadata: { annotations: { [annSelectedNode]: nodeName } } });
  return updated.metadata?.resourceVersion ?? '';
}

export function newVolumeBinding(args: unknown, handle: Handle): Plugin {
  const informers = handle.sharedInformerFactory?.();
  return new VolumeBindingPlugin({ args, handle, listers: informers ? informerVolumeListers(informers) : undefined });
}
