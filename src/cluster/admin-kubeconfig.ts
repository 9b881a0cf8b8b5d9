// The admin kubeconfig `k8ts up` writes to <data-dir>/admin.conf, so `kubectl` finds and trusts the
// cluster. Until authentication lands (a later issue) its user carries no real credential.
import { stringify } from 'yaml';

export interface AdminKubeconfigOptions {
  /** e.g. https://127.0.0.1:6443 */
  server: string;
  /** PEM of the CA that signed the apiserver's serving certificate. */
  caPEM: string;
  /** Cluster and context name (default k8ts). */
  clusterName?: string;
}

/**
 * Placeholder credential. The apiserver does not authenticate yet, so nothing checks it; it is there because
 * kubectl prompts for a username and password when a user entry has no credential at all.
 */
export const placeholderToken = 'k8ts-no-authentication-yet';

/** A kubeconfig (v1 Config, YAML) with one cluster, one user (placeholder token) and one current context. */
export function adminKubeconfig(opts: AdminKubeconfigOptions): string {
  const name = opts.clusterName ?? 'k8ts';
  const user = `${name}-admin`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name, cluster: { server: opts.server, 'certificate-authority-data': Buffer.from(opts.caPEM).toString('base64') } },
    ],
    users: [{ name: user, user: { token: placeholderToken } }],
    contexts: [{ name, context: { cluster: name, user } }],
    'current-context': name,
    preferences: {},
  });
}
