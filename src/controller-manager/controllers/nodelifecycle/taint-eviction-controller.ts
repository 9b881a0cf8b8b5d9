// The taint eviction controller (upstream pkg/controller/tainteviction, once the node lifecycle
// controller's "taint manager"): deletes pods from nodes with NoExecute taints they do not tolerate — at
// once, or after the smallest tolerationSeconds of the tolerations that let them stay.
import type * as corev1 from '../../../api/generated/core/v1.js';
import { isNotFound } from '../../../apimachinery/errors.js';
import type { Clock, Timer } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import { isDeletedFinalStateUnknown } from '../../../client/cache/keys.js';
import type { Interface } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import { metaTime } from '../../conditions.js';
import { recorderForKind, type Controller, type ControllerContext, type EventRecorder, type InformerHandle } from '../../controller-context.js';
import type { ControllerMetrics } from '../../metrics.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import { nodesResource, podsResource } from './node-lifecycle-controller.js';
import { tolerationWindow } from './taints.js';

type Node = Typed<corev1.Node>;
type Pod = Typed<corev1.Pod>;

export interface TaintEvictionDeps {
  client: Interface;
  nodes: InformerHandle<Node>;
  pods: InformerHandle<Pod>;
  recorder: EventRecorder;
  /** Keys: pod keys "ns/name" to re-evaluate. */
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
}

interface ScheduledEviction {
  createdAt: number;
  fireAt: number;
  timer: Timer;
}

export class TaintEvictionController implements Controller {
  readonly name = 'taint-eviction-controller';
  private readonly scheduled = new Map<string, ScheduledEviction>();
  /** Pods whose timer fired: the next sync deletes them unless the taints went away meanwhile. */
  private readonly due = new Set<string>();
  /** UIDs of pods already deleted here whose deletion the cache has not shown yet (no second eviction). */
  private readonly evicted = new Set<string>();
  private readonly podEvents: EventRecorder;
  /** Pod keys by the node they are bound to, kept from pod events (upstream's pod-by-node index). */
  private readonly podsByNode = new Map<string, Set<string>>();

  constructor(private readonly deps: TaintEvictionDeps) {
    this.podEvents = recorderForKind(deps.recorder, { apiVersion: 'v1', kind: 'Pod' });
    deps.pods.informer.addEventHandler({
      onAdd: (p) => {
        this.index(undefined, p);
        this.enqueuePod(p);
      },
      onUpdate: (o, p) => {
        this.index(o, p);
        this.enqueuePod(p);
      },
      onDelete: (obj) => {
        const p = isDeletedFinalStateUnknown(obj) ? obj.obj : obj;
        this.index(p, undefined);
        this.evicted.delete(p.metadata?.uid ?? '');
        this.cancel(keyOf(p), false);
      },
    });
    deps.nodes.informer.addEventHandler({
      onAdd: (n) => this.enqueueNode(n.metadata!.name!),
      onUpdate: (o, n) => {
        if (JSON.stringify(noExecuteTaints(o)) !== JSON.stringify(noExecuteTaints(n))) this.enqueueNode(n.metadata!.name!);
      },
      onDelete: (obj) => this.enqueueNode((isDeletedFinalStateUnknown(obj) ? obj.obj : obj).metadata!.name!),
    });
  }

  private index(old: Pod | undefined, pod: Pod | undefined): void {
    const before = old?.spec?.nodeName;
    const after = pod?.spec?.nodeName;
    if (before && before !== after) {
      const set = this.podsByNode.get(before);
      set?.delete(keyOf(old!));
      if (set?.size === 0) this.podsByNode.delete(before);
    }
    if (after) {
      let set = this.podsByNode.get(after);
      if (!set) this.podsByNode.set(after, (set = new Set()));
      set.add(keyOf(pod!));
    }
  }

  private enqueuePod(p: Pod): void {
    if (p.spec?.nodeName || this.scheduled.has(keyOf(p))) this.deps.queue.add(keyOf(p));
  }

  private enqueueNode(nodeName: string): void {
    for (const key of this.podsByNode.get(nodeName) ?? []) this.deps.queue.add(key);
  }

  run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    opts.signal.addEventListener('abort', () => {
      for (const s of this.scheduled.values()) s.timer.stop();
      this.scheduled.clear();
    }, { once: true });
    return runAfterCacheSync({
      name: this.name,
      hasSynced: [() => deps.nodes.informer.hasSynced(), () => deps.pods.informer.hasSynced()],
      queue: deps.queue,
      sync: (key) => this.syncPod(key),
      workers: Math.max(opts.workers, 1),
      signal: opts.signal,
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
    });
  }

  /** Scheduled deletions, for tests: pod key → due time (ms since epoch). */
  scheduledEvictions(): Map<string, number> {
    return new Map([...this.scheduled].map(([k, s]) => [k, s.fireAt]));
  }

  private cancel(key: string, announce: boolean): void {
    const s = this.scheduled.get(key);
    this.due.delete(key);
    if (!s) return;
    s.timer.stop();
    this.scheduled.delete(key);
    if (announce) {
      const [namespace, name] = key.split('/');
      this.podEvents.event({ metadata: { namespace, name } }, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
    }
  }

  /**
   * upstream processPodOnNode: with no NoExecute taints any scheduled deletion is cancelled; with an
   * untolerated one the pod is deleted now; else its deletion is (re)scheduled at creation of the first
   * schedule + the smallest tolerationSeconds, and kept when an earlier one is already pending.
   */
  async syncPod(key: string): Promise<void> {
    const [namespace, name] = key.split('/') as [string, string];
    const pod = this.deps.pods.lister.namespace(namespace).get(name);
    const nodeName = pod?.spec?.nodeName;
    if (!pod || !nodeName || pod.metadata?.deletionTimestamp || this.evicted.has(pod.metadata?.uid ?? '')) {
      this.cancel(key, false);
      return;
    }
    const node = this.deps.nodes.lister.get(nodeName);
    const taints = node ? noExecuteTaints(node) : [];
    if (taints.length === 0) {
      this.cancel(key, true);
      return;
    }
    const window = tolerationWindow(taints, pod.spec?.tolerations);
    if (window === 'forever') {
      this.cancel(key, true);
      return;
    }
    const now = this.deps.clock.now();
    if (window === 'now' || this.due.has(key)) {
      this.cancel(key, false);
      await this.evict(pod);
      return;
    }
    const existing = this.scheduled.get(key);
    const createdAt = existing?.createdAt ?? now;
    const fireAt = createdAt + window;
    if (existing && existing.fireAt <= fireAt) return;
    existing?.timer.stop();
    if (fireAt <= now) {
      this.scheduled.delete(key);
      await this.evict(pod);
      return;
    }
    const timer = this.deps.clock.setTimer(fireAt - now, () => {
      this.scheduled.delete(key);
      this.due.add(key);
      this.deps.queue.add(key);
    });
    this.scheduled.set(key, { createdAt, fireAt, timer });
  }

  /** Marks the pod with the DisruptionTarget condition and deletes it (upstream addConditionAndDeletePod). */
  private async evict(pod: Pod): Promise<void> {
    const key = keyOf(pod);
    this.due.delete(key);
    this.podEvents.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    const pods = this.deps.client.resource<Pod>(podsResource, pod.metadata!.namespace);
    try {
      const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
      conditions.push({
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'DeletionByTaintManager',
        message: 'Taint manager: deleting due to NoExecute taint',
        lastTransitionTime: metaTime(this.deps.clock.now()),
      });
      await pods.patch(pod.metadata!.name!, 'merge', { status: { conditions } }, { subresource: 'status' });
      await pods.delete(pod.metadata!.name!, { preconditions: { uid: pod.metadata?.uid } });
      if (pod.metadata?.uid) this.evicted.add(pod.metadata.uid);
    } catch (err) {
      if (!isNotFound(err)) {
        this.due.add(key);
        throw err;
      }
    }
  }
}

function keyOf(p: Pod): string {
  return `${p.metadata!.namespace}/${p.metadata!.name}`;
}

function noExecuteTaints(node: Node): corev1.Taint[] {
  return (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
}

/** The registry's constructor. */
export function newTaintEvictionController(ctx: ControllerContext): Controller {
  return new TaintEvictionController({
    client: ctx.client,
    nodes: ctx.informers.forResource<Node>(nodesResource),
    pods: ctx.informers.forResource<Pod>(podsResource),
    recorder: ctx.recorder('taint-eviction-controller'),
    queue: ctx.newQueue('taint_eviction_controller'),
    clock: ctx.clock,
    logger: ctx.logger.withName('taint-eviction-controller'),
    metrics: ctx.metrics,
  });
}
