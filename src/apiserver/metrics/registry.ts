// The Prometheus-backed APIServerMetrics: upstream's metric names, labels and buckets on a private prom-client
// registry (one per apiserver, so tests and several servers in one process do not share counters).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { LabelledHistogram } from './labelled-histogram.js';
import type {
  APIServerMetrics,
  GroupVersionResourceLabels,
  LongRunningLabels,
  RequestObservation,
  StorageObservation,
} from './interface.js';

/** Latency buckets upstream uses for both request and etcd durations (seconds). */
const latencyBuckets = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

/** upstream's requestSliLatencies buckets (seconds). */
const sliBuckets = [0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

/** The value of the `component` label for requests served by the API server itself. */
const component = 'apiserver';

export interface PrometheusMetricsOptions {
  /** Also export process_* and nodejs_* metrics (CPU, memory, event loop lag). Default true. */
  processMetrics?: boolean;
}

export class PrometheusAPIServerMetrics implements APIServerMetrics {
  readonly registry = new Registry();
  private readonly requestTotal: Counter;
  private readonly requestDuration: Histogram;
  private readonly longRunning: Gauge;
  private readonly watchEventsTotal: Counter;
  private readonly etcdDuration: Histogram;
  private readonly etcdTotal: Counter;
  private readonly etcdErrors: Counter;
  private readonly storageObjects: Gauge;
  private readonly sliDuration: LabelledHistogram;
  /** Requests executing now, and the most seen in the current and the previous whole second, by kind. */
  private readonly inflight = { readOnly: newWatermark(), mutating: newWatermark() };

  constructor(opts: PrometheusMetricsOptions = {}) {
    const registers = [this.registry];
    this.requestTotal = new Counter({
      name: 'apiserver_request_total',
      help: 'API requests by verb, dry run value, group, version, resource, subresource, scope, component and HTTP code.',
      labelNames: ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component', 'code'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: 'apiserver_request_duration_seconds',
      help: 'API request latency in seconds.',
      labelNames: ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'],
      buckets: latencyBuckets,
      registers,
    });
    this.longRunning = new Gauge({
      name: 'apiserver_longrunning_requests',
      help: 'Long-running requests (watches, streams) currently open.',
      labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'],
      registers,
    });
    this.watchEventsTotal = new Counter({
      name: 'apiserver_watch_events_total',
      help: 'Events sent to watch clients.',
      labelNames: ['group', 'version', 'resource'],
      registers,
    });
    this.etcdDuration = new Histogram({
      name: 'etcd_request_duration_seconds',
      help: 'Storage request latency in seconds by operation and resource.',
      labelNames: ['operation', 'group', 'resource'],
      buckets: latencyBuckets,
      registers,
    });
    this.etcdTotal = new Counter({
      name: 'etcd_requests_total',
      help: 'Storage requests by operation and resource.',
      labelNames: ['operation', 'group', 'resource'],
      registers,
    });
    this.etcdErrors = new Counter({
      name: 'etcd_request_errors_total',
      help: 'Failed storage requests by operation and resource.',
      labelNames: ['operation', 'group', 'resource'],
      registers,
    });
    this.storageObjects = new Gauge({
      name: 'apiserver_storage_objects',
      help: 'Number of stored objects per resource.',
      labelNames: ['resource'],
      registers,
    });
    this.sliDuration = new LabelledHistogram({
      name: 'apiserver_request_sli_duration_seconds',
      help: 'Response latency distribution (not counting webhook duration) in seconds for each verb, group, version, resource, subresource, scope and component.',
      labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'],
      buckets: sliBuckets,
      registry: this.registry,
    });
    const inflight = this.inflight;
    new Gauge({
      name: 'apiserver_current_inflight_requests',
      help: 'Maximal number of currently used inflight request limit of this apiserver per request kind in last second.',
      labelNames: ['request_kind'],
      registers,
      collect() {
        const now = performance.now();
        this.set({ request_kind: 'readOnly' }, lastSecondMax(inflight.readOnly, now));
        this.set({ request_kind: 'mutating' }, lastSecondMax(inflight.mutating, now));
      },
    });
    if (opts.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  observeRequest(o: RequestObservation): void {
    const labels = {
      verb: o.verb,
      dry_run: o.dryRun ?? '',
      group: o.group,
      version: o.version,
      resource: o.resource,
      subresource: o.subresource,
      scope: o.scope,
      component,
    };
    this.requestDuration.observe(labels, o.seconds);
    this.requestTotal.inc({ ...labels, code: String(o.code) });
    if (o.sliSeconds !== undefined) this.sliDuration.with(o.verb, o.group, o.version, o.resource, o.subresource, o.scope, component).observe(Math.max(0, o.sliSeconds));
  }

  requestExecuting(kind: 'readOnly' | 'mutating'): () => void {
    const w = this.inflight[kind];
    roll(w, performance.now());
    w.current++;
    w.max = Math.max(w.max, w.current);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      roll(w, performance.now());
      w.current--;
    };
  }

  observeStorage(o: StorageObservation): void {
    const labels = { operation: o.operation, group: o.group, resource: o.resource };
    this.etcdDuration.observe(labels, o.seconds);
    this.etcdTotal.inc(labels);
    if (o.failed) this.etcdErrors.inc(labels);
  }

  watchStarted(labels: LongRunningLabels): void {
    this.longRunning.inc({ ...labels, component });
  }

  watchEnded(labels: LongRunningLabels): void {
    this.longRunning.dec({ ...labels, component });
  }

  watchEvents(gvr: GroupVersionResourceLabels, n: number): void {
    if (n > 0) this.watchEventsTotal.inc({ group: gvr.group, version: gvr.version, resource: gvr.resource }, n);
  }

  setStorageObjects(resource: string, count: number): void {
    this.storageObjects.set({ resource }, count);
  }

  /** The Prometheus text exposition of every metric. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** Zero every metric (upstream resets on `DELETE /metrics`). */
  reset(): void {
    this.registry.resetMetrics();
  }
}

/** Executing requests of one kind: the count now, the most in the current second, and in the last whole one. */
interface Watermark {
  current: number;
  max: number;
  previousMax: number;
  windowStart: number;
}

function newWatermark(): Watermark {
  return { current: 0, max: 0, previousMax: 0, windowStart: performance.now() };
}

/** Starts a new one-second window once the current one is over; an idle gap keeps the level it had. */
function roll(w: Watermark, now: number): void {
  if (now - w.windowStart < 1000) return;
  // More than a window without a change: the last whole second saw the current level throughout.
  w.previousMax = now - w.windowStart < 2000 ? w.max : w.current;
  w.max = w.current;
  w.windowStart = now;
}

/** What the gauge shows: the most requests executing at once in the last whole second (upstream's watermark). */
function lastSecondMax(w: Watermark, now: number): number {
  roll(w, now);
  return w.previousMax;
}
