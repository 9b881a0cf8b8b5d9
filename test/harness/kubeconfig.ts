// Writes the kubeconfig file that test kubectl runs use to reach a k8ts apiserver.
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  /** Where to write the file. */
  path: string;
  /** e.g. https://127.0.0.1:6443 */
  server: string;
  /** PEM of the CA that signed the serving certificate; without it TLS verification is switched off. */
  caPEM?: string;
  /** Bearer token of the user entry (default "k8ts-e2e"). */
  token?: string;
  /** Name used for the cluster, user and context entries (default "k8ts"). */
  name?: string;
}

/** The kubeconfig document (apiVersion v1, kind Config) for `opts`, with a token user. */
export function kubeconfigFor(opts: Omit<KubeconfigOptions, 'path'>): Record<string, unknown> {
  const name = opts.name ?? 'k8ts';
  const cluster: Record<string, unknown> = { server: opts.server };
  if (opts.caPEM) cluster['certificate-authority-data'] = Buffer.from(opts.caPEM).toString('base64');
  else cluster['insecure-skip-tls-verify'] = true;
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    // The apiserver has no authentication yet, so any token will do; but a user entry without credentials
    // makes kubectl prompt "Please enter Username" on stdin (client-go's interactive config), so give one.
    users: [{ name, user: { token: opts.token ?? 'k8ts-e2e' } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
    preferences: {},
  };
}

export async function writeKubeconfig(opts: KubeconfigOptions): Promise<void> {
  await writeFile(opts.path, stringify(kubeconfigFor(opts)), { mode: 0o600 });
}
