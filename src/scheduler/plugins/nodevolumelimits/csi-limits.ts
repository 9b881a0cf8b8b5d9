// NodeVolumeLimits: a node's CSI drivers can attach only so many volumes (CSINode
// spec.drivers[].allocatable.count). The pod's new CSI volumes plus those already used on the node must stay
// within each driver's limit (upstream nodevolumelimits/csi.go, without in-tree plugin migration).
import type { Pod } from '../../../api/generated/core/v1.js';
import type { CSINode } from '../../../api/generated/storage/v1.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { ActionType } from '../../framework/events.js';
import type { ClusterEventWithHint, EnqueueExtensions, FilterPlugin, Handle, Plugin, PreFilterPlugin, PreFilterResult } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { Code, rejection, type Status } from '../../framework/status.js';
import { NodeVolumeLimits as Name } from '../names.js';
import { claimClass, informerVolumeListers, notFoundMessage, type VolumeListers } from '../volumebinding/listers.js';

export const ErrReasonMaxVolumeCountExceeded = 'node(s) exceed max volume count';

export class CSILimitsPlugin implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = Name;
  constructor(private readonly listers: VolumeListers | undefined) {}

  /** Skip pods without volumes a CSI driver could attach. */
  preFilter(_state: CycleState, pod: Pod): { result: PreFilterResult | null; status: Status | null } {
    const any = (pod.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim || v.ephemeral || v.csi);
    return { result: null, status: any && this.listers ? null : rejection(Code.Skip) };
  }

  /**
   * Adds the pod's attachable CSI volumes to `out` (unique name → driver). For the incoming pod a missing
   * PVC is an error (returned as a message); for pods already on the node it is skipped.
   */
  private attachableVolumes(pod: Pod, csiNode: CSINode | undefined, newPod: boolean, out: Map<string, string>): string | undefined {
    const listers = this.listers as VolumeListers;
    const ns = pod.metadata?.namespace ?? '';
    for (const v of pod.spec?.volumes ?? []) {
      if (v.csi) {
        // Inline CSI volumes are unique to the pod.
        out.set(`${v.csi.driver}/${ns}-${pod.metadata?.name ?? ''}-${v.name}`, v.csi.driver);
        continue;
      }
      const claimName = v.persistentVolumeClaim?.claimName ?? (v.ephemeral ? `${pod.metadata?.name ?? ''}-${v.name}` : undefined);
      if (claimName === undefined) continue;
      const pvc = listers.pvc(ns, claimName);
      if (!pvc) {
        if (newPod) return notFoundMessage('persistentvolumeclaim', claimName);
        continue;
      }
      const { driver, handle } = this.csiDriverInfo(csiNode, pvc.spec?.volumeName ?? '', claimClass(pvc), `${ns}-${claimName}`);
      if (driver !== '') out.set(`${driver}/${handle}`, driver);
    }
    return undefined;
  }

  /** The driver and volume handle of a claim: from its bound PV, else from its class's provisioner. */
  private csiDriverInfo(csiNode: CSINode | undefined, pvName: string, className: string, claimKey: string): { driver: string; handle: string } {
    const listers = this.listers as VolumeListers;
    const pv = pvName ? listers.pv(pvName) : undefined;
    if (pv?.spec?.csi) return { driver: pv.spec.csi.driver, handle: pv.spec.csi.volumeHandle };
    if (pv) return { driver: '', handle: '' };
    const sc = className ? listers.storageClass(className) : undefined;
    // Not yet provisioned: counted under the provisioner's name, unique per claim.
    if (sc && csiNode?.spec?.drivers.some((d) => d.name === sc.provisioner)) return { driver: sc.provisioner, handle: claimKey };
    return { driver: '', handle: '' };
  }

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    if ((pod.spec?.volumes?.length ?? 0) === 0 || !this.listers) return null;
    const node = nodeInfo.node;
    if (!node) return rejection(Code.Error, 'node not found');
    const csiNode = this.listers.csiNode(node.metadata?.name ?? '');
    const newVolumes = new Map<string, string>();
    const err = this.attachableVolumes(pod, csiNode, true, newVolumes);
    if (err) return rejection(Code.UnschedulableAndUnresolvable, err);
    if (newVolumes.size === 0) return null;
    const limits = new Map<string, number>();
    for (const d of csiNode?.spec?.drivers ?? []) if (d.allocatable?.count !== undefined) limits.set(d.name, d.allocatable.count);
    if (limits.size === 0) return null;
    const attached = new Map<string, string>();
    for (const pi of nodeInfo.pods) this.attachableVolumes(pi.pod, csiNode, false, attached);
    const attachedCount = new Map<string, number>();
    for (const driver of attached.values()) attachedCount.set(driver, (attachedCount.get(driver) ?? 0) + 1);
    const newCount = new Map<string, number>();
    // A volume already attached for another pod does not count again.
    for (const [k, driver] of newVolumes) if (!attached.has(k)) newCount.set(driver, (newCount.get(driver) ?? 0) + 1);
    for (const [driver, n] of newCount) {
      const max = limits.get(driver);
      if (max !== undefined && (attachedCount.get(driver) ?? 0) + n > max) return rejection(Code.Unschedulable, ErrReasonMaxVolumeCountExceeded);
    }
    return null;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'CSINode', actionType: ActionType.Add | ActionType.UpdateOther, label: 'CSINodeAdd|CSINodeUpdate' } },
      { event: { resource: 'AssignedPod', actionType: ActionType.Delete, label: 'AssignedPodDelete' } },
      { event: { resource: 'PersistentVolumeClaim', actionType: ActionType.Add, label: 'PvcAdd' } },
    ];
  }
}

export function newNodeVolumeLimits(_args: unknown, handle: Handle): Plugin {
  const informers = handle.sharedInformerFactory?.();
  return new CSILimitsPlugin(informers ? informerVolumeListers(informers) : undefined);
}
