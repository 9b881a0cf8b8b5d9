// The prom-client MetricsProvider: registers upstream's workqueue_* metric families, labelled by queue name.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { MetricsProvider } from './metrics.js';

/** Latency buckets of client-go: 10^-8 … 10^1 seconds. */
const durationBuckets = Array.from({ length: 10 }, (_, i) => 10 ** (i - 8));

/** One provider per registry: prom-client refuses to register a family twice. */
const providers = new WeakMap<Registry, MetricsProvider>();

/**
 * The provider writing into `registry`: the families are registered on the first call and shared by every
 * queue (each queue is one `name` label value); later calls with the same registry return the same provider.
 */
export function newPrometheusMetricsProvider(registry: Registry): MetricsProvider {
  let provider = providers.get(registry);
  if (!provider) {
    provider = registerFamilies(registry);
    providers.set(registry, provider);
  }
  return provider;
}

function registerFamilies(registry: Registry): MetricsProvider {
  const labelNames = ['name'] as const;
  const registers = [registry];
  const depth = new Gauge({ name: 'workqueue_depth', help: 'Items waiting in the work queue.', labelNames, registers });
  const adds = new Counter({ name: 'workqueue_adds_total', help: 'Adds accepted by the work queue.', labelNames, registers });
  const latency = new Histogram({
    name: 'workqueue_queue_duration_seconds',
    help: 'Seconds an item waited in the work queue before a worker took it.',
    buckets: durationBuckets,
    labelNames,
    registers,
  });
  const workDuration = new Histogram({
    name: 'workqueue_work_duration_seconds',
    help: 'Seconds a worker spent on an item, from get to done.',
    buckets: durationBuckets,
    labelNames,
    registers,
  });
  const unfinished = new Gauge({
    name: 'workqueue_unfinished_work_seconds',
    help: 'Seconds spent so far on items taken but not yet done.',
    labelNames,
    registers,
  });
  const longest = new Gauge({
    name: 'workqueue_longest_running_processor_seconds',
    help: 'Seconds the oldest item still being processed has been running.',
    labelNames,
    registers,
  });
  const retries = new Counter({ name: 'workqueue_retries_total', help: 'Rate-limited re-adds to the work queue.', labelNames, registers });
  return {
    newDepthMetric: (name) => depth.labels(name),
    newAddsMetric: (name) => adds.labels(name),
    newLatencyMetric: (name) => latency.labels(name),
    newWorkDurationMetric: (name) => workDuration.labels(name),
    newUnfinishedWorkSecondsMetric: (name) => unfinished.labels(name),
    newLongestRunningProcessorSecondsMetric: (name) => longest.labels(name),
    newRetriesMetric: (name) => retries.labels(name),
  };
}
