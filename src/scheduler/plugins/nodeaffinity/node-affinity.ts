// NodeAffinity: spec.nodeSelector and required node affinity as a Filter (plus a PreFilter that narrows the
// nodes when terms name them by metadata.name), preferred terms as a Score; `addedAffinity` in the plugin
// args is enforced on every pod of the profile.
import type { Node, NodeAffinity, NodeSelector, Pod } from '../../../api/generated/core/v1.js';
import { selectorFromSet, type Selector } from '../../../apimachinery/labels/selector.js';
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
  type PreScorePlugin,
  type ScoreExtensions,
  type ScorePlugin,
} from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { CompiledNodeSelector, CompiledPreferredTerms } from '../../framework/node-selector.js';
import { defaultNormalizer } from '../../framework/normalize-score.js';
import { Code, rejection, type Status } from '../../framework/status.js';
import { NodeAffinity as Name } from '../names.js';

export const ErrReasonPod = "node(s) didn't match Pod's node affinity/selector";
export const errReasonEnforced = "node(s) didn't match scheduler-enforced node affinity";
export const errReasonConflict = 'pod affinity terms conflict';

/** NodeAffinityArgs. */
export interface NodeAffinityArgs {
  addedAffinity?: NodeAffinity;
}

const preFilterStateKey = `PreFilter${Name}`;
// Shared results: Statuses are immutable, and a rejection per node need not allocate.
const statusPod = rejection(Code.UnschedulableAndUnresolvable, ErrReasonPod);
const statusEnforced = rejection(Code.UnschedulableAndUnresolvable, errReasonEnforced);
const preScoreStateKey = `PreScore${Name}`;

/** The pod's node selector and required terms, compiled once per cycle. */
class PreFilterState implements StateData {
  constructor(
    readonly nodeSelector: Selector | undefined,
    readonly required: CompiledNodeSelector | undefined,
  ) {}
  clone(): StateData {
    return this;
  }
  match(ni: NodeInfo): boolean {
    const node = ni.node;
    if (!node) return false;
    if (this.nodeSelector && !this.nodeSelector.matches(node.metadata?.labels)) return false;
    return !this.required || this.required.match(node);
  }
}

class PreScoreState implements StateData {
  constructor(readonly preferred: CompiledPreferredTerms) {}
  clone(): StateData {
    return this;
  }
}

/** Node names a required selector pins the pod to through metadata.name In (upstream getPreFilterNodeNames). */
function preFilterNodeNames(ns: NodeSelector | undefined): Set<string> | undefined {
  if (!ns) return undefined;
  let union: Set<string> | undefined;
  for (const term of ns.nodeSelectorTerms ?? []) {
    let termNames: Set<string> | undefined;
    for (const r of term.matchFields ?? []) {
      if (r.key !== 'metadata.name' || r.operator !== 'In') continue;
      const names = new Set(r.values ?? []);
      termNames = termNames ? new Set([...termNames].filter((n) => names.has(n))) : names;
    }
    // A term without a name restriction can match any node.
    if (!termNames) return undefined;
    union = union ? new Set([...union, ...termNames]) : termNames;
  }
  return union;
}

const normalizer = defaultNormalizer(false);

export class NodeAffinityPlugin implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = Name;
  private readonly addedNodeSelector: CompiledNodeSelector | undefined;
  private readonly addedPrefSchedTerms: CompiledPreferredTerms | undefined;

  constructor(args: NodeAffinityArgs = {}) {
    const added = args.addedAffinity;
    if (added?.requiredDuringSchedulingIgnoredDuringExecution) {
      this.addedNodeSelector = new CompiledNodeSelector(added.requiredDuringSchedulingIgnoredDuringExecution);
    }
    if (added?.preferredDuringSchedulingIgnoredDuringExecution?.length) {
      this.addedPrefSchedTerms = new CompiledPreferredTerms(added.preferredDuringSchedulingIgnoredDuringExecution);
    }
  }

  /** Whether `node` satisfies addedAffinity, the pod's nodeSelector and its required terms. */
  nodeMatches(pod: Pod, node: Node | undefined): boolean {
    if (!node) return false;
    if (this.addedNodeSelector && !this.addedNodeSelector.match(node)) return false;
    const sel = pod.spec?.nodeSelector;
    if (sel && Object.keys(sel).length > 0 && !selectorFromSet(sel).matches(node.metadata?.labels)) return false;
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    return !required || new CompiledNodeSelector(required).match(node);
  }

  preFilter(state: CycleState, pod: Pod): { result: PreFilterResult | null; status: Status | null } {
    const affinity = pod.spec?.affinity?.nodeAffinity;
    const required = affinity?.requiredDuringSchedulingIgnoredDuringExecution;
    const nodeSelector = pod.spec?.nodeSelector;
    if (!required && !nodeSelector && !this.addedNodeSelector) return { result: null, status: rejection(Code.Skip) };
    state.write(
      preFilterStateKey,
      new PreFilterState(
        nodeSelector && Object.keys(nodeSelector).length > 0 ? selectorFromSet(nodeSelector) : undefined,
        required ? new CompiledNodeSelector(required) : undefined,
      ),
    );
    const names = preFilterNodeNames(required);
    if (names === undefined) return { result: null, status: null };
    if (names.size === 0) return { result: null, status: rejection(Code.UnschedulableAndUnresolvable, errReasonConflict) };
    return { result: { nodeNames: names }, status: null };
  }

  preFilterExtensions(): null {
    return null;
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status | null {
    const node = nodeInfo.node;
    if (!node) return rejection(Code.Error, 'node not found');
    if (this.addedNodeSelector && !this.addedNodeSelector.match(node)) return statusEnforced;
    const s = state.read<PreFilterState>(preFilterStateKey);
    if (!s) return rejection(Code.Error, `reading ${JSON.stringify(preFilterStateKey)} from cycleState: not found`);
    if (!s.match(nodeInfo)) return statusPod;
    return null;
  }

  preScore(state: CycleState, pod: Pod): Status | null {
    const prefs = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    if (prefs.length === 0 && !this.addedPrefSchedTerms) return rejection(Code.Skip);
    state.write(preScoreStateKey, new PreScoreState(new CompiledPreferredTerms(prefs)));
    return null;
  }

  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number | Status {
    const node = nodeInfo.node;
    if (!node) return rejection(Code.Error, 'node not found');
    let count = this.addedPrefSchedTerms?.score(node) ?? 0;
    const s = state.read<PreScoreState>(preScoreStateKey);
    if (s) count += s.preferred.score(node);
    return count;
  }

  scoreExtensions(): ScoreExtensions {
    return normalizer;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel, label: 'NodeAdd|UpdateNodeLabel' },
        // Queue only when the changed node now matches the pod's selector and required terms.
        queueingHintFn: (pod, _old, newObj) => (this.nodeMatches(pod, newObj as Node | undefined) ? QueueingHint.Queue : QueueingHint.QueueSkip),
      },
    ];
  }
}

export function newNodeAffinity(args: unknown): Plugin {
  return new NodeAffinityPlugin((args ?? {}) as NodeAffinityArgs);
}
