// The kubeadm-style certificate tree of a cluster (`k8ts certs generate`): CAs, serving and client pairs,
// service-account keys under <dir>/pki. Existing files are never overwritten.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { newSelfSignedCACert, newSignedCert, oneYearSeconds, parseCertificateAuthority, tenYearsSeconds, type CertificateAuthority, type CertificateConfig } from './certificate.js';
import { encodePrivateKeyPEM, encodePublicKeyPEM, generatePrivateKey, parsePrivateKeyPEM, type KeyAlgorithm } from './keys.js';
import { firstIPInCIDR, hostNamesAndAddresses, splitSANs, type SubjectAltNames } from './network-names.js';

/** The upstream default of --service-cluster-ip-range in k8ts (its first IP is the `kubernetes` Service). */
export const defaultServiceClusterIPRange = '10.0.0.0/24';

export interface ClusterPKIOptions {
  /** The cluster directory; files go under `<dir>/pki`. */
  dir: string;
  /** This node's name: the etcd serving CN and the kubelet identity system:node:<nodeName>. */
  nodeName: string;
  /** Extra apiserver SANs (DNS names or IPs). */
  apiserverSANs?: string[];
  /** Comma-separated service CIDRs; the first IP of each is an apiserver SAN. */
  serviceClusterIPRange?: string;
  keyAlgorithm: KeyAlgorithm;
  now: Date;
  /** This host's names and addresses (default: from the OS). */
  host?: SubjectAltNames;
}

/** What happened to one file. */
export interface FileOutcome {
  /** Relative to the cluster directory, e.g. "pki/ca.crt". */
  path: string;
  action: 'created' | 'kept';
}

/** A CA of the tree: `<name>.crt` / `<name>.key` under pki/. */
interface CASpec {
  name: string;
  commonName: string;
}

/** A certificate signed by one of the CAs. */
export interface LeafSpec {
  name: string;
  ca: string;
  config: CertificateConfig;
}

const cas: CASpec[] = [
  { name: 'ca', commonName: 'kubernetes' },
  { name: 'front-proxy-ca', commonName: 'front-proxy-ca' },
  { name: 'etcd/ca', commonName: 'etcd-ca' },
];

const client = ['client auth'] as const;
const serverAndClient = ['server auth', 'client auth'] as const;

/**
 * The per-component client certificates (signed by pki/ca) that kubeconfigs embed, with the kubeconfig
 * each one belongs to and the user name written there (kubeadm's names).
 */
export function componentClientCertificates(nodeName: string): Array<LeafSpec & { kubeconfig: string; userName: string }> {
  const spec = (name: string, kubeconfig: string, userName: string, commonName: string, organization: string[] = []) => ({
    name,
    kubeconfig,
    userName,
    ca: 'ca',
    config: { commonName, organization, extKeyUsages: [...client] },
  });
  return [
    spec('admin', 'admin.conf', 'kubernetes-admin', 'kubernetes-admin', ['system:masters']),
    spec('controller-manager', 'controller-manager.conf', 'system:kube-controller-manager', 'system:kube-controller-manager'),
    spec('scheduler', 'scheduler.conf', 'system:kube-scheduler', 'system:kube-scheduler'),
    spec('kube-proxy', 'kube-proxy.conf', 'system:kube-proxy', 'system:kube-proxy'),
    spec(`kubelet-client-${nodeName}`, 'kubelet.conf', `system:node:${nodeName}`, `system:node:${nodeName}`, ['system:nodes']),
  ];
}

/** The apiserver serving SANs: the in-cluster Service names and IP, loopback, this host, and `extra`. */
export function apiserverSANs(opts: { serviceClusterIPRange: string; host: SubjectAltNames; nodeName: string; extra: string[] }): SubjectAltNames {
  const extra = splitSANs(opts.extra);
  const dns = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'localhost', opts.nodeName, ...opts.host.dns, ...extra.dns];
  const serviceIPs = opts.serviceClusterIPRange.split(',').map((c) => c.trim()).filter(Boolean).map(firstIPInCIDR);
  const ips = [...serviceIPs, '127.0.0.1', ...opts.host.ips, ...extra.ips];
  return { dns: [...new Set(dns.filter(Boolean))], ips: [...new Set(ips)] };
}

function leafSpecs(opts: ClusterPKIOptions, host: SubjectAltNames): LeafSpec[] {
  const api = apiserverSANs({ serviceClusterIPRange: opts.serviceClusterIPRange ?? defaultServiceClusterIPRange, host, nodeName: opts.nodeName, extra: opts.apiserverSANs ?? [] });
  const etcdSANs = { dnsNames: [...new Set(['localhost', opts.nodeName, ...host.dns])], ips: [...new Set(['127.0.0.1', '::1', ...host.ips])] };
  return [
    { name: 'apiserver', ca: 'ca', config: { commonName: 'kube-apiserver', dnsNames: api.dns, ips: api.ips, extKeyUsages: ['server auth'] } },
    // kubeadm before 1.29 put this identity in system:masters; k8ts' RBAC bootstrap has no kubeadm:cluster-admins binding.
    { name: 'apiserver-kubelet-client', ca: 'ca', config: { commonName: 'kube-apiserver-kubelet-client', organization: ['system:masters'], extKeyUsages: [...client] } },
    { name: 'front-proxy-client', ca: 'front-proxy-ca', config: { commonName: 'front-proxy-client', extKeyUsages: [...client] } },
    { name: 'etcd/server', ca: 'etcd/ca', config: { commonName: opts.nodeName, ...etcdSANs, extKeyUsages: [...serverAndClient] } },
    { name: 'etcd/peer', ca: 'etcd/ca', config: { commonName: opts.nodeName, ...etcdSANs, extKeyUsages: [...serverAndClient] } },
    { name: 'etcd/healthcheck-client', ca: 'etcd/ca', config: { commonName: 'kube-etcd-healthcheck-client', extKeyUsages: [...client] } },
    { name: 'apiserver-etcd-client', ca: 'etcd/ca', config: { commonName: 'kube-apiserver-etcd-client', extKeyUsages: [...client] } },
    ...componentClientCertificates(opts.nodeName),
  ];
}

/**
 * Writes the tree under `<dir>/pki` and reports each file. A pair whose certificate exists is kept as it is;
 * a key without its certificate gets a certificate for that key; nothing is ever overwritten. Keys are
 * written with mode 0600, certificates 0644.
 */
export async function generateClusterPKI(opts: ClusterPKIOptions): Promise<FileOutcome[]> {
  const host = opts.host ?? hostNamesAndAddresses();
  const outcomes: FileOutcome[] = [];
  const loaded = new Map<string, CertificateAuthority>();
  for (const ca of cas) {
    outcomes.push(
      ...(await ensurePair(opts, ca.name, (key) => newSelfSignedCACert({ key, commonName: ca.commonName, now: opts.now, validitySeconds: tenYearsSeconds, backdateSeconds: 0 }))),
    );
    loaded.set(ca.name, await loadCA(opts.dir, ca.name));
  }
  for (const leaf of leafSpecs(opts, host)) {
    outcomes.push(...(await ensureLeaf(opts, leaf, loaded.get(leaf.ca)!)));
  }
  outcomes.push(...(await ensureServiceAccountKeys(opts)));
  return outcomes;
}

/** Makes sure `pki/<leaf.name>.{crt,key}` exist, signing with `ca` when the certificate is missing. */
export function ensureLeaf(opts: { dir: string; keyAlgorithm: KeyAlgorithm; now: Date }, leaf: LeafSpec, ca: CertificateAuthority): Promise<FileOutcome[]> {
  return ensurePair(opts, leaf.name, (key) => newSignedCert({ config: leaf.config, publicKey: key, ca, now: opts.now, validitySeconds: oneYearSeconds }));
}

/** Reads `pki/<name>.{crt,key}` as a signing CA. */
export async function loadCA(dir: string, name: string): Promise<CertificateAuthority> {
  const [certPEM, keyPEM] = await Promise.all([readFile(pkiPath(dir, `${name}.crt`), 'utf8'), readFile(pkiPath(dir, `${name}.key`), 'utf8')]);
  return parseCertificateAuthority({ certPEM, keyPEM });
}

export function pkiPath(dir: string, file: string): string {
  return join(dir, 'pki', file);
}

async function ensurePair(opts: { dir: string; keyAlgorithm: KeyAlgorithm }, name: string, issue: (key: KeyObject) => Promise<string>): Promise<FileOutcome[]> {
  const crt = `pki/${name}.crt`;
  const keyFile = `pki/${name}.key`;
  const existingCert = await readIfExists(join(opts.dir, crt));
  const existingKey = await readIfExists(join(opts.dir, keyFile));
  if (existingCert !== undefined) {
    if (existingKey === undefined) throw new Error(`${join(opts.dir, crt)} exists but its key ${join(opts.dir, keyFile)} does not`);
    return [{ path: crt, action: 'kept' }, { path: keyFile, action: 'kept' }];
  }
  const { key, outcome } = await ensureKey(opts, keyFile, existingKey);
  await writeNew(join(opts.dir, crt), await issue(key), 0o644);
  return [{ path: crt, action: 'created' }, outcome];
}

/** sa.key (the service-account token signing key) and sa.pub (its public half), as kubeadm writes them. */
async function ensureServiceAccountKeys(opts: ClusterPKIOptions): Promise<FileOutcome[]> {
  const keyFile = 'pki/sa.key';
  const pubFile = 'pki/sa.pub';
  const { key, outcome } = await ensureKey(opts, keyFile, await readIfExists(join(opts.dir, keyFile)));
  const outcomes: FileOutcome[] = [outcome];
  if ((await readIfExists(join(opts.dir, pubFile))) !== undefined) outcomes.push({ path: pubFile, action: 'kept' });
  else {
    await writeNew(join(opts.dir, pubFile), encodePublicKeyPEM(createPublicKey(key)), 0o644);
    outcomes.push({ path: pubFile, action: 'created' });
  }
  return outcomes;
}

/** The key in `existingPEM` when there is one (kept), else a new key written to `keyFile` with mode 0600. */
async function ensureKey(opts: { dir: string; keyAlgorithm: KeyAlgorithm }, keyFile: string, existingPEM: string | undefined): Promise<{ key: KeyObject; outcome: FileOutcome }> {
  if (existingPEM !== undefined) return { key: parsePrivateKeyPEM(existingPEM), outcome: { path: keyFile, action: 'kept' } };
  const key = await generatePrivateKey(opts.keyAlgorithm);
  await writeNew(join(opts.dir, keyFile), encodePrivateKeyPEM(key), 0o600);
  return { key, outcome: { path: keyFile, action: 'created' } };
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Creates `path` exclusively (fails rather than overwrite a file another process wrote meanwhile). */
export async function writeNew(path: string, data: string, mode: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, data, { mode, flag: 'wx' });
}
