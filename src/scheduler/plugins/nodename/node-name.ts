// NodeName: a pod that names its node (spec.nodeName) fits only that node. The scheduler never sees such
// pods from the API (they are already bound), but preemption and simulations do.
import type { Pod } from '../../../api/generated/core/v1.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { ActionType } from '../../framework/events.js';
import type { ClusterEventWithHint, EnqueueExtensions, FilterPlugin, Plugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { Code, rejection, type Status } from '../../framework/status.js';
import { NodeName as Name } from '../names.js';

export const ErrReason = "node(s) didn't match the requested node name";
const statusMismatch = rejection(Code.UnschedulableAndUnresolvable, ErrReason);

export class NodeNamePlugin implements FilterPlugin, EnqueueExtensions {
  readonly name = Name;

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    const want = pod.spec?.nodeName;
    if (!want || want === nodeInfo.name()) return null;
    return statusMismatch;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [{ event: { resource: 'Node', actionType: ActionType.Add, label: 'NodeAdd' } }];
  }
}

export function newNodeName(): Plugin {
  return new NodeNamePlugin();
}
