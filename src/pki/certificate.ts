// X.509 certificates: self-signed CAs and certificates signed by a CA (subject CN/O, DNS and IP SANs, key
// usages, client/server extended key usages, validity), and reading the facts of one back (describeCertificate).
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { KeyObject, createPublicKey, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import { certificateBlocks, encodePEM, pemTypes } from './pem.js';
import { parsePrivateKeyPEM, signatureAlgorithmFor, toCryptoKey } from './keys.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** Extended key usages by the names the certificates API uses (certificates.k8s.io KeyUsage). */
export const extKeyUsageOIDs = {
  'server auth': '1.3.6.1.5.5.7.3.1',
  'client auth': '1.3.6.1.5.5.7.3.2',
  'code signing': '1.3.6.1.5.5.7.3.3',
  'email protection': '1.3.6.1.5.5.7.3.4',
  'timestamping': '1.3.6.1.5.5.7.3.8',
  'ocsp signing': '1.3.6.1.5.5.7.3.9',
  'any': '2.5.29.37.0',
} as const;
export type ExtKeyUsage = keyof typeof extKeyUsageOIDs;

/** Key usages (the KeyUsage extension bits) by the certificates API's names. */
export const keyUsageFlags = {
  'digital signature': x509.KeyUsageFlags.digitalSignature,
  'content commitment': x509.KeyUsageFlags.nonRepudiation,
  'key encipherment': x509.KeyUsageFlags.keyEncipherment,
  'data encipherment': x509.KeyUsageFlags.dataEncipherment,
  'key agreement': x509.KeyUsageFlags.keyAgreement,
  'cert sign': x509.KeyUsageFlags.keyCertSign,
  'crl sign': x509.KeyUsageFlags.cRLSign,
  'encipher only': x509.KeyUsageFlags.encipherOnly,
  'decipher only': x509.KeyUsageFlags.decipherOnly,
} as const;
export type KeyUsage = keyof typeof keyUsageFlags;

/** A signing CA: its certificate (PEM; the first CERTIFICATE block is used) and private key. */
export interface CertificateAuthority {
  certPEM: string;
  key: KeyObject;
}

/** Reads a CA from PEM files' contents; throws when either part is missing or they do not belong together. */
export function parseCertificateAuthority(args: { certPEM: string; keyPEM: string }): CertificateAuthority {
  const key = parsePrivateKeyPEM(args.keyPEM);
  const [certDER] = certificateBlocks(args.certPEM);
  if (!certDER) throw new Error('data does not contain any valid RSA or ECDSA certificates');
  const certKey = new x509.X509Certificate(ownBytes(certDER)).publicKey.rawData;
  const ownKey = createPublicKey(key).export({ type: 'spki', format: 'der' });
  if (!Buffer.from(certKey).equals(ownKey)) throw new Error('the CA private key does not match the CA certificate');
  return { certPEM: encodePEM({ type: pemTypes.certificate, der: certDER }), key };
}

/** What a certificate is issued for. */
export interface CertificateConfig {
  commonName: string;
  organization?: string[];
  dnsNames?: string[];
  /** IPv4 or IPv6 literals. */
  ips?: string[];
  /** Extended key usages; none means the extension is left out. */
  extKeyUsages?: ExtKeyUsage[];
  /**
   * Key usages; default digital signature, plus key encipherment for RSA keys (what client-go's cert
   * helpers set). A CA always gets cert sign in addition.
   */
  keyUsages?: KeyUsage[];
}

export interface ValidityOptions {
  /** The issuing time; the certificate is valid from `backdateSeconds` before it. */
  now: Date;
  validitySeconds: number;
  /** Tolerates clocks slightly behind ours; default 5 minutes (upstream's CSR signer backdate). */
  backdateSeconds?: number;
}

export const oneYearSeconds = 365 * 24 * 3600;
export const tenYearsSeconds = 10 * oneYearSeconds;

/** Self-signs a CA certificate for `key` (basic constraints CA:TRUE, critical; key usages incl. cert sign). */
export async function newSelfSignedCACert(args: { key: KeyObject; commonName: string; organization?: string[] } & ValidityOptions): Promise<string> {
  const publicKey = await toCryptoKey(createPublicKey(args.key));
  const privateKey = await toCryptoKey(args.key);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: subjectName(args.commonName, args.organization),
    issuer: subjectName(args.commonName, args.organization),
    ...validity(args),
    signingAlgorithm: signatureAlgorithmFor(args.key),
    publicKey,
    signingKey: privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(keyUsageBits(defaultKeyUsages(args.key)) | x509.KeyUsageFlags.keyCertSign, true),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
    ],
  });
  return cert.toString('pem') + '\n';
}

/**
 * Issues a certificate for `publicKey`, signed by `ca`. Never valid past the CA's own notAfter (as upstream's
 * CSR signer). Returns the PEM of the new certificate alone.
 */
export async function newSignedCert(args: { config: CertificateConfig; publicKey: KeyObject; ca: CertificateAuthority } & ValidityOptions): Promise<string> {
  const caCert = new x509.X509Certificate(ownBytes(certificateBlocks(args.ca.certPEM)[0]!));
  const publicKey = await toCryptoKey(args.publicKey.type === 'private' ? createPublicKey(args.publicKey) : args.publicKey);
  const { config } = args;
  const times = validity(args);
  if (times.notAfter > caCert.notAfter) times.notAfter = caCert.notAfter;
  const extensions: x509.Extension[] = [
    new x509.KeyUsagesExtension(keyUsageBits(config.keyUsages ?? defaultKeyUsages(args.publicKey)), true),
    new x509.BasicConstraintsExtension(false, undefined, true),
    await authorityKeyIdentifier(caCert),
  ];
  if (config.extKeyUsages?.length) {
    extensions.push(new x509.ExtendedKeyUsageExtension(config.extKeyUsages.map((u) => extKeyUsageOIDs[u])));
  }
  const sans = [
    ...(config.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(config.ips ?? []).map((value) => {
      if (!isIP(value)) throw new Error(`invalid IP address in certificate SANs: ${JSON.stringify(value)}`);
      return { type: 'ip' as const, value };
    }),
  ];
  if (sans.length) extensions.push(new x509.SubjectAlternativeNameExtension(sans));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: subjectName(config.commonName, config.organization),
    issuer: caCert.subjectName,
    ...times,
    signingAlgorithm: signatureAlgorithmFor(args.ca.key),
    publicKey,
    signingKey: await toCryptoKey(args.ca.key),
    extensions,
  });
  return cert.toString('pem') + '\n';
}

/** The facts of one certificate that the cluster cares about. */
export interface CertificateInfo {
  commonName: string;
  organization: string[];
  dnsNames: string[];
  ips: string[];
  /** Decimal, as Go prints serial numbers. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** Basic constraints CA:TRUE. */
  isCA: boolean;
  /** Extended key usage OIDs; empty when the certificate has no such extension (any usage). */
  extKeyUsages: string[];
  /** KeyUsage extension bits (x509.KeyUsageFlags); undefined when the extension is absent. */
  keyUsage?: number;
  /** Whether the certificate has any extension at all (a version 1 certificate has none). */
  hasExtensions: boolean;
  /** Hex, upper case; empty when absent. */
  subjectKeyId: string;
  authorityKeyId: string;
}

/** Parses one DER certificate; throws for anything that is not a well-formed certificate. */
export function describeCertificate(der: Uint8Array): CertificateInfo {
  return describeParsedCertificate(new x509.X509Certificate(ownBytes(der)));
}

/** describeCertificate for a certificate @peculiar/x509 has parsed already. */
export function describeParsedCertificate(cert: x509.X509Certificate): CertificateInfo {
  const basic = cert.getExtension(x509.BasicConstraintsExtension);
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const skid = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  const akid = cert.getExtension(x509.AuthorityKeyIdentifierExtension);
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  return {
    ...subjectAndSANs(cert),
    serialNumber: BigInt(`0x${cert.serialNumber || '0'}`).toString(10),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    isCA: basic?.ca ?? false,
    extKeyUsages: Array.from(eku?.usages ?? [], String),
    keyUsage: ku?.usages,
    hasExtensions: cert.extensions.length > 0,
    subjectKeyId: (skid?.keyId ?? '').toUpperCase(),
    authorityKeyId: (akid?.keyId ?? '').toUpperCase(),
  };
}

/** CN, O and the DNS/IP SANs of a certificate or a certificate request. */
export function subjectAndSANs(item: x509.X509Certificate | x509.Pkcs10CertificateRequest): { commonName: string; organization: string[]; dnsNames: string[]; ips: string[] } {
  const san = item.extensions.find((e): e is x509.SubjectAlternativeNameExtension => e instanceof x509.SubjectAlternativeNameExtension);
  const names = san?.names.toJSON() ?? [];
  return {
    commonName: item.subjectName.getField('CN')[0] ?? '',
    organization: item.subjectName.getField('O'),
    dnsNames: names.filter((n) => n.type === 'dns').map((n) => n.value),
    ips: names.filter((n) => n.type === 'ip').map((n) => n.value),
  };
}

/** The subject as separate RDNs (CN first, then each O), as openssl's `-subj /CN=…/O=…` writes it. */
function subjectName(commonName: string, organization: string[] = []): x509.JsonName {
  return [{ CN: [commonName] }, ...organization.map((o) => ({ O: [o] }))];
}

function validity(v: ValidityOptions): { notBefore: Date; notAfter: Date } {
  const notBefore = new Date(v.now.getTime() - (v.backdateSeconds ?? 300) * 1000);
  const notAfter = new Date(v.now.getTime() + v.validitySeconds * 1000);
  // X.509 times have whole seconds; drop the milliseconds so what we return equals what is encoded.
  notBefore.setUTCMilliseconds(0);
  notAfter.setUTCMilliseconds(0);
  return { notBefore, notAfter };
}

function defaultKeyUsages(key: KeyObject): KeyUsage[] {
  return key.asymmetricKeyType === 'rsa' ? ['digital signature', 'key encipherment'] : ['digital signature'];
}

function keyUsageBits(usages: KeyUsage[]): number {
  return usages.reduce((bits, u) => bits | keyUsageFlags[u], 0);
}

/** The AKID of certificates issued by `caCert`: its SKID when it has one, else one derived from its key. */
async function authorityKeyIdentifier(caCert: x509.X509Certificate): Promise<x509.AuthorityKeyIdentifierExtension> {
  const skid = caCert.getExtension(x509.SubjectKeyIdentifierExtension);
  if (skid) return new x509.AuthorityKeyIdentifierExtension(skid.keyId);
  return x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey);
}

/** A positive random 16-byte serial number in hex (top bit cleared so DER does not read it as negative). */
export function randomSerial(): string {
  const b = webcrypto.getRandomValues(new Uint8Array(16));
  b[0] = (b[0]! & 0x7f) | 0x01;
  return Buffer.from(b).toString('hex');
}

/** A copy of `b` on its own ArrayBuffer (what @peculiar/x509's parsers accept; a Buffer may share a pool). */
export function ownBytes(b: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(b);
}
