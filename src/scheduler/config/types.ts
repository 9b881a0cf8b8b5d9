// KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) as the --config file spells it: profiles with
// per-extension-point plugin sets, pluginConfig args, and the global knobs the scheduler honours.

export const configAPIVersion = 'kubescheduler.config.k8s.io/v1';
export const configKind = 'KubeSchedulerConfiguration';
export const DefaultSchedulerName = 'default-scheduler';

export interface PluginRef {
  name: string;
  /** Score weight (Score and MultiPoint only); 0/absent means 1. */
  weight?: number;
}

export interface PluginSet {
  enabled?: PluginRef[];
  /** `{name: "*"}` disables every default plugin of the point. */
  disabled?: PluginRef[];
}

/** The extension points a profile configures, as in the v1 Plugins struct. */
export const extensionPoints = [
  'preEnqueue',
  'queueSort',
  'preFilter',
  'filter',
  'postFilter',
  'preScore',
  'score',
  'reserve',
  'permit',
  'preBind',
  'bind',
  'postBind',
] as const;
export type ExtensionPoint = (typeof extensionPoints)[number];

export type Plugins = { [P in ExtensionPoint | 'multiPoint']?: PluginSet };

export interface PluginConfig {
  name: string;
  args?: Record<string, unknown>;
}

export interface KubeSchedulerProfile {
  schedulerName?: string;
  percentageOfNodesToScore?: number;
  plugins?: Plugins;
  pluginConfig?: PluginConfig[];
}

export interface LeaderElectionConfiguration {
  leaderElect?: boolean;
  /** Durations as Go duration strings ("15s"). */
  leaseDuration?: string;
  renewDeadline?: string;
  retryPeriod?: string;
  resourceLock?: string;
  resourceName?: string;
  resourceNamespace?: string;
}

export interface ClientConnectionConfiguration {
  kubeconfig?: string;
  acceptContentTypes?: string;
  contentType?: string;
  qps?: number;
  burst?: number;
}

export interface KubeSchedulerConfiguration {
  apiVersion?: string;
  kind?: string;
  parallelism?: number;
  leaderElection?: LeaderElectionConfiguration;
  clientConnection?: ClientConnectionConfiguration;
  percentageOfNodesToScore?: number;
  podInitialBackoffSeconds?: number;
  podMaxBackoffSeconds?: number;
  profiles?: KubeSchedulerProfile[];
  delayCacheUntilActive?: boolean;
}
