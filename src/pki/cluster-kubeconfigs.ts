// The component kubeconfigs of a cluster (`k8ts kubeconfig`): admin.conf, controller-manager.conf,
// scheduler.conf, kubelet.conf, kube-proxy.conf in the cluster directory, certificates embedded.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { componentClientCertificates, ensureLeaf, loadCA, pkiPath, writeNew, type FileOutcome } from './cluster-pki.js';
import { buildKubeconfig } from './kubeconfig.js';
import type { KeyAlgorithm } from './keys.js';

/** kubeadm's cluster name in every kubeconfig. */
export const clusterName = 'kubernetes';

export interface ClusterKubeconfigOptions {
  /** The cluster directory holding pki/ (from generateClusterPKI); kubeconfigs are written next to it. */
  dir: string;
  /** https://HOST:PORT of the apiserver. */
  server: string;
  nodeName: string;
  /** For a client certificate that is missing and must be issued now. */
  keyAlgorithm: KeyAlgorithm;
  now: Date;
}

/**
 * Writes each component's kubeconfig unless the file exists (kept). A client certificate missing from pki/ is
 * issued with pki/ca.key first, so this works on a tree made by openssl or cfssl as long as the CA is there.
 * Mode 0600: the files hold private keys.
 */
export async function writeClusterKubeconfigs(opts: ClusterKubeconfigOptions): Promise<FileOutcome[]> {
  if (!/^https:\/\/[^/]+$/.test(opts.server)) throw new Error(`--server must be https://HOST:PORT, got ${JSON.stringify(opts.server)}`);
  const ca = await loadCA(opts.dir, 'ca');
  // The whole CA file, as `kubectl config set-cluster --certificate-authority=pki/ca.crt --embed-certs` embeds it.
  const caFilePEM = await readFile(pkiPath(opts.dir, 'ca.crt'), 'utf8');
  const outcomes: FileOutcome[] = [];
  for (const spec of componentClientCertificates(opts.nodeName)) {
    const path = join(opts.dir, spec.kubeconfig);
    if (await exists(path)) {
      outcomes.push({ path: spec.kubeconfig, action: 'kept' });
      continue;
    }
    outcomes.push(...(await ensureLeaf(opts, spec, ca)).filter((o) => o.action === 'created'));
    const [certPEM, keyPEM] = await Promise.all([readFile(pkiPath(opts.dir, `${spec.name}.crt`), 'utf8'), readFile(pkiPath(opts.dir, `${spec.name}.key`), 'utf8')]);
    const text = buildKubeconfig({ clusterName, server: opts.server, caPEM: caFilePEM, userName: spec.userName, clientCertificatePEM: certPEM, clientKeyPEM: keyPEM });
    await writeNew(path, text, 0o600);
    outcomes.push({ path: spec.kubeconfig, action: 'created' });
  }
  return outcomes;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
