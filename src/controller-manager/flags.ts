// The kube-controller-manager command line: one flag per ControllerManagerOptions field (upstream names and
// defaults), plus upstream flags tutorials pass that k8ts accepts without implementing yet.
import { FlagSet, formatDuration, type FlagValue } from '../base/flag-set.js';
import { unimplementedControllers, validateControllersFlag } from './controllers.js';
import { concurrencyFlags, defaultControllerManagerOptions, signingSignerFlagNames, signingSignerFlagWords, type ControllerManagerOptions } from './options.js';

/** Upstream flags that are parsed (so copied command lines start) but have no effect in k8ts yet. */
export const acceptedButIgnoredControllerManagerFlags: { name: string; type: 'string' | 'bool' | 'int' | 'strings' | 'duration'; usage: string }[] = [
  { name: 'authentication-kubeconfig', type: 'string', usage: 'Kubeconfig for TokenReview calls (k8ts serves /healthz and /metrics without authentication).' },
  { name: 'authorization-kubeconfig', type: 'string', usage: 'Kubeconfig for SubjectAccessReview calls.' },
  { name: 'authorization-always-allow-paths', type: 'strings', usage: 'Paths served without authorization.' },
  { name: 'requestheader-client-ca-file', type: 'string', usage: 'CA for the authenticating front proxy.' },
  { name: 'client-ca-file', type: 'string', usage: 'CA for client certificates on the serving port.' },
  { name: 'cert-dir', type: 'string', usage: 'Directory for a generated serving certificate (k8ts keeps it in memory).' },
  { name: 'cloud-provider', type: 'string', usage: 'Cloud provider (k8ts has none).' },
  { name: 'cloud-config', type: 'string', usage: 'Cloud provider configuration file.' },
  { name: 'configure-cloud-routes', type: 'bool', usage: 'Program cloud routes for node CIDRs.' },
  { name: 'feature-gates', type: 'strings', usage: 'Feature gates (Name=true|false,...).' },
  { name: 'profiling', type: 'bool', usage: 'Serve /debug/pprof.' },
  { name: 'contention-profiling', type: 'bool', usage: 'Enable block profiling.' },
  { name: 'controller-start-interval', type: 'duration', usage: 'Interval between starting controller managers.' },
  { name: 'enable-dynamic-provisioning', type: 'bool', usage: 'Provision volumes dynamically.' },
  { name: 'enable-hostpath-provisioner', type: 'bool', usage: 'HostPath provisioning for single-node tests.' },
  { name: 'enable-garbage-collector', type: 'bool', usage: 'Run the garbage collector.' },
  { name: 'pod-eviction-timeout', type: 'duration', usage: 'Grace period before deleting pods of failed nodes (removed upstream).' },
  { name: 'pv-recycler-pod-template-filepath-hostpath', type: 'string', usage: 'Recycler pod template for hostPath volumes.' },
  { name: 'flex-volume-plugin-dir', type: 'string', usage: 'Directory of flex volume plugins.' },
  { name: 'vmodule', type: 'strings', usage: 'Per-file log verbosity (pattern=N,...).' },
  { name: 'log-flush-frequency', type: 'duration', usage: 'Seconds between log flushes.' },
  { name: 'leader-migration-config', type: 'string', usage: 'Leader migration configuration.' },
  { name: 'enable-leader-migration', type: 'bool', usage: 'Enable leader migration.' },
];

/** A float64 flag (pflag Float32/64): `0.1`, `1e-2`. */
function floatValue<T extends object>(target: T, key: keyof T): FlagValue {
  const t = target as Record<PropertyKey, number>;
  return {
    type: 'float32',
    isBool: false,
    set(raw) {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(raw)}: invalid syntax`);
      t[key as PropertyKey] = n;
    },
    string: () => String(t[key as PropertyKey]),
    isZero: () => t[key as PropertyKey] === 0,
  };
}

/** Fresh flags bound to fresh default options. */
export function newControllerManagerFlagSet(): { flags: FlagSet; options: ControllerManagerOptions } {
  const o = defaultControllerManagerOptions();
  const fs = new FlagSet('kube-controller-manager');
  const le = o.leaderElection;

  fs.string(o, 'kubeconfig', { name: 'kubeconfig', usage: 'Path to kubeconfig file with authorization and master location information.' });
  fs.string(o, 'master', { name: 'master', usage: 'The address of the Kubernetes API server (overrides any value in kubeconfig).' });
  fs.stringSlice(o, 'controllers', {
    name: 'controllers',
    usage: "Controllers to enable: '*' enables all on-by-default controllers, 'foo' enables the controller named 'foo', '-foo' disables it.",
  });
  fs.bool(le, 'leaderElect', { name: 'leader-elect', usage: 'Run only while holding the leader lease, so several managers can run for high availability.' });
  fs.duration(le, 'leaseDurationMs', 'ms', { name: 'leader-elect-lease-duration', usage: 'How long non-leaders wait after the last renewal before taking over.' });
  fs.duration(le, 'renewDeadlineMs', 'ms', { name: 'leader-elect-renew-deadline', usage: 'How long the leader keeps retrying a renewal before it stops leading.' });
  fs.duration(le, 'retryPeriodMs', 'ms', { name: 'leader-elect-retry-period', usage: 'Time between attempts to acquire or renew the lease.' });
  fs.enum(le, 'resourceLock', ['leases'], { name: 'leader-elect-resource-lock', usage: 'The lock object type (only leases).' });
  fs.string(le, 'resourceName', { name: 'leader-elect-resource-name', usage: 'Name of the lease object.' });
  fs.string(le, 'resourceNamespace', { name: 'leader-elect-resource-namespace', usage: 'Namespace of the lease object.' });
  for (const c of concurrencyFlags) {
    fs.int(o.concurrency, c.controller, { name: c.flag, usage: `Objects of the ${c.controller} controller synced at once (workers).` });
  }
  fs.bool(o, 'useServiceAccountCredentials', {
    name: 'use-service-account-credentials',
    usage: 'Give each controller its own service account credentials (k8ts: parsed; controllers share the manager identity for now).',
  });
  fs.string(o, 'clusterSigningCertFile', { name: 'cluster-signing-cert-file', usage: 'PEM CA certificate that signs cluster-scoped certificates.' });
  fs.string(o, 'clusterSigningKeyFile', { name: 'cluster-signing-key-file', usage: 'PEM private key that signs cluster-scoped certificates.' });
  fs.duration(o, 'clusterSigningDurationMs', 'ms', { name: 'cluster-signing-duration', usage: 'Maximum validity of signed certificates.' });
  const signerFiles = (o.clusterSigningSignerFiles ??= {});
  for (const word of signingSignerFlagWords) {
    const files = (signerFiles[word] ??= { certFile: '', keyFile: '' });
    fs.string(files, 'certFile', { name: `cluster-signing-${word}-cert-file`, usage: `PEM CA certificate of the ${signingSignerFlagNames[word]} signer (instead of --cluster-signing-cert-file).` });
    fs.string(files, 'keyFile', { name: `cluster-signing-${word}-key-file`, usage: `PEM CA key of the ${signingSignerFlagNames[word]} signer (instead of --cluster-signing-key-file).` });
  }
  fs.string(o, 'serviceAccountPrivateKeyFile', { name: 'service-account-private-key-file', usage: 'PEM private key that signs service account tokens.' });
  fs.string(o, 'rootCAFile', { name: 'root-ca-file', usage: 'Root CA included in service account token secrets and kube-root-ca.crt.' });
  fs.string(o, 'clusterName', { name: 'cluster-name', usage: 'The instance prefix for the cluster.' });
  fs.string(o, 'clusterCIDR', { name: 'cluster-cidr', usage: 'CIDR range for pods in the cluster.' });
  fs.string(o, 'serviceClusterIPRange', { name: 'service-cluster-ip-range', usage: 'CIDR range of Services (kept out of node CIDRs).' });
  fs.bool(o, 'allocateNodeCIDRs', { name: 'allocate-node-cidrs', usage: 'Allocate pod CIDRs to nodes from --cluster-cidr.' });
  fs.int(o, 'nodeCIDRMaskSize', { name: 'node-cidr-mask-size', type: 'int32', usage: 'Mask size of node CIDRs.' });
  const maskSizes = (o.nodeCIDRMaskSizes ??= { ipv4: 24, ipv6: 64 });
  fs.int(maskSizes, 'ipv4', { name: 'node-cidr-mask-size-ipv4', type: 'int32', usage: 'Mask size of IPv4 node CIDRs in dual-stack clusters.' });
  fs.int(maskSizes, 'ipv6', { name: 'node-cidr-mask-size-ipv6', type: 'int32', usage: 'Mask size of IPv6 node CIDRs.' });
  fs.duration(o, 'nodeMonitorPeriodMs', 'ms', { name: 'node-monitor-period', usage: 'How often node status is checked.' });
  fs.duration(o, 'nodeMonitorGracePeriodMs', 'ms', { name: 'node-monitor-grace-period', usage: 'How long a node may go without heartbeat before it is marked unhealthy.' });
  fs.duration(o, 'nodeStartupGracePeriodMs', 'ms', { name: 'node-startup-grace-period', usage: 'How long a starting node may be unresponsive before it is marked unhealthy.' });
  fs.var({ name: 'node-eviction-rate', usage: 'Nodes per second whose pods are evicted when a zone is healthy.' }, floatValue(o, 'nodeEvictionRate'));
  fs.var({ name: 'secondary-node-eviction-rate', usage: 'Nodes per second whose pods are evicted when a zone is unhealthy.' }, floatValue(o, 'secondaryNodeEvictionRate'));
  fs.int(o, 'largeClusterSizeThreshold', { name: 'large-cluster-size-threshold', type: 'int32', usage: 'Nodes above which the secondary eviction rate applies.' });
  fs.var({ name: 'unhealthy-zone-threshold', usage: 'Fraction of not-ready nodes that makes a zone unhealthy.' }, floatValue(o, 'unhealthyZoneThreshold'));
  fs.int(o, 'terminatedPodGCThreshold', { name: 'terminated-pod-gc-threshold', type: 'int32', usage: 'Terminated pods kept before the pod garbage collector deletes them (<= 0 disables).' });
  fs.duration(o, 'resourceQuotaSyncPeriodMs', 'ms', { name: 'resource-quota-sync-period', usage: 'How often quota usage is recomputed in full (changes are picked up at once).' });
  fs.duration(o, 'horizontalPodAutoscalerSyncPeriodMs', 'ms', { name: 'horizontal-pod-autoscaler-sync-period', usage: 'How often autoscalers are evaluated.' });
  fs.var({ name: 'horizontal-pod-autoscaler-tolerance', usage: 'The minimum change (from 1.0) in the desired-to-actual metrics ratio for the autoscaler to consider scaling.' }, floatValue(o, 'horizontalPodAutoscalerTolerance'));
  fs.duration(o, 'horizontalPodAutoscalerDownscaleStabilizationWindowMs', 'ms', { name: 'horizontal-pod-autoscaler-downscale-stabilization', usage: 'How far back the autoscaler looks for higher recommendations before scaling down.' });
  fs.duration(o, 'horizontalPodAutoscalerCPUInitializationPeriodMs', 'ms', { name: 'horizontal-pod-autoscaler-cpu-initialization-period', usage: 'After pod start, the period in which cpu samples may be skipped.' });
  fs.duration(o, 'horizontalPodAutoscalerInitialReadinessDelayMs', 'ms', { name: 'horizontal-pod-autoscaler-initial-readiness-delay', usage: 'After pod start, the period in which readiness changes count as the initial readiness.' });
  fs.duration(o, 'minResyncPeriodMs', 'ms', { name: 'min-resync-period', usage: 'Resync period of informers (randomized between this and twice it).' });
  fs.var({ name: 'kube-api-qps', usage: 'QPS towards the API server.' }, floatValue(o, 'kubeAPIQPS'));
  fs.int(o, 'kubeAPIBurst', { name: 'kube-api-burst', type: 'int32', usage: 'Burst towards the API server.' });
  fs.string(o, 'bindAddress', { name: 'bind-address', usage: 'Address the secure port listens on (loopback by default: no delegated authentication yet).' });
  fs.int(o, 'securePort', { name: 'secure-port', usage: 'HTTPS port of /healthz and /metrics; 0 disables serving.' });
  fs.string(o, 'tlsCertFile', { name: 'tls-cert-file', usage: 'Serving certificate (chain) in PEM; without it a self-signed one is made at start.' });
  fs.string(o, 'tlsPrivateKeyFile', { name: 'tls-private-key-file', usage: 'Private key of --tls-cert-file in PEM.' });
  fs.enum(o, 'loggingFormat', ['text', 'json'], { name: 'logging-format', usage: 'Log format: text or json.' });
  fs.int(o, 'verbosity', { name: 'v', shorthand: 'v', type: 'Level', usage: 'Number for the log level verbosity.' });
  for (const f of acceptedButIgnoredControllerManagerFlags) fs.ignored(f);
  return { flags: fs, options: o };
}

/** Checks combinations of flags; returns problems as upstream words them (empty = fine). */
export function completeControllerManagerOptions(o: ControllerManagerOptions): string[] {
  const problems = validateControllersFlag(o.controllers);
  const le = o.leaderElection;
  if (le.leaderElect) {
    if (le.leaseDurationMs <= le.renewDeadlineMs) {
      problems.push(`leaseDuration must be greater than renewDeadline: ${formatDuration(le.leaseDurationMs)} <= ${formatDuration(le.renewDeadlineMs)}`);
    }
    if (le.renewDeadlineMs <= 1.2 * le.retryPeriodMs) {
      problems.push(`renewDeadline must be greater than retryPeriod*JitterFactor: ${formatDuration(le.renewDeadlineMs)} <= ${formatDuration(1.2 * le.retryPeriodMs)}`);
    }
  }
  if (o.allocateNodeCIDRs && o.clusterCIDR === '') problems.push('--cluster-cidr is required when --allocate-node-cidrs is true');
  if (o.securePort < 0 || o.securePort > 65535) problems.push(`--secure-port ${o.securePort} must be between 0 and 65535, inclusive. 0 for turning off secure port`);
  return problems;
}

/** Names of controllers given in --controllers that k8ts does not run yet. */
export function controllersNotImplemented(o: ControllerManagerOptions): string[] {
  return unimplementedControllers(o.controllers);
}

