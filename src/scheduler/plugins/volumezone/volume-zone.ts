// VolumeZone: a pod whose bound PersistentVolumes carry zone/region labels only fits nodes in those zones
// (PV label values may list several zones joined by "__"). Unbound WaitForFirstConsumer claims are left to
// VolumeBinding.
import type { PersistentVolume, Pod } from '../../../api/generated/core/v1.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import { ActionType } from '../../framework/events.js';
import type { ClusterEventWithHint, EnqueueExtensions, FilterPlugin, Handle, Plugin, PreFilterPlugin, PreFilterResult } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { Code, asStatus, rejection, type Status } from '../../framework/status.js';
import { VolumeZone as Name } from '../names.js';
import { claimClass, informerVolumeListers, notFoundMessage, type VolumeListers } from '../volumebinding/listers.js';

export const ErrReasonConflict = 'node(s) had no available volume zone';

const preFilterStateKey = `PreFilter${Name}`;

const betaZone = 'failure-domain.beta.kubernetes.io/zone';
const betaRegion = 'failure-domain.beta.kubernetes.io/region';
const gaZone = 'topology.kubernetes.io/zone';
const gaRegion = 'topology.kubernetes.io/region';
/** The labels that constrain placement, beta and GA spellings. */
export const topologyLabels = [betaZone, betaRegion, gaZone, gaRegion];

const toGA: Record<string, string> = { [betaZone]: gaZone, [betaRegion]: gaRegion };

interface PVTopology {
  key: string;
  values: Set<string>;
}

class PreFilterState implements StateData {
  constructor(readonly topologies: readonly PVTopology[]) {}
  clone(): StateData {
    return this;
  }
}

function pvTopologies(pv: PersistentVolume): PVTopology[] {
  const out: PVTopology[] = [];
  const labels = pv.metadata?.labels ?? {};
  for (const key of topologyLabels) {
    const v = labels[key];
    if (v === undefined) continue;
    const values = new Set(v.split('__').map((z) => z.trim()).filter((z) => z !== ''));
    if (values.size > 0) out.push({ key, values });
  }
  return out;
}

export class VolumeZonePlugin implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = Name;
  constructor(private readonly listers: VolumeListers | undefined) {}

  /** The zone/region constraints of the pod's bound PVs, or why they cannot be known (upstream getPVbyPod). */
  private topologies(pod: Pod): PVTopology[] | Status {
    const listers = this.listers as VolumeListers;
    const out: PVTopology[] = [];
    const ns = pod.metadata?.namespace ?? '';
    for (const v of pod.spec?.volumes ?? []) {
      if (!v.persistentVolumeClaim) continue;
      const claimName = v.persistentVolumeClaim.claimName;
      if (claimName === '') return rejection(Code.UnschedulableAndUnresolvable, 'PersistentVolumeClaim had no name');
      const pvc = listers.pvc(ns, claimName);
      if (!pvc) return rejection(Code.UnschedulableAndUnresolvable, notFoundMessage('persistentvolumeclaim', claimName));
      const pvName = pvc.spec?.volumeName ?? '';
      if (pvName === '') {
        const scName = claimClass(pvc);
        if (scName === '') return rejection(Code.UnschedulableAndUnresolvable, 'PersistentVolumeClaim had no pv name and storageClass name');
        const sc = listers.storageClass(scName);
        if (!sc) return rejection(Code.UnschedulableAndUnresolvable, notFoundMessage('storageclass.storage.k8s.io', scName));
        if (!sc.volumeBindingMode) return rejection(Code.UnschedulableAndUnresolvable, `VolumeBindingMode not set for StorageClass ${JSON.stringify(scName)}`);
        if (sc.volumeBindingMode === 'WaitForFirstConsumer') continue;
        return rejection(Code.UnschedulableAndUnresolvable, 'PersistentVolume had no name');
      }
      const pv = listers.pv(pvName);
      if (!pv) return rejection(Code.UnschedulableAndUnresolvable, notFoundMessage('persistentvolume', pvName));
      out.push(...pvTopologies(pv));
    }
    return out;
  }

  preFilter(state: CycleState, pod: Pod): { result: PreFilterResult | null; status: Status | null } {
    if (!this.listers) return { result: null, status: rejection(Code.Skip) };
    const t = this.topologies(pod);
    if (!Array.isArray(t)) return { result: null, status: t };
    if (t.length === 0) return { result: null, status: rejection(Code.Skip) };
    state.write(preFilterStateKey, new PreFilterState(t));
    return { result: null, status: null };
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    if ((pod.spec?.volumes?.length ?? 0) === 0) return null;
    const s = state.read<PreFilterState>(preFilterStateKey);
    if (!s) return asStatus(new Error(`reading ${JSON.stringify(preFilterStateKey)} from cycleState: not found`));
    const labels = nodeInfo.node?.metadata?.labels ?? {};
    // A node without any zone/region label is not constrained.
    if (!topologyLabels.some((k) => k in labels)) return null;
    for (const t of s.topologies) {
      const v = labels[t.key] ?? (toGA[t.key] ? labels[toGA[t.key]] : undefined);
      if (v === undefined || !t.values.has(v)) return rejection(Code.UnschedulableAndUnresolvable, ErrReasonConflict);
    }
    return null;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'StorageClass', actionType: ActionType.Add, label: 'StorageClassAdd' } },
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel, label: 'NodeAdd|UpdateNodeLabel' } },
      { event: { resource: 'PersistentVolumeClaim', actionType: ActionType.Add | ActionType.UpdateOther, label: 'PvcAdd|PvcUpdate' } },
      { event: { resource: 'PersistentVolume', actionType: ActionType.Add | ActionType.UpdateOther, label: 'PvAdd|PvUpdate' } },
    ];
  }
}

export function newVolumeZone(_args: unknown, handle: Handle): Plugin {
  const informers = handle.sharedInformerFactory?.();
  return new VolumeZonePlugin(informers ? informerVolumeListers(informers) : undefined);
}
