// kubeconfig files in exactly the layout `kubectl config set-cluster/set-credentials/set-context` writes
// (keys sorted, sequences unindented, certificates embedded as *-data base64), for admin.conf and friends.
import { writeFile, rename } from 'node:fs/promises';
import { stringify } from 'yaml';

/** One cluster + user + context kubeconfig, as kubeadm writes them. */
export interface KubeconfigSpec {
  /** e.g. "kubernetes" (kubeadm's cluster name). */
  clusterName: string;
  /** https://HOST:PORT */
  server: string;
  /** PEM of the CA that verifies the apiserver. */
  caPEM: string;
  /** e.g. "kubernetes-admin", "system:node:n1". */
  userName: string;
  clientCertificatePEM?: string;
  clientKeyPEM?: string;
  token?: string;
  /** Default `<userName>@<clusterName>`, kubeadm's naming. */
  contextName?: string;
  namespace?: string;
}

const b64 = (pem: string): string => Buffer.from(pem).toString('base64');

/**
 * The kubeconfig document as YAML text. Keys are emitted in sorted order and empty fields left out, which is
 * what client-go's serializer produces, so the text equals what `kubectl config` writes for the same values.
 */
export function buildKubeconfig(spec: KubeconfigSpec): string {
  const contextName = spec.contextName ?? `${spec.userName}@${spec.clusterName}`;
  const user: Record<string, string> = {};
  if (spec.clientCertificatePEM) user['client-certificate-data'] = b64(spec.clientCertificatePEM);
  if (spec.clientKeyPEM) user['client-key-data'] = b64(spec.clientKeyPEM);
  if (spec.token) user['token'] = spec.token;
  const context: Record<string, string> = { cluster: spec.clusterName };
  if (spec.namespace) context['namespace'] = spec.namespace;
  context['user'] = spec.userName;
  const doc = {
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': b64(spec.caPEM), server: spec.server }, name: spec.clusterName }],
    contexts: [{ context, name: contextName }],
    'current-context': contextName,
    kind: 'Config',
    preferences: {},
    users: [{ name: spec.userName, user }],
  };
  // Go's YAML: sequences at the parent's indentation, no line folding, strings quoted only when needed.
  return stringify(doc, { indentSeq: false, lineWidth: 0, minContentWidth: 0 });
}

/** Writes `buildKubeconfig(spec)` to `path` with mode 0600 (it holds a private key), atomically. */
export async function writeKubeconfigFile(path: string, spec: KubeconfigSpec): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, buildKubeconfig(spec), { mode: 0o600 });
  await rename(tmp, path);
}
