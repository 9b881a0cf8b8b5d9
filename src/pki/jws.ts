// Signing compact JWS tokens (RFC 7515) with an RSA or ECDSA private key, as upstream's service-account token
// generator does with go-jose: the algorithm follows the key, the `kid` names the public key.
import { createHash, createPublicKey, sign, type KeyObject } from 'node:crypto';

/** How each key signs: JWS `alg` and node's digest name. */
interface SigningMethod {
  alg: string;
  digest: string;
}

/** node's names of the ECDSA curves (asymmetricKeyDetails.namedCurve) → the JWS method of that curve. */
const ecdsaMethods: Record<string, SigningMethod> = {
  prime256v1: { alg: 'ES256', digest: 'sha256' },
  secp384r1: { alg: 'ES384', digest: 'sha384' },
  secp521r1: { alg: 'ES512', digest: 'sha512' },
};

/** RS256 for RSA keys, ES256/ES384/ES512 by curve for ECDSA keys; throws for anything else. */
export function jwsMethodFor(privateKey: KeyObject): SigningMethod {
  if (privateKey.asymmetricKeyType === 'rsa') return { alg: 'RS256', digest: 'sha256' };
  const curve = privateKey.asymmetricKeyDetails?.namedCurve;
  const method = privateKey.asymmetricKeyType === 'ec' && curve ? ecdsaMethods[curve] : undefined;
  if (!method) throw new Error(`unknown private key type ${privateKey.asymmetricKeyType ?? ''}${curve ? ` (${curve})` : ''}, must be RSA or ECDSA`);
  return method;
}

/** upstream keyIDFromPublicKey: base64url (unpadded) SHA-256 of the public key's SubjectPublicKeyInfo DER. */
export function jwsKeyID(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
}

/** A signer bound to one private key; the key's method and id are worked out once. */
export class JWSSigner {
  private readonly method: SigningMethod;
  readonly keyID: string;

  constructor(private readonly privateKey: KeyObject) {
    this.method = jwsMethodFor(privateKey);
    this.keyID = jwsKeyID(privateKey);
  }

  /** `header.claims.signature`, base64url; ECDSA signatures in the fixed r||s form JWS requires. */
  sign(claims: Record<string, unknown>): string {
    const segment = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
    const signingInput = `${segment({ alg: this.method.alg, kid: this.keyID })}.${segment(claims)}`;
    const signature = sign(this.method.digest, Buffer.from(signingInput), { key: this.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${signingInput}.${signature.toString('base64url')}`;
  }
}
