// The token cleaner (upstream pkg/controller/bootstrap/tokencleaner.go): deletes bootstrap token secrets of
// kube-system once their `expiration` has passed, looking again exactly when the next one expires.
import { isNotFound } from '../../../apimachinery/errors.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { Interface } from '../../../client/rest/interface.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import type { Controller, ControllerContext, InformerHandle } from '../../controller-context.js';
import type { ControllerMetrics } from '../../metrics.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import type { SyncResult } from '../../worker-loop.js';
import { secretsResource } from './bootstrap-signer.js';
import { bootstrapTokenSecretType, expirationOf, isExpired, type Secret } from './bootstrap-tokens.js';

export interface TokenCleanerDeps {
  client: Interface;
  secrets: InformerHandle<Secret>;
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
}

export class TokenCleaner implements Controller {
  readonly name = 'token-cleaner-controller';

  constructor(private readonly deps: TokenCleanerDeps) {
    const enqueue = (s: Secret): void => {
      if (s.type === bootstrapTokenSecretType) deps.queue.add(`${s.metadata!.namespace}/${s.metadata!.name}`);
    };
    deps.secrets.informer.addEventHandler({ onAdd: enqueue, onUpdate: (_o, s) => enqueue(s) });
  }

  run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    return runAfterCacheSync({
      name: this.name,
      hasSynced: [() => deps.secrets.informer.hasSynced()],
      queue: deps.queue,
      sync: (key) => this.syncSecret(key),
      workers: 1,
      signal: opts.signal,
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
    });
  }

  /** Deletes the secret (UID precondition) when expired; otherwise asks to be called again at expiry. */
  async syncSecret(key: string): Promise<SyncResult | void> {
    const [namespace, name] = key.split('/') as [string, string];
    const secret = this.deps.secrets.lister.namespace(namespace).get(name);
    if (!secret || secret.type !== bootstrapTokenSecretType || secret.metadata?.deletionTimestamp) return;
    const now = this.deps.clock.now();
    if (isExpired(secret, now)) {
      this.deps.logger.v(3).info('Deleting expired secret', { secret: key });
      try {
        await this.deps.client.resource(secretsResource, namespace).delete(name, { preconditions: { uid: secret.metadata?.uid } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return;
    }
    const exp = expirationOf(secret);
    if (exp !== undefined) return { requeueAfterMs: exp - now };
  }
}

/** The registry's constructor (disabled by default, as upstream). */
export function newTokenCleaner(ctx: ControllerContext): Controller {
  return new TokenCleaner({
    client: ctx.client,
    secrets: ctx.informers.forResource<Secret>(secretsResource, { namespace: 'kube-system', fieldSelector: `type=${bootstrapTokenSecretType}` }),
    queue: ctx.newQueue('token_cleaner'),
    clock: ctx.clock,
    logger: ctx.logger.withName('token-cleaner'),
    metrics: ctx.metrics,
  });
}
