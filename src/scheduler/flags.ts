// The kube-scheduler command line: upstream flag names bound to SchedulerOptions, plus upstream flags that
// copied command lines carry and k8ts accepts without implementing.
import { FlagSet, formatDuration } from '../base/flag-set.js';
import { defaultSchedulerOptions, type SchedulerOptions } from './options.js';

const ignoredFlags: { name: string; type: 'string' | 'bool' | 'int' | 'strings' | 'duration'; usage: string }[] = [
  { name: 'authentication-kubeconfig', type: 'string', usage: 'Kubeconfig for TokenReview calls (k8ts serves /healthz and /metrics without authentication).' },
  { name: 'authorization-kubeconfig', type: 'string', usage: 'Kubeconfig for SubjectAccessReview calls.' },
  { name: 'authorization-always-allow-paths', type: 'strings', usage: 'Paths served without authorization.' },
  { name: 'requestheader-client-ca-file', type: 'string', usage: 'CA for the authenticating front proxy.' },
  { name: 'client-ca-file', type: 'string', usage: 'CA for client certificates on the serving port.' },
  { name: 'feature-gates', type: 'strings', usage: 'Feature gates (Name=true|false,...).' },
  { name: 'profiling', type: 'bool', usage: 'Serve /debug/pprof.' },
  { name: 'contention-profiling', type: 'bool', usage: 'Enable block profiling.' },
  { name: 'vmodule', type: 'strings', usage: 'Per-file log verbosity (pattern=N,...).' },
  { name: 'log-flush-frequency', type: 'duration', usage: 'Seconds between log flushes.' },
];

/** Flags whose explicit values override the --config file. */
const leaderFlags = [
  'leader-elect',
  'leader-elect-lease-duration',
  'leader-elect-renew-deadline',
  'leader-elect-retry-period',
  'leader-elect-resource-lock',
  'leader-elect-resource-name',
  'leader-elect-resource-namespace',
  'kube-api-qps',
  'kube-api-burst',
];

export function newSchedulerFlagSet(): { flags: FlagSet; options: SchedulerOptions } {
  const o = defaultSchedulerOptions();
  const fs = new FlagSet('kube-scheduler');
  const le = o.leaderElection;
  fs.string(o, 'config', { name: 'config', usage: 'The path to the configuration file (a kubescheduler.config.k8s.io/v1 KubeSchedulerConfiguration).' });
  fs.string(o, 'kubeconfig', { name: 'kubeconfig', usage: 'Path to kubeconfig file with authorization and master location information.' });
  fs.string(o, 'master', { name: 'master', usage: 'The address of the Kubernetes API server (overrides any value in kubeconfig).' });
  fs.bool(le, 'leaderElect', { name: 'leader-elect', usage: 'Start a leader election client and gain leadership before executing the main loop.' });
  fs.duration(le, 'leaseDurationMs', 'ms', { name: 'leader-elect-lease-duration', usage: 'How long non-leaders wait after the last renewal before taking over.' });
  fs.duration(le, 'renewDeadlineMs', 'ms', { name: 'leader-elect-renew-deadline', usage: 'How long the leader keeps retrying a renewal before it stops leading.' });
  fs.duration(le, 'retryPeriodMs', 'ms', { name: 'leader-elect-retry-period', usage: 'Time between attempts to acquire or renew the lease.' });
  fs.enum(le, 'resourceLock', ['leases'], { name: 'leader-elect-resource-lock', usage: 'The lock object type (only leases).' });
  fs.string(le, 'resourceName', { name: 'leader-elect-resource-name', usage: 'Name of the lease object.' });
  fs.string(le, 'resourceNamespace', { name: 'leader-elect-resource-namespace', usage: 'Namespace of the lease object.' });
  fs.duration(o, 'podMaxInUnschedulablePodsDurationMs', 'ms', {
    name: 'pod-max-in-unschedulable-pods-duration',
    usage: 'How long a pod may stay in unschedulablePods before it is retried anyway (deprecated upstream).',
  });
  fs.int(o, 'kubeAPIQPS', { name: 'kube-api-qps', usage: 'QPS towards the API server (overrides clientConnection.qps).' });
  fs.int(o, 'kubeAPIBurst', { name: 'kube-api-burst', type: 'int32', usage: 'Burst towards the API server (overrides clientConnection.burst).' });
  fs.int(o, 'securePort', { name: 'secure-port', usage: 'The port on which to serve HTTPS (/healthz, /readyz, /metrics); 0 disables serving.' });
  fs.string(o, 'bindAddress', { name: 'bind-address', usage: 'Address the secure port listens on (loopback by default: callers are not authenticated yet).' });
  fs.string(o, 'tlsCertFile', { name: 'tls-cert-file', usage: 'Serving certificate (chain) in PEM; without it a self-signed one is made at start.' });
  fs.string(o, 'tlsPrivateKeyFile', { name: 'tls-private-key-file', usage: 'Private key of --tls-cert-file in PEM.' });
  fs.enum(o, 'loggingFormat', ['text', 'json'], { name: 'logging-format', usage: 'Log format: text or json.' });
  fs.int(o, 'verbosity', { name: 'v', shorthand: 'v', type: 'Level', usage: 'Number for the log level verbosity.' });
  for (const f of ignoredFlags) fs.ignored(f);
  return { flags: fs, options: o };
}

/** Records explicit flags and checks combinations; returns problems as upstream words them (empty = fine). */
export function completeSchedulerOptions(fs: FlagSet, o: SchedulerOptions): string[] {
  for (const name of leaderFlags) if (fs.changed(name)) o.explicitFlags.add(name);
  const problems: string[] = [];
  const le = o.leaderElection;
  if (le.leaderElect) {
    if (le.leaseDurationMs <= le.renewDeadlineMs) {
      problems.push(`leaseDuration must be greater than renewDeadline: ${formatDuration(le.leaseDurationMs)} <= ${formatDuration(le.renewDeadlineMs)}`);
    }
    if (le.renewDeadlineMs <= 1.2 * le.retryPeriodMs) {
      problems.push(`renewDeadline must be greater than retryPeriod*JitterFactor: ${formatDuration(le.renewDeadlineMs)} <= ${formatDuration(1.2 * le.retryPeriodMs)}`);
    }
  }
  if (o.securePort < 0 || o.securePort > 65535) problems.push(`--secure-port ${o.securePort} must be between 0 and 65535, inclusive. 0 for turning off secure port`);
  return problems;
}
