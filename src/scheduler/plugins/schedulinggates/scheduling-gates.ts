// SchedulingGates: a PreEnqueue plugin that keeps pods with spec.schedulingGates out of the active queue
// until every gate is removed.
import type { Pod } from '../../../api/generated/core/v1.js';
import { ActionType } from '../../framework/events.js';
import type { ClusterEventWithHint, EnqueueExtensions, Plugin, PreEnqueuePlugin } from '../../framework/interface.js';
import { Code, rejection, type Status } from '../../framework/status.js';
import { SchedulingGates as Name } from '../names.js';

export class SchedulingGatesPlugin implements PreEnqueuePlugin, EnqueueExtensions {
  readonly name = Name;

  preEnqueue(pod: Pod): Status | null {
    const gates = pod.spec?.schedulingGates ?? [];
    if (gates.length === 0) return null;
    // Go's %v of a []string: [a b].
    return rejection(Code.UnschedulableAndUnresolvable, `waiting for scheduling gates: [${gates.map((g) => g.name).join(' ')}]`);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [{ event: { resource: 'UnscheduledPod', actionType: ActionType.UpdatePodSchedulingGatesEliminated, label: 'UpdatePodSchedulingGatesEliminated' } }];
  }
}

export function newSchedulingGates(): Plugin {
  return new SchedulingGatesPlugin();
}
