// Certificate signing requests (PKCS#10): creating one (a kubelet asking for its client certificate), reading
// one (the certificates API), and signing one with a CA as upstream's CSR signing controller does.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { decodePEM, pemTypes } from './pem.js';
import { signatureAlgorithmFor, toCryptoKey } from './keys.js';
import { extKeyUsageOIDs, keyUsageFlags, newSignedCert, ownBytes, subjectAndSANs, type CertificateAuthority, type ExtKeyUsage, type KeyUsage } from './certificate.js';

export interface CSRSubject {
  commonName: string;
  organization?: string[];
  dnsNames?: string[];
  ips?: string[];
}

/** Creates a PEM "CERTIFICATE REQUEST" for `key` (signed with it), carrying the SANs as a requested extension. */
export async function createCSR(args: { key: KeyObject; subject: CSRSubject }): Promise<string> {
  const { subject } = args;
  const sans = [
    ...(subject.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(subject.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [subject.commonName] }, ...(subject.organization ?? []).map((o) => ({ O: [o] }))],
    keys: { privateKey: await toCryptoKey(args.key), publicKey: await toCryptoKey(createPublicKey(args.key)) },
    signingAlgorithm: signatureAlgorithmFor(args.key),
    extensions: sans.length ? [new x509.SubjectAlternativeNameExtension(sans)] : [],
  });
  return csr.toString('pem') + '\n';
}

export interface ParsedCSR extends Required<CSRSubject> {
  publicKey: KeyObject;
}

/**
 * Reads the first CERTIFICATE REQUEST block of `pem` and checks its self-signature. Throws with upstream's
 * wording for a missing block ("PEM block type must be CERTIFICATE REQUEST") or a bad signature.
 */
export async function parseCSR(pem: string | Buffer): Promise<ParsedCSR> {
  const block = decodePEM(pem).find((b) => b.type === pemTypes.certificateRequest);
  if (!block) throw new Error('PEM block type must be CERTIFICATE REQUEST');
  const csr = new x509.Pkcs10CertificateRequest(ownBytes(block.der));
  if (!(await csr.verify())) throw new Error('x509: invalid signature on certificate request');
  return {
    ...subjectAndSANs(csr),
    publicKey: createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' }),
  };
}

/** The usages a CertificateSigningRequest may ask for (certificates.k8s.io/v1 KeyUsage). */
export type CSRUsage = KeyUsage | ExtKeyUsage | 'signing';

export interface SignCSROptions {
  csrPEM: string;
  ca: CertificateAuthority;
  /** spec.usages of the CertificateSigningRequest. */
  usages: CSRUsage[];
  /** spec.expirationSeconds; default one year. The certificate never outlives the CA. */
  durationSeconds?: number;
  now: Date;
}

/**
 * Issues the certificate a CSR asks for, as the kube-controller-manager's csrsigning controller does: the
 * subject and SANs come from the request, key and extended key usages from `usages`, validity from
 * `durationSeconds`, backdated five minutes. Returns the PEM certificate. Throws for an unusable request.
 */
export async function signCSR(opts: SignCSROptions): Promise<string> {
  const csr = await parseCSR(opts.csrPEM);
  for (const ip of csr.ips) if (!isIP(ip)) throw new Error(`invalid IP address in certificate request: ${ip}`);
  const keyUsages: KeyUsage[] = [];
  const extKeyUsages: ExtKeyUsage[] = [];
  for (const u of opts.usages) {
    if (u === 'signing') keyUsages.push('digital signature');
    else if (u in keyUsageFlags) keyUsages.push(u as KeyUsage);
    else if (u in extKeyUsageOIDs) extKeyUsages.push(u as ExtKeyUsage);
    else throw new Error(`unsupported key usage: ${u}`);
  }
  return newSignedCert({
    config: {
      commonName: csr.commonName,
      organization: csr.organization,
      dnsNames: csr.dnsNames,
      ips: csr.ips,
      keyUsages: [...new Set(keyUsages)],
      extKeyUsages: [...new Set(extKeyUsages)],
    },
    publicKey: csr.publicKey,
    ca: opts.ca,
    now: opts.now,
    validitySeconds: opts.durationSeconds ?? 365 * 24 * 3600,
  });
}
