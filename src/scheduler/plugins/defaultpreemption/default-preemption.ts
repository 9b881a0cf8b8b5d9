// DefaultPreemption (PostFilter): when no node fits, find nodes where evicting lower-priority pods makes
// room, pick one by upstream's ranking (PDB violations first), nominate it for the preemptor and evict the
// victims in the background (DisruptionTarget condition, delete, `Preempted` event), as upstream's
// asynchronous preemption does.
import type { Pod } from '../../../api/generated/core/v1.js';
import type { PodDisruptionBudget } from '../../../api/generated/policy/v1.js';
import { klog } from '../../../base/logger.js';
import type { Typed } from '../../../client/typed.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { fitErrorMessage, newDiagnosis } from '../../framework/fit-error.js';
import type { Handle, NodeToStatus, Plugin, PostFilterPlugin, PostFilterResult } from '../../framework/interface.js';
import type { NodeInfo, PodInfo } from '../../framework/node-info.js';
import { Code, Status, asStatus, isSuccess, rejection } from '../../framework/status.js';
import type { EventRecorder } from '../../event-recorder.js';
import { DefaultPreemption as Name } from '../names.js';
import { evictVictims } from './eviction.js';
import { filterPodsWithPDBViolation, moreImportantPod, pickOneNodeForPreemption, podPriority, type Candidate, type Victims } from './victims.js';

const log = klog.withName('default-preemption.ts');

export const ErrNoVictims = 'No preemption victims found for incoming pod';
export const ErrNotHelpful = 'Preemption is not helpful for scheduling';

/** DefaultPreemptionArgs (v1). */
export interface DefaultPreemptionArgs {
  /** Share of nodes to dry-run, 0–100, default 10. */
  minCandidateNodesPercentage?: number;
  /** At least this many nodes to dry-run, default 100. */
  minCandidateNodesAbsolute?: number;
}

/** The framework hooks preemption needs beyond Handle (the Framework has them). */
export interface PreemptionHandle extends Handle {
  runPreFilterExtensionAddPod(state: CycleState, pod: Pod, pi: PodInfo, nodeInfo: NodeInfo): Status | null;
  runPreFilterExtensionRemovePod(state: CycleState, pod: Pod, pi: PodInfo, nodeInfo: NodeInfo): Status | null;
}

export interface DefaultPreemptionOptions {
  args?: unknown;
  handle: PreemptionHandle;
  /** Every PodDisruptionBudget in the cluster (a lister in production); none when absent. */
  pdbs?: () => readonly PodDisruptionBudget[];
  recorder?: EventRecorder;
  /** A random integer in [0, n): where the dry run starts (upstream rand.Int31n). */
  randomInt?: (n: number) => number;
}

function completeArgs(raw: unknown): Required<DefaultPreemptionArgs> {
  const a = (raw ?? {}) as DefaultPreemptionArgs;
  const pct = a.minCandidateNodesPercentage ?? 10;
  const abs = a.minCandidateNodesAbsolute ?? 100;
  if (pct < 0 || pct > 100) throw new Error(`minCandidateNodesPercentage: Invalid value: ${pct}: not in valid range [0, 100]`);
  if (abs < 0) throw new Error(`minCandidateNodesAbsolute: Invalid value: ${abs}: not in valid range [0, inf)`);
  if (pct === 0 && abs === 0) throw new Error('minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute');
  return { minCandidateNodesPercentage: pct, minCandidateNodesAbsolute: abs };
}

export class DefaultPreemptionPlugin implements PostFilterPlugin {
  readonly name = Name;
  private readonly handle: PreemptionHandle;
  private readonly args: Required<DefaultPreemptionArgs>;
  private readonly pdbs: () => readonly PodDisruptionBudget[];
  private readonly recorder: EventRecorder | undefined;
  private readonly randomInt: (n: number) => number;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(o: DefaultPreemptionOptions) {
    this.handle = o.handle;
    this.args = completeArgs(o.args);
    this.pdbs = o.pdbs ?? (() => []);
    this.recorder = o.recorder;
    this.randomInt = o.randomInt ?? ((n) => Math.floor(Math.random() * n));
  }

  postFilter(state: CycleState, pod: Pod, m: NodeToStatus): { result: PostFilterResult | null; status: Status | null } {
    const r = this.preempt(state, pod, m);
    const msg = r.status?.message() ?? '';
    if (r.status && msg !== '') return { result: r.result, status: new Status(r.status.code, [`preemption: ${msg}`], '', r.status.err) };
    return r;
  }

  /** Resolves once every background eviction started so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Upstream Evaluator.Preempt. */
  preempt(state: CycleState, pod: Pod, m: NodeToStatus): { result: PostFilterResult | null; status: Status | null } {
    const eligible = this.podEligibleToPreemptOthers(pod, m);
    if (eligible !== '') return { result: null, status: rejection(Code.Unschedulable, eligible) };

    const allNodes = this.handle.snapshotSharedLister().list();
    if (allNodes.length === 0) return { result: null, status: asStatus(new Error('no nodes available')) };
    const { candidates, nodeStatuses, errors } = this.findCandidates(state, pod, allNodes, m);
    if (candidates.length === 0) {
      if (errors.length > 0) return { result: null, status: asStatus(errors[0]) };
      const d = newDiagnosis();
      d.nodeToStatus = nodeStatuses;
      d.absentNodesStatus = rejection(Code.UnschedulableAndUnresolvable, ErrNotHelpful);
      // An empty nomination clears a stale one.
      return { result: { nominatedNodeName: '' }, status: rejection(Code.Unschedulable, fitErrorMessage(allNodes.length, d)) };
    }
    const now = this.handle.clock().now();
    const best = candidates.length === 1 ? candidates[0].name : pickOneNodeForPreemption(candidates, now);
    const chosen = candidates.find((c) => c.name === best) as Candidate;
    log.v(2).info('the target node for the preemption is determined', { node: best, pod: `${pod.metadata?.namespace}/${pod.metadata?.name}` });
    this.prepareCandidate(chosen, pod);
    return { result: { nominatedNodeName: best }, status: null };
  }

  /** '' when the pod may preempt, else the reason it may not (upstream PodEligibleToPreemptOthers). */
  private podEligibleToPreemptOthers(pod: Pod, m: NodeToStatus): string {
    if (pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
    const nominated = pod.status?.nominatedNodeName;
    if (!nominated) return '';
    // A nominated node the filters now find unresolvable (or did not evaluate) is given up: preempt again.
    const s = m.get(nominated);
    if (!s || s.code === Code.UnschedulableAndUnresolvable) return '';
    const ni = this.handle.snapshotSharedLister().get(nominated);
    for (const pi of ni?.pods ?? []) {
      if (podPriority(pi.pod) < podPriority(pod) && terminatingByPreemption(pi.pod)) return 'not eligible due to a terminating pod on the nominated node.';
    }
    return '';
  }

  /** Number of nodes to dry-run: a share of the potential nodes, at least the absolute minimum. */
  calculateNumCandidates(numNodes: number): number {
    let n = Math.trunc((numNodes * this.args.minCandidateNodesPercentage) / 100);
    if (n < this.args.minCandidateNodesAbsolute) n = this.args.minCandidateNodesAbsolute;
    return Math.min(n, numNodes);
  }

  private findCandidates(state: CycleState, pod: Pod, allNodes: readonly NodeInfo[], m: NodeToStatus): { candidates: Candidate[]; nodeStatuses: NodeToStatus; errors: Error[] } {
    // Only nodes a plain Unschedulable rejected can be helped by removing pods.
    const potential = allNodes.filter((ni) => m.get(ni.name())?.code === Code.Unschedulable);
    if (potential.length === 0) return { candidates: [], nodeStatuses: new Map(), errors: [] };
    const pdbs = this.pdbs();
    const offset = this.randomInt(potential.length);
    const wanted = this.calculateNumCandidates(potential.length);
    return this.dryRunPreemption(state, pod, potential, pdbs, offset, wanted);
  }

  /** Upstream DryRunPreemption: candidates that do not violate PDBs first; stops once enough are found. */
  dryRunPreemption(
    state: CycleState,
    pod: Pod,
    potential: readonly NodeInfo[],
    pdbs: readonly PodDisruptionBudget[],
    offset: number,
    wanted: number,
  ): { candidates: Candidate[]; nodeStatuses: NodeToStatus; errors: Error[] } {
    const nonViolating: Candidate[] = [];
    const violating: Candidate[] = [];
    const nodeStatuses: NodeToStatus = new Map();
    const errors: Error[] = [];
    for (let i = 0; i < potential.length; i++) {
      const ni = potential[(offset + i) % potential.length].clone();
      const r = this.selectVictimsOnNode(state.clone(), pod, ni, pdbs);
      if ('pods' in r && r.pods.length > 0) {
        (r.numPDBViolations === 0 ? nonViolating : violating).push({ name: ni.name(), victims: r });
        if (nonViolating.length > 0 && nonViolating.length + violating.length >= wanted) break;
        continue;
      }
      const s = 'pods' in r ? asStatus(new Error(`expected at least one victim pod on node ${JSON.stringify(ni.name())}`)) : r;
      if (s.code === Code.Error) errors.push(s.err ?? new Error(s.message()));
      nodeStatuses.set(ni.name(), s);
    }
    return { candidates: [...nonViolating.slice(0, wanted), ...violating.slice(0, wanted)], nodeStatuses, errors };
  }

  /**
   * The fewest lower-priority pods to remove from `nodeInfo` (a copy) for `pod` to fit (upstream
   * SelectVictimsOnNode): remove all of them, check the pod fits, then add back as many as possible, PDB
   * violating ones first, most important first.
   */
  selectVictimsOnNode(state: CycleState, pod: Pod, nodeInfo: NodeInfo, pdbs: readonly PodDisruptionBudget[]): Victims | Status {
    const now = this.handle.clock().now();
    const remove = (pi: PodInfo): Status | null => {
      nodeInfo.removePod(pi);
      return this.handle.runPreFilterExtensionRemovePod(state, pod, pi, nodeInfo);
    };
    const add = (pi: PodInfo): Status | null => {
      nodeInfo.addPodInfo(pi);
      return this.handle.runPreFilterExtensionAddPod(state, pod, pi, nodeInfo);
    };
    const prio = podPriority(pod);
    const potential = nodeInfo.pods.filter((pi) => podPriority(pi.pod) < prio);
    for (const pi of potential) {
      const s = remove(pi);
      if (!isSuccess(s)) return asStatus(new Error((s as Status).message()));
    }
    if (potential.length === 0) return rejection(Code.UnschedulableAndUnresolvable, ErrNoVictims);
    const fits = this.handle.runFilterPluginsWithNominatedPods(state, pod, nodeInfo);
    if (!isSuccess(fits)) return fits as Status;

    potential.sort((a, b) => (moreImportantPod(a.pod, b.pod, now) ? -1 : moreImportantPod(b.pod, a.pod, now) ? 1 : 0));
    const { violating, nonViolating } = filterPodsWithPDBViolation(potential, pdbs);
    const victims: PodInfo[] = [];
    let numPDBViolations = 0;
    const reprieve = (pi: PodInfo): boolean | Status => {
      const s = add(pi);
      if (!isSuccess(s)) return asStatus(new Error((s as Status).message()));
      if (isSuccess(this.handle.runFilterPluginsWithNominatedPods(state, pod, nodeInfo))) return true;
      const r = remove(pi);
      if (!isSuccess(r)) return asStatus(new Error((r as Status).message()));
      victims.push(pi);
      return false;
    };
    for (const pi of violating) {
      const r = reprieve(pi);
      if (r instanceof Status) return r;
      if (!r) numPDBViolations++;
    }
    for (const pi of nonViolating) {
      const r = reprieve(pi);
      if (r instanceof Status) return r;
    }
    if (violating.length > 0 && nonViolating.length > 0) {
      victims.sort((a, b) => (moreImportantPod(a.pod, b.pod, now) ? -1 : moreImportantPod(b.pod, a.pod, now) ? 1 : 0));
    }
    return { pods: victims.map((v) => v.pod), numPDBViolations };
  }

  /** Evicts the victims in the background and clears lower-priority nominations on the node (upstream prepareCandidateAsync). */
  private prepareCandidate(c: Candidate, pod: Pod): void {
    const client = this.handle.clientSet();
    if (!client) return;
    const nominatedLower = (this.handle.nominator()?.nominatedPodsForNode(c.name) ?? []).map((pi) => pi.pod).filter((p) => podPriority(p) < podPriority(pod));
    const p = evictVictims({
      client,
      recorder: this.recorder,
      preemptor: pod,
      nodeName: c.name,
      now: this.handle.clock().now(),
      victims: c.victims.pods.filter((v) => !v.metadata?.deletionTimestamp),
      clearNomination: nominatedLower,
    }).catch((err: unknown) => log.error('Error occurred during async preemption', err, { node: c.name }));
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }
}

/** Being deleted because the scheduler preempted it (DisruptionTarget True, reason PreemptionByScheduler). */
export function terminatingByPreemption(p: Pod): boolean {
  if (!p.metadata?.deletionTimestamp) return false;
  const c = p.status?.conditions?.find((x) => x.type === 'DisruptionTarget');
  return c?.status === 'True' && c.reason === 'PreemptionByScheduler';
}

function isPreemptionHandle(h: Handle): h is PreemptionHandle {
  const x = h as Partial<PreemptionHandle>;
  return typeof x.runPreFilterExtensionAddPod === 'function' && typeof x.runPreFilterExtensionRemovePod === 'function';
}

export function newDefaultPreemption(args: unknown, handle: Handle): Plugin {
  if (!isPreemptionHandle(handle)) throw new Error(`${Name} needs a framework handle with the PreFilter AddPod/RemovePod extensions`);
  const informers = handle.sharedInformerFactory?.();
  const pdbs = informers?.forResource<Typed<PodDisruptionBudget>>({ group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' }).lister;
  return new DefaultPreemptionPlugin({ args, handle, pdbs: pdbs ? () => pdbs.list() : undefined, recorder: handle.eventRecorder?.() });
}
