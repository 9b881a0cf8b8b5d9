// The controller manager's Prometheus metrics on a private prom-client registry (one per manager, so tests
// running several managers in one process do not share counters). Served at /metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** How one sync ended, as the `result` label of controller_sync_total. */
export type SyncOutcome = 'success' | 'error' | 'requeue_after' | 'dropped';

/** What the shared worker loop and the manager report. Controllers add their own metrics beside these. */
export interface ControllerMetrics {
  observeSync(controller: string, outcome: SyncOutcome, seconds: number): void;
  /** upstream leader_election_master_status: 1 while this manager leads. */
  setLeader(name: string, leading: boolean): void;
  /** The Prometheus text exposition of every metric. */
  exposition(): Promise<{ contentType: string; body: string }>;
  readonly registry: Registry;
}

const syncBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export class PrometheusControllerMetrics implements ControllerMetrics {
  readonly registry = new Registry();
  private readonly syncTotal: Counter;
  private readonly syncDuration: Histogram;
  private readonly leader: Gauge;

  constructor(opts: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.syncTotal = new Counter({
      name: 'controller_sync_total',
      help: 'Syncs (reconciles) by controller and result: success, error, requeue_after, dropped (gave up retrying).',
      labelNames: ['controller', 'result'],
      registers,
    });
    this.syncDuration = new Histogram({
      name: 'controller_sync_duration_seconds',
      help: 'Time one sync of one key took, by controller.',
      labelNames: ['controller'],
      buckets: syncBuckets,
      registers,
    });
    this.leader = new Gauge({
      name: 'leader_election_master_status',
      help: '1 while this process holds the named leader-election lease, 0 while it waits.',
      labelNames: ['name'],
      registers,
    });
    if (opts.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  observeSync(controller: string, outcome: SyncOutcome, seconds: number): void {
    this.syncTotal.inc({ controller, result: outcome });
    this.syncDuration.observe({ controller }, seconds);
  }

  setLeader(name: string, leading: boolean): void {
    this.leader.set({ name }, leading ? 1 : 0);
  }

  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
