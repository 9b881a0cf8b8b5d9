// Queue metrics as client-go's util/workqueue reports them (workqueue_depth, workqueue_adds_total, …),
// through a pluggable provider so queues cost nothing when no one collects metrics.
import { realClock, type Clock } from '../../base/clock.js';

export interface GaugeMetric {
  inc(): void;
  dec(): void;
}
export interface SettableGaugeMetric {
  set(value: number): void;
}
export interface CounterMetric {
  inc(): void;
}
export interface HistogramMetric {
  /** Observes a value in seconds. */
  observe(seconds: number): void;
}

/** Builds the metrics of one named queue (client-go workqueue.MetricsProvider). */
export interface MetricsProvider {
  newDepthMetric(name: string): GaugeMetric;
  newAddsMetric(name: string): CounterMetric;
  newLatencyMetric(name: string): HistogramMetric;
  newWorkDurationMetric(name: string): HistogramMetric;
  newUnfinishedWorkSecondsMetric(name: string): SettableGaugeMetric;
  newLongestRunningProcessorSecondsMetric(name: string): SettableGaugeMetric;
  newRetriesMetric(name: string): CounterMetric;
}

const noop = { inc() {}, dec() {}, set() {}, observe() {} };

/** Discards everything: the default when a queue has no name or no provider. */
export const noopMetricsProvider: MetricsProvider = {
  newDepthMetric: () => noop,
  newAddsMetric: () => noop,
  newLatencyMetric: () => noop,
  newWorkDurationMetric: () => noop,
  newUnfinishedWorkSecondsMetric: () => noop,
  newLongestRunningProcessorSecondsMetric: () => noop,
  newRetriesMetric: () => noop,
};

/**
 * The bookkeeping behind a queue's metrics: when each item was added (queue latency) and when each
 * taken item started (work duration, unfinished work, longest running processor).
 */
export class QueueMetrics<T> {
  private readonly depth: GaugeMetric;
  private readonly adds: CounterMetric;
  private readonly latency: HistogramMetric;
  private readonly workDuration: HistogramMetric;
  private readonly unfinishedWork: SettableGaugeMetric;
  private readonly longestRunning: SettableGaugeMetric;
  readonly retries: CounterMetric;
  private readonly addTimes = new Map<T, number>();
  private readonly processingStarts = new Map<T, number>();

  constructor(
    name: string,
    provider: MetricsProvider,
    private readonly clock: Clock = realClock,
  ) {
    const p = name === '' ? noopMetricsProvider : provider;
    this.depth = p.newDepthMetric(name);
    this.adds = p.newAddsMetric(name);
    this.latency = p.newLatencyMetric(name);
    this.workDuration = p.newWorkDurationMetric(name);
    this.unfinishedWork = p.newUnfinishedWorkSecondsMetric(name);
    this.longestRunning = p.newLongestRunningProcessorSecondsMetric(name);
    this.retries = p.newRetriesMetric(name);
  }

  add(item: T): void {
    this.adds.inc();
    this.depth.inc();
    if (!this.addTimes.has(item)) this.addTimes.set(item, this.clock.now());
  }

  get(item: T): void {
    this.depth.dec();
    const now = this.clock.now();
    this.processingStarts.set(item, now);
    const added = this.addTimes.get(item);
    if (added !== undefined) {
      this.latency.observe((now - added) / 1000);
      this.addTimes.delete(item);
    }
    this.updateUnfinishedWork();
  }

  done(item: T): void {
    const started = this.processingStarts.get(item);
    if (started !== undefined) {
      this.workDuration.observe((this.clock.now() - started) / 1000);
      this.processingStarts.delete(item);
    }
    this.updateUnfinishedWork();
  }

  /**
   * Recomputes the two "stuck worker" gauges. client-go refreshes them every 500ms from a goroutine; we
   * refresh on every get and done, which keeps queues free of timers.
   */
  updateUnfinishedWork(): void {
    const now = this.clock.now();
    let total = 0;
    let oldest = 0;
    for (const start of this.processingStarts.values()) {
      const age = (now - start) / 1000;
      total += age;
      if (age > oldest) oldest = age;
    }
    this.unfinishedWork.set(total);
    this.longestRunning.set(oldest);
  }
}
