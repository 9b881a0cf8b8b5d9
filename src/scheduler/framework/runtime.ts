// The framework runner (upstream frameworkImpl): builds one profile's plugins from the registry and its
// configuration, and runs each extension point in upstream's order and with upstream's status rules.
// Single-threaded by design: plugins are synchronous up to Permit, so a cycle never yields the event loop.
import type { Pod } from '../../api/generated/core/v1.js';
import { realClock, type Clock } from '../../base/clock.js';
import { klog } from '../../base/logger.js';
import type { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import type { Interface as ClientInterface } from '../../client/rest/interface.js';
import type { EventRecorder } from '../event-recorder.js';
import { defaultPlugins } from '../config/defaults.js';
import { extensionPoints, type ExtensionPoint, type KubeSchedulerProfile, type PluginRef } from '../config/types.js';
import { CycleState } from './cycle-state.js';
import type {
  BindPlugin,
  ClusterEventWithHint,
  EnqueueExtensions,
  FilterPlugin,
  Handle,
  NodeInfoLister,
  NodeScore,
  NodeToStatus,
  PermitPlugin,
  Plugin,
  PodNominator,
  PostBindPlugin,
  PostFilterPlugin,
  PostFilterResult,
  PreBindPlugin,
  PreEnqueuePlugin,
  PreFilterPlugin,
  PreFilterResult,
  PreScorePlugin,
  QueueSortPlugin,
  QueuedPodInfo,
  Registry,
  ReservePlugin,
  ScorePlugin,
} from './interface.js';
import { MaxNodeScore, MinNodeScore } from './interface.js';
import type { NodeInfo, PodInfo } from './node-info.js';
import { Code, Status, asStatus, isSuccess, rejection } from './status.js';
import { WaitingPods } from './waiting-pods.js';

const log = klog.withName('runtime.ts');

/** Which method marks a plugin as implementing an extension point. */
const pointMethod: Record<ExtensionPoint, string> = {
  preEnqueue: 'preEnqueue',
  queueSort: 'less',
  preFilter: 'preFilter',
  filter: 'filter',
  postFilter: 'postFilter',
  preScore: 'preScore',
  score: 'score',
  reserve: 'reserve',
  permit: 'permit',
  preBind: 'preBind',
  bind: 'bind',
  postBind: 'postBind',
};

function implementsPoint(p: Plugin, point: ExtensionPoint): boolean {
  return typeof (p as unknown as Record<string, unknown>)[pointMethod[point]] === 'function';
}

/** Upstream plugin names k8ts does not implement yet: the default profile lists them, and they are skipped. */
const upstreamDefaultNames = new Set((defaultPlugins().multiPoint?.enabled ?? []).map((p) => p.name));

export interface FrameworkOptions {
  /** A profile with defaults applied (config/defaults.ts defaultProfile). */
  profile: KubeSchedulerProfile;
  registry: Registry;
  snapshot: () => NodeInfoLister;
  client?: ClientInterface;
  clock?: Clock;
  nominator?: PodNominator;
  /** The scheduler's informers, for plugins that need listers (created before the plugins, started after). */
  informers?: SharedInformerFactory;
  recorder?: EventRecorder;
}

/** A profile's plugins, ready to run. Construction throws for configuration errors (unknown plugin, …). */
export class Framework implements Handle {
  readonly profileName_: string;
  readonly percentageOfNodesToScore: number | undefined;
  readonly preEnqueuePlugins: PreEnqueuePlugin[] = [];
  readonly queueSortPlugins: QueueSortPlugin[] = [];
  readonly preFilterPlugins: PreFilterPlugin[] = [];
  readonly filterPlugins: FilterPlugin[] = [];
  readonly postFilterPlugins: PostFilterPlugin[] = [];
  readonly preScorePlugins: PreScorePlugin[] = [];
  readonly scorePlugins: ScorePlugin[] = [];
  readonly reservePlugins: ReservePlugin[] = [];
  readonly permitPlugins: PermitPlugin[] = [];
  readonly preBindPlugins: PreBindPlugin[] = [];
  readonly bindPlugins: BindPlugin[] = [];
  readonly postBindPlugins: PostBindPlugin[] = [];
  /** Score weight per score plugin name. */
  readonly scorePluginWeight = new Map<string, number>();
  readonly pluginsMap = new Map<string, Plugin>();
  readonly waitingPods: WaitingPods;
  private readonly opts: FrameworkOptions;
  private readonly clock_: Clock;
  /**
   * Plugins return shared constant Statuses for their fixed reasons; the attributed copy of each is made once
   * (per plugin) instead of once per rejected node.
   */
  private readonly attributed = new Map<string, WeakMap<Status, Status>>();

  constructor(opts: FrameworkOptions) {
    this.opts = opts;
    this.clock_ = opts.clock ?? realClock;
    this.waitingPods = new WaitingPods(this.clock_);
    const profile = opts.profile;
    this.profileName_ = profile.schedulerName ?? '';
    this.percentageOfNodesToScore = profile.percentageOfNodesToScore;
    const plugins = profile.plugins ?? {};
    const args = new Map((profile.pluginConfig ?? []).map((pc) => [pc.name, pc.args]));

    // Instantiate every plugin named anywhere, once.
    const names = new Set<string>();
    for (const point of ['multiPoint', ...extensionPoints] as const) {
      for (const ref of plugins[point]?.enabled ?? []) names.add(ref.name);
    }
    for (const name of names) {
      const factory = opts.registry.get(name);
      if (!factory) {
        if (upstreamDefaultNames.has(name)) {
          log.v(4).info('Skipping an upstream plugin k8ts does not implement', { plugin: name, profile: this.profileName_ });
          continue;
        }
        throw new Error(`plugin ${JSON.stringify(name)} does not exist`);
      }
      this.pluginsMap.set(name, factory(args.get(name), this));
    }
    for (const pc of profile.pluginConfig ?? []) {
      if (!names.has(pc.name) && !opts.registry.has(pc.name) && !upstreamDefaultNames.has(pc.name)) {
        throw new Error(`plugin ${JSON.stringify(pc.name)} does not exist`);
      }
    }

    // Score weights: MultiPoint first, the Score point's own setting overrides.
    for (const ref of [...(plugins.multiPoint?.enabled ?? []), ...(plugins.score?.enabled ?? [])]) {
      this.scorePluginWeight.set(ref.name, ref.weight && ref.weight > 0 ? ref.weight : 1);
    }

    for (const point of extensionPoints) {
      for (const name of this.expand(point)) {
        const p = this.pluginsMap.get(name);
        if (!p) continue;
        if (!implementsPoint(p, point)) throw new Error(`plugin ${JSON.stringify(name)} does not extend ${point} plugin`);
        (this.listFor(point) as Plugin[]).push(p);
      }
    }
    if (this.queueSortPlugins.length === 0) throw new Error('no queue sort plugin is enabled');
    if (this.queueSortPlugins.length > 1) throw new Error('only one queue sort plugin can be enabled');
    if (this.bindPlugins.length === 0) throw new Error('at least one bind plugin is needed');
  }

  private listFor(point: ExtensionPoint): Plugin[] {
    switch (point) {
      case 'preEnqueue':
        return this.preEnqueuePlugins;
      case 'queueSort':
        return this.queueSortPlugins;
      case 'preFilter':
        return this.preFilterPlugins;
      case 'filter':
        return this.filterPlugins;
      case 'postFilter':
        return this.postFilterPlugins;
      case 'preScore':
        return this.preScorePlugins;
      case 'score':
        return this.scorePlugins;
      case 'reserve':
        return this.reservePlugins;
      case 'permit':
        return this.permitPlugins;
      case 'preBind':
        return this.preBindPlugins;
      case 'bind':
        return this.bindPlugins;
      case 'postBind':
        return this.postBindPlugins;
    }
  }

  /**
   * The plugin names of one point (upstream expandMultiPointPlugins): plugins enabled at the point that
   * also appear in MultiPoint keep the point's order and come first, then MultiPoint plugins implementing the
   * point (unless disabled there), then the point's other plugins.
   */
  private expand(point: ExtensionPoint): string[] {
    const plugins = this.opts.profile.plugins ?? {};
    const specific = (plugins[point]?.enabled ?? []).map((r: PluginRef) => r.name);
    const disabled = new Set((plugins[point]?.disabled ?? []).map((r) => r.name));
    if (disabled.has('*')) return dedupe(specific);
    const specificSet = new Set(specific);
    const overrides: string[] = [];
    const multi: string[] = [];
    for (const ref of plugins.multiPoint?.enabled ?? []) {
      const p = this.pluginsMap.get(ref.name);
      if (!p || !implementsPoint(p, point) || disabled.has(ref.name)) continue;
      if (specificSet.has(ref.name)) {
        overrides.push(ref.name);
        continue;
      }
      if (multi.includes(ref.name)) throw new Error(`plugin ${JSON.stringify(ref.name)} already registered as ${point}`);
      multi.push(ref.name);
    }
    return dedupe([...overrides, ...multi, ...specific]);
  }

  // Handle.
  snapshotSharedLister(): NodeInfoLister {
    return this.opts.snapshot();
  }
  clientSet(): ClientInterface | undefined {
    return this.opts.client;
  }
  clock(): Clock {
    return this.clock_;
  }
  nominator(): PodNominator | undefined {
    return this.opts.nominator;
  }
  profileName(): string {
    return this.profileName_;
  }
  sharedInformerFactory(): SharedInformerFactory | undefined {
    return this.opts.informers;
  }
  eventRecorder(): EventRecorder | undefined {
    return this.opts.recorder;
  }

  /** Whether `a` goes before `b` in the active queue. */
  queueSortFunc(): (a: QueuedPodInfo, b: QueuedPodInfo) => boolean {
    const qs = this.queueSortPlugins[0];
    return (a, b) => qs.less(a, b);
  }

  /** Events per plugin name, for the queue. Plugins without EnqueueExtensions get the wildcard event. */
  eventsToRegister(): Map<string, ClusterEventWithHint[]> {
    const out = new Map<string, ClusterEventWithHint[]>();
    for (const p of this.pluginsMap.values()) {
      const ee = p as Partial<EnqueueExtensions>;
      if (typeof ee.eventsToRegister === 'function') out.set(p.name, ee.eventsToRegister());
    }
    return out;
  }

  /** PreEnqueue: the first rejection wins; null lets the pod into the active queue. */
  runPreEnqueuePlugins(pod: Pod): Status | null {
    for (const pl of this.preEnqueuePlugins) {
      const s = pl.preEnqueue(pod);
      if (!isSuccess(s)) {
        const st = s as Status;
        return st.isRejected() ? st.withPlugin(pl.name) : new Status(Code.Error, [`running PreEnqueue plugin ${JSON.stringify(pl.name)}: ${st.message()}`], pl.name, st.err);
      }
    }
    return null;
  }

  /**
   * PreFilter: Skip marks the plugin's Filter as skipped; a rejection stops the cycle; results intersect.
   * `unschedulablePlugins` collects the rejecting plugin.
   */
  runPreFilterPlugins(
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
  ): { result: PreFilterResult | null; status: Status | null; unschedulablePlugins: Set<string>; resultPlugins?: string[] } {
    let result: PreFilterResult | null = null;
    const unschedulablePlugins = new Set<string>();
    const returners: string[] = [];
    for (const pl of this.preFilterPlugins) {
      let r: { result: PreFilterResult | null; status: Status | null };
      try {
        r = pl.preFilter(state, pod, nodes);
      } catch (err) {
        r = { result: null, status: asStatus(err) };
      }
      if (r.status?.isSkip()) {
        state.skipFilterPlugins.add(pl.name);
        continue;
      }
      if (!isSuccess(r.status)) {
        const s = r.status as Status;
        if (s.isRejected()) {
          unschedulablePlugins.add(pl.name);
          return { result: null, status: s.withPlugin(pl.name), unschedulablePlugins };
        }
        return {
          result: null,
          status: new Status(Code.Error, [`running PreFilter plugin ${JSON.stringify(pl.name)}: ${s.message()}`], pl.name, s.err),
          unschedulablePlugins,
        };
      }
      if (r.result?.nodeNames) {
        returners.push(pl.name);
        const prev: Set<string> | undefined = (result as PreFilterResult | null)?.nodeNames;
        result = { nodeNames: prev ? intersect(prev, r.result.nodeNames) : r.result.nodeNames };
        if (result.nodeNames && result.nodeNames.size === 0) {
          for (const n of returners) unschedulablePlugins.add(n);
          const msg =
            returners.length > 1
              ? `node(s) didn't satisfy plugin(s) [${[...returners].sort().join(' ')}] simultaneously`
              : `node(s) didn't satisfy plugin ${returners[0]}`;
          return { result, status: rejection(Code.UnschedulableAndUnresolvable, msg).withPlugin(returners[0]), unschedulablePlugins };
        }
      }
    }
    return { result, status: null, unschedulablePlugins, resultPlugins: returners };
  }

  /** The Filter plugins that run in this cycle (PreFilter Skip removes a plugin's Filter). */
  activeFilterPlugins(state: CycleState): FilterPlugin[] {
    if (state.skipFilterPlugins.size === 0) return this.filterPlugins;
    return this.filterPlugins.filter((p) => !state.skipFilterPlugins.has(p.name));
  }

  /** `s` attributed to `plugin`, reusing the copy made for an earlier rejection with the same Status object. */
  private attribute(s: Status, plugin: string): Status {
    if (s.plugin === plugin) return s;
    let byStatus = this.attributed.get(plugin);
    if (!byStatus) this.attributed.set(plugin, (byStatus = new WeakMap()));
    let a = byStatus.get(s);
    if (!a) byStatus.set(s, (a = s.withPlugin(plugin)));
    return a;
  }

  /** Filter: the first rejection wins, attributed to its plugin; a non-rejection failure is an Error. */
  runFilterPlugins(state: CycleState, pod: Pod, nodeInfo: NodeInfo, plugins: readonly FilterPlugin[] = this.activeFilterPlugins(state)): Status | null {
    for (let i = 0; i < plugins.length; i++) {
      const pl = plugins[i];
      const s = pl.filter(state, pod, nodeInfo);
      if (s !== null && s.code !== Code.Success) {
        if (s.isRejected()) return this.attribute(s, pl.name);
        return new Status(Code.Error, [`running ${JSON.stringify(pl.name)} filter plugin: ${s.message()}`], pl.name, s.err);
      }
    }
    return null;
  }

  /**
   * Filter with nominated pods (upstream RunFilterPluginsWithNominatedPods): when pods of equal or higher
   * priority are nominated to the node, the pod must fit both with them (as if they ran) and without them.
   */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: Pod, nodeInfo: NodeInfo, plugins?: readonly FilterPlugin[]): Status | null {
    const nominated = this.opts.nominator?.nominatedPodsForNode(nodeInfo.name());
    if (nominated && nominated.length > 0) {
      const priority = pod.spec?.priority ?? 0;
      let withNominated: NodeInfo | undefined;
      let stateWith: CycleState | undefined;
      for (const pi of nominated) {
        if ((pi.pod.spec?.priority ?? 0) < priority || pi.uid === pod.metadata?.uid) continue;
        if (!withNominated) {
          withNominated = nodeInfo.clone();
          stateWith = state.clone();
        }
        withNominated.addPodInfo(pi);
        const s = this.runPreFilterExtensionAddPod(stateWith as CycleState, pod, pi, withNominated);
        if (!isSuccess(s)) return s;
      }
      if (withNominated) {
        const s = this.runFilterPlugins(stateWith as CycleState, pod, withNominated, plugins);
        if (!isSuccess(s)) return s;
      }
    }
    return this.runFilterPlugins(state, pod, nodeInfo, plugins);
  }

  runPreFilterExtensionAddPod(state: CycleState, pod: Pod, pi: PodInfo, nodeInfo: NodeInfo): Status | null {
    for (const pl of this.preFilterPlugins) {
      if (state.skipFilterPlugins.has(pl.name)) continue;
      const ext = pl.preFilterExtensions?.();
      if (!ext) continue;
      const s = ext.addPod(state, pod, pi, nodeInfo);
      if (!isSuccess(s)) return new Status(Code.Error, [`running AddPod on PreFilter plugin ${JSON.stringify(pl.name)}: ${(s as Status).message()}`], pl.name);
    }
    return null;
  }

  runPreFilterExtensionRemovePod(state: CycleState, pod: Pod, pi: PodInfo, nodeInfo: NodeInfo): Status | null {
    for (const pl of this.preFilterPlugins) {
      if (state.skipFilterPlugins.has(pl.name)) continue;
      const ext = pl.preFilterExtensions?.();
      if (!ext) continue;
      const s = ext.removePod(state, pod, pi, nodeInfo);
      if (!isSuccess(s)) return new Status(Code.Error, [`running RemovePod on PreFilter plugin ${JSON.stringify(pl.name)}: ${(s as Status).message()}`], pl.name);
    }
    return null;
  }

  /** PostFilter: the first plugin that succeeds or returns an Error ends the point; rejections go on. */
  runPostFilterPlugins(state: CycleState, pod: Pod, statuses: NodeToStatus): { result: PostFilterResult | null; status: Status | null } {
    const reasons: string[] = [];
    let rejectorPlugin = '';
    let result: PostFilterResult | null = null;
    for (const pl of this.postFilterPlugins) {
      const r = pl.postFilter(state, pod, statuses);
      if (isSuccess(r.status)) return r;
      const s = r.status as Status;
      if (s.code === Code.UnschedulableAndUnresolvable) return { result: r.result, status: s.withPlugin(pl.name) };
      if (!s.isRejected()) return { result: null, status: new Status(Code.Error, s.reasons, pl.name, s.err) };
      if (r.result && r.result.nominatedNodeName !== '') result = r.result;
      reasons.push(...s.reasons);
      if (rejectorPlugin === '') rejectorPlugin = pl.name;
    }
    return { result, status: new Status(Code.Unschedulable, reasons, rejectorPlugin) };
  }

  /** PreScore: Skip removes the plugin's Score for this cycle; anything else but success is an Error. */
  runPreScorePlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status | null {
    for (const pl of this.preScorePlugins) {
      const s = pl.preScore(state, pod, nodes);
      if (s?.isSkip()) {
        state.skipScorePlugins.add(pl.name);
        continue;
      }
      if (!isSuccess(s)) return new Status(Code.Error, [`running PreScore plugin ${JSON.stringify(pl.name)}: ${(s as Status).message()}`], pl.name);
    }
    return null;
  }

  /**
   * Score, NormalizeScore and weighting: the total weighted score per node, in `nodes` order. Each plugin's
   * normalized scores must lie in [0, 100].
   */
  runScorePlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { totals: number[]; status: Status | null } {
    const totals = new Array<number>(nodes.length).fill(0);
    // One NodeScore per node, reused by every plugin of the cycle.
    const scores: NodeScore[] = nodes.map((n) => ({ name: n.name(), score: 0 }));
    for (const pl of this.scorePlugins) {
      if (state.skipScorePlugins.has(pl.name)) continue;
      for (let i = 0; i < nodes.length; i++) {
        const r = pl.score(state, pod, nodes[i]);
        if (typeof r !== 'number') {
          return { totals, status: new Status(Code.Error, [`running Score plugins: plugin ${JSON.stringify(pl.name)} failed with: ${r.message()}`], pl.name) };
        }
        scores[i].score = r;
      }
      const ext = pl.scoreExtensions?.();
      if (ext) {
        const s = ext.normalizeScore(state, pod, scores);
        if (!isSuccess(s)) return { totals, status: new Status(Code.Error, [`running Normalize on Score plugins: ${(s as Status).message()}`], pl.name) };
      }
      const weight = this.scorePluginWeight.get(pl.name) ?? 1;
      for (let i = 0; i < nodes.length; i++) {
        const v = scores[i].score;
        if (v > MaxNodeScore || v < MinNodeScore) {
          return {
            totals,
            status: new Status(Code.Error, [`plugin ${JSON.stringify(pl.name)} returns an invalid score ${v}, it should in the range of [${MinNodeScore}, ${MaxNodeScore}] after normalizing`], pl.name),
          };
        }
        totals[i] += v * weight;
      }
    }
    return { totals, status: null };
  }

  /** Reserve: stops at the first failure (the caller then runs Unreserve for all). */
  runReservePluginsReserve(state: CycleState, pod: Pod, nodeName: string): Status | null {
    for (const pl of this.reservePlugins) {
      const s = pl.reserve(state, pod, nodeName);
      if (!isSuccess(s)) {
        const st = s as Status;
        if (st.isRejected()) return st.withPlugin(pl.name);
        return new Status(Code.Error, [`running Reserve plugin ${JSON.stringify(pl.name)}: ${st.message()}`], pl.name, st.err);
      }
    }
    return null;
  }

  /** Unreserve in reverse order. */
  runReservePluginsUnreserve(state: CycleState, pod: Pod, nodeName: string): void {
    for (let i = this.reservePlugins.length - 1; i >= 0; i--) this.reservePlugins[i].unreserve(state, pod, nodeName);
  }

  /** Permit: a rejection stops; Wait statuses make the pod a waiting pod (released by allow/reject/timeout). */
  runPermitPlugins(state: CycleState, pod: Pod, nodeName: string): Status | null {
    const waits = new Map<string, number>();
    for (const pl of this.permitPlugins) {
      const r = pl.permit(state, pod, nodeName);
      if (isSuccess(r.status)) continue;
      const s = r.status as Status;
      if (s.isRejected()) return s.withPlugin(pl.name);
      if (s.code === Code.Wait) {
        waits.set(pl.name, Math.min(r.timeoutMs, 15 * 60_000));
        continue;
      }
      return new Status(Code.Error, [`running Permit plugin ${JSON.stringify(pl.name)}: ${s.message()}`], pl.name, s.err);
    }
    if (waits.size > 0) {
      this.waitingPods.add(pod, waits);
      return new Status(Code.Wait, [`one or more plugins asked to wait and no plugin rejected pod ${JSON.stringify(pod.metadata?.name)}`]);
    }
    return null;
  }

  /** Waits for a pod Permit told to wait; null when allowed. */
  async waitOnPermit(pod: Pod): Promise<Status | null> {
    return this.waitingPods.wait(pod.metadata?.uid ?? '');
  }

  async runPreBindPlugins(state: CycleState, pod: Pod, nodeName: string, signal: AbortSignal): Promise<Status | null> {
    for (const pl of this.preBindPlugins) {
      const s = await pl.preBind(state, pod, nodeName, signal);
      if (!isSuccess(s)) {
        const st = s as Status;
        if (st.isRejected()) return st.withPlugin(pl.name);
        return new Status(Code.Error, [`running PreBind plugin ${JSON.stringify(pl.name)}: ${st.message()}`], pl.name, st.err);
      }
    }
    return null;
  }

  /** Bind: the first plugin that does not Skip decides. */
  async runBindPlugins(state: CycleState, pod: Pod, nodeName: string, signal: AbortSignal): Promise<Status | null> {
    let last: Status | null = null;
    for (const pl of this.bindPlugins) {
      const s = await pl.bind(state, pod, nodeName, signal);
      if (s?.isSkip()) {
        last = s;
        continue;
      }
      if (!isSuccess(s)) {
        const st = s as Status;
        if (st.isRejected()) return st.withPlugin(pl.name);
        return new Status(Code.Error, [`running Bind plugin ${JSON.stringify(pl.name)}: ${st.message()}`], pl.name, st.err);
      }
      return null;
    }
    return last;
  }

  runPostBindPlugins(state: CycleState, pod: Pod, nodeName: string): void {
    for (const pl of this.postBindPlugins) pl.postBind(state, pod, nodeName);
  }

  hasFilterPlugins(): boolean {
    return this.filterPlugins.length > 0;
  }

  hasPostFilterPlugins(): boolean {
    return this.postFilterPlugins.length > 0;
  }

  hasScorePlugins(): boolean {
    return this.scorePlugins.length > 0;
  }

  /** The names of the plugins configured per point (for logs and tests). */
  listPlugins(): Record<ExtensionPoint, string[]> {
    const out = {} as Record<ExtensionPoint, string[]>;
    for (const point of extensionPoints) {
      const list = this.listFor(point);
      if (list.length > 0) out[point] = list.map((p) => (point === 'score' ? `${p.name}(${this.scorePluginWeight.get(p.name) ?? 1})` : p.name));
    }
    return out;
  }
}

function intersect(a: Set<string>, b: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const x of a) if (b.has(x)) out.add(x);
  return out;
}

function dedupe(names: string[]): string[] {
  return [...new Set(names)];
}

export { CycleState };
