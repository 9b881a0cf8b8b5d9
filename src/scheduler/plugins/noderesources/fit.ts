// NodeResourcesFit: Filter rejects nodes without room for the pod's requests (`Insufficient cpu`, `Too many
// pods`, …); Score ranks the rest with the configured strategy (LeastAllocated by default).
import type { Node, Pod } from '../../../api/generated/core/v1.js';
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
  type ScorePlugin,
} from '../../framework/interface.js';
import { newNodeInfo, type NodeInfo } from '../../framework/node-info.js';
import { Resource, podRequests } from '../../framework/resource.js';
import { Code, rejection, type Status } from '../../framework/status.js';
import { NodeResourcesFit as Name } from '../names.js';
import { completeFitArgs, type NodeResourcesFitArgs } from './args.js';
import { leastResourceScorer } from './least-allocated.js';
import { mostResourceScorer } from './most-allocated.js';
import { requestedToCapacityRatioScorer } from './requested-to-capacity-ratio.js';
import { ResourceAllocationScorer } from './resource-allocation.js';

const preFilterStateKey = `PreFilter${Name}`;
const preScoreStateKey = `PreScore${Name}`;

class PreFilterState implements StateData {
  constructor(readonly request: Resource) {}
  clone(): StateData {
    return this;
  }
}

class PreScoreState implements StateData {
  constructor(readonly podRequests: number[]) {}
  clone(): StateData {
    return this;
  }
}

/** One resource the node cannot provide (upstream InsufficientResource). */
export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

/**
 * What the node lacks for `request` (upstream fitsRequest): the pod count first, then cpu, memory,
 * ephemeral storage and scalar resources, skipping ignored extended resources.
 */
export function fitsRequest(
  request: Resource,
  nodeInfo: NodeInfo,
  ignored: { resources: ReadonlySet<string>; groups: ReadonlySet<string> } = { resources: new Set(), groups: new Set() },
): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const allowed = nodeInfo.allocatable.allowedPodNumber;
  if (nodeInfo.pods.length + 1 > allowed) {
    out.push({ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: nodeInfo.pods.length, capacity: allowed });
  }
  if (request.isZero()) return out;
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  if (request.milliCPU > 0 && request.milliCPU > alloc.milliCPU - used.milliCPU) {
    out.push({ resourceName: 'cpu', reason: 'Insufficient cpu', requested: request.milliCPU, used: used.milliCPU, capacity: alloc.milliCPU });
  }
  if (request.memory > 0 && request.memory > alloc.memory - used.memory) {
    out.push({ resourceName: 'memory', reason: 'Insufficient memory', requested: request.memory, used: used.memory, capacity: alloc.memory });
  }
  if (request.ephemeralStorage > 0 && request.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    out.push({
      resourceName: 'ephemeral-storage',
      reason: 'Insufficient ephemeral-storage',
      requested: request.ephemeralStorage,
      used: used.ephemeralStorage,
      capacity: alloc.ephemeralStorage,
    });
  }
  if (request.scalarResources) {
    for (const [name, q] of request.scalarResources) {
      if (q === 0) continue;
      // Only extended resources (domain-prefixed, outside kubernetes.io) can be ignored.
      if (name.includes('/') && !name.startsWith('kubernetes.io/')) {
        if (ignored.resources.has(name) || ignored.groups.has(name.split('/')[0])) continue;
      }
      if (q > alloc.scalar(name) - used.scalar(name)) {
        out.push({ resourceName: name, reason: `Insufficient ${name}`, requested: q, used: used.scalar(name), capacity: alloc.scalar(name) });
      }
    }
  }
  return out;
}

/** Whether the pod would fit the node if it were empty (upstream isFit, the hint for node events). */
export function isFit(pod: Pod, node: Node | undefined): boolean {
  if (!node) return false;
  return fitsRequest(podRequests(pod), newNodeInfo(node)).length === 0;
}

/**
 * The common case without allocating: no scalar resources requested and everything fits. False means
 * "look closer" (fitsRequest gives the reasons).
 */
function fitsQuickly(request: Resource, nodeInfo: NodeInfo): boolean {
  if (request.scalarResources !== undefined) return false;
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  return (
    nodeInfo.pods.length + 1 <= alloc.allowedPodNumber &&
    (request.milliCPU === 0 || request.milliCPU <= alloc.milliCPU - used.milliCPU) &&
    (request.memory === 0 || request.memory <= alloc.memory - used.memory) &&
    (request.ephemeralStorage === 0 || request.ephemeralStorage <= alloc.ephemeralStorage - used.ephemeralStorage)
  );
}

export class FitPlugin implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = Name;
  private readonly ignored: { resources: ReadonlySet<string>; groups: ReadonlySet<string> };
  private readonly scorer: ResourceAllocationScorer;
  private readonly statuses = new Map<string, Status>();

  constructor(args: NodeResourcesFitArgs | undefined) {
    const a = completeFitArgs(args);
    this.ignored = { resources: new Set(a.ignoredResources), groups: new Set(a.ignoredResourceGroups) };
    const { type, resources, shape } = a.scoringStrategy;
    const scorer =
      type === 'MostAllocated'
        ? mostResourceScorer(resources)
        : type === 'RequestedToCapacityRatio'
          ? requestedToCapacityRatioScorer(resources, shape)
          : leastResourceScorer(resources);
    this.scorer = new ResourceAllocationScorer(resources, scorer, false);
  }

  preFilter(state: CycleState, pod: Pod): { result: PreFilterResult | null; status: Status | null } {
    state.write(preFilterStateKey, new PreFilterState(podRequests(pod)));
    return { result: null, status: null };
  }

  preFilterExtensions(): null {
    return null;
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status | null {
    const s = state.read<PreFilterState>(preFilterStateKey);
    if (!s) return rejection(Code.Error, `reading ${JSON.stringify(preFilterStateKey)} from cycleState: not found`);
    if (fitsQuickly(s.request, nodeInfo)) return null;
    const insufficient = fitsRequest(s.request, nodeInfo, this.ignored);
    if (insufficient.length === 0) return null;
    return this.statusFor(insufficient);
  }

  /** The rejection for these reasons, shared across nodes (a few combinations recur: cpu, memory, pods). */
  private statusFor(insufficient: InsufficientResource[]): Status {
    const key = insufficient.map((r) => r.reason).join('|');
    let s = this.statuses.get(key);
    if (!s) {
      s = rejection(Code.Unschedulable, ...insufficient.map((r) => r.reason));
      if (this.statuses.size < 1024) this.statuses.set(key, s);
    }
    return s;
  }

  preScore(state: CycleState, pod: Pod): Status | null {
    state.write(preScoreStateKey, new PreScoreState(this.scorer.podRequestList(pod)));
    return null;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.read<PreScoreState>(preScoreStateKey);
    return this.scorer.score(nodeInfo, s ? s.podRequests : this.scorer.podRequestList(pod));
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'AssignedPod', actionType: ActionType.Delete | ActionType.UpdatePodScaleDown, label: 'AssignedPodDelete|UpdatePodScaleDown' } },
      {
        event: {
          resource: 'Node',
          actionType: ActionType.Add | ActionType.UpdateNodeAllocatable | ActionType.UpdateNodeTaint | ActionType.UpdateNodeLabel,
          label: 'NodeAdd|UpdateNodeAllocatable|UpdateNodeTaint|UpdateNodeLabel',
        },
        queueingHintFn: (pod, _old, newObj) => (isFit(pod, newObj as Node | undefined) ? QueueingHint.Queue : QueueingHint.QueueSkip),
      },
    ];
  }
}

export function newFit(args: unknown): Plugin {
  return new FitPlugin(args as NodeResourcesFitArgs | undefined);
}
