// NodePorts: rejects nodes where a host port the pod asks for is already taken (same protocol and port, on
// the same IP or on 0.0.0.0).
import type { Pod } from '../../../api/generated/core/v1.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import { ActionType } from '../../framework/events.js';
import {
  QueueingHint,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type FilterPlugin,
  type Plugin,
  type PreFilterPlugin,
  type PreFilterResult,
} from '../../framework/interface.js';
import { HostPortInfo, podHostPorts, type HostPort, type NodeInfo } from '../../framework/node-info.js';
import { Code, rejection, type Status } from '../../framework/status.js';
import { NodePorts as Name } from '../names.js';

export const ErrReason = "node(s) didn't have free ports for the requested pod ports";

const preFilterStateKey = `PreFilter${Name}`;
const statusConflict = rejection(Code.Unschedulable, ErrReason);

class PreFilterState implements StateData {
  constructor(readonly ports: HostPort[]) {}
  clone(): StateData {
    return this;
  }
}

/** Whether any wanted port conflicts with any of `used` (same protocol and port, same IP or 0.0.0.0). */
export function portsConflict(wanted: readonly HostPort[], used: readonly HostPort[]): boolean {
  if (wanted.length === 0 || used.length === 0) return false;
  const info = new HostPortInfo();
  for (const p of used) info.add(p);
  return wanted.some((p) => info.checkConflict(p));
}

export class NodePortsPlugin implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = Name;

  preFilter(state: CycleState, pod: Pod): { result: PreFilterResult | null; status: Status | null } {
    const ports = podHostPorts(pod);
    if (ports.length === 0) return { result: null, status: rejection(Code.Skip) };
    state.write(preFilterStateKey, new PreFilterState(ports));
    return { result: null, status: null };
  }

  preFilterExtensions(): null {
    return null;
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status | null {
    const s = state.read<PreFilterState>(preFilterStateKey);
    if (!s) return rejection(Code.Error, `reading ${JSON.stringify(preFilterStateKey)} from cycleState: not found`);
    if (nodeInfo.usedPorts.len() === 0) return null;
    for (const p of s.ports) if (nodeInfo.usedPorts.checkConflict(p)) return statusConflict;
    return null;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'AssignedPod', actionType: ActionType.Delete, label: 'AssignedPodDelete' },
        // Only the deletion of a pod holding one of the wanted ports can help.
        queueingHintFn: (pod, oldObj) => (portsConflict(podHostPorts(pod), podHostPorts(oldObj as Pod)) ? QueueingHint.Queue : QueueingHint.QueueSkip),
      },
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateOther, label: 'NodeAdd|Update' } },
    ];
  }
}

export function newNodePorts(): Plugin {
  return new NodePortsPlugin();
}
