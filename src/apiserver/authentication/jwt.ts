// Compact JWS (RFC 7515) signing and verification for service-account tokens with node:crypto: the RSA and
// ECDSA algorithms upstream's go-jose signer picks from the key (RS256, ES256, ES384, ES512).

import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** A JWS algorithm name as it appears in the `alg` header. */
export type JWSAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512';

const hashOf: Record<JWSAlgorithm, string> = {
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
};

/** The public half of a key (the key itself when it is public). */
export function publicKeyOf(key: KeyObject): KeyObject {
  return key.type === 'public' ? key : createPublicKey(key);
}

const curveAlgorithm: Record<string, JWSAlgorithm> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' };

/** Algorithms of keys already looked at: finding an EC key's curve exports the key, too slow per verification. */
const algorithmOfKey = new WeakMap<KeyObject, JWSAlgorithm>();

/** The algorithm upstream signs with for `key`: RS256 for RSA, ES256/384/512 by the EC curve. Throws for other key types. */
export function signingAlgorithmFor(key: KeyObject): JWSAlgorithm {
  let alg = algorithmOfKey.get(key);
  if (!alg) {
    alg = algorithmOf(key);
    algorithmOfKey.set(key, alg);
  }
  return alg;
}

function algorithmOf(key: KeyObject): JWSAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') {
    const jwk = publicKeyOf(key).export({ format: 'jwk' });
    const alg = jwk.crv ? curveAlgorithm[jwk.crv] : undefined;
    if (alg) return alg;
    throw new Error(`unsupported ECDSA curve ${jwk.crv ?? '(unknown)'}`);
  }
  throw new Error(`unsupported key type ${key.asymmetricKeyType ?? '(unknown)'}: a service account signing key must be RSA or ECDSA`);
}

/**
 * The key id upstream puts in the `kid` header and the JWKS: the unpadded base64url SHA-256 of the public
 * key's PKIX (SubjectPublicKeyInfo) DER encoding.
 */
export function keyIDFor(key: KeyObject): string {
  const der = publicKeyOf(key).export({ format: 'der', type: 'spki' });
  return createHash('sha256').update(der).digest('base64url');
}

function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Signs `claims` as a compact JWS with `privateKey`; the header carries `alg` and `kid`. */
export function signJWT(args: { privateKey: KeyObject; claims: Record<string, unknown>; keyID?: string }): string {
  const alg = signingAlgorithmFor(args.privateKey);
  const header = { alg, kid: args.keyID ?? keyIDFor(args.privateKey) };
  const input = `${encodeSegment(header)}.${encodeSegment(args.claims)}`;
  const signature = sign(hashOf[alg], Buffer.from(input), { key: args.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

/** A compact JWS split into its parts; nothing is verified yet. */
export interface ParsedJWT {
  header: { alg?: unknown; kid?: unknown };
  claims: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

const base64url = /^[A-Za-z0-9_-]*$/;

function decodeJSONSegment(segment: string): Record<string, unknown> | undefined {
  if (!base64url.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Splits and decodes a compact JWS; undefined when it is not one (wrong shape, bad base64url or JSON). */
export function parseJWT(token: string): ParsedJWT | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !base64url.test(parts[2])) return undefined;
  const header = decodeJSONSegment(parts[0]);
  const claims = decodeJSONSegment(parts[1]);
  if (!header || !claims) return undefined;
  return { header, claims, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
}

/** Whether `jwt` was signed by `publicKey` with the algorithm its header names (which must fit the key type). */
export function verifyJWTSignature(jwt: ParsedJWT, publicKey: KeyObject): boolean {
  const alg = jwt.header.alg;
  if (typeof alg !== 'string' || !(alg in hashOf)) return false;
  try {
    // An ECDSA key verifies only the algorithm of its curve; an RSA key any RS*.
    if (alg.startsWith('RS') ? publicKey.asymmetricKeyType !== 'rsa' : signingAlgorithmFor(publicKey) !== alg) return false;
    return verify(hashOf[alg as JWSAlgorithm], Buffer.from(jwt.signingInput), { key: publicKey, dsaEncoding: 'ieee-p1363' }, jwt.signature);
  } catch {
    return false;
  }
}
