// kube-controller-manager: connects to the API server, serves /healthz and /metrics, and — while it holds
// the kube-system/kube-controller-manager Lease (or at once with --leader-elect=false) — runs every enabled
// controller from the registry on shared informers. Losing the lease stops the controllers; upstream then
// exits, and so does `k8ts controller-manager` (see `lost`).
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { realClock, type Clock } from '../base/clock.js';
import { klog, type Logger } from '../base/logger.js';
import { SharedInformerFactory } from '../client/cache/informer-factory.js';
import { loadRESTConfig } from '../client/kubeconfig/loader.js';
import { defaultUserAgent, type RESTConfig } from '../client/rest/config.js';
import type { Interface } from '../client/rest/interface.js';
import { newClient } from '../client/rest/rest-client.js';
import type { RateLimitingQueue } from '../client/workqueue/interface.js';
import { newPrometheusMetricsProvider } from '../client/workqueue/prometheus-metrics.js';
import { defaultControllerRateLimiter } from '../client/workqueue/rate-limiters.js';
import { newRateLimitingQueue } from '../client/workqueue/rate-limiting-queue.js';
import type { MetricsProvider } from '../client/workqueue/metrics.js';
import type { Controller, ControllerContext, EventRecorder, LeaderElection } from './controller-context.js';
import { newEventRecorders } from './event-recorders.js';
import { enabledControllers, type ControllerDescriptor } from './controllers.js';
import { PrometheusControllerMetrics, type ControllerMetrics } from './metrics.js';
import type { ControllerManagerOptions } from './options.js';
import { newLeaseElection } from './lease-election.js';
import { ServiceAccountClients } from './service-account-clients.js';
import { controllerManagerServingCert } from './serving-cert.js';
import { startServing, type Serving } from './serving.js';

/** What a caller (the CLI, a test) may supply instead of the defaults built from the options. */
export interface ControllerManagerDeps {
  /** One client for everything (tests); default: a client per controller and per purpose, as upstream. */
  client?: Interface;
  clock?: Clock;
  logger?: Logger;
  metrics?: ControllerMetrics;
  /** Event recorders by component; default: an EventBroadcaster (src/client/record) on its own client. */
  recorder?(component: string): EventRecorder;
  /** Leader election to use when options.leaderElection.leaderElect; default: a Lease elector on the client. */
  leaderElection?: LeaderElection;
  /** This manager's identity in the lease: `<hostname>_<uuid>` by default, as upstream. */
  identity?: string;
}

export interface ControllerManager {
  /** The port /healthz and /metrics are served on (undefined when --secure-port=0). */
  readonly port?: number;
  readonly identity: string;
  /** True while controllers run (leading, or leader election off). */
  isLeading(): boolean;
  /** Resolves with a reason when the manager stopped on its own (leadership lost); never rejects. */
  readonly lost: Promise<string>;
  /** Stops controllers, informers, leader election (releasing the lease) and serving. */
  close(): Promise<void>;
}

/** The manager's client config: --kubeconfig/--master with --kube-api-qps/--kube-api-burst. */
export function controllerManagerConfig(o: ControllerManagerOptions): RESTConfig {
  const config = loadRESTConfig({ kubeconfig: o.kubeconfig || undefined, master: o.master || undefined });
  return { ...config, qps: o.kubeAPIQPS, burst: o.kubeAPIBurst };
}

/**
 * As upstream's client builder, every caller gets its own client (its own rate limit), with the user agent
 * `kube-controller-manager/<version> (…) kubernetes/k8ts/<name>`.
 */
export function clientWithName(config: RESTConfig, name: string): Interface {
  return newClient({ ...config, userAgent: `${defaultUserAgent('kube-controller-manager')}/${name}` });
}

/**
 * Builds the controllers of `descriptors` on one informer factory, starts the informers, and runs the
 * controllers until `signal` aborts. Resolves after every controller and informer stopped.
 */
export async function runControllers(opts: {
  descriptors: ControllerDescriptor[];
  base: Omit<ControllerContext, 'informers' | 'newQueue' | 'client'>;
  /** The client of the shared informers. */
  informerClient: Interface;
  /**
   * The client of each controller, by its client name (its service account with
   * --use-service-account-credentials, unless `root` asks for the manager's own credentials).
   */
  clientFor(name: string, root?: boolean): Promise<Interface>;
  queueMetrics?: MetricsProvider;
  signal: AbortSignal;
}): Promise<void> {
  const { base, signal } = opts;
  const factory = new SharedInformerFactory({ client: opts.informerClient, clock: base.clock, logger: base.logger.withName('informers') });
  const ctx: Omit<ControllerContext, 'client'> = {
    ...base,
    informers: factory,
    newQueue: (name: string): RateLimitingQueue<string> =>
      newRateLimitingQueue(defaultControllerRateLimiter<string>(base.clock), { name, clock: base.clock, metricsProvider: opts.queueMetrics }),
  };
  const running: Array<{ d: ControllerDescriptor; controller: Controller }> = [];
  for (const d of opts.descriptors) {
    let client: Interface;
    try {
      client = await opts.clientFor(d.clientName ?? d.name, d.useRootClient);
    } catch (err) {
      // Upstream fails the whole manager here; we skip the controller and keep the others running.
      base.logger.error('Could not get a client for the controller; not starting it', err, { controller: d.name });
      continue;
    }
    if (signal.aborted) break;
    base.logger.info('Starting controller', { controller: d.name });
    const controller = d.construct({ ...ctx, client });
    // Informers a controller declared but did not ask for are started too, so the declaration is truthful.
    for (const gvr of d.requiredInformers) factory.forResource(gvr);
    running.push({ d, controller });
  }
  factory.start(signal);
  await Promise.all(
    running.map(async ({ d, controller }) => {
      const workers = d.concurrencyKey ? (base.options.concurrency[d.concurrencyKey] ?? 1) : 1;
      try {
        await controller.run({ workers, signal });
      } catch (err) {
        base.logger.error('Controller stopped with an error', err, { controller: d.name });
      }
    }),
  );
  await factory.shutdown();
}

/** Starts a controller manager; resolves once it serves (and campaigns or runs controllers). */
export async function runControllerManager(options: ControllerManagerOptions, signal: AbortSignal, deps: ControllerManagerDeps = {}): Promise<ControllerManager> {
  const clock = deps.clock ?? realClock;
  const logger = deps.logger ?? klog.withName('controller-manager.ts');
  const metrics = deps.metrics ?? new PrometheusControllerMetrics();
  const clients: Interface[] = [];
  const config = deps.client ? undefined : controllerManagerConfig(options);
  const clientFor = (name: string): Interface => {
    const c = deps.client ?? clientWithName(config!, name);
    if (!clients.includes(c)) clients.push(c);
    return c;
  };
  const identity = deps.identity ?? `${hostname()}_${randomUUID()}`;
  const events = deps.recorder ? undefined : newEventRecorders({ client: clientFor('event-broadcaster'), clock, logger, host: hostname() });
  const recorder = deps.recorder ?? events!.recorder;
  const queueMetrics = newPrometheusMetricsProvider(metrics.registry);
  const descriptors = enabledControllers(options.controllers);
  const leaseName = options.leaderElection.resourceName;

  const stop = new AbortController();
  const onAbort = (): void => stop.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  // With --use-service-account-credentials each controller gets its service account's token; else the
  // manager's own credentials, in a client of its own.
  const serviceAccountClients =
    options.useServiceAccountCredentials && config
      ? new ServiceAccountClients({ rootClient: clientFor('tokens'), config, namespace: 'kube-system', clock, logger, signal: stop.signal })
      : undefined;

  let leading = false;
  let resolveLost!: (reason: string) => void;
  const lost = new Promise<string>((r) => (resolveLost = r));
  const runs: Promise<void>[] = [];
  const base = { recorder, options, clock, metrics, logger };

  const startControllers = (controllersSignal: AbortSignal): void => {
    leading = true;
    metrics.setLeader(leaseName, true);
    logger.info('Starting controllers', { controllers: descriptors.map((d) => d.name).join(',') });
    runs.push(
      runControllers({
        descriptors,
        base,
        informerClient: clientFor('shared-informers'),
        clientFor: async (name, root) => {
          const c = serviceAccountClients && !root ? await serviceAccountClients.clientFor(name) : clientFor(name);
          if (!clients.includes(c)) clients.push(c);
          return c;
        },
        queueMetrics,
        signal: controllersSignal,
      }).finally(() => {
        leading = false;
        metrics.setLeader(leaseName, false);
      }),
    );
  };

  let serving: Serving | undefined;
  if (options.securePort !== 0) {
    serving = await startServing({
      bindAddress: options.bindAddress,
      port: options.securePort,
      tls: await controllerManagerServingCert({ tlsCertFile: options.tlsCertFile, tlsPrivateKeyFile: options.tlsPrivateKeyFile, clock }),
      metrics,
      checks: [{ name: 'ping', check: () => true }],
    });
  }

  if (options.leaderElection.leaderElect) {
    metrics.setLeader(leaseName, false);
    const election = deps.leaderElection ?? newLeaseElection({ client: clientFor('leader-election'), options: options.leaderElection, identity, clock, logger });
    runs.push(
      election
        .run({
          signal: stop.signal,
          onStartedLeading: (leadingSignal) => startControllers(leadingSignal),
          onStoppedLeading: () => {
            if (!stop.signal.aborted) {
              logger.error('leaderelection lost', undefined, { identity });
              resolveLost('leaderelection lost');
            }
          },
        })
        .catch((err) => {
          logger.error('Leader election failed', err);
          resolveLost(`leader election failed: ${String(err)}`);
        }),
    );
  } else {
    startControllers(stop.signal);
  }

  return {
    port: serving?.port,
    identity,
    isLeading: () => leading,
    lost,
    async close() {
      stop.abort(new Error('controller manager closing'));
      signal.removeEventListener('abort', onAbort);
      // Controllers started later (leadership gained while closing) are awaited too.
      for (let i = 0; i < runs.length; i++) await runs[i];
      await events?.shutdown();
      await serviceAccountClients?.close();
      await serving?.close();
      for (const c of clients) c.close();
    },
  };
}
