// PodTopologySpread: spreads pods over topology domains (zones, hosts, …). DoNotSchedule constraints filter
// nodes whose domain would exceed maxSkew; ScheduleAnyway constraints (and the system defaults, for pods
// without constraints) score the least crowded domains highest.
import type { Node, Pod, TopologySpreadConstraint } from '../../../api/generated/core/v1.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { ActionType } from '../../framework/events.js';
import {
  MaxNodeScore,
  QueueingHint,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type FilterPlugin,
  type Handle,
  type NodeScore,
  type Plugin,
  type PreFilterExtensions,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScoreExtensions,
  type ScorePlugin,
} from '../../framework/interface.js';
import type { NodeInfo, PodInfo } from '../../framework/node-info.js';
import { Code, asStatus, rejection, type Status } from '../../framework/status.js';
import { PodTopologySpread as Name } from '../names.js';
import { completeArgs } from './args.js';
import { filterSpreadConstraints, nodeLabelsMatchSpreadConstraints, type SpreadConstraint } from './constraints.js';
import { defaultSelector, type SpreadOwnerListers } from './default-selector.js';
import { calPreFilterState, ErrReasonConstraintsNotMatch, ErrReasonNodeLabelNotMatch, PreFilterState } from './filtering.js';
import { informerOwnerListers } from './owner-listers.js';
import { calPreScoreState, PreScoreState, scoreNode } from './scoring.js';

const preFilterStateKey = `PreFilter${Name}`;
const preScoreStateKey = `PreScore${Name}`;

export interface PodTopologySpreadOptions {
  /** Raw PodTopologySpreadArgs from the profile's pluginConfig. */
  args?: unknown;
  handle: Handle;
  /** Owners for default constraints; without them default constraints select nothing and are dropped. */
  owners?: SpreadOwnerListers;
}

export class PodTopologySpreadPlugin implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = Name;
  private readonly handle: Handle;
  private readonly owners: SpreadOwnerListers | undefined;
  private readonly defaultConstraints: TopologySpreadConstraint[];
  private readonly systemDefaulted: boolean;

  constructor(o: PodTopologySpreadOptions) {
    const args = completeArgs(o.args);
    this.handle = o.handle;
    this.owners = o.owners;
    this.defaultConstraints = args.constraints;
    this.systemDefaulted = args.systemDefaulted;
  }

  /** The pod's own constraints for `action`, else the default ones with the pod's sibling selector. */
  private constraints(pod: Pod, action: 'DoNotSchedule' | 'ScheduleAnyway'): SpreadConstraint[] {
    const own = pod.spec?.topologySpreadConstraints;
    if (own && own.length > 0) return filterSpreadConstraints(own, pod.metadata?.labels, action);
    const defaults = filterSpreadConstraints(this.defaultConstraints, pod.metadata?.labels, action);
    if (defaults.length === 0) return defaults;
    const selector = defaultSelector(pod, this.owners);
    if (selector.empty()) return [];
    return defaults.map((c) => ({ ...c, selector }));
  }

  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { result: PreFilterResult | null; status: Status | null } {
    let constraints: SpreadConstraint[];
    try {
      constraints = this.constraints(pod, 'DoNotSchedule');
    } catch (err) {
      return { result: null, status: asStatus(new Error(`get constraints from pod: ${(err as Error).message}`)) };
    }
    if (constraints.length === 0) return { result: null, status: rejection(Code.Skip) };
    state.write(preFilterStateKey, calPreFilterState(pod, constraints, nodes));
    return { result: null, status: null };
  }

  preFilterExtensions(): PreFilterExtensions {
    const update = (state: CycleState, pod: Pod, pi: PodInfo, ni: NodeInfo, delta: 1 | -1): Status | null => {
      const s = state.read<PreFilterState>(preFilterStateKey);
      if (!s) return asStatus(new Error(`reading ${JSON.stringify(preFilterStateKey)} from cycleState: not found`));
      s.updateWithPod(pi.pod, pod, ni.node, delta);
      return null;
    };
    return {
      addPod: (state, pod, pi, ni) => update(state, pod, pi, ni, 1),
      removePod: (state, pod, pi, ni) => update(state, pod, pi, ni, -1),
    };
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    const s = state.read<PreFilterState>(preFilterStateKey);
    if (!s) return asStatus(new Error(`reading ${JSON.stringify(preFilterStateKey)} from cycleState: not found`));
    const labels = nodeInfo.node?.metadata?.labels;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      const value = labels?.[c.topologyKey];
      if (value === undefined) return rejection(Code.UnschedulableAndUnresolvable, ErrReasonNodeLabelNotMatch);
      const selfMatch = c.selector.matches(pod.metadata?.labels) ? 1 : 0;
      const skew = (s.tpValueToMatchNum[i].get(value) ?? 0) + selfMatch - s.minMatchNum(i, c.minDomains);
      if (skew > c.maxSkew) return rejection(Code.Unschedulable, ErrReasonConstraintsNotMatch);
    }
    return null;
  }

  preScore(state: CycleState, pod: Pod, filteredNodes: readonly NodeInfo[]): Status | null {
    const allNodes = this.handle.snapshotSharedLister().list();
    if (allNodes.length === 0) return rejection(Code.Skip);
    const ownConstraints = (pod.spec?.topologySpreadConstraints?.length ?? 0) > 0;
    let constraints: SpreadConstraint[];
    try {
      constraints = this.constraints(pod, 'ScheduleAnyway');
    } catch (err) {
      return asStatus(new Error(`calculating preScoreState: ${(err as Error).message}`));
    }
    if (constraints.length === 0) return rejection(Code.Skip);
    // Nodes without a zone label still get hostname spreading under the system defaults.
    const requireAll = ownConstraints || !this.systemDefaulted;
    state.write(preScoreStateKey, calPreScoreState(pod, constraints, filteredNodes, allNodes, requireAll));
    return null;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number | Status {
    const s = state.read<PreScoreState>(preScoreStateKey);
    if (!s) return asStatus(new Error(`error reading ${JSON.stringify(preScoreStateKey)} from cycleState: not found`));
    return scoreNode(s, pod, nodeInfo);
  }

  scoreExtensions(): ScoreExtensions {
    return {
      normalizeScore: (state: CycleState, _pod: Pod, scores: NodeScore[]): Status | null => {
        const s = state.read<PreScoreState>(preScoreStateKey);
        if (!s) return asStatus(new Error(`error reading ${JSON.stringify(preScoreStateKey)} from cycleState: not found`));
        let min = Number.MAX_SAFE_INTEGER;
        let max = 0;
        for (const sc of scores) {
          if (s.ignoredNodes.has(sc.name)) continue;
          if (sc.score < min) min = sc.score;
          if (sc.score > max) max = sc.score;
        }
        for (const sc of scores) {
          if (s.ignoredNodes.has(sc.name)) sc.score = 0;
          else if (max === 0) sc.score = MaxNodeScore;
          else sc.score = Math.trunc((MaxNodeScore * (max + min - sc.score)) / max);
        }
        return null;
      },
    };
  }

  /** Upstream isSchedulableAfterPodChange: only an assigned pod of the namespace that a selector (un)counts matters. */
  isSchedulableAfterPodChange(pod: Pod, oldPod: Pod | undefined, newPod: Pod | undefined): QueueingHint {
    if ((newPod && !newPod.spec?.nodeName) || (oldPod && !oldPod.spec?.nodeName)) return QueueingHint.QueueSkip;
    const changed = newPod ?? oldPod;
    if (!changed || (changed.metadata?.namespace ?? '') !== (pod.metadata?.namespace ?? '')) return QueueingHint.QueueSkip;
    let constraints: SpreadConstraint[];
    try {
      constraints = [...this.constraints(pod, 'DoNotSchedule'), ...this.constraints(pod, 'ScheduleAnyway')];
    } catch {
      return QueueingHint.Queue;
    }
    const matches = (p: Pod): boolean => constraints.some((c) => c.selector.matches(p.metadata?.labels));
    if (oldPod && newPod) {
      // A relabel matters when it changes whether some selector counts the pod.
      return constraints.some((c) => c.selector.matches(oldPod.metadata?.labels) !== c.selector.matches(newPod.metadata?.labels)) ? QueueingHint.Queue : QueueingHint.QueueSkip;
    }
    return matches(changed) ? QueueingHint.Queue : QueueingHint.QueueSkip;
  }

  /**
   * Upstream isSchedulableAfterNodeChange: a node added or deleted with every topology key, or one whose
   * topology values (or, under nodeTaintsPolicy Honor, taints) changed.
   */
  isSchedulableAfterNodeChange(pod: Pod, oldNode: Node | undefined, newNode: Node | undefined): QueueingHint {
    let constraints: SpreadConstraint[];
    try {
      constraints = [...this.constraints(pod, 'DoNotSchedule'), ...this.constraints(pod, 'ScheduleAnyway')];
    } catch {
      return QueueingHint.Queue;
    }
    if (constraints.length === 0) return QueueingHint.QueueSkip;
    const hasKeys = (n: Node): boolean => nodeLabelsMatchSpreadConstraints(n.metadata?.labels, constraints);
    if (!oldNode || !newNode) {
      const n = newNode ?? oldNode;
      return n && hasKeys(n) ? QueueingHint.Queue : QueueingHint.QueueSkip;
    }
    const oldLabels = oldNode.metadata?.labels ?? {};
    const newLabels = newNode.metadata?.labels ?? {};
    if (constraints.some((c) => oldLabels[c.topologyKey] !== newLabels[c.topologyKey])) return QueueingHint.Queue;
    const taintsChanged = JSON.stringify(oldNode.spec?.taints ?? []) !== JSON.stringify(newNode.spec?.taints ?? []);
    if (taintsChanged && constraints.some((c) => c.nodeTaintsPolicy === 'Honor')) return QueueingHint.Queue;
    return QueueingHint.QueueSkip;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      // Pods coming, going or relabelled change domain counts — when the selectors count them.
      {
        event: { resource: 'Pod', actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete, label: 'PodAdd|UpdatePodLabel|PodDelete' },
        queueingHintFn: (pod, oldObj, newObj) => this.isSchedulableAfterPodChange(pod, oldObj as Pod | undefined, newObj as Pod | undefined),
      },
      // New nodes, relabelled nodes (topology keys) and taint changes (nodeTaintsPolicy) change the domains.
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint, label: 'NodeAdd|NodeDelete|UpdateNodeLabel|UpdateNodeTaint' },
        queueingHintFn: (pod, oldObj, newObj) => this.isSchedulableAfterNodeChange(pod, oldObj as Node | undefined, newObj as Node | undefined),
      },
    ];
  }
}

export function newPodTopologySpread(args: unknown, handle: Handle): Plugin {
  const informers = handle.sharedInformerFactory?.();
  return new PodTopologySpreadPlugin({ args, handle, owners: informers ? informerOwnerListers(informers) : undefined });
}
