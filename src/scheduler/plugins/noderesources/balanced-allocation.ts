// NodeResourcesBalancedAllocation: prefer nodes whose resource fractions would stay close to each other
// (score = (1 − standard deviation of requested/allocatable) × 100).
import type { Pod } from '../../../api/generated/core/v1.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import { ActionType } from '../../framework/events.js';
import { MaxNodeScore, type ClusterEventWithHint, type EnqueueExtensions, type Plugin, type PreScorePlugin, type ScorePlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { Code, rejection, type Status } from '../../framework/status.js';
import { NodeResourcesBalancedAllocation as Name } from '../names.js';
import { completeBalancedAllocationArgs, type NodeResourcesBalancedAllocationArgs } from './args.js';
import { ResourceAllocationScorer, type Scorer } from './resource-allocation.js';

const preScoreStateKey = `PreScore${Name}`;

class PreScoreState implements StateData {
  constructor(readonly podRequests: number[]) {}
  clone(): StateData {
    return this;
  }
}

/** Upstream balancedResourceScorer: fractions capped at 1; with two resources std = |f1 − f2| / 2. */
export const balancedResourceScorer: Scorer = (requested, allocatable) => {
  const fractions: number[] = [];
  let total = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const f = Math.min(requested[i] / allocatable[i], 1);
    total += f;
    fractions.push(f);
  }
  let std = 0;
  if (fractions.length === 2) {
    std = Math.abs((fractions[0] - fractions[1]) / 2);
  } else if (fractions.length > 2) {
    const mean = total / fractions.length;
    let sum = 0;
    for (const f of fractions) sum += (f - mean) * (f - mean);
    std = Math.sqrt(sum / fractions.length);
  }
  return Math.trunc((1 - std) * MaxNodeScore);
};

export class BalancedAllocationPlugin implements PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = Name;
  private readonly scorer: ResourceAllocationScorer;

  constructor(args: NodeResourcesBalancedAllocationArgs | undefined) {
    this.scorer = new ResourceAllocationScorer(completeBalancedAllocationArgs(args).resources, balancedResourceScorer, true);
  }

  preScore(state: CycleState, pod: Pod): Status | null {
    const requests = this.scorer.podRequestList(pod);
    // A best-effort pod requests nothing: every node would score alike.
    if (requests.every((r) => r === 0)) return rejection(Code.Skip);
    state.write(preScoreStateKey, new PreScoreState(requests));
    return null;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.read<PreScoreState>(preScoreStateKey);
    return this.scorer.score(nodeInfo, s ? s.podRequests : this.scorer.podRequestList(pod));
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'AssignedPod', actionType: ActionType.Delete, label: 'AssignedPodDelete' } },
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeAllocatable, label: 'NodeAdd|UpdateNodeAllocatable' } },
    ];
  }
}

export function newBalancedAllocation(args: unknown): Plugin {
  return new BalancedAllocationPlugin(args as NodeResourcesBalancedAllocationArgs | undefined);
}
