// kube-scheduler's command-line options: one field per flag (upstream names and defaults). Values from
// --config are the base; leader-election flags given explicitly override them, as upstream.

export interface SchedulerLeaderElectionOptions {
  leaderElect: boolean;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  resourceLock: string;
  resourceName: string;
  resourceNamespace: string;
}

export interface SchedulerOptions {
  kubeconfig: string;
  master: string;
  /** --config: a KubeSchedulerConfiguration file. */
  config: string;
  leaderElection: SchedulerLeaderElectionOptions;
  /** Flags the user set explicitly (so they win over --config). */
  explicitFlags: Set<string>;
  /** /healthz and /metrics over HTTPS (upstream's 10259). 0 disables serving. */
  securePort: number;
  bindAddress: string;
  /** Serving certificate and key; both empty: a self-signed pair made at start. */
  tlsCertFile: string;
  tlsPrivateKeyFile: string;
  /** --kube-api-qps / --kube-api-burst (deprecated upstream; override clientConnection when set). */
  kubeAPIQPS: number;
  kubeAPIBurst: number;
  /** --pod-max-in-unschedulable-pods-duration (upstream default 5m). */
  podMaxInUnschedulablePodsDurationMs: number;
  loggingFormat: 'text' | 'json';
  verbosity: number;
}

export function defaultSchedulerOptions(): SchedulerOptions {
  return {
    kubeconfig: '',
    master: '',
    config: '',
    leaderElection: {
      leaderElect: true,
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      resourceLock: 'leases',
      resourceName: 'kube-scheduler',
      resourceNamespace: 'kube-system',
    },
    explicitFlags: new Set(),
    securePort: 10259,
    bindAddress: '127.0.0.1',
    tlsCertFile: '',
    tlsPrivateKeyFile: '',
    kubeAPIQPS: 50,
    kubeAPIBurst: 100,
    podMaxInUnschedulablePodsDurationMs: 5 * 60_000,
    loggingFormat: 'text',
    verbosity: 0,
  };
}
