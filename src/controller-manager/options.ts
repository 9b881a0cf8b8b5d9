// KubeControllerManagerOptions: one field per kube-controller-manager flag (upstream names and defaults).
// Controllers read the fields they need from ControllerContext.options; flags.ts declares the flags.

export interface LeaderElectionOptions {
  leaderElect: boolean;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  /** Only `leases` is supported (upstream removed the others). */
  resourceLock: string;
  resourceName: string;
  resourceNamespace: string;
}

/** --concurrent-*-syncs: workers per controller, by upstream flag name without `--`. */
export type ConcurrencyFlag = (typeof concurrencyFlags)[number]['flag'];

/** Every upstream concurrency flag, its default, and the controller it sizes. */
export const concurrencyFlags = [
  { flag: 'concurrent-deployment-syncs', controller: 'deployment', default: 5 },
  { flag: 'concurrent-replicaset-syncs', controller: 'replicaset', default: 5 },
  { flag: 'concurrent-rc-syncs', controller: 'replicationcontroller', default: 5 },
  { flag: 'concurrent-statefulset-syncs', controller: 'statefulset', default: 5 },
  { flag: 'concurrent-daemonset-syncs', controller: 'daemonset', default: 2 },
  { flag: 'concurrent-job-syncs', controller: 'job', default: 5 },
  { flag: 'concurrent-cron-job-syncs', controller: 'cronjob', default: 5 },
  { flag: 'concurrent-ttl-after-finished-syncs', controller: 'ttl-after-finished', default: 5 },
  { flag: 'concurrent-endpoint-syncs', controller: 'endpoints', default: 5 },
  { flag: 'concurrent-service-endpoint-syncs', controller: 'endpointslice', default: 5 },
  { flag: 'mirroring-concurrent-service-endpoint-syncs', controller: 'endpointslice-mirroring', default: 5 },
  { flag: 'concurrent-gc-syncs', controller: 'garbage-collector', default: 20 },
  { flag: 'concurrent-namespace-syncs', controller: 'namespace', default: 10 },
  { flag: 'concurrent-serviceaccount-token-syncs', controller: 'serviceaccount-token', default: 5 },
  { flag: 'concurrent-resource-quota-syncs', controller: 'resourcequota', default: 5 },
  { flag: 'concurrent-horizontal-pod-autoscaler-syncs', controller: 'horizontalpodautoscaling', default: 5 },
  { flag: 'concurrent-ephemeralvolume-syncs', controller: 'ephemeral-volume', default: 5 },
  { flag: 'concurrent-service-syncs', controller: 'service-lb', default: 1 },
  { flag: 'concurrent-validating-admission-policy-status-syncs', controller: 'validatingadmissionpolicy-status', default: 5 },
  { flag: 'concurrent-resource-claim-syncs', controller: 'resourceclaim', default: 10 },
  { flag: 'concurrent-disruption-syncs', controller: 'disruption', default: 1 },
] as const;

/** The signer words of the per-signer --cluster-signing-<word>-cert-file/-key-file flags → the signer. */
export const signingSignerFlagNames = {
  'kubelet-serving': 'kubernetes.io/kubelet-serving',
  'kubelet-client': 'kubernetes.io/kube-apiserver-client-kubelet',
  'kube-apiserver-client': 'kubernetes.io/kube-apiserver-client',
  'legacy-unknown': 'kubernetes.io/legacy-unknown',
} as const;
export const signingSignerFlagWords = Object.keys(signingSignerFlagNames) as Array<keyof typeof signingSignerFlagNames>;

export interface ControllerManagerOptions {
  kubeconfig: string;
  master: string;
  /** --controllers: `*`, names, and `-name` to disable. */
  controllers: string[];
  leaderElection: LeaderElectionOptions;
  /** Workers per controller name (from the --concurrent-*-syncs flags). */
  concurrency: Record<string, number>;
  useServiceAccountCredentials: boolean;
  clusterSigningCertFile: string;
  clusterSigningKeyFile: string;
  clusterSigningDurationMs: number;
  /**
   * --cluster-signing-<signer>-cert-file/-key-file by signer word (kubelet-serving, kubelet-client,
   * kube-apiserver-client, legacy-unknown); empty pairs fall back to --cluster-signing-cert/key-file.
   * Optional for compatibility.
   */
  clusterSigningSignerFiles?: Record<string, { certFile: string; keyFile: string }>;
  serviceAccountPrivateKeyFile: string;
  rootCAFile: string;
  clusterName: string;
  clusterCIDR: string;
  serviceClusterIPRange: string;
  allocateNodeCIDRs: boolean;
  nodeCIDRMaskSize: number;
  /**
   * --node-cidr-mask-size-ipv4/-ipv6 of dual-stack clusters (upstream defaults 24 and 64); a single-stack
   * IPv4 cluster uses nodeCIDRMaskSize. Optional for compatibility.
   */
  nodeCIDRMaskSizes?: { ipv4: number; ipv6: number };
  nodeMonitorPeriodMs: number;
  nodeMonitorGracePeriodMs: number;
  nodeStartupGracePeriodMs: number;
  nodeEvictionRate: number;
  secondaryNodeEvictionRate: number;
  largeClusterSizeThreshold: number;
  unhealthyZoneThreshold: number;
  terminatedPodGCThreshold: number;
  /** --resource-quota-sync-period: how often every quota's usage is recomputed in full. */
  resourceQuotaSyncPeriodMs: number;
  horizontalPodAutoscalerSyncPeriodMs: number;
  /** --horizontal-pod-autoscaler-tolerance: usage ratios within 1 ± this keep the current size. */
  horizontalPodAutoscalerTolerance: number;
  /** --horizontal-pod-autoscaler-downscale-stabilization: the scale-down window without spec.behavior. */
  horizontalPodAutoscalerDownscaleStabilizationWindowMs: number;
  /** --horizontal-pod-autoscaler-cpu-initialization-period: young pods' cpu samples need a full ready window. */
  horizontalPodAutoscalerCPUInitializationPeriodMs: number;
  /** --horizontal-pod-autoscaler-initial-readiness-delay: unready this soon after start means never ready. */
  horizontalPodAutoscalerInitialReadinessDelayMs: number;
  minResyncPeriodMs: number;
  kubeAPIQPS: number;
  kubeAPIBurst: number;
  /** /healthz and /metrics: HTTPS on bindAddress:securePort; 0 = not served. */
  bindAddress: string;
  securePort: number;
  /** Serving certificate and key; both empty: a self-signed pair made at start. */
  tlsCertFile: string;
  tlsPrivateKeyFile: string;
  loggingFormat: 'text' | 'json';
  verbosity: number;
}

export function defaultControllerManagerOptions(): ControllerManagerOptions {
  return {
    kubeconfig: '',
    master: '',
    controllers: ['*'],
    leaderElection: {
      leaderElect: true,
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      resourceLock: 'leases',
      resourceName: 'kube-controller-manager',
      resourceNamespace: 'kube-system',
    },
    concurrency: Object.fromEntries(concurrencyFlags.map((f) => [f.controller, f.default])),
    useServiceAccountCredentials: false,
    clusterSigningCertFile: '',
    clusterSigningKeyFile: '',
    clusterSigningDurationMs: 8760 * 3_600_000,
    clusterSigningSignerFiles: Object.fromEntries(signingSignerFlagWords.map((w) => [w, { certFile: '', keyFile: '' }])),
    serviceAccountPrivateKeyFile: '',
    rootCAFile: '',
    clusterName: 'kubernetes',
    clusterCIDR: '',
    serviceClusterIPRange: '',
    allocateNodeCIDRs: false,
    nodeCIDRMaskSize: 24,
    nodeCIDRMaskSizes: { ipv4: 24, ipv6: 64 },
    nodeMonitorPeriodMs: 5_000,
    nodeMonitorGracePeriodMs: 50_000,
    nodeStartupGracePeriodMs: 60_000,
    nodeEvictionRate: 0.1,
    secondaryNodeEvictionRate: 0.01,
    largeClusterSizeThreshold: 50,
    unhealthyZoneThreshold: 0.55,
    terminatedPodGCThreshold: 12_500,
    resourceQuotaSyncPeriodMs: 5 * 60_000,
    horizontalPodAutoscalerSyncPeriodMs: 15_000,
    horizontalPodAutoscalerTolerance: 0.1,
    horizontalPodAutoscalerDownscaleStabilizationWindowMs: 5 * 60_000,
    horizontalPodAutoscalerCPUInitializationPeriodMs: 5 * 60_000,
    horizontalPodAutoscalerInitialReadinessDelayMs: 30_000,
    minResyncPeriodMs: 12 * 3_600_000,
    kubeAPIQPS: 20,
    kubeAPIBurst: 30,
    bindAddress: '127.0.0.1',
    securePort: 10257,
    tlsCertFile: '',
    tlsPrivateKeyFile: '',
    loggingFormat: 'text',
    verbosity: 0,
  };
}
