// Loading a client's config the way kubectl and the components do: --kubeconfig, else $KUBECONFIG (merged),
// else ~/.kube/config; then --context and --master; in-cluster config when no kubeconfig names anything.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { RESTConfig } from '../rest/config.js';
import { inClusterConfig, inClusterNamespace, inClusterPossible } from './in-cluster.js';
import { type AuthInfo, type Cluster, type Config, emptyConfig, isEmptyConfig, mergeConfigs, parseKubeconfig } from './kubeconfig.js';

export const errEmptyConfig = 'invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable';

export interface LoadingOptions {
  /** --kubeconfig: only this file, which must exist. */
  kubeconfig?: string;
  /** --context: instead of the config's current-context. */
  context?: string;
  /** --master (or --server): overrides the cluster's server. */
  master?: string;
  /** Environment for $KUBECONFIG and in-cluster discovery (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Home directory for ~/.kube/config (default os.homedir()). */
  homeDir?: string;
  /** Root of the in-cluster service-account files (default "/"). */
  inClusterRoot?: string;
}

/** The files the loading rules read, in precedence order (clientcmd's ClientConfigLoadingRules). */
export function kubeconfigPaths(opts: LoadingOptions): { paths: string[]; explicit: boolean } {
  if (opts.kubeconfig) return { paths: [opts.kubeconfig], explicit: true };
  const env = (opts.env ?? process.env).KUBECONFIG;
  if (env) {
    const seen = new Set<string>();
    const paths = env.split(delimiter).filter((p) => p !== '' && !seen.has(p) && seen.add(p));
    return { paths, explicit: false };
  }
  return { paths: [join(opts.homeDir ?? homedir(), '.kube', 'config')], explicit: false };
}

/** Reads and merges the kubeconfig files; missing files are skipped except an explicit --kubeconfig. */
export function loadKubeconfig(opts: LoadingOptions = {}): Config {
  const { paths, explicit } = kubeconfigPaths(opts);
  const configs: Config[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !explicit) continue;
      if (code === 'ENOENT') throw new Error(`stat ${path}: no such file or directory`);
      throw err;
    }
    configs.push(parseKubeconfig(text, path));
  }
  return configs.length ? mergeConfigs(configs) : emptyConfig();
}

/** A loaded client configuration: where and who, and the namespace the context defaults to. */
export interface ClientConfig {
  config: RESTConfig;
  /** The context's namespace, the pod's namespace in-cluster, else "default". */
  namespace: string;
  /** The context used ("" for --master alone or in-cluster). */
  context: string;
}

function readFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`open ${path}: no such file or directory`);
    throw err;
  }
}

function pem(data: string | undefined, file: string | undefined): string | undefined {
  if (data) return Buffer.from(data, 'base64').toString('utf8');
  return file ? readFile(file) : undefined;
}

/**
 * Resolves the config kubectl would use (clientcmd's DeferredLoadingClientConfig): the kubeconfig files'
 * context (or --context), with --master overriding the server; when the files name nothing and no --master
 * is given, the in-cluster config. Errors are worded as client-go's.
 */
export function loadClientConfig(opts: LoadingOptions = {}): ClientConfig {
  const kc = loadKubeconfig(opts);
  const inCluster = { env: opts.env, root: opts.inClusterRoot };
  if (isEmptyConfig(kc) && !opts.master && !opts.context && inClusterPossible(inCluster)) {
    return { config: inClusterConfig(inCluster), namespace: inClusterNamespace(inCluster) ?? 'default', context: '' };
  }
  const contextName = opts.context || kc.currentContext;
  if (contextName && !kc.contexts.has(contextName)) {
    throw new Error(`invalid configuration: context was not found for specified context: ${contextName}`);
  }
  const context = contextName ? kc.contexts.get(contextName)! : {};
  let cluster: Cluster = {};
  if (context.cluster) {
    const found = kc.clusters.get(context.cluster);
    if (!found && !opts.master) throw new Error(`no server found for cluster "${context.cluster}"`);
    cluster = found ?? {};
  }
  let user: AuthInfo = {};
  if (context.user) {
    const found = kc.users.get(context.user);
    if (!found) throw new Error(`auth info "${context.user}" does not exist`);
    user = found;
  }
  const server = opts.master || cluster.server;
  if (!server) {
    if (!contextName && isEmptyConfig(kc)) throw new Error(errEmptyConfig);
    throw new Error('invalid configuration: cluster has no server defined');
  }
  const insecure = cluster['insecure-skip-tls-verify'] === true;
  const caData = pem(cluster['certificate-authority-data'], cluster['certificate-authority']);
  if (insecure && caData) throw new Error('invalid configuration: specifying a root certificates file with the insecure flag is not allowed');
  const certData = pem(user['client-certificate-data'], user['client-certificate']);
  const config: RESTConfig = {
    // A server without a scheme is https when TLS is configured, else http (client-go's DefaultServerURL).
    host: server.includes('://') ? server : `${caData || certData || insecure ? 'https' : 'http'}://${server}`,
    caData,
    certData,
    keyData: pem(user['client-key-data'], user['client-key']),
    insecure: insecure || undefined,
    serverName: cluster['tls-server-name'] || undefined,
  };
  if (user.token) config.bearerToken = user.token;
  else if (user.tokenFile) config.bearerTokenFile = user.tokenFile;
  if (user.username !== undefined || user.password !== undefined) {
    config.username = user.username;
    config.password = user.password;
  }
  for (const k of Object.keys(config) as Array<keyof RESTConfig>) if (config[k] === undefined) delete config[k];
  return { config, namespace: context.namespace || 'default', context: contextName };
}

/** loadClientConfig's RESTConfig, for callers that need no namespace (components' --kubeconfig/--master). */
export function loadRESTConfig(opts: LoadingOptions = {}): RESTConfig {
  return loadClientConfig(opts).config;
}
