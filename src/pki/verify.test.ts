// Chain verification answers as Go's crypto/x509 does for the apiserver's client-certificate check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { generatePrivateKey } from './keys.js';
import { newSelfSignedCACert, newSignedCert, ownBytes, type CertificateConfig } from './certificate.js';
import { signatureAlgorithmFor, toCryptoKey } from './keys.js';
import { certificateBlocks } from './pem.js';
import { CertPool, verifyClientChain } from './verify.js';

const now = new Date(Date.UTC(2026, 5, 1, 0, 0, 0));
const hour = 3600;

interface Issued {
  pem: string;
  key: KeyObject;
}

async function ca(commonName: string): Promise<Issued> {
  const key = await generatePrivateKey('ecdsa');
  return { key, pem: await newSelfSignedCACert({ key, commonName, now, validitySeconds: 24 * hour }) };
}

async function issue(issuer: Issued, config: CertificateConfig, opts: { at?: Date; validitySeconds?: number; isCA?: boolean } = {}): Promise<Issued> {
  const key = await generatePrivateKey('ecdsa');
  const pem = await newSignedCert({ config, publicKey: key, ca: { certPEM: issuer.pem, key: issuer.key }, now: opts.at ?? now, validitySeconds: opts.validitySeconds ?? hour });
  return { key, pem };
}

/**
 * A certificate built without newSignedCert's guard rails (any CA flag, any window, even past the issuer's),
 * for the cases a well-behaved issuer never produces.
 */
async function raw(issuer: Issued, commonName: string, opts: { isCA: boolean; notBefore: Date; notAfter: Date; selfSigned?: boolean }): Promise<Issued> {
  const key = await generatePrivateKey('ecdsa');
  const signer = opts.selfSigned ? key : issuer.key;
  const issuerName = opts.selfSigned ? `CN=${commonName}` : new x509.X509Certificate(ownBytes(certificateBlocks(issuer.pem)[0]!)).subjectName;
  const cert = await x509.X509CertificateGenerator.create({
    subject: `CN=${commonName}`,
    issuer: issuerName,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    publicKey: await toCryptoKey(createPublicKey(key)),
    signingKey: await toCryptoKey(signer),
    signingAlgorithm: signatureAlgorithmFor(signer),
    extensions: [
      new x509.BasicConstraintsExtension(opts.isCA, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | (opts.isCA ? x509.KeyUsageFlags.keyCertSign : 0), true),
    ],
  });
  return { key, pem: cert.toString('pem') + '\n' };
}

const at = (hours: number) => new Date(now.getTime() + hours * hour * 1000);

test('verifyClientChain: the x509 authenticator cases', async () => {
  const root = await ca('kubernetes');
  const other = await ca('someone-else');
  const client: CertificateConfig = { commonName: 'jane', organization: ['devs'], extKeyUsages: ['client auth'] };
  const good = await issue(root, client);
  const foreign = await issue(other, client);
  const expired = await issue(root, client, { at: new Date(now.getTime() - 3 * hour * 1000) });
  const notYet = await issue(root, client, { at: new Date(now.getTime() + 2 * hour * 1000) });
  const serverOnly = await issue(root, { ...client, extKeyUsages: ['server auth'] });
  const anyUsage = await issue(root, { ...client, extKeyUsages: [] });
  const inter = await raw(root, 'intermediate', { isCA: true, notBefore: at(-1), notAfter: at(12) });
  const viaInter = await issue(inter, client);
  const notCA = await raw(root, 'not-a-ca', { isCA: false, notBefore: at(-1), notAfter: at(12) });
  const viaNotCA = await issue(notCA, client);
  const oldRoot = await raw(root, 'kubernetes', { isCA: true, notBefore: at(-48), notAfter: at(-24), selfSigned: true });
  const underOldRoot = await raw(oldRoot, 'jane', { isCA: false, notBefore: at(-47), notAfter: at(24) });

  const der = (...pems: string[]) => pems.flatMap((p) => certificateBlocks(p));
  const cases: Array<{ name: string; chain: Uint8Array[]; roots: string; want: string | RegExp }> = [
    { name: 'signed by the CA', chain: der(good.pem), roots: root.pem, want: 'jane' },
    { name: 'no extended key usage means any', chain: der(anyUsage.pem), roots: root.pem, want: 'jane' },
    { name: 'CA bundle with several roots', chain: der(foreign.pem), roots: root.pem + other.pem, want: 'jane' },
    { name: 'through an intermediate the client sent', chain: der(viaInter.pem, inter.pem), roots: root.pem, want: 'jane' },
    { name: 'other CA', chain: der(foreign.pem), roots: root.pem, want: /^x509: certificate signed by unknown authority$/ },
    { name: 'intermediate not sent', chain: der(viaInter.pem), roots: root.pem, want: /^x509: certificate signed by unknown authority$/ },
    { name: 'expired', chain: der(expired.pem), roots: root.pem, want: 'x509: certificate has expired or is not yet valid: current time 2026-06-01T00:00:00Z is after 2026-05-31T22:00:00Z' },
    { name: 'not yet valid', chain: der(notYet.pem), roots: root.pem, want: 'x509: certificate has expired or is not yet valid: current time 2026-06-01T00:00:00Z is before 2026-06-01T01:55:00Z' },
    { name: 'server auth only', chain: der(serverOnly.pem), roots: root.pem, want: 'x509: certificate specifies an incompatible key usage' },
    { name: 'intermediate that is not a CA', chain: der(viaNotCA.pem, notCA.pem), roots: root.pem, want: /^x509: certificate signed by unknown authority \(possibly because of "x509: invalid signature: parent certificate cannot sign this kind of certificate" while trying to verify candidate authority certificate "not-a-ca"\)$/ },
    { name: 'same-named root with another key', chain: der(underOldRoot.pem), roots: root.pem, want: /unknown authority \(possibly because of "x509: ECDSA verification failure" while trying to verify candidate authority certificate "kubernetes"\)/ },
    { name: 'expired root', chain: der(underOldRoot.pem), roots: oldRoot.pem, want: /unknown authority \(possibly because of "x509: certificate has expired or is not yet valid: current time .* is after .*" while trying to verify candidate authority certificate "kubernetes"\)/ },
    { name: 'truncated DER', chain: [certificateBlocks(good.pem)[0]!.subarray(0, 100)], roots: root.pem, want: /^x509: malformed certificate/ },
    { name: 'garbage', chain: [Buffer.from('not a certificate')], roots: root.pem, want: /^x509: malformed certificate/ },
    { name: 'empty chain', chain: [], roots: root.pem, want: /no client certificate/ },
  ];
  for (const c of cases) {
    const got = verifyClientChain(c.chain, CertPool.fromPEM(c.roots), now);
    const text = 'error' in got ? got.error : got.chain[0]!.info.commonName;
    if (typeof c.want === 'string') assert.equal(text, c.want, c.name);
    else assert.match(text, c.want, c.name);
  }
});

test('CertPool.fromPEM refuses a bundle without certificates', () => {
  assert.throws(() => CertPool.fromPEM('no pem'), /does not contain any valid/);
});

test('a client sending many same-named intermediates that sign each other hits the signature-check limit', async () => {
  const key = await generatePrivateKey('ecdsa');
  const signingKey = await toCryptoKey(key);
  const publicKey = await toCryptoKey(createPublicKey(key));
  const make = async (serial: number, isCA: boolean) =>
    (
      await x509.X509CertificateGenerator.create({
        serialNumber: (serial + 1).toString(16).padStart(2, '0'),
        subject: isCA ? 'CN=loop' : 'CN=jane',
        issuer: 'CN=loop',
        notBefore: at(-1),
        notAfter: at(1),
        publicKey,
        signingKey,
        signingAlgorithm: signatureAlgorithmFor(key),
        extensions: [new x509.BasicConstraintsExtension(isCA, undefined, true)],
      })
    ).toString('pem');
  const leaf = await make(100, false);
  const loop = await Promise.all(Array.from({ length: 12 }, (_, i) => make(i, true)));
  const unrelated = await ca('someone-else');
  const got = verifyClientChain([leaf, ...loop].flatMap((p) => certificateBlocks(p)), CertPool.fromPEM(unrelated.pem), now);
  assert.deepEqual(got, { error: 'x509: signature check attempts limit reached while verifying certificate chain' });
});
