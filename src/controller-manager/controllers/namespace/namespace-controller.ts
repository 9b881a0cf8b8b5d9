// The namespace controller (upstream pkg/controller/namespace): a namespace with a deletionTimestamp is
// emptied by the NamespacedResourcesDeleter and then finalized; while content remains it is looked at again
// after half the estimate, and after failures with backoff.
import type * as corev1 from '../../../api/generated/core/v1.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { DiscoveryResult } from '../../../client/discovery/discovery-client.js';
import type { Interface } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import type { Controller, ControllerContext, InformerHandle } from '../../controller-context.js';
import type { ControllerMetrics } from '../../metrics.js';
import { type SyncResult } from '../../worker-loop.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import { NamespacedResourcesDeleter } from './namespaced-resources-deleter.js';

type Namespace = Typed<corev1.Namespace>;

export const namespaceControllerName = 'namespace-controller';

export const namespacesResource = { group: '', version: 'v1', resource: 'namespaces' } as const;

/**
 * How long after seeing a namespace's deletion the controller starts on it (upstream
 * namespaceDeletionGracePeriod): admission caches and in-flight creates settle first.
 */
export const namespaceDeletionGracePeriodMs = 5000;

/** upstream's namespace informer resync period (--namespace-sync-period, 5 minutes). */
export const namespaceSyncPeriodMs = 5 * 60_000;

export interface NamespaceControllerDeps {
  client: Interface;
  namespaces: InformerHandle<Namespace>;
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
  /** Default namespaceDeletionGracePeriodMs. */
  deletionGracePeriodMs?: number;
  discover?: (signal?: AbortSignal) => Promise<DiscoveryResult>;
  /** How long content with finalizers is given before the next look (default: upstream's 15 s). */
  finalizerEstimateSeconds?: number;
}

export class NamespaceController implements Controller {
  readonly name = namespaceControllerName;
  private readonly deps: NamespaceControllerDeps;
  private readonly deleter: NamespacedResourcesDeleter;

  constructor(deps: NamespaceControllerDeps) {
    this.deps = deps;
    this.deleter = new NamespacedResourcesDeleter({
      client: deps.client,
      clock: deps.clock,
      logger: deps.logger,
      discover: deps.discover,
      finalizerEstimateSeconds: deps.finalizerEstimateSeconds,
    });
    deps.namespaces.informer.addEventHandler(
      {
        onAdd: (ns) => this.enqueue(ns),
        onUpdate: (_old, ns) => this.enqueue(ns),
      },
      namespaceSyncPeriodMs,
    );
  }

  private enqueue(ns: Namespace): void {
    if (!ns.metadata?.deletionTimestamp || !ns.metadata.name) return;
    this.deps.queue.addAfter(ns.metadata.name, this.deps.deletionGracePeriodMs ?? namespaceDeletionGracePeriodMs);
  }

  async run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    await runAfterCacheSync({
      hasSynced: [() => deps.namespaces.informer.hasSynced()],
      name: this.name,
      queue: deps.queue,
      sync: (key) => this.sync(key),
      workers: opts.workers,
      signal: opts.signal,
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
    });
  }

  /** upstream syncNamespaceFromKey. */
  async sync(name: string): Promise<SyncResult | void> {
    const ns = this.deps.namespaces.lister.get(name);
    if (!ns) return;
    const { remainingEstimateSeconds } = await this.deleter.delete(name);
    if (remainingEstimateSeconds > 0) {
      this.deps.logger.v(4).info('Content remaining in namespace', { namespace: name, estimateSeconds: remainingEstimateSeconds });
      return { requeueAfterMs: (Math.floor(remainingEstimateSeconds / 2) + 1) * 1000 };
    }
  }
}

/** The registry's constructor. */
export function newNamespaceController(ctx: ControllerContext): Controller {
  return new NamespaceController({
    client: ctx.client,
    namespaces: ctx.informers.forResource<Namespace>(namespacesResource),
    queue: ctx.newQueue('namespace'),
    clock: ctx.clock,
    logger: ctx.logger.withName('namespace'),
    metrics: ctx.metrics,
  });
}
