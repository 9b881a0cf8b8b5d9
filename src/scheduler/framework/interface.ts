// The scheduling framework's extension points, one interface each (upstream framework/interface.go). A plugin
// implements only the points it needs; the runner (runtime.ts) calls them in upstream's order.
import type { Pod } from '../../api/generated/core/v1.js';
import type { Clock } from '../../base/clock.js';
import type { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import type { Interface as ClientInterface } from '../../client/rest/interface.js';
import type { EventRecorder } from '../event-recorder.js';
import type { CycleState } from './cycle-state.js';
import type { ClusterEvent } from './events.js';
import type { NodeInfo, PodInfo } from './node-info.js';
import type { Status } from './status.js';

/** The highest score a Score plugin may give after normalization. */
export const MaxNodeScore = 100;
export const MinNodeScore = 0;
/** The highest total of weights a profile may configure (upstream MaxTotalScore is int64; ours is a JS number). */
export const MaxTotalScore = Number.MAX_SAFE_INTEGER;

/** A pod waiting in the queue, with its attempt history (upstream QueuedPodInfo). */
export interface QueuedPodInfo {
  podInfo: PodInfo;
  /** When the pod was (re)added to the queue; PrioritySort orders equal priorities by it. */
  timestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** When the first attempt started (for the SLI histogram); undefined before the first attempt. */
  initialAttemptTimestamp: number | undefined;
  /** Plugins that rejected the pod in its last attempt (their events can make it schedulable). */
  unschedulablePlugins: Set<string>;
  /** Plugins that returned Pending in the last attempt. */
  pendingPlugins: Set<string>;
  /** Blocked by a PreEnqueue plugin; `gatingPlugin` says which. */
  gated: boolean;
  gatingPlugin: string;
}

export interface Plugin {
  /** The upstream plugin name, e.g. "NodeResourcesFit". */
  readonly name: string;
}

/** Decides whether a pod may enter the active queue at all (e.g. SchedulingGates). */
export interface PreEnqueuePlugin extends Plugin {
  preEnqueue(pod: Pod): Status | null;
}

/** Orders the active queue: `less(a, b)` is true when a must be scheduled before b. */
export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

/** Which nodes a PreFilter plugin already knows to be the only candidates (undefined: all nodes). */
export interface PreFilterResult {
  nodeNames: Set<string> | undefined;
}

/** What-if hooks for preemption and nominated pods: adjust the pre-computed state for a pod added or removed. */
export interface PreFilterExtensions {
  addPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status | null;
  removePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status | null;
}

export interface PreFilterPlugin extends Plugin {
  /** Computes per-pod state once per cycle. Skip means this plugin's Filter is not needed for this pod. */
  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { result: PreFilterResult | null; status: Status | null };
  preFilterExtensions?(): PreFilterExtensions | null;
}

/** Rejects nodes that cannot run the pod. Must not mutate `nodeInfo`. */
export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null;
}

/** Runs when no node fits (e.g. preemption); may nominate a node. */
export interface PostFilterResult {
  nominatedNodeName: string;
}

export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: Pod, filteredNodeStatus: NodeToStatus): { result: PostFilterResult | null; status: Status | null };
}

export interface PreScorePlugin extends Plugin {
  /** Computes per-pod scoring state over the feasible nodes. Skip means Score is not needed. */
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status | null;
}

export interface NodeScore {
  name: string;
  score: number;
}

export interface ScoreExtensions {
  /** Rescales `scores` in place into [MinNodeScore, MaxNodeScore]. */
  normalizeScore(state: CycleState, pod: Pod, scores: NodeScore[]): Status | null;
}

export interface ScorePlugin extends Plugin {
  /**
   * The node's raw score, or a Status when scoring failed (upstream returns both; a number-or-Status result
   * keeps the per-node call free of allocation).
   */
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number | Status;
  scoreExtensions?(): ScoreExtensions | null;
}

/** Reserve runs after a node is chosen; Unreserve undoes it when a later step fails (must be idempotent). */
export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: Pod, nodeName: string): Status | null;
  unreserve(state: CycleState, pod: Pod, nodeName: string): void;
}

/** Approves, rejects or delays (Wait with a timeout in ms) the binding of a pod. */
export interface PermitPlugin extends Plugin {
  permit(state: CycleState, pod: Pod, nodeName: string): { status: Status | null; timeoutMs: number };
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: Pod, nodeName: string, signal: AbortSignal): Promise<Status | null>;
}

/** Binds the pod. Skip passes the pod to the next Bind plugin. */
export interface BindPlugin extends Plugin {
  bind(state: CycleState, pod: Pod, nodeName: string, signal: AbortSignal): Promise<Status | null>;
}

export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: Pod, nodeName: string): void;
}

/**
 * A hint saying whether an event may make a rejected pod schedulable (upstream QueueingHint). Returning
 * QueueSkip keeps the pod where it is.
 */
export enum QueueingHint {
  QueueSkip = 0,
  Queue = 1,
}

export type QueueingHintFn = (pod: Pod, oldObj: unknown, newObj: unknown) => QueueingHint;

export interface ClusterEventWithHint {
  event: ClusterEvent;
  /** Absent: always Queue. */
  queueingHintFn?: QueueingHintFn;
}

/** Plugins that can reject pods say which cluster events may change their verdict. */
export interface EnqueueExtensions extends Plugin {
  eventsToRegister(): ClusterEventWithHint[];
}

/** Per-node rejection statuses of one cycle (upstream NodeToStatus). */
export type NodeToStatus = Map<string, Status>;

/** Read access to the cycle's snapshot. */
export interface NodeInfoLister {
  list(): readonly NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
  /** Nodes holding at least one pod with (anti-)affinity. */
  havePodsWithAffinityList(): readonly NodeInfo[];
  havePodsWithRequiredAntiAffinityList(): readonly NodeInfo[];
}

/** Pods nominated to run on a node after preemption (upstream PodNominator). */
export interface PodNominator {
  addNominatedPod(pi: PodInfo, nominatedNodeName: string): void;
  deleteNominatedPodIfExists(pod: Pod): void;
  updateNominatedPod(oldPod: Pod, newPi: PodInfo): void;
  nominatedPodsForNode(nodeName: string): PodInfo[];
}

/** What the framework offers plugins (upstream framework.Handle). */
export interface Handle {
  snapshotSharedLister(): NodeInfoLister;
  clientSet(): ClientInterface | undefined;
  clock(): Clock;
  nominator(): PodNominator | undefined;
  /** The profile's scheduler name. */
  profileName(): string;
  /** Runs the profile's Filter plugins (with nominated pods) — used by PostFilter plugins such as preemption. */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null;
  /**
   * The scheduler's informers. Plugins ask for the listers they need (PDBs, namespaces, PVCs, …) in their
   * factories, before the informers start; absent in unit tests without an apiserver.
   */
  sharedInformerFactory?(): SharedInformerFactory | undefined;
  /** Where plugins record Events (e.g. preemption's Preempted). */
  eventRecorder?(): EventRecorder | undefined;
  /** Runs the PreFilter plugins' AddPod/RemovePod extensions (what-if for preemption). */
  runPreFilterExtensionAddPod?(state: CycleState, pod: Pod, pi: PodInfo, nodeInfo: NodeInfo): Status | null;
  runPreFilterExtensionRemovePod?(state: CycleState, pod: Pod, pi: PodInfo, nodeInfo: NodeInfo): Status | null;
}

/** Builds a plugin from its args (already defaulted and validated) and the framework handle. */
export type PluginFactory = (args: unknown, handle: Handle) => Plugin;

/** Name → factory; assembled explicitly in plugins/registry.ts. */
export type Registry = ReadonlyMap<string, PluginFactory>;
