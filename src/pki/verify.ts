// Client certificate chain verification as Go's crypto/x509 Verify does it for the apiserver's x509
// authenticator: validity windows, signatures, CA constraints, client-auth extended key usage; Go's messages.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { X509Certificate } from 'node:crypto';
import { certificateBlocks } from './pem.js';
import { describeParsedCertificate, extKeyUsageOIDs, ownBytes, type CertificateInfo } from './certificate.js';

/** A certificate parsed once: its facts, DER subject/issuer for matching, and node's object for signatures. */
export interface ParsedCertificate {
  der: Buffer;
  info: CertificateInfo;
  subjectDER: Buffer;
  issuerDER: Buffer;
  node: X509Certificate;
}

/** Parses a DER certificate; throws for malformed input (truncated DER, garbage). */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const bytes = ownBytes(der);
  const cert = new x509.X509Certificate(bytes);
  return {
    der: Buffer.from(bytes),
    info: describeParsedCertificate(cert),
    subjectDER: Buffer.from(cert.subjectName.toArrayBuffer()),
    issuerDER: Buffer.from(cert.issuerName.toArrayBuffer()),
    node: new X509Certificate(Buffer.from(bytes)),
  };
}

/** A set of trusted roots (upstream x509.CertPool): the --client-ca-file bundle. */
export class CertPool {
  readonly certs: readonly ParsedCertificate[];

  constructor(certs: ParsedCertificate[]) {
    this.certs = certs;
  }

  /** Every CERTIFICATE in a PEM bundle; throws when there is none or one is malformed (as the apiserver does at start). */
  static fromPEM(pem: string | Buffer): CertPool {
    const ders = certificateBlocks(pem);
    if (ders.length === 0) throw new Error('data does not contain any valid RSA or ECDSA certificates');
    return new CertPool(ders.map(parseCertificate));
  }

  /** Certificates whose subject is `cert`'s issuer. */
  potentialParents(cert: ParsedCertificate): ParsedCertificate[] {
    return this.certs.filter((c) => c.subjectDER.equals(cert.issuerDER));
  }
}

export type ChainVerification = { chain: ParsedCertificate[] } | { error: string };

export interface VerifyOptions {
  /** The trust anchors. */
  roots: CertPool;
  /** Other certificates the peer sent (leaf excluded); they may link the leaf to a root. */
  intermediates?: ParsedCertificate[];
  now: Date;
  /** Extended key usages the chain must allow; default client auth (upstream's DefaultVerifyOptions). */
  extKeyUsages?: string[];
}

/** Longest chain tried, counting the leaf: deeper PKIs do not exist in clusters, and it bounds the work. */
const maxChainLength = 8;
/** Go's maxChainSignatureChecks: a client sending many same-named intermediates cannot make us loop. */
const maxSignatureChecks = 100;
const tooManySignatureChecks = 'x509: signature check attempts limit reached while verifying certificate chain';

/**
 * Verifies `leaf` up to one of `roots` and returns the chain (leaf first, root last), or Go's error message:
 * - the leaf outside its validity window → `x509: certificate has expired or is not yet valid: current time
 *   T is after/before T'`;
 * - no root reachable → `x509: certificate signed by unknown authority`, with Go's "(possibly because of …
 *   while trying to verify candidate authority certificate …)" hint when a parent with the right name failed
 *   (bad signature, expired, not a CA);
 * - no chain allowing the usages → `x509: certificate specifies an incompatible key usage`.
 * Intermediates must be CAs (basic constraints); every parent, roots included, must be allowed to sign
 * (CA:TRUE, cert sign when key usages are given), as Go's CheckSignatureFrom requires.
 */
export function verifyChain(leaf: ParsedCertificate, opts: VerifyOptions): ChainVerification {
  const timeError = validityError(leaf, opts.now);
  if (timeError) return { error: timeError };
  if (opts.roots.certs.some((r) => r.der.equals(leaf.der))) return checkUsages([[leaf]], opts);

  let hint: { error: string; cert: ParsedCertificate } | undefined;
  const chains: ParsedCertificate[][] = [];
  let signatureChecks = 0;
  const build = (current: ParsedCertificate[]): void => {
    const last = current[current.length - 1]!;
    const candidates: Array<{ cert: ParsedCertificate; root: boolean }> = [
      ...opts.roots.potentialParents(last).map((cert) => ({ cert, root: true })),
      ...(opts.intermediates ?? []).filter((c) => c.subjectDER.equals(last.issuerDER)).map((cert) => ({ cert, root: false })),
    ];
    for (const { cert, root } of candidates) {
      if (current.some((c) => c.der.equals(cert.der))) continue;
      if (++signatureChecks > maxSignatureChecks) return;
      const err = signatureError(last, cert) ?? validityError(cert, opts.now) ?? (root ? undefined : intermediateError(cert));
      if (err) {
        hint ??= { error: err, cert };
        continue;
      }
      if (root) chains.push([...current, cert]);
      else if (current.length + 1 < maxChainLength) build([...current, cert]);
    }
  };
  build([leaf]);
  if (chains.length === 0) return { error: signatureChecks > maxSignatureChecks ? tooManySignatureChecks : unknownAuthority(hint) };
  return checkUsages(chains, opts);
}

/**
 * Verifies a client's certificate chain as presented in the TLS handshake (DER, leaf first) against `roots`:
 * the x509 authenticator's check. Malformed DER is an error value, never a throw.
 */
export function verifyClientChain(chain: Uint8Array[], roots: CertPool, now: Date): ChainVerification {
  if (chain.length === 0) return { error: 'x509: no client certificate' };
  let parsed: ParsedCertificate[];
  try {
    parsed = chain.map(parseCertificate);
  } catch (err) {
    return { error: `x509: malformed certificate: ${(err as Error).message}` };
  }
  return verifyChain(parsed[0]!, { roots, intermediates: parsed.slice(1), now });
}

function checkUsages(chains: ParsedCertificate[][], opts: VerifyOptions): ChainVerification {
  const wanted = opts.extKeyUsages ?? [extKeyUsageOIDs['client auth']];
  const ok = chains.find((chain) => chainAllows(chain, wanted));
  return ok ? { chain: ok } : { error: 'x509: certificate specifies an incompatible key usage' };
}

/** Go's checkChainForKeyUsage: every certificate that restricts usages must allow one of the wanted ones. */
function chainAllows(chain: ParsedCertificate[], wanted: string[]): boolean {
  let remaining = wanted;
  for (let i = chain.length - 1; i >= 0; i--) {
    const usages = chain[i]!.info.extKeyUsages;
    if (usages.length === 0 || usages.includes(extKeyUsageOIDs.any)) continue;
    remaining = remaining.filter((u) => usages.includes(u));
    if (remaining.length === 0) return false;
  }
  return true;
}

/** Go formats times in messages as RFC 3339 without fractions. */
function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function validityError(c: ParsedCertificate, now: Date): string | undefined {
  const prefix = 'x509: certificate has expired or is not yet valid: ';
  if (now < c.info.notBefore) return `${prefix}current time ${rfc3339(now)} is before ${rfc3339(c.info.notBefore)}`;
  if (now > c.info.notAfter) return `${prefix}current time ${rfc3339(now)} is after ${rfc3339(c.info.notAfter)}`;
  return undefined;
}

/** Go's CheckSignatureFrom: the parent may sign certificates, and its key verifies the child's signature. */
function signatureError(child: ParsedCertificate, parent: ParsedCertificate): string | undefined {
  const p = parent.info;
  // A version 1 certificate (no extensions) may sign; a v3 one needs CA:TRUE and, with key usages, cert sign.
  const mayBeCA = p.hasExtensions ? p.isCA : true;
  if (!mayBeCA || (p.keyUsage !== undefined && (p.keyUsage & x509.KeyUsageFlags.keyCertSign) === 0)) {
    return 'x509: invalid signature: parent certificate cannot sign this kind of certificate';
  }
  let valid = false;
  try {
    valid = child.node.verify(parent.node.publicKey);
  } catch {
    valid = false;
  }
  if (valid) return undefined;
  return parent.node.publicKey.asymmetricKeyType === 'ec' ? 'x509: ECDSA verification failure' : 'crypto/rsa: verification error';
}

function intermediateError(c: ParsedCertificate): string | undefined {
  return c.info.isCA ? undefined : 'x509: certificate is not authorized to sign other certificates';
}

function unknownAuthority(hint: { error: string; cert: ParsedCertificate } | undefined): string {
  const base = 'x509: certificate signed by unknown authority';
  if (!hint) return base;
  const i = hint.cert.info;
  const name = i.commonName || i.organization[0] || `serial:${i.serialNumber}`;
  return `${base} (possibly because of ${JSON.stringify(hint.error)} while trying to verify candidate authority certificate ${JSON.stringify(name)})`;
}
