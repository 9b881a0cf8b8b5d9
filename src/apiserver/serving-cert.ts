// The apiserver's HTTPS serving certificate: the files given by --tls-cert-file/--tls-private-key-file, or
// else a self-signed CA and a serving certificate generated once into --cert-dir (as upstream's apiserver.crt).
import { createPublicKey, X509Certificate } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { klog } from '../base/logger.js';
import { newSelfSignedCACert, newSignedCert, oneYearSeconds } from '../pki/certificate.js';
import { encodePrivateKeyPEM, generatePrivateKey, parsePrivateKeyPEM } from '../pki/keys.js';
import { firstIPInCIDR, hostNamesAndAddresses } from '../pki/network-names.js';
import { certificateBlocks, decodePEM } from '../pki/pem.js';
import type { APIServerOptions } from './options.js';

export { firstIPInCIDR } from '../pki/network-names.js';

const log = klog.withName('serving-cert.ts');

export interface ServingCert {
  /** PEM: the serving certificate, followed by the CA certificate when it was generated here. */
  cert: string;
  /** PEM private key of the serving certificate. */
  key: string;
  /** PEM of the self-signed CA that clients should trust; absent when the files came from --tls-cert-file. */
  ca?: string;
}

/** File names inside --cert-dir. apiserver.crt/.key as upstream; ca.crt is ours, for kubeconfigs. */
export const certDirFiles = { cert: 'apiserver.crt', key: 'apiserver.key', ca: 'ca.crt' } as const;

/**
 * Returns the serving certificate and key. With --tls-cert-file and --tls-private-key-file, reads them (any
 * PEM form openssl or cfssl writes; the certificate file may carry the chain after the leaf) and checks that
 * the key belongs to the leaf.
 * Otherwise reuses `<certDir>/apiserver.crt` + `apiserver.key` if they exist and have not expired, else
 * generates a fresh self-signed CA (its key is never written anywhere) and a serving certificate signed by
 * it for every name a client may use (see `servingNames`), valid for one year. Safe to call from several
 * processes that share a cert dir once the files exist (the supervisor calls it before starting children).
 */
export async function ensureServingCert(opts: APIServerOptions): Promise<ServingCert> {
  if (opts.tlsCertFile || opts.tlsPrivateKeyFile) {
    if (!opts.tlsCertFile || !opts.tlsPrivateKeyFile) {
      throw new Error('--tls-cert-file and --tls-private-key-file must be given together');
    }
    return readServingFiles(opts.tlsCertFile, opts.tlsPrivateKeyFile);
  }
  const certFile = join(opts.certDir, certDirFiles.cert);
  const keyFile = join(opts.certDir, certDirFiles.key);
  const caFile = join(opts.certDir, certDirFiles.ca);
  const existing = await readExisting(certFile, keyFile, caFile);
  if (existing) return existing;

  const generated = await generateSelfSigned(servingNames(opts));
  await mkdir(opts.certDir, { recursive: true, mode: 0o700 });
  // Write-then-rename so a concurrent reader never sees half a file; the key is private to the owner.
  await writeAtomically(keyFile, generated.key, 0o600);
  await writeAtomically(caFile, generated.ca, 0o644);
  await writeAtomically(certFile, generated.cert, 0o644);
  log.info('Generated self-signed CA and serving certificate', { certFile, caFile });
  return generated;
}

/**
 * Reads a serving pair given on the command line. The key file is returned as it is when it holds just the
 * key; otherwise (openssl's `ecparam -genkey` puts EC PARAMETERS first) the key alone is re-encoded.
 */
async function readServingFiles(certFile: string, keyFile: string): Promise<ServingCert> {
  const [cert, keyText] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
  const [leaf] = certificateBlocks(cert);
  if (!leaf) throw new Error(`--tls-cert-file ${certFile}: data does not contain any valid RSA or ECDSA certificates`);
  let key;
  try {
    key = parsePrivateKeyPEM(keyText);
  } catch (err) {
    throw new Error(`--tls-private-key-file ${keyFile}: ${(err as Error).message}`);
  }
  const leafKey = new X509Certificate(leaf).publicKey.export({ type: 'spki', format: 'der' });
  if (!leafKey.equals(createPublicKey(key).export({ type: 'spki', format: 'der' }))) {
    throw new Error(`--tls-cert-file ${certFile}, --tls-private-key-file ${keyFile}: tls: private key does not match public key`);
  }
  return { cert, key: decodePEM(keyText).length === 1 ? keyText : encodePrivateKeyPEM(key) };
}

async function readExisting(certFile: string, keyFile: string, caFile: string): Promise<Required<ServingCert> | undefined> {
  let cert: string, key: string, ca: string;
  try {
    [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
  } catch {
    return undefined;
  }
  try {
    ca = await readFile(caFile, 'utf8');
  } catch {
    // Upstream's layout has no ca.crt: the CA is the last certificate of the bundle.
    const all = cert.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
    ca = all[all.length - 1] ?? cert;
  }
  try {
    const leaf = new X509Certificate(cert);
    if (Date.parse(leaf.validTo) <= Date.now()) {
      log.warning('Serving certificate has expired; generating a new one', { certFile, notAfter: leaf.validTo });
      return undefined;
    }
  } catch (err) {
    log.warning('Serving certificate is unreadable; generating a new one', { certFile, err: String(err) });
    return undefined;
  }
  return { cert, key, ca };
}

async function writeAtomically(path: string, data: string, mode: number): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data, { mode });
  await rename(tmp, path);
}

/** The DNS names and IPs the serving certificate is valid for. */
export interface ServingNames {
  dns: string[];
  ips: string[];
}

/**
 * Every name a client may dial: loopback, the in-cluster `kubernetes` Service names and its ClusterIP (the
 * first IP of each --service-cluster-ip-range), --advertise-address, this host's name and addresses.
 */
export function servingNames(opts: Pick<APIServerOptions, 'serviceClusterIPRange' | 'advertiseAddress' | 'bindAddress'>): ServingNames {
  const host = hostNamesAndAddresses();
  const dns = [
    'localhost',
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
    ...host.dns,
  ];
  const ips = ['127.0.0.1', '::1'];
  for (const cidr of opts.serviceClusterIPRange.split(',').filter(Boolean)) ips.push(firstIPInCIDR(cidr.trim()));
  if (opts.advertiseAddress) ips.push(opts.advertiseAddress);
  if (opts.bindAddress && opts.bindAddress !== '0.0.0.0' && opts.bindAddress !== '::') ips.push(opts.bindAddress);
  ips.push(...host.ips);
  return { dns: [...new Set(dns.filter(Boolean))], ips: [...new Set(ips.filter((ip) => isIP(ip) !== 0))] };
}

/**
 * Generates a CA (ECDSA P-256, ten years) and a serving certificate signed by it (one year) for `names`.
 * Exported for tests and for the supervisor.
 */
export async function generateSelfSigned(names: ServingNames, now = new Date()): Promise<Required<ServingCert>> {
  // Backdated by an hour, like upstream's self-signed pair, so clocks slightly behind ours accept it.
  const validity = { now, backdateSeconds: 3600 };
  const stamp = Math.floor(now.getTime() / 1000);
  const caKey = await generatePrivateKey('ecdsa');
  const caPEM = await newSelfSignedCACert({ key: caKey, commonName: `k8ts-ca@${stamp}`, ...validity, validitySeconds: 10 * oneYearSeconds });
  const key = await generatePrivateKey('ecdsa');
  const cert = await newSignedCert({
    config: { commonName: `${names.dns[0] ?? 'localhost'}@${stamp}`, dnsNames: names.dns, ips: names.ips, extKeyUsages: ['server auth'] },
    publicKey: key,
    ca: { certPEM: caPEM, key: caKey },
    ...validity,
    validitySeconds: oneYearSeconds,
  });
  return { cert: cert + caPEM, key: encodePrivateKeyPEM(key), ca: caPEM };
}
