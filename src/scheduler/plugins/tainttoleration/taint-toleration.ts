// TaintToleration: Filter rejects nodes with a NoSchedule/NoExecute taint the pod does not tolerate; Score
// counts untolerated PreferNoSchedule taints, normalized so that fewer such taints score higher.
import type { Node, Pod, Taint, Toleration } from '../../../api/generated/core/v1.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import { ActionType } from '../../framework/events.js';
import {
  QueueingHint,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type FilterPlugin,
  type Plugin,
  type PreScorePlugin,
  type ScoreExtensions,
  type ScorePlugin,
} from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { defaultNormalizer } from '../../framework/normalize-score.js';
import { Code, rejection, type Status } from '../../framework/status.js';
import { findMatchingUntoleratedTaint, tolerationsTolerateTaint } from '../../framework/taints.js';
import { TaintToleration as Name } from '../names.js';

const preScoreStateKey = `PreScore${Name}`;

class PreScoreState implements StateData {
  constructor(readonly tolerationsPreferNoSchedule: Toleration[]) {}
  clone(): StateData {
    return this;
  }
}

const doNotScheduleTaints = (t: Taint): boolean => t.effect === 'NoSchedule' || t.effect === 'NoExecute';

const normalizer = defaultNormalizer(true);

/** One Status per distinct untolerated taint (there are few), so rejecting many nodes allocates nothing. */
const taintStatuses = new Map<string, Status>();
function untoleratedTaintStatus(taint: Taint): Status {
  const reason = `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
  let s = taintStatuses.get(reason);
  if (!s) {
    s = rejection(Code.UnschedulableAndUnresolvable, reason);
    if (taintStatuses.size < 1024) taintStatuses.set(reason, s);
  }
  return s;
}

export class TaintTolerationPlugin implements FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = Name;

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    const taints = nodeInfo.node?.spec?.taints;
    if (!taints || taints.length === 0) return null;
    const taint = findMatchingUntoleratedTaint(taints, pod.spec?.tolerations, doNotScheduleTaints);
    if (!taint) return null;
    return untoleratedTaintStatus(taint);
  }

  preScore(state: CycleState, pod: Pod): Status | null {
    const tolerations = (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    state.write(preScoreStateKey, new PreScoreState(tolerations));
    return null;
  }

  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number | Status {
    const taints = nodeInfo.node?.spec?.taints;
    if (!taints || taints.length === 0) return 0;
    const s = state.read<PreScoreState>(preScoreStateKey);
    if (!s) return rejection(Code.Error, `reading ${JSON.stringify(preScoreStateKey)} from cycleState: not found`);
    let count = 0;
    for (const taint of taints) {
      if (taint.effect !== 'PreferNoSchedule') continue;
      if (!tolerationsTolerateTaint(s.tolerationsPreferNoSchedule, taint)) count++;
    }
    return count;
  }

  scoreExtensions(): ScoreExtensions {
    return normalizer;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint, label: 'NodeAdd|UpdateNodeTaint' },
        // Queue only when the node's taints no longer repel the pod.
        queueingHintFn: (pod, _old, newObj) =>
          findMatchingUntoleratedTaint((newObj as Node | undefined)?.spec?.taints, pod.spec?.tolerations, doNotScheduleTaints) ? QueueingHint.QueueSkip : QueueingHint.Queue,
      },
      { event: { resource: 'UnscheduledPod', actionType: ActionType.UpdatePodTolerations, label: 'UpdatePodTolerations' } },
    ];
  }
}

export function newTaintToleration(): Plugin {
  return new TaintTolerationPlugin();
}
