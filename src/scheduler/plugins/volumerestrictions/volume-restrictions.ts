// VolumeRestrictions: a node cannot take a pod whose GCE PD / AWS EBS / iSCSI / RBD disk a pod there already
// mounts read-write, and a ReadWriteOncePod PVC may be used by one pod in the whole cluster.
import type { Pod, Volume } from '../../../api/generated/core/v1.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import { ActionType } from '../../framework/events.js';
import type { ClusterEventWithHint, EnqueueExtensions, FilterPlugin, Handle, Plugin, PreFilterExtensions, PreFilterPlugin, PreFilterResult } from '../../framework/interface.js';
import type { NodeInfo, PodInfo } from '../../framework/node-info.js';
import { Code, asStatus, rejection, type Status } from '../../framework/status.js';
import { VolumeRestrictions as Name } from '../names.js';
import { informerVolumeListers, notFoundMessage, type VolumeListers } from '../volumebinding/listers.js';

export const ErrReasonDiskConflict = 'node(s) had no available disk';
export const ErrReasonReadWriteOncePodConflict = 'node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode';

const preFilterStateKey = `PreFilter${Name}`;

class PreFilterState implements StateData {
  constructor(
    /** "namespace/name" of the pod's ReadWriteOncePod PVCs. */
    readonly rwopClaims: ReadonlySet<string>,
    /** How many of them some pod already uses. */
    public conflictingPVCRefCount: number,
  ) {}
  clone(): StateData {
    return new PreFilterState(this.rwopClaims, this.conflictingPVCRefCount);
  }
  /** Adjusts the count for a pod added (1) or removed (−1) in a what-if. */
  update(pi: PodInfo, delta: 1 | -1): void {
    const ns = pi.pod.metadata?.namespace ?? '';
    for (const v of pi.pod.spec?.volumes ?? []) {
      if (v.persistentVolumeClaim && this.rwopClaims.has(`${ns}/${v.persistentVolumeClaim.claimName}`)) this.conflictingPVCRefCount += delta;
    }
  }
}

const needsRestrictionsCheck = (v: Volume): boolean => !!(v.gcePersistentDisk || v.awsElasticBlockStore || v.rbd || v.iscsi);

function haveOverlap(a: readonly string[], b: readonly string[]): boolean {
  const s = new Set(a);
  return b.some((x) => s.has(x));
}

/** Whether `v` conflicts with a volume of `existing` (upstream isVolumeConflict). */
export function isVolumeConflict(v: Volume, existing: Pod): boolean {
  for (const e of existing.spec?.volumes ?? []) {
    if (v.gcePersistentDisk && e.gcePersistentDisk && v.gcePersistentDisk.pdName === e.gcePersistentDisk.pdName && !(v.gcePersistentDisk.readOnly && e.gcePersistentDisk.readOnly)) return true;
    if (v.awsElasticBlockStore && e.awsElasticBlockStore && v.awsElasticBlockStore.volumeID === e.awsElasticBlockStore.volumeID) return true;
    if (v.iscsi && e.iscsi && v.iscsi.iqn === e.iscsi.iqn && !(v.iscsi.readOnly && e.iscsi.readOnly)) return true;
    if (v.rbd && e.rbd) {
      const same = haveOverlap(v.rbd.monitors, e.rbd.monitors) && (v.rbd.pool ?? 'rbd') === (e.rbd.pool ?? 'rbd') && v.rbd.image === e.rbd.image;
      if (same && !(v.rbd.readOnly && e.rbd.readOnly)) return true;
    }
  }
  return false;
}

export interface VolumeRestrictionsOptions {
  handle: Handle;
  listers?: VolumeListers;
}

export class VolumeRestrictionsPlugin implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = Name;
  constructor(private readonly o: VolumeRestrictionsOptions) {}

  preFilter(state: CycleState, pod: Pod): { result: PreFilterResult | null; status: Status | null } {
    const volumes = pod.spec?.volumes ?? [];
    const needsCheck = volumes.some(needsRestrictionsCheck);
    const ns = pod.metadata?.namespace ?? '';
    const rwop = new Set<string>();
    for (const v of volumes) {
      if (!v.persistentVolumeClaim || !this.o.listers) continue;
      const name = v.persistentVolumeClaim.claimName;
      const pvc = this.o.listers.pvc(ns, name);
      if (!pvc) return { result: null, status: rejection(Code.UnschedulableAndUnresolvable, notFoundMessage('persistentvolumeclaim', name)) };
      if (pvc.spec?.accessModes?.includes('ReadWriteOncePod')) rwop.add(`${ns}/${name}`);
    }
    let conflicts = 0;
    if (rwop.size > 0) {
      // Each RWOP claim some scheduled pod already uses counts once (upstream IsPVCUsedByPods).
      const used = new Set<string>();
      for (const ni of this.o.handle.snapshotSharedLister().list()) {
        for (const pi of ni.pods) {
          const pns = pi.pod.metadata?.namespace ?? '';
          for (const pv of pi.pod.spec?.volumes ?? []) if (pv.persistentVolumeClaim) used.add(`${pns}/${pv.persistentVolumeClaim.claimName}`);
        }
      }
      for (const k of rwop) if (used.has(k)) conflicts++;
    }
    if (!needsCheck && conflicts === 0) return { result: null, status: rejection(Code.Skip) };
    state.write(preFilterStateKey, new PreFilterState(rwop, conflicts));
    return { result: null, status: null };
  }

  preFilterExtensions(): PreFilterExtensions {
    const update = (state: CycleState, pi: PodInfo, delta: 1 | -1): Status | null => {
      const s = state.read<PreFilterState>(preFilterStateKey);
      if (!s) return asStatus(new Error(`reading ${JSON.stringify(preFilterStateKey)} from cycleState: not found`));
      s.update(pi, delta);
      return null;
    };
    return { addPod: (state, _pod, pi) => update(state, pi, 1), removePod: (state, _pod, pi) => update(state, pi, -1) };
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    for (const v of pod.spec?.volumes ?? []) {
      if (!needsRestrictionsCheck(v)) continue;
      for (const pi of nodeInfo.pods) if (isVolumeConflict(v, pi.pod)) return rejection(Code.Unschedulable, ErrReasonDiskConflict);
    }
    const s = state.read<PreFilterState>(preFilterStateKey);
    if (!s) return asStatus(new Error(`reading ${JSON.stringify(preFilterStateKey)} from cycleState: not found`));
    if (s.conflictingPVCRefCount > 0) return rejection(Code.Unschedulable, ErrReasonReadWriteOncePodConflict);
    return null;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      // A pod that goes away frees its disks and its ReadWriteOncePod claims.
      { event: { resource: 'AssignedPod', actionType: ActionType.Delete, label: 'AssignedPodDelete' } },
      { event: { resource: 'Node', actionType: ActionType.Add, label: 'NodeAdd' } },
      { event: { resource: 'PersistentVolumeClaim', actionType: ActionType.Add | ActionType.UpdateOther, label: 'PvcAdd|PvcUpdate' } },
    ];
  }
}

export function newVolumeRestrictions(_args: unknown, handle: Handle): Plugin {
  const informers = handle.sharedInformerFactory?.();
  return new VolumeRestrictionsPlugin({ handle, listers: informers ? informerVolumeListers(informers) : undefined });
}
