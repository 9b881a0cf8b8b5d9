// The root CA certificate publisher (upstream pkg/controller/certificates/rootcacertpublisher): keeps the
// ConfigMap `kube-root-ca.crt` with the cluster's CA bundle in every namespace, so pods can verify the apiserver.
import { readFileSync } from 'node:fs';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { isAlreadyExists, isNotFound } from '../../../apimachinery/errors.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { DeletedFinalStateUnknown } from '../../../client/cache/interface.js';
import { isDeletedFinalStateUnknown } from '../../../client/cache/keys.js';
import { loadRESTConfig } from '../../../client/kubeconfig/loader.js';
import type { Interface } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import type { Controller, ControllerContext, InformerHandle } from '../../controller-context.js';
import type { ControllerMetrics } from '../../metrics.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import { isNamespaceTerminating } from '../../worker-loop.js';
import { namespacesResource } from '../serviceaccount/serviceaccounts-controller.js';

type Namespace = Typed<corev1.Namespace>;
type ConfigMap = Typed<corev1.ConfigMap>;

export const configMapsResource = { group: '', version: 'v1', resource: 'configmaps' } as const;

export const rootCACertConfigMapName = 'kube-root-ca.crt';
export const descriptionAnnotation = 'kubernetes.io/description';
/** upstream's annotation text, word for word (clients match on it). */
export const rootCADescription =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clusters.';

export interface PublisherDeps {
  client: Interface;
  namespaces: InformerHandle<Namespace>;
  configMaps: InformerHandle<ConfigMap>;
  /** The PEM bundle published as `ca.crt`. */
  rootCA: string;
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
}

export class Publisher implements Controller {
  readonly name = 'root-ca-certificate-publisher-controller';

  constructor(private readonly deps: PublisherDeps) {
    deps.configMaps.informer.addEventHandler({
      onUpdate: (_old, cm) => this.configMapChanged(cm),
      onDelete: (obj) => this.configMapChanged(obj),
    });
    deps.namespaces.informer.addEventHandler({
      onAdd: (ns) => this.enqueue(ns.metadata?.name),
      onUpdate: (_old, ns) => this.enqueue(ns.metadata?.name),
    });
  }

  private configMapChanged(obj: ConfigMap | DeletedFinalStateUnknown<ConfigMap>): void {
    const cm = isDeletedFinalStateUnknown(obj) ? obj.obj : obj;
    if (cm.metadata?.name === rootCACertConfigMapName) this.enqueue(cm.metadata.namespace);
  }

  private enqueue(namespace: string | undefined): void {
    if (namespace) this.deps.queue.add(namespace);
  }

  run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    return runAfterCacheSync({
      name: this.name,
      hasSynced: [() => deps.namespaces.informer.hasSynced(), () => deps.configMaps.informer.hasSynced()],
      queue: deps.queue,
      sync: (ns) => this.syncNamespace(ns),
      workers: opts.workers,
      signal: opts.signal,
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
      isIgnorable: isNamespaceTerminating,
    });
  }


  /** Creates the ConfigMap, or puts its data and description back when they drifted. */
  async syncNamespace(namespace: string): Promise<void> {
    const ns = this.deps.namespaces.lister.get(namespace);
    if (!ns || ns.metadata?.deletionTimestamp) return;
    const configMaps = this.deps.client.resource<ConfigMap>(configMapsResource, namespace);
    const data = { 'ca.crt': this.deps.rootCA };
    const cm = this.deps.configMaps.lister.namespace(namespace).get(rootCACertConfigMapName);
    if (!cm) {
      try {
        await configMaps.create({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: rootCACertConfigMapName, annotations: { [descriptionAnnotation]: rootCADescription } },
          data,
        });
      } catch (err) {
        // The namespace went away, or the cache is behind a create: nothing to do.
        if (!isNotFound(err) && !isAlreadyExists(err)) throw err;
      }
      return;
    }
    const current = cm.data ?? {};
    const dataMatches = Object.keys(current).length === 1 && current['ca.crt'] === this.deps.rootCA && !cm.binaryData;
    if (dataMatches && cm.metadata?.annotations?.[descriptionAnnotation] === rootCADescription) return;
    const updated: ConfigMap = structuredClone(cm);
    updated.data = data;
    delete updated.binaryData;
    updated.metadata = { ...updated.metadata, annotations: { ...updated.metadata?.annotations, [descriptionAnnotation]: rootCADescription } };
    try {
      await configMaps.update(updated);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

/**
 * The CA bundle to publish: --root-ca-file, else the certificate authority of the manager's own kubeconfig
 * (as upstream). Throws when neither gives one.
 */
export function rootCAFromOptions(opts: { rootCAFile: string; kubeconfig: string; master: string }): string {
  if (opts.rootCAFile) return readFileSync(opts.rootCAFile, 'utf8');
  const config = loadRESTConfig({ kubeconfig: opts.kubeconfig || undefined, master: opts.master || undefined });
  if (!config.caData) throw new Error('root CA not found: neither --root-ca-file nor a certificate authority in the kubeconfig');
  return config.caData;
}

/** The registry's constructor. */
export function newRootCACertPublisher(ctx: ControllerContext): Controller {
  let rootCA: string;
  try {
    rootCA = rootCAFromOptions(ctx.options);
  } catch (err) {
    // upstream refuses to start the manager; we leave this one controller out and say why.
    ctx.logger.error('Not starting the root CA certificate publisher', err);
    return { name: 'root-ca-certificate-publisher-controller', run: async () => {} };
  }
  return new Publisher({
    client: ctx.client,
    namespaces: ctx.informers.forResource<Namespace>(namespacesResource),
    configMaps: ctx.informers.forResource<ConfigMap>(configMapsResource),
    rootCA,
    queue: ctx.newQueue('root_ca_cert_publisher'),
    clock: ctx.clock,
    logger: ctx.logger.withName('root-ca-cert-publisher'),
    metrics: ctx.metrics,
  });
}
