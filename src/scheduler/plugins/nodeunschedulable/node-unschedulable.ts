// NodeUnschedulable: rejects nodes with spec.unschedulable (cordoned) unless the pod tolerates the
// node.kubernetes.io/unschedulable:NoSchedule taint.
import type { Node, Pod, Taint } from '../../../api/generated/core/v1.js';
import { ActionType } from '../../framework/events.js';
import { QueueingHint, type ClusterEventWithHint, type EnqueueExtensions, type FilterPlugin, type Plugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { Code, rejection, type Status } from '../../framework/status.js';
import { tolerationsTolerateTaint } from '../../framework/taints.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { NodeUnschedulable as Name } from '../names.js';

export const ErrReasonUnknownCondition = 'node(s) had unknown conditions';
export const ErrReasonUnschedulable = 'node(s) were unschedulable';

/** The taint a cordoned node implies (upstream v1.TaintNodeUnschedulable). */
export const TaintNodeUnschedulable = 'node.kubernetes.io/unschedulable';
const unschedulableTaint: Taint = { key: TaintNodeUnschedulable, effect: 'NoSchedule' };
const statusUnknown = rejection(Code.UnschedulableAndUnresolvable, ErrReasonUnknownCondition);
const statusUnschedulable = rejection(Code.UnschedulableAndUnresolvable, ErrReasonUnschedulable);

export class NodeUnschedulablePlugin implements FilterPlugin, EnqueueExtensions {
  readonly name = Name;

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    const node = nodeInfo.node;
    if (!node) return statusUnknown;
    if (!node.spec?.unschedulable) return null;
    if (tolerationsTolerateTaint(pod.spec?.tolerations, unschedulableTaint)) return null;
    return statusUnschedulable;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint, label: 'NodeAdd|UpdateNodeTaint' },
        // Queue only when the node is (now) schedulable, or the pod tolerates the cordon.
        queueingHintFn: (pod, _old, newObj) =>
          !(newObj as Node | undefined)?.spec?.unschedulable || tolerationsTolerateTaint(pod.spec?.tolerations, unschedulableTaint) ? QueueingHint.Queue : QueueingHint.QueueSkip,
      },
    ];
  }
}

export function newNodeUnschedulable(): Plugin {
  return new NodeUnschedulablePlugin();
}
