// Private and public keys: generation (RSA 2048, ECDSA P-256), and reading and writing them in every PEM form
// openssl, cfssl and kubeadm produce (PKCS#1, SEC1, PKCS#8; PKIX and PKCS#1 public keys).
import { createPrivateKey, createPublicKey, generateKeyPair, KeyObject, webcrypto, X509Certificate } from 'node:crypto';
import { promisify } from 'node:util';
import { decodePEM, encodePEM, pemTypes } from './pem.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/** The key algorithms k8ts generates (kubeadm's RSA-2048 and ECDSA-P256). */
export type KeyAlgorithm = 'rsa' | 'ecdsa';
export const keyAlgorithms: readonly KeyAlgorithm[] = ['rsa', 'ecdsa'];

/** Generates a private key: RSA 2048 bits (exponent 65537) or ECDSA on P-256. */
export async function generatePrivateKey(algorithm: KeyAlgorithm): Promise<KeyObject> {
  const pair =
    algorithm === 'rsa'
      ? await generateKeyPairAsync('rsa', { modulusLength: 2048, publicExponent: 0x10001 })
      : await generateKeyPairAsync('ec', { namedCurve: 'prime256v1' });
  return pair.privateKey;
}

const privateKeyFormats: Record<string, 'pkcs1' | 'sec1' | 'pkcs8'> = {
  [pemTypes.rsaPrivateKey]: 'pkcs1',
  [pemTypes.ecPrivateKey]: 'sec1',
  [pemTypes.privateKey]: 'pkcs8',
};

/**
 * The first private key in `pem` (PKCS#1 "RSA PRIVATE KEY", SEC1 "EC PRIVATE KEY" or PKCS#8 "PRIVATE KEY").
 * Other blocks before it (openssl's "EC PARAMETERS", certificates in a combined file) are skipped.
 * Throws when there is none, with upstream keyutil's wording.
 */
export function parsePrivateKeyPEM(pem: string | Buffer): KeyObject {
  for (const block of decodePEM(pem)) {
    const type = privateKeyFormats[block.type];
    if (!type) continue;
    return createPrivateKey({ key: block.der, format: 'der', type });
  }
  throw new Error('data does not contain a valid RSA or ECDSA private key');
}

/**
 * Every public key in `pem`, as upstream's keyutil reads --service-account-key-file: PKIX "PUBLIC KEY",
 * PKCS#1 "RSA PUBLIC KEY", the public half of private keys, and the keys of certificates. Throws when
 * there is none.
 */
export function parsePublicKeysPEM(pem: string | Buffer): KeyObject[] {
  const keys: KeyObject[] = [];
  for (const block of decodePEM(pem)) {
    if (block.type === pemTypes.publicKey) keys.push(createPublicKey({ key: block.der, format: 'der', type: 'spki' }));
    else if (block.type === pemTypes.rsaPublicKey) keys.push(createPublicKey({ key: block.der, format: 'der', type: 'pkcs1' }));
    else if (block.type === pemTypes.certificate) keys.push(new X509Certificate(block.der).publicKey);
    else if (privateKeyFormats[block.type]) {
      const type = privateKeyFormats[block.type]!;
      keys.push(createPublicKey(createPrivateKey({ key: block.der, format: 'der', type })));
    }
  }
  if (keys.length === 0) throw new Error('data does not contain any valid RSA or ECDSA public keys');
  return keys;
}

/**
 * PEM of a private key in the form kubeadm and openssl's traditional commands write: "RSA PRIVATE KEY"
 * (PKCS#1) for RSA, "EC PRIVATE KEY" (SEC1) for ECDSA, "PRIVATE KEY" (PKCS#8) for anything else.
 */
export function encodePrivateKeyPEM(key: KeyObject): string {
  const kind = key.asymmetricKeyType;
  if (kind === 'rsa') return encodePEM({ type: pemTypes.rsaPrivateKey, der: key.export({ type: 'pkcs1', format: 'der' }) });
  if (kind === 'ec') return encodePEM({ type: pemTypes.ecPrivateKey, der: key.export({ type: 'sec1', format: 'der' }) });
  return encodePEM({ type: pemTypes.privateKey, der: key.export({ type: 'pkcs8', format: 'der' }) });
}

/** PEM "PUBLIC KEY" (PKIX) of a public key, or of the public half of a private key (kubeadm's sa.pub). */
export function encodePublicKeyPEM(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return encodePEM({ type: pemTypes.publicKey, der: pub.export({ type: 'spki', format: 'der' }) });
}

/** WebCrypto names of the curves node reports in asymmetricKeyDetails. */
const webCryptoCurves: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
/** The hash Go's x509 picks for each ECDSA curve (SHA-256 for RSA keys). */
const curveHashes: Record<string, string> = { 'P-256': 'SHA-256', 'P-384': 'SHA-384', 'P-521': 'SHA-512' };

/**
 * The WebCrypto signature algorithm for certificates signed with `key`: SHA256-RSA (PKCS#1 v1.5) for RSA,
 * ECDSA with the curve's hash. Throws for other key types.
 */
export function signatureAlgorithmFor(key: KeyObject): RsaHashedImportParams | (EcKeyImportParams & { hash: string }) {
  if (key.asymmetricKeyType === 'rsa') return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  if (key.asymmetricKeyType === 'ec') {
    const curve = webCryptoCurves[key.asymmetricKeyDetails?.namedCurve ?? ''];
    if (curve) return { name: 'ECDSA', namedCurve: curve, hash: curveHashes[curve]! };
  }
  throw new Error(`unsupported key type ${key.asymmetricKeyType ?? key.type}: k8ts signs with RSA or ECDSA (P-256, P-384, P-521) keys`);
}

/** `key` as a WebCrypto key for signing (private) or for embedding in a certificate (public). */
export async function toCryptoKey(key: KeyObject): Promise<CryptoKey> {
  const alg = signatureAlgorithmFor(key);
  if (key.type === 'private') {
    const der = key.export({ type: 'pkcs8', format: 'der' });
    return (await webcrypto.subtle.importKey('pkcs8', der, alg, true, ['sign'])) as CryptoKey;
  }
  const der = key.export({ type: 'spki', format: 'der' });
  return (await webcrypto.subtle.importKey('spki', der, alg, true, ['verify'])) as CryptoKey;
}
