// The TTL-after-finished controller (upstream pkg/controller/ttlafterfinished): a finished Job with
// spec.ttlSecondsAfterFinished is deleted, with foreground propagation, that many seconds after the
// transition of its Complete or Failed condition.
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import { isNotFound } from '../../../apimachinery/errors.js';
import type { Interface } from '../../../client/rest/interface.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import type { Controller, ControllerContext, InformerHandle } from '../../controller-context.js';
import { keyOf, splitKey } from '../../controller-ref-manager.js';
import type { ControllerMetrics } from '../../metrics.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import { isNamespaceTerminating, type SyncResult } from '../../worker-loop.js';
import { jobsResource, type Job } from '../job/job-controller.js';
import { isJobFinished } from '../job/job-status.js';

export interface TTLAfterFinishedControllerDeps {
  client: Interface;
  jobs: InformerHandle<Job>;
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
}

/** A Job this controller is responsible for: it set a TTL and it finished. */
export function needsCleanup(job: Job): boolean {
  return job.spec?.ttlSecondsAfterFinished !== undefined && job.spec.ttlSecondsAfterFinished !== null && isJobFinished(job);
}

/** When the Job finished (its terminal condition's lastTransitionTime, ms), or undefined when unknown. */
export function jobFinishTime(job: Job): number | undefined {
  const c = job.status?.conditions?.find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  const t = c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return Number.isNaN(t) ? undefined : t;
}

export class TTLAfterFinishedController implements Controller {
  readonly name = 'ttl-after-finished-controller';

  constructor(private readonly deps: TTLAfterFinishedControllerDeps) {
    const consider = (job: Job): void => {
      if (needsCleanup(job)) deps.queue.add(keyOf(job));
    };
    deps.jobs.informer.addEventHandler({ onAdd: consider, onUpdate: (_old, cur) => consider(cur) });
  }

  async run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    await runAfterCacheSync({ isIgnorable: isNamespaceTerminating,
      ...opts,
      name: this.name,
      queue: deps.queue,
      sync: (key) => this.sync(key),
      hasSynced: [() => deps.jobs.informer.hasSynced()],
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
    });
  }

  /** Deletes the Job once its TTL expired; otherwise asks to look again when it will have. */
  async sync(key: string): Promise<SyncResult | void> {
    const { deps } = this;
    const { namespace, name } = splitKey(key);
    const cached = deps.jobs.lister.namespace(namespace).get(name);
    if (!cached || !needsCleanup(cached)) return;
    const wait = this.timeLeft(cached);
    if (wait > 0) return { requeueAfterMs: wait };
    // The cache may be stale (the TTL was raised, the Job re-created): decide on a fresh copy.
    const jobs = deps.client.resource<Job>(jobsResource, namespace);
    let fresh: Job;
    try {
      fresh = await jobs.get(name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (!needsCleanup(fresh)) return;
    const freshWait = this.timeLeft(fresh);
    if (freshWait > 0) return { requeueAfterMs: freshWait };
    deps.logger.v(4).info('Cleaning up Job', { job: key });
    try {
      await jobs.delete(name, { propagationPolicy: 'Foreground', preconditions: { resourceVersion: fresh.metadata?.resourceVersion } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private timeLeft(job: Job): number {
    const finished = jobFinishTime(job);
    if (finished === undefined) throw new Error(`unable to find the time when the Job ${keyOf(job)} finished`);
    return finished + (job.spec?.ttlSecondsAfterFinished ?? 0) * 1000 - this.deps.clock.now();
  }
}

export function newTTLAfterFinishedController(ctx: ControllerContext): Controller {
  return new TTLAfterFinishedController({
    client: ctx.client,
    jobs: ctx.informers.forResource<Job>(jobsResource),
    queue: ctx.newQueue('ttl_jobs_to_delete'),
    clock: ctx.clock,
    logger: ctx.logger.withName('ttlafterfinished_controller.ts'),
    metrics: ctx.metrics,
  });
}
