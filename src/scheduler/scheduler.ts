// The scheduler (upstream pkg/scheduler/scheduler.go): one Framework per profile, one queue and cache,
// informers for pods and nodes, and the loop that schedules one pod at a time while bindings run behind.
import type { Node, Pod } from '../api/generated/core/v1.js';
import { realClock, type Clock } from '../base/clock.js';
import { klog } from '../base/logger.js';
import { SharedInformerFactory, type InformerHandle } from '../client/cache/informer-factory.js';
import type { Interface as ClientInterface } from '../client/rest/interface.js';
import type { Typed } from '../client/typed.js';
import { Cache } from './cache/cache.js';
import type { CompletedConfiguration } from './config/defaults.js';
import { newClientEventRecorder, type EventRecorder } from './event-recorder.js';
import { nodeEventHandler, podEventHandler } from './event-handlers.js';
import type { Registry } from './framework/interface.js';
import { Framework } from './framework/runtime.js';
import { SchedulerMetrics } from './metrics.js';
import { newInTreeRegistry } from './plugins/registry.js';
import { SchedulingQueue } from './queue/scheduling-queue.js';
import { SchedulerCore } from './schedule-one.js';

const log = klog.withName('scheduler.ts');

export interface SchedulerOptions {
  client: ClientInterface;
  /** A configuration with defaults applied (config/defaults.ts defaultConfiguration). */
  config: CompletedConfiguration;
  registry?: Registry;
  clock?: Clock;
  metrics?: SchedulerMetrics;
  /** Default: Events written through `client` by src/client/record. */
  recorder?: EventRecorder;
  random?: () => number;
  /** Assumed pods not confirmed this long after binding are dropped (0 = never, upstream's default). */
  assumedPodTTLMs?: number;
  /** How long a pod may stay in unschedulablePods before it is retried anyway (default 5 minutes). */
  podMaxInUnschedulablePodsDurationMs?: number;
}

export class Scheduler {
  readonly cache: Cache;
  readonly queue: SchedulingQueue;
  readonly profiles = new Map<string, Framework>();
  readonly core: SchedulerCore;
  readonly metrics: SchedulerMetrics;
  readonly informers: SharedInformerFactory;
  readonly podInformer: InformerHandle<Typed<Pod>>;
  readonly nodeInformer: InformerHandle<Typed<Node>>;
  private readonly clock: Clock;
  private readonly recorder: EventRecorder;
  /** Set when this scheduler made its own recorder (then it flushes and stops it). */
  private readonly closeRecorder: (() => Promise<void>) | undefined;
  private synced = false;

  constructor(opts: SchedulerOptions) {
    this.clock = opts.clock ?? realClock;
    this.metrics = opts.metrics ?? new SchedulerMetrics();
    this.cache = new Cache({ clock: this.clock, ttlMs: opts.assumedPodTTLMs ?? 0 });
    if (opts.recorder) {
      this.recorder = opts.recorder;
    } else {
      const r = newClientEventRecorder({ client: opts.client, clock: this.clock });
      this.recorder = r;
      this.closeRecorder = () => r.close();
    }
    const registry = opts.registry ?? newInTreeRegistry();
    // Informers first: plugin factories ask for the listers they need before anything starts.
    this.informers = new SharedInformerFactory({ client: opts.client, clock: this.clock });
    // The queue needs the profiles and the profiles need the queue's nominator: the snapshot and nominator
    // are reached through closures, filled before anything runs.
    let core: SchedulerCore | undefined;
    let queue: SchedulingQueue | undefined;
    for (const profile of opts.config.profiles) {
      const name = profile.schedulerName ?? '';
      if (this.profiles.has(name)) throw new Error(`duplicate profile with scheduler name ${JSON.stringify(name)}`);
      const fwk = new Framework({
        profile,
        registry,
        snapshot: () => (core as SchedulerCore).snapshot,
        client: opts.client,
        clock: this.clock,
        informers: this.informers,
        recorder: this.recorder,
        nominator: {
          addNominatedPod: (pi, n) => queue?.nominator.addNominatedPod(pi, n),
          deleteNominatedPodIfExists: (p) => queue?.nominator.deleteNominatedPodIfExists(p),
          updateNominatedPod: (o, n) => queue?.nominator.updateNominatedPod(o, n),
          nominatedPodsForNode: (n) => queue?.nominator.nominatedPodsForNode(n) ?? [],
        },
      });
      this.profiles.set(name, fwk);
    }
    const first = [...this.profiles.values()][0];
    const sortNames = new Set([...this.profiles.values()].map((f) => f.queueSortPlugins[0].name));
    if (sortNames.size > 1) throw new Error('different queue sort plugins for profiles are not supported');
    queue = new SchedulingQueue({
      less: first.queueSortFunc(),
      profiles: this.profiles,
      clock: this.clock,
      podInitialBackoffMs: opts.config.podInitialBackoffSeconds * 1000,
      podMaxBackoffMs: opts.config.podMaxBackoffSeconds * 1000,
      podMaxInUnschedulablePodsDurationMs: opts.podMaxInUnschedulablePodsDurationMs,
      metrics: this.metrics,
    });
    this.queue = queue;
    this.podInformer = this.informers.forResource<Typed<Pod>>(
      { group: '', version: 'v1', resource: 'pods' },
      { fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed' },
    );
    this.nodeInformer = this.informers.forResource<Typed<Node>>({ group: '', version: 'v1', resource: 'nodes' });
    core = new SchedulerCore({
      cache: this.cache,
      queue,
      profiles: this.profiles,
      client: opts.client,
      recorder: this.recorder,
      metrics: this.metrics,
      clock: this.clock,
      percentageOfNodesToScore: opts.config.percentageOfNodesToScore,
      random: opts.random,
      getPod: (ns, name) => this.podInformer.lister.namespace(ns).get(name),
    });
    this.core = core;
    const deps = { cache: this.cache, queue, profiles: new Set(this.profiles.keys()) };
    this.nodeInformer.informer.addEventHandler(nodeEventHandler(deps));
    this.podInformer.informer.addEventHandler(podEventHandler(deps));
  }

  /** True once the informers have synced (for /healthz-style readiness). */
  hasSynced(): boolean {
    return this.synced;
  }

  /**
   * Runs until `signal` aborts: informers, cache sync, the queue's flushes, and the scheduling loop.
   * Resolves after bindings in flight have finished.
   */
  async run(signal: AbortSignal): Promise<void> {
    this.informers.start(signal);
    if (!(await this.informers.waitForCacheSync(signal))) return;
    this.synced = true;
    for (const [name, fwk] of this.profiles) log.v(2).info('Profile', { schedulerName: name, plugins: fwk.listPlugins() });
    this.queue.run(signal);
    const housekeeping = (): void => {
      if (signal.aborted) return;
      this.cache.cleanupAssumedPods();
      this.metrics.cache(this.cache.nodeCount(), this.cache.podCount());
      timer = this.clock.setTimer(1000, housekeeping);
    };
    let timer = this.clock.setTimer(1000, housekeeping);
    try {
      while (!signal.aborted) {
        if (!(await this.core.scheduleOne(signal))) break;
        // Let informer events and binding replies in between pods, as Go's goroutines would.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      timer.stop();
      this.queue.close();
      await this.core.waitForBindings();
      await this.closeRecorder?.();
      await this.informers.shutdown();
    }
  }
}
