// kube-scheduler's metrics with upstream names and labels, on a private prom-client registry (one per
// scheduler, so tests and several schedulers in one process do not share counters).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueMetrics } from './queue/scheduling-queue.js';

/** Upstream's exponential buckets for attempt durations: 1ms × 2^k, 15 buckets. */
const attemptBuckets = Array.from({ length: 15 }, (_, i) => 0.001 * 2 ** i);
/** scheduler_pod_scheduling_sli_duration_seconds: 10ms × 1.5^k, 20 buckets. */
const sliBuckets = Array.from({ length: 20 }, (_, i) => 0.01 * 1.5 ** i);

export type AttemptResult = 'scheduled' | 'unschedulable' | 'error';

export class SchedulerMetrics implements QueueMetrics {
  readonly registry = new Registry();
  private readonly scheduleAttempts: Counter;
  private readonly attemptDuration: Histogram;
  private readonly sliDuration: Histogram;
  private readonly podSchedulingAttempts: Histogram;
  private readonly pendingPods: Gauge;
  private readonly queueIncoming: Counter;
  private readonly cacheSize: Gauge;
  private readonly goroutines: Gauge;
  private readonly extensionPointDuration: Histogram;
  private readonly unschedulablePods: Gauge;

  constructor(opts: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.scheduleAttempts = new Counter({
      name: 'scheduler_schedule_attempts_total',
      help: 'Number of attempts to schedule pods, by the result. unschedulable means a pod could not be scheduled, while error means an internal scheduler problem.',
      labelNames: ['result', 'profile'],
      registers,
    });
    this.attemptDuration = new Histogram({
      name: 'scheduler_scheduling_attempt_duration_seconds',
      help: 'Scheduling attempt latency in seconds (scheduling algorithm + binding)',
      labelNames: ['result', 'profile'],
      buckets: attemptBuckets,
      registers,
    });
    this.sliDuration = new Histogram({
      name: 'scheduler_pod_scheduling_sli_duration_seconds',
      help: 'E2e latency for a pod being scheduled, from the time the pod enters the scheduling queue and might involve multiple scheduling attempts.',
      labelNames: ['attempts'],
      buckets: sliBuckets,
      registers,
    });
    this.podSchedulingAttempts = new Histogram({
      name: 'scheduler_pod_scheduling_attempts',
      help: 'Number of attempts to successfully schedule a pod.',
      buckets: [1, 2, 4, 8, 16],
      registers,
    });
    this.pendingPods = new Gauge({
      name: 'scheduler_pending_pods',
      help: "Number of pending pods, by the queue type. 'active' means number of pods in activeQ; 'backoff' means number of pods in backoffQ; 'unschedulable' means number of pods in unschedulablePods that the scheduler attempted to schedule and failed; 'gated' is the number of unschedulable pods that the scheduler never attempted to schedule because they are gated.",
      labelNames: ['queue'],
      registers,
    });
    this.queueIncoming = new Counter({
      name: 'scheduler_queue_incoming_pods_total',
      help: 'Number of pods added to scheduling queues by event and queue type.',
      labelNames: ['queue', 'event'],
      registers,
    });
    this.cacheSize = new Gauge({
      name: 'scheduler_cache_size',
      help: 'Number of nodes, pods, and assumed (bound) pods in the scheduler cache.',
      labelNames: ['type'],
      registers,
    });
    this.goroutines = new Gauge({
      name: 'scheduler_goroutines',
      help: 'Number of running goroutines split by the work they do such as binding.',
      labelNames: ['operation'],
      registers,
    });
    this.extensionPointDuration = new Histogram({
      name: 'scheduler_framework_extension_point_duration_seconds',
      help: 'Latency for running all plugins of a specific extension point.',
      labelNames: ['extension_point', 'status', 'profile'],
      // Upstream: exponential from 0.1ms, factor 2, 12 buckets.
      buckets: Array.from({ length: 12 }, (_, i) => 0.0001 * 2 ** i),
      registers,
    });
    this.unschedulablePods = new Gauge({
      name: 'scheduler_unschedulable_pods',
      help: 'The number of unschedulable pods broken down by plugin name. A pod will increment the gauge for all plugins that caused it to not schedule and so this metric have meaning only when broken down by plugin.',
      labelNames: ['plugin', 'profile'],
      registers,
    });
    if (opts.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  attempt(result: AttemptResult, profile: string, seconds: number): void {
    this.scheduleAttempts.inc({ result, profile });
    this.attemptDuration.observe({ result, profile }, seconds);
  }

  podScheduled(attempts: number, sliSeconds: number): void {
    this.sliDuration.observe({ attempts: String(attempts) }, sliSeconds);
    this.podSchedulingAttempts.observe(attempts);
  }

  /** One run of an extension point's plugins; `status` is the code name (Success, Unschedulable, …). */
  extensionPoint(point: string, status: string, profile: string, seconds: number): void {
    this.extensionPointDuration.observe({ extension_point: point, status, profile }, seconds);
  }

  unschedulablePlugins(plugins: readonly string[], profile: string, delta: 1 | -1): void {
    for (const plugin of plugins) this.unschedulablePods.inc({ plugin, profile }, delta);
  }

  incoming(queue: string, event: string): void {
    this.queueIncoming.inc({ queue, event });
  }

  pending(counts: { active: number; backoff: number; unschedulable: number; gated: number }): void {
    this.pendingPods.set({ queue: 'active' }, counts.active);
    this.pendingPods.set({ queue: 'backoff' }, counts.backoff);
    this.pendingPods.set({ queue: 'unschedulable' }, counts.unschedulable);
    this.pendingPods.set({ queue: 'gated' }, counts.gated);
  }

  cache(nodes: number, pods: number): void {
    this.cacheSize.set({ type: 'nodes' }, nodes);
    this.cacheSize.set({ type: 'pods' }, pods);
  }

  bindingsInFlight(n: number): void {
    this.goroutines.set({ operation: 'binding' }, n);
  }

  /** The text exposition for /metrics. */
  async expose(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
