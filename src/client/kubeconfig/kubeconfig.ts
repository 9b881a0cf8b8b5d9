// The kubeconfig file format (clientcmd/api v1 Config): parsing one file, resolving its relative paths
// against the file's directory, and merging several files the way client-go merges $KUBECONFIG.
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';

export interface Cluster {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
  /** Read but not used: k8ts clients connect directly. */
  'proxy-url'?: string;
}

export interface AuthInfo {
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
}

export interface Context {
  cluster?: string;
  user?: string;
  namespace?: string;
}

/** A kubeconfig with its named lists turned into maps keyed by name, as clientcmdapi.Config holds them. */
export interface Config {
  currentContext: string;
  clusters: Map<string, Cluster>;
  users: Map<string, AuthInfo>;
  contexts: Map<string, Context>;
}

export function emptyConfig(): Config {
  return { currentContext: '', clusters: new Map(), users: new Map(), contexts: new Map() };
}

function named<V>(list: unknown, field: string, file: string): Map<string, V> {
  const out = new Map<string, V>();
  if (list === undefined || list === null) return out;
  if (!Array.isArray(list)) throw new Error(`error loading config file "${file}": ${field}s must be a list`);
  for (const item of list as Array<Record<string, unknown> | null>) {
    if (!item || typeof item !== 'object' || typeof item.name !== 'string') continue;
    // Within one file the first entry of a name is kept, as client-go's conversion from lists does.
    if (!out.has(item.name)) out.set(item.name, (item[field] ?? {}) as V);
  }
  return out;
}

/** Parses one kubeconfig document. `file` names it in errors and anchors its relative paths. */
export function parseKubeconfig(text: string, file: string): Config {
  let doc: Record<string, unknown> | null;
  try {
    doc = parse(text) as Record<string, unknown> | null;
  } catch (err) {
    throw new Error(`error loading config file "${file}": ${(err as Error).message}`);
  }
  if (doc === null || doc === undefined) return emptyConfig();
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`error loading config file "${file}": not a kubeconfig object`);
  const config: Config = {
    currentContext: typeof doc['current-context'] === 'string' ? doc['current-context'] : '',
    clusters: named<Cluster>(doc.clusters, 'cluster', file),
    users: named<AuthInfo>(doc.users, 'user', file),
    contexts: named<Context>(doc.contexts, 'context', file),
  };
  resolveLocalPaths(config, dirname(file));
  return config;
}

function resolvePath(p: string | undefined, base: string): string | undefined {
  return p && !isAbsolute(p) ? resolve(base, p) : p;
}

/** Makes file references absolute against `base` (client-go's ResolveLocalPaths). */
function resolveLocalPaths(config: Config, base: string): void {
  for (const c of config.clusters.values()) c['certificate-authority'] = resolvePath(c['certificate-authority'], base);
  for (const u of config.users.values()) {
    u['client-certificate'] = resolvePath(u['client-certificate'], base);
    u['client-key'] = resolvePath(u['client-key'], base);
    u.tokenFile = resolvePath(u.tokenFile, base);
  }
}

/**
 * Merges configs in precedence order: the first to define a cluster, user or context name keeps the whole
 * entry, and the first non-empty current-context wins (clientcmd's ClientConfigLoadingRules.Load).
 */
export function mergeConfigs(configs: readonly Config[]): Config {
  const out = emptyConfig();
  for (const c of configs) {
    if (!out.currentContext && c.currentContext) out.currentContext = c.currentContext;
    for (const [name, v] of c.clusters) if (!out.clusters.has(name)) out.clusters.set(name, v);
    for (const [name, v] of c.users) if (!out.users.has(name)) out.users.set(name, v);
    for (const [name, v] of c.contexts) if (!out.contexts.has(name)) out.contexts.set(name, v);
  }
  return out;
}

/** True when a config names nothing (no file, or only empty files). */
export function isEmptyConfig(c: Config): boolean {
  return !c.currentContext && c.clusters.size === 0 && c.users.size === 0 && c.contexts.size === 0;
}
