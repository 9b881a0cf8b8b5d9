// The apiserver's HTTPS serving certificate: the files given by --tls-cert-file/--tls-private-key-file, or
// else a self-signed CA and a serving certificate generated once into --cert-dir (as upstream's apiserver.crt).
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { KeyObject, webcrypto, X509Certificate } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { hostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { klog } from '../base/logger.js';
import type { APIServerOptions } from './options.js';

const log = klog.withName('serving-cert.ts');

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

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

const day = 24 * 3600 * 1000;

/**
 * Returns the serving certificate and key. With --tls-cert-file and --tls-private-key-file, reads them.
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
    return { cert: await readFile(opts.tlsCertFile, 'utf8'), key: await readFile(opts.tlsPrivateKeyFile, 'utf8') };
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
  const dns = [
    'localhost',
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
    hostname(),
  ];
  const ips = ['127.0.0.1', '::1'];
  for (const cidr of opts.serviceClusterIPRange.split(',').filter(Boolean)) ips.push(firstIPInCIDR(cidr.trim()));
  if (opts.advertiseAddress) ips.push(opts.advertiseAddress);
  if (opts.bindAddress && opts.bindAddress !== '0.0.0.0' && opts.bindAddress !== '::') ips.push(opts.bindAddress);
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.family === 'IPv6' && a.address.toLowerCase().startsWith('fe80:')) continue; // link-local needs a zone
      ips.push(a.address);
    }
  }
  return { dns: [...new Set(dns.filter(Boolean))], ips: [...new Set(ips.filter((ip) => isIP(ip) !== 0))] };
}

/** The first usable address of a CIDR (network address + 1), e.g. 10.0.0.0/24 → 10.0.0.1. */
export function firstIPInCIDR(cidr: string): string {
  const [addr, bitsText] = cidr.split('/');
  const family = isIP(addr ?? '');
  const bits = Number(bitsText);
  if (family === 4 && bits >= 0 && bits <= 32) {
    const n = addr!.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    const first = ((n & mask) >>> 0) + 1;
    return [24, 16, 8, 0].map((s) => (first >>> s) & 255).join('.');
  }
  if (family === 6 && bits >= 0 && bits <= 128) {
    const n = ipv6ToBigInt(addr!);
    const mask = bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << BigInt(128 - bits);
    const first = (n & mask) + 1n;
    const groups: string[] = [];
    for (let i = 7; i >= 0; i--) groups.push(((first >> BigInt(i * 16)) & 0xffffn).toString(16));
    return compressIPv6(groups);
  }
  throw new Error(`invalid CIDR address: ${cidr}`);
}

function ipv6ToBigInt(addr: string): bigint {
  const [head, tail] = addr.includes('::') ? addr.split('::') : [addr, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

function compressIPv6(groups: string[]): string {
  // Replace the longest run of zero groups with `::` (RFC 5952).
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** Generates a CA and a serving certificate signed by it. Exported for tests and for the supervisor. */
export async function generateSelfSigned(names: ServingNames, now = new Date()): Promise<Required<ServingCert>> {
  // Backdated by an hour, like upstream, so clocks slightly behind ours still accept the certificate.
  const notBefore = new Date(now.getTime() - 3600 * 1000);
  const notAfter = new Date(now.getTime() + 365 * day);
  const stamp = Math.floor(now.getTime() / 1000);

  const caKeys = (await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify'])) as CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=k8ts-ca@${stamp}`,
    notBefore,
    notAfter,
    signingAlgorithm,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const keys = (await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${names.dns[0] ?? 'localhost'}@${stamp}`,
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingAlgorithm,
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
      new x509.SubjectAlternativeNameExtension([
        ...names.dns.map((value) => ({ type: 'dns' as const, value })),
        ...names.ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
    ],
  });

  const key = KeyObject.from(keys.privateKey as unknown as webcrypto.CryptoKey).export({ type: 'sec1', format: 'pem' });
  const caPEM = ca.toString('pem') + '\n';
  return { cert: cert.toString('pem') + '\n' + caPEM, key: String(key), ca: caPEM };
}

/** A positive 16-byte serial number in hex (the top bit cleared so DER does not read it as negative). */
function randomSerial(): string {
  const b = webcrypto.getRandomValues(new Uint8Array(16));
  b[0] = b[0]! & 0x7f;
  return Buffer.from(b).toString('hex');
}
