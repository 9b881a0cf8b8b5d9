// In-cluster configuration (client-go's rest.InClusterConfig): the apiserver from KUBERNETES_SERVICE_HOST/
// _PORT, credentials from the service-account token mounted into every pod.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RESTConfig } from '../rest/config.js';

/** Where the kubelet mounts a pod's service-account credentials. */
export const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

export const errNotInCluster = 'unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined';

export interface InClusterOptions {
  /** Environment to read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Filesystem root the service-account directory is under (default "/"; tests use a temp dir). */
  root?: string;
}

/** True when the environment names the in-cluster apiserver (the token may still be missing). */
export function inClusterPossible(opts: InClusterOptions = {}): boolean {
  const env = opts.env ?? process.env;
  return !!env.KUBERNETES_SERVICE_HOST && !!env.KUBERNETES_SERVICE_PORT && existsSync(join(opts.root ?? '/', serviceAccountDir, 'token'));
}

/**
 * The config of a process running in a pod. The token is read now (so a missing token fails here) and
 * re-read from its file as it rotates; the CA is used when ca.crt exists.
 */
export function inClusterConfig(opts: InClusterOptions = {}): RESTConfig {
  const env = opts.env ?? process.env;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) throw new Error(errNotInCluster);
  const dir = join(opts.root ?? '/', serviceAccountDir);
  const tokenFile = join(dir, 'token');
  readFileSync(tokenFile, 'utf8');
  let caData: string | undefined;
  try {
    caData = readFileSync(join(dir, 'ca.crt'), 'utf8');
  } catch {
    // Upstream logs "Expected to load root CA config" and carries on with the system roots.
  }
  const config: RESTConfig = { host: `https://${host.includes(':') ? `[${host}]` : host}:${port}`, bearerTokenFile: tokenFile };
  if (caData !== undefined) config.caData = caData;
  return config;
}

/** The pod's namespace from the mounted namespace file, or undefined outside a pod. */
export function inClusterNamespace(opts: InClusterOptions = {}): string | undefined {
  try {
    return readFileSync(join(opts.root ?? '/', serviceAccountDir, 'namespace'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
