// The bootstrap signer (upstream pkg/controller/bootstrap/bootstrapsigner.go): keeps a detached JWS of the
// kube-public/cluster-info kubeconfig for every signing bootstrap token in its data, as
// `jws-kubeconfig-<token id>`, so a joining node can check cluster-info with only its token.
import { isNotFound } from '../../../apimachinery/errors.js';
import type * as corev1 from '../../../api/generated/core/v1.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { Interface } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import type { Controller, ControllerContext, InformerHandle } from '../../controller-context.js';
import type { ControllerMetrics } from '../../metrics.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import {
  bootstrapTokenSecretType,
  computeDetachedSignature,
  configMapClusterInfo,
  jwsSignatureKeyPrefix,
  kubeConfigKey,
  tokenForSigning,
  type Secret,
} from './bootstrap-tokens.js';

type ConfigMap = Typed<corev1.ConfigMap>;

export const configMapsResource = { group: '', version: 'v1', resource: 'configmaps' } as const;
export const secretsResource = { group: '', version: 'v1', resource: 'secrets' } as const;

export interface BootstrapSignerDeps {
  client: Interface;
  /** ConfigMaps of kube-public. */
  configMaps: InformerHandle<ConfigMap>;
  /** Bootstrap token secrets of kube-system. */
  secrets: InformerHandle<Secret>;
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
}

export class BootstrapSigner implements Controller {
  readonly name = 'bootstrap-signer-controller';

  constructor(private readonly deps: BootstrapSignerDeps) {
    const poke = (): void => deps.queue.add('signer');
    deps.configMaps.informer.addEventHandler({
      onAdd: (cm) => cm.metadata?.name === configMapClusterInfo && poke(),
      onUpdate: (_o, cm) => cm.metadata?.name === configMapClusterInfo && poke(),
    });
    deps.secrets.informer.addEventHandler({ onAdd: poke, onUpdate: poke, onDelete: poke });
  }

  run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    return runAfterCacheSync({
      name: this.name,
      hasSynced: [() => deps.configMaps.informer.hasSynced(), () => deps.secrets.informer.hasSynced()],
      queue: deps.queue,
      sync: () => this.signConfigMap(),
      workers: 1,
      signal: opts.signal,
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
    });
  }

  /** Recomputes the signatures of cluster-info and writes them when they differ; stale ones are removed. */
  async signConfigMap(): Promise<void> {
    const cm = this.deps.configMaps.lister.namespace('kube-public').get(configMapClusterInfo);
    if (!cm) return;
    const content = cm.data?.[kubeConfigKey];
    if (content === undefined) {
      this.deps.logger.v(3).info('No kubeconfig key in ConfigMap', { configMap: `kube-public/${configMapClusterInfo}` });
      return;
    }
    const now = this.deps.clock.now();
    const wanted: Record<string, string> = {};
    for (const secret of this.deps.secrets.lister.namespace('kube-system').list()) {
      const token = tokenForSigning(secret, now);
      if (token) wanted[`${jwsSignatureKeyPrefix}${token.id}`] = computeDetachedSignature(content, token.id, token.secret);
    }
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(cm.data ?? {})) if (!k.startsWith(jwsSignatureKeyPrefix)) data[k] = v;
    Object.assign(data, wanted);
    if (JSON.stringify(Object.entries(data).sort()) === JSON.stringify(Object.entries(cm.data ?? {}).sort())) return;
    try {
      await this.deps.client.resource<ConfigMap>(configMapsResource, 'kube-public').update({ ...cm, data });
    } catch (err) {
      // Gone: nothing to sign. A conflict is retried with the newer copy.
      if (!isNotFound(err)) throw err;
    }
  }
}

/** The registry's constructor (disabled by default, as upstream). */
export function newBootstrapSigner(ctx: ControllerContext): Controller {
  return new BootstrapSigner({
    client: ctx.client,
    configMaps: ctx.informers.forResource<ConfigMap>(configMapsResource, { namespace: 'kube-public' }),
    secrets: ctx.informers.forResource<Secret>(secretsResource, { namespace: 'kube-system', fieldSelector: `type=${bootstrapTokenSecretType}` }),
    queue: ctx.newQueue('bootstrap_signer_queue'),
    clock: ctx.clock,
    logger: ctx.logger.withName('bootstrap-signer'),
    metrics: ctx.metrics,
  });
}
