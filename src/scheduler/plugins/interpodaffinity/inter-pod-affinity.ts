// InterPodAffinity: required pod affinity/anti-affinity (of the incoming pod and, symmetrically, of the pods
// already running) as a Filter, preferred terms and existing pods' required affinity as a Score.
import type { Pod } from '../../../api/generated/core/v1.js';
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
import { InterPodAffinity as Name } from '../names.js';
import { podAffinityTerms, resolveNamespaces, termMatches, type AffinityTerm, type NamespaceLister, type PodAffinityTerms } from './affinity-term.js';
import {
  ErrReasonAffinityRulesNotMatch,
  ErrReasonAntiAffinityRulesNotMatch,
  ErrReasonExistingAntiAffinityRulesNotMatch,
  existingAntiAffinityCounts,
  incomingAffinityAntiAffinityCounts,
  PreFilterState,
} from './filtering.js';
import { informerNamespaceLister } from './namespace-lister.js';
import { PreScoreState, processExistingPod, TopologyScore } from './scoring.js';

const preFilterStateKey = `PreFilter${Name}`;
const preScoreStateKey = `PreScore${Name}`;

/** InterPodAffinityArgs (v1). */
export interface InterPodAffinityArgs {
  /** Score weight of an existing pod's required affinity term the incoming pod matches; 0–100, default 1. */
  hardPodAffinityWeight?: number;
  /** Skip scoring when the incoming pod has no preferred terms. */
  ignorePreferredTermsOfExistingPods?: boolean;
}

export interface InterPodAffinityOptions {
  args?: unknown;
  handle: Handle;
  /** For namespaceSelector; without it only the empty selector ({}: all namespaces) selects anything. */
  namespaces?: NamespaceLister;
}

export class InterPodAffinityPlugin implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = Name;
  private readonly handle: Handle;
  private readonly namespaces: NamespaceLister | undefined;
  private readonly hardPodAffinityWeight: number;
  private readonly ignorePreferredTermsOfExistingPods: boolean;

  constructor(o: InterPodAffinityOptions) {
    const args = (o.args ?? {}) as InterPodAffinityArgs;
    const w = args.hardPodAffinityWeight ?? 1;
    if (!Number.isInteger(w) || w < 0 || w > 100) throw new Error(`hardPodAffinityWeight: Invalid value: ${w}: not in valid range [0-100]`);
    this.hardPodAffinityWeight = w;
    this.ignorePreferredTermsOfExistingPods = args.ignorePreferredTermsOfExistingPods ?? false;
    this.handle = o.handle;
    this.namespaces = o.namespaces;
  }

  private terms(pod: Pod): PodAffinityTerms | Status {
    try {
      return podAffinityTerms(pod);
    } catch (err) {
      return rejection(Code.UnschedulableAndUnresolvable, `parsing pod: ${(err as Error).message}`);
    }
  }

  preFilter(state: CycleState, pod: Pod, allNodes: readonly NodeInfo[]): { result: PreFilterResult | null; status: Status | null } {
    const terms = this.terms(pod);
    if (!('requiredAffinity' in terms)) return { result: null, status: terms };
    const lister = this.handle.snapshotSharedLister();
    const nsLabels = this.namespaces?.labels(pod.metadata?.namespace ?? '');
    const affinity = terms.requiredAffinity.map((t) => resolveNamespaces(t, this.namespaces));
    const antiAffinity = terms.requiredAntiAffinity.map((t) => resolveNamespaces(t, this.namespaces));
    const existing = existingAntiAffinityCounts(pod, nsLabels, lister.havePodsWithRequiredAntiAffinityList());
    if (existing.size() === 0 && affinity.length === 0 && antiAffinity.length === 0) return { result: null, status: rejection(Code.Skip) };
    const { affinityCounts, antiAffinityCounts } = incomingAffinityAntiAffinityCounts(affinity, antiAffinity, allNodes);
    state.write(preFilterStateKey, new PreFilterState(pod, affinity, antiAffinity, nsLabels, existing, affinityCounts, antiAffinityCounts));
    return { result: null, status: null };
  }

  preFilterExtensions(): PreFilterExtensions {
    const update = (state: CycleState, pi: PodInfo, ni: NodeInfo, delta: 1 | -1): Status | null => {
      const s = state.read<PreFilterState>(preFilterStateKey);
      if (!s) return asStatus(new Error(`reading ${JSON.stringify(preFilterStateKey)} from cycleState: not found`));
      if (ni.node) s.updateWithPod(pi, ni.node, delta);
      return null;
    };
    return {
      addPod: (state, _pod, pi, ni) => update(state, pi, ni, 1),
      removePod: (state, _pod, pi, ni) => update(state, pi, ni, -1),
    };
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status | null {
    const s = state.read<PreFilterState>(preFilterStateKey);
    if (!s) return asStatus(new Error(`reading ${JSON.stringify(preFilterStateKey)} from cycleState: not found`));
    const node = nodeInfo.node;
    if (!node) return asStatus(new Error('node not found'));
    if (!s.satisfyPodAffinity(node)) return rejection(Code.UnschedulableAndUnresolvable, ErrReasonAffinityRulesNotMatch);
    if (!s.satisfyPodAntiAffinity(node)) return rejection(Code.Unschedulable, ErrReasonAntiAffinityRulesNotMatch);
    if (!s.satisfyExistingPodsAntiAffinity(node)) return rejection(Code.Unschedulable, ErrReasonExistingAntiAffinityRulesNotMatch);
    return null;
  }

  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status | null {
    if (nodes.length === 0) return null;
    const terms = this.terms(pod);
    if (!('requiredAffinity' in terms)) return asStatus(new Error(terms.message()));
    const hasConstraints = terms.preferredAffinity.length > 0 || terms.preferredAntiAffinity.length > 0;
    if (this.ignorePreferredTermsOfExistingPods && !hasConstraints) return rejection(Code.Skip);
    const lister = this.handle.snapshotSharedLister();
    // Without preferred terms of its own, only pods with affinity can contribute.
    const candidates = hasConstraints ? lister.list() : lister.havePodsWithAffinityList();
    const resolve = (w: { term: Parameters<typeof resolveNamespaces>[0]; weight: number }): typeof w => ({ term: resolveNamespaces(w.term, this.namespaces), weight: w.weight });
    const incoming = {
      pod,
      preferredAffinity: terms.preferredAffinity.map(resolve),
      preferredAntiAffinity: terms.preferredAntiAffinity.map(resolve),
      namespaceLabels: this.namespaces?.labels(pod.metadata?.namespace ?? ''),
      hardPodAffinityWeight: this.hardPodAffinityWeight,
    };
    const score = new TopologyScore();
    for (const ni of candidates) {
      const node = ni.node;
      if (!node) continue;
      for (const pi of hasConstraints ? ni.pods : ni.podsWithAffinity) processExistingPod(score, incoming, pi, node);
    }
    if (score.m.size === 0) return rejection(Code.Skip);
    state.write(preScoreStateKey, new PreScoreState(score));
    return null;
  }

  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number | Status {
    const s = state.read<PreScoreState>(preScoreStateKey);
    if (!s) return asStatus(new Error(`reading ${JSON.stringify(preScoreStateKey)} from cycleState: not found`));
    return s.topologyScore.score(nodeInfo.node);
  }

  scoreExtensions(): ScoreExtensions {
    return {
      normalizeScore: (state: CycleState, _pod: Pod, scores: NodeScore[]): Status | null => {
        const s = state.read<PreScoreState>(preScoreStateKey);
        if (!s || s.topologyScore.m.size === 0) return null;
        let min = Number.MAX_SAFE_INTEGER;
        let max = Number.MIN_SAFE_INTEGER;
        for (const sc of scores) {
          if (sc.score > max) max = sc.score;
          if (sc.score < min) min = sc.score;
        }
        const diff = max - min;
        for (const sc of scores) sc.score = diff > 0 ? Math.trunc(MaxNodeScore * ((sc.score - min) / diff)) : 0;
        return null;
      },
    };
  }

  /**
   * Upstream isSchedulableAfterPodChange, for assigned pods: one added or relabelled may now satisfy an
   * affinity term; one deleted or relabelled may lift an anti-affinity term (ours, or its own against us).
   */
  isSchedulableAfterPodChange(pod: Pod, oldPod: Pod | undefined, newPod: Pod | undefined): QueueingHint {
    if ((newPod && !newPod.spec?.nodeName) || (oldPod && !oldPod.spec?.nodeName)) return QueueingHint.QueueSkip;
    let terms: PodAffinityTerms;
    try {
      terms = podAffinityTerms(pod);
    } catch {
      return QueueingHint.Queue;
    }
    const nsLabels = this.namespaces?.labels(pod.metadata?.namespace ?? '');
    const affinity = [...terms.requiredAffinity, ...terms.preferredAffinity.map((w) => w.term)].map((t) => resolveNamespaces(t, this.namespaces));
    const anti = [...terms.requiredAntiAffinity, ...terms.preferredAntiAffinity.map((w) => w.term)].map((t) => resolveNamespaces(t, this.namespaces));
    const matchesAny = (ts: readonly AffinityTerm[], p: Pod): boolean => ts.some((t) => termMatches(t, p, undefined));
    if (newPod && matchesAny(affinity, newPod)) return QueueingHint.Queue;
    if (oldPod) {
      if (matchesAny(anti, oldPod) && !(newPod && matchesAny(anti, newPod))) return QueueingHint.Queue;
      let theirs: AffinityTerm[] = [];
      try {
        theirs = podAffinityTerms(oldPod).requiredAntiAffinity;
      } catch {
        // Unparsable terms never blocked anything.
      }
      if (!newPod && theirs.some((t) => termMatches(t, pod, nsLabels))) return QueueingHint.Queue;
    }
    return QueueingHint.QueueSkip;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      // Pods that come, go or change labels can satisfy affinity or lift anti-affinity.
      {
        event: { resource: 'Pod', actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete, label: 'PodAdd|UpdatePodLabel|PodDelete' },
        queueingHintFn: (pod, oldObj, newObj) => this.isSchedulableAfterPodChange(pod, oldObj as Pod | undefined, newObj as Pod | undefined),
      },
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel, label: 'NodeAdd|UpdateNodeLabel' } },
    ];
  }
}

export function newInterPodAffinity(args: unknown, handle: Handle): Plugin {
  const informers = handle.sharedInformerFactory?.();
  return new InterPodAffinityPlugin({ args, handle, namespaces: informers ? informerNamespaceLister(informers) : undefined });
}
