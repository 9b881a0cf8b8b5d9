// The service accounts controller (upstream pkg/controller/serviceaccount ServiceAccountsController): makes
// sure every active namespace has the `default` ServiceAccount, recreating it when it is deleted.
import type * as corev1 from '../../../api/generated/core/v1.js';
import { isAlreadyExists } from '../../../apimachinery/errors.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import { isDeletedFinalStateUnknown } from '../../../client/cache/keys.js';
import type { DeletedFinalStateUnknown } from '../../../client/cache/interface.js';
import type { Interface } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import type { Controller, ControllerContext, InformerHandle } from '../../controller-context.js';
import type { ControllerMetrics } from '../../metrics.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import { isNamespaceTerminating } from '../../worker-loop.js';

type Namespace = Typed<corev1.Namespace>;
type ServiceAccount = Typed<corev1.ServiceAccount>;

export const serviceAccountsResource = { group: '', version: 'v1', resource: 'serviceaccounts' } as const;
export const namespacesResource = { group: '', version: 'v1', resource: 'namespaces' } as const;

/** upstream DefaultServiceAccountsControllerOptions: the accounts every namespace gets. */
export const defaultServiceAccountNames = ['default'];

/** upstream's namespace resync for this controller (5 minutes): a missed delete is repaired within it. */
export const serviceAccountsNamespaceResyncMs = 5 * 60_000;

export interface ServiceAccountsControllerDeps {
  client: Interface;
  namespaces: InformerHandle<Namespace>;
  serviceAccounts: InformerHandle<ServiceAccount>;
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
  /** Default: defaultServiceAccountNames. */
  accountNames?: string[];
}

export class ServiceAccountsController implements Controller {
  readonly name = 'serviceaccount-controller';

  constructor(private readonly deps: ServiceAccountsControllerDeps) {
    deps.serviceAccounts.informer.addEventHandler({
      onDelete: (obj) => this.serviceAccountDeleted(obj),
    });
    deps.namespaces.informer.addEventHandler(
      {
        onAdd: (ns) => this.enqueueNamespace(ns),
        onUpdate: (_old, ns) => this.enqueueNamespace(ns),
      },
      serviceAccountsNamespaceResyncMs,
    );
  }

  private get accountNames(): string[] {
    return this.deps.accountNames ?? defaultServiceAccountNames;
  }

  private serviceAccountDeleted(obj: ServiceAccount | DeletedFinalStateUnknown<ServiceAccount>): void {
    const sa = isDeletedFinalStateUnknown(obj) ? obj.obj : obj;
    const ns = sa.metadata?.namespace;
    if (ns && this.accountNames.includes(sa.metadata?.name ?? '')) this.deps.queue.add(ns);
  }

  private enqueueNamespace(ns: Namespace): void {
    if (ns.metadata?.name) this.deps.queue.add(ns.metadata.name);
  }

  run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    return runAfterCacheSync({
      name: this.name,
      hasSynced: [() => deps.namespaces.informer.hasSynced(), () => deps.serviceAccounts.informer.hasSynced()],
      queue: deps.queue,
      sync: (key) => this.syncNamespace(key),
      workers: opts.workers,
      signal: opts.signal,
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
      isIgnorable: isNamespaceTerminating,
    });
  }


  /** upstream syncNamespace: creates the missing accounts of an Active namespace; no-op otherwise. */
  async syncNamespace(name: string): Promise<void> {
    const ns = this.deps.namespaces.lister.get(name);
    if (!ns || ns.status?.phase === 'Terminating' || ns.metadata?.deletionTimestamp) return;
    const accounts = this.deps.client.resource<ServiceAccount>(serviceAccountsResource, name);
    for (const saName of this.accountNames) {
      if (this.deps.serviceAccounts.lister.namespace(name).get(saName)) continue;
      try {
        await accounts.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: saName } });
      } catch (err) {
        // Created meanwhile (or the cache is behind): the account exists, which is all we want.
        if (!isAlreadyExists(err)) throw err;
      }
    }
  }
}

/** The registry's constructor. */
export function newServiceAccountsController(ctx: ControllerContext): Controller {
  return new ServiceAccountsController({
    client: ctx.client,
    namespaces: ctx.informers.forResource<Namespace>(namespacesResource),
    serviceAccounts: ctx.informers.forResource<ServiceAccount>(serviceAccountsResource),
    queue: ctx.newQueue('serviceaccount'),
    clock: ctx.clock,
    logger: ctx.logger.withName('serviceaccount'),
    metrics: ctx.metrics,
  });
}
