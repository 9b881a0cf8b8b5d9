// Upstream's v1 defaults for KubeSchedulerConfiguration: the default profile's MultiPoint plugin list, the
// merge of a user's plugin sets into the defaults, and the global values (parallelism 16, backoff 1s → 10s,
// client QPS 50 / burst 100, Lease kube-system/kube-scheduler).
import {
  DefaultSchedulerName,
  extensionPoints,
  type KubeSchedulerConfiguration,
  type KubeSchedulerProfile,
  type PluginRef,
  type PluginSet,
  type Plugins,
} from './types.js';

/** The default profile's plugins in upstream's order (v1 getDefaultPlugins, MultiPoint). */
export function defaultPlugins(): Plugins {
  return {
    multiPoint: {
      enabled: [
        { name: 'SchedulingGates' },
        { name: 'PrioritySort' },
        { name: 'NodeUnschedulable' },
        { name: 'NodeName' },
        { name: 'TaintToleration', weight: 3 },
        { name: 'NodeAffinity', weight: 2 },
        { name: 'NodePorts' },
        { name: 'NodeResourcesFit', weight: 1 },
        { name: 'VolumeRestrictions' },
        { name: 'NodeVolumeLimits' },
        { name: 'VolumeBinding' },
        { name: 'VolumeZone' },
        { name: 'PodTopologySpread', weight: 2 },
        { name: 'InterPodAffinity', weight: 2 },
        { name: 'DefaultPreemption' },
        { name: 'NodeResourcesBalancedAllocation', weight: 1 },
        { name: 'ImageLocality', weight: 1 },
        { name: 'DefaultBinder' },
      ],
    },
  };
}

/**
 * Merges a user's plugin set into the default one (upstream mergePluginSet): defaults minus the disabled ones
 * ("*" drops them all), with a custom entry of the same name replacing the default in place, then the
 * remaining custom entries in their order.
 */
export function mergePluginSet(defaults: PluginSet | undefined, custom: PluginSet | undefined): PluginSet {
  const disabled = new Set((custom?.disabled ?? []).map((p) => p.name));
  const customEnabled = new Map<string, { ref: PluginRef; index: number }>();
  (custom?.enabled ?? []).forEach((ref, index) => customEnabled.set(ref.name, { ref, index }));
  const replaced = new Set<number>();
  const enabled: PluginRef[] = [];
  if (!disabled.has('*')) {
    for (const d of defaults?.enabled ?? []) {
      if (disabled.has(d.name)) continue;
      const c = customEnabled.get(d.name);
      if (c) {
        enabled.push(c.ref);
        replaced.add(c.index);
      } else {
        enabled.push(d);
      }
    }
  }
  (custom?.enabled ?? []).forEach((ref, i) => {
    if (!replaced.has(i)) enabled.push(ref);
  });
  const out: PluginSet = { enabled };
  if (custom?.disabled?.length) out.disabled = custom.disabled;
  return out;
}

export function mergePlugins(defaults: Plugins, custom: Plugins | undefined): Plugins {
  if (!custom) return defaults;
  const out: Plugins = {};
  for (const point of ['multiPoint', ...extensionPoints] as const) {
    const merged = mergePluginSet(defaults[point], custom[point]);
    if ((merged.enabled?.length ?? 0) > 0 || (merged.disabled?.length ?? 0) > 0) out[point] = merged;
  }
  return out;
}

/** The profile with defaults applied: scheduler name and the merged plugin sets. */
export function defaultProfile(p: KubeSchedulerProfile): KubeSchedulerProfile {
  return {
    ...p,
    schedulerName: p.schedulerName || DefaultSchedulerName,
    plugins: mergePlugins(defaultPlugins(), p.plugins),
    pluginConfig: p.pluginConfig ?? [],
  };
}

/** A configuration with upstream's v1 defaults filled in (upstream SetDefaults_KubeSchedulerConfiguration). */
export function defaultConfiguration(c: KubeSchedulerConfiguration = {}): Required<Omit<KubeSchedulerConfiguration, 'percentageOfNodesToScore'>> &
  Pick<KubeSchedulerConfiguration, 'percentageOfNodesToScore'> {
  const profiles = c.profiles && c.profiles.length > 0 ? c.profiles : [{}];
  return {
    apiVersion: c.apiVersion ?? 'kubescheduler.config.k8s.io/v1',
    kind: c.kind ?? 'KubeSchedulerConfiguration',
    parallelism: c.parallelism ?? 16,
    leaderElection: {
      leaderElect: true,
      leaseDuration: '15s',
      renewDeadline: '10s',
      retryPeriod: '2s',
      resourceLock: 'leases',
      resourceName: 'kube-scheduler',
      resourceNamespace: 'kube-system',
      ...c.leaderElection,
    },
    clientConnection: { qps: 50, burst: 100, contentType: 'application/vnd.kubernetes.protobuf', ...c.clientConnection },
    percentageOfNodesToScore: c.percentageOfNodesToScore,
    podInitialBackoffSeconds: c.podInitialBackoffSeconds ?? 1,
    podMaxBackoffSeconds: c.podMaxBackoffSeconds ?? 10,
    profiles: profiles.map(defaultProfile),
    delayCacheUntilActive: c.delayCacheUntilActive ?? false,
  };
}

export type CompletedConfiguration = ReturnType<typeof defaultConfiguration>;
