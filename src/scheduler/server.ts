// runScheduler: what `kube-scheduler` does once its flags are parsed — load --config, connect to the API
// server, serve /healthz and /metrics over HTTPS, and schedule while holding the kube-system/kube-scheduler Lease (or at
// once with --leader-elect=false).
import { realClock, type Clock } from '../base/clock.js';
import { klog } from '../base/logger.js';
import { defaultIdentity, LeaderElector } from '../client/leaderelection/leader-elector.js';
import { LeaseLock, type LeaseObject } from '../client/leaderelection/lease-lock.js';
import { loadRESTConfig } from '../client/kubeconfig/loader.js';
import { defaultUserAgent } from '../client/rest/config.js';
import type { Interface as ClientInterface } from '../client/rest/interface.js';
import { newClient } from '../client/rest/rest-client.js';
import { defaultConfiguration, type CompletedConfiguration } from './config/defaults.js';
import { loadConfigurationFile } from './config/load.js';
import type { KubeSchedulerConfiguration } from './config/types.js';
import { parseDuration } from '../base/flag-set.js';
import type { SchedulerOptions } from './options.js';
import { Scheduler } from './scheduler.js';
import { schedulerServingCert } from './serving-cert.js';
import { serveHealthAndMetrics, type Serving } from './serving.js';

const log = klog.withName('server.ts');
const leasesGVR = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };

export interface RunningScheduler {
  readonly scheduler: Scheduler;
  /** The port of /healthz and /metrics (undefined with --secure-port=0). */
  readonly port: number | undefined;
  /** True while this instance schedules (leading, or leader election off). */
  isLeading(): boolean;
  /** Resolves with a reason when scheduling stopped on its own (leadership lost); never rejects. */
  readonly lost: Promise<string>;
  close(): Promise<void>;
}

/** The configuration the flags and --config file give, with upstream defaults (flags set explicitly win). */
export function completedConfiguration(o: SchedulerOptions): CompletedConfiguration {
  const file: KubeSchedulerConfiguration = o.config ? loadConfigurationFile(o.config) : {};
  const c = defaultConfiguration(file);
  const le = o.leaderElection;
  const set = (flag: string): boolean => o.explicitFlags.has(flag) || !o.config;
  if (set('leader-elect')) c.leaderElection.leaderElect = le.leaderElect;
  if (set('leader-elect-lease-duration')) c.leaderElection.leaseDuration = `${le.leaseDurationMs}ms`;
  if (set('leader-elect-renew-deadline')) c.leaderElection.renewDeadline = `${le.renewDeadlineMs}ms`;
  if (set('leader-elect-retry-period')) c.leaderElection.retryPeriod = `${le.retryPeriodMs}ms`;
  if (set('leader-elect-resource-name')) c.leaderElection.resourceName = le.resourceName;
  if (set('leader-elect-resource-namespace')) c.leaderElection.resourceNamespace = le.resourceNamespace;
  if (o.explicitFlags.has('kube-api-qps')) c.clientConnection.qps = o.kubeAPIQPS;
  if (o.explicitFlags.has('kube-api-burst')) c.clientConnection.burst = o.kubeAPIBurst;
  if (!o.kubeconfig && c.clientConnection.kubeconfig) o.kubeconfig = c.clientConnection.kubeconfig;
  return c;
}

export interface RunSchedulerDeps {
  clock?: Clock;
  /** Replaces the client built from --kubeconfig/--master (tests). */
  client?: ClientInterface;
}

export async function runScheduler(o: SchedulerOptions, signal: AbortSignal, deps: RunSchedulerDeps = {}): Promise<RunningScheduler> {
  const clock = deps.clock ?? realClock;
  const config = completedConfiguration(o);
  const client =
    deps.client ??
    newClient({
      ...loadRESTConfig({ kubeconfig: o.kubeconfig || undefined, master: o.master || undefined }),
      qps: config.clientConnection.qps,
      burst: config.clientConnection.burst,
      userAgent: defaultUserAgent('kube-scheduler'),
    });
  const scheduler = new Scheduler({ client, config, clock, podMaxInUnschedulablePodsDurationMs: o.podMaxInUnschedulablePodsDurationMs });
  const running = new AbortController();
  const stop = (): void => running.abort(signal.reason);
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });

  let leading = false;
  let resolveLost!: (reason: string) => void;
  const lost = new Promise<string>((resolve) => (resolveLost = resolve));
  let serving: Serving | undefined;
  if (o.securePort !== 0) {
    serving = await serveHealthAndMetrics({
      bindAddress: o.bindAddress,
      port: o.securePort,
      tls: await schedulerServingCert({ certFile: o.tlsCertFile, keyFile: o.tlsPrivateKeyFile, clock }),
      checks: [{ name: 'ping', check: () => true }, { name: 'leaderElection', check: () => true }],
      ready: () => !config.leaderElection.leaderElect || scheduler.hasSynced() || !leading,
      metrics: () => scheduler.metrics.expose(),
    });
    log.info('Serving securely', { address: `${o.bindAddress}:${serving.port}` });
  }

  const runScheduling = async (s: AbortSignal): Promise<void> => {
    leading = true;
    try {
      await scheduler.run(s);
    } finally {
      leading = false;
    }
  };
  let done: Promise<void>;
  if (config.leaderElection.leaderElect) {
    const le = config.leaderElection;
    const identity = defaultIdentity();
    const elector = new LeaderElector({
      lock: new LeaseLock({
        leases: client.resource<LeaseObject>(leasesGVR, le.resourceNamespace ?? 'kube-system'),
        namespace: le.resourceNamespace ?? 'kube-system',
        name: le.resourceName ?? 'kube-scheduler',
        identity,
      }),
      leaseDurationMs: parseDuration(le.leaseDuration ?? '15s'),
      renewDeadlineMs: parseDuration(le.renewDeadline ?? '10s'),
      retryPeriodMs: parseDuration(le.retryPeriod ?? '2s'),
      releaseOnCancel: true,
      name: 'kube-scheduler',
      clock,
      callbacks: {
        onStartedLeading: (s) => runScheduling(s),
        onStoppedLeading: () => {
          // Upstream exits when it loses the lease; k8ts stops this instance the same way (a supervisor restarts it).
          if (!running.signal.aborted) {
            log.error('leaderelection lost', undefined, { identity });
            resolveLost('leaderelection lost');
            stop();
          }
        },
      },
    });
    log.info('Attempting to acquire leader lease', { lease: `${le.resourceNamespace}/${le.resourceName}` });
    done = elector.run(running.signal);
  } else {
    done = runScheduling(running.signal);
  }
  done.catch((err: unknown) => log.error('Scheduler stopped', err));

  return {
    scheduler,
    port: serving?.port,
    isLeading: () => leading,
    lost,
    async close() {
      stop();
      signal.removeEventListener('abort', stop);
      await done.catch(() => undefined);
      await serving?.close();
      if (!deps.client) client.close();
    },
  };
}
