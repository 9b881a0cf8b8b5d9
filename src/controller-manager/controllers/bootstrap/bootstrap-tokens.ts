// Bootstrap token secrets (k8s.io/cluster-bootstrap): their names and data keys, which are usable for what
// and when they expire, and the detached JWS (HS256 keyed by the token secret) that signs cluster-info.
import { createHmac } from 'node:crypto';
import type * as corev1 from '../../../api/generated/core/v1.js';
import type { Typed } from '../../../client/typed.js';

export type Secret = Typed<corev1.Secret>;

export const bootstrapTokenSecretType = 'bootstrap.kubernetes.io/token';
export const bootstrapTokenSecretPrefix = 'bootstrap-token-';
export const jwsSignatureKeyPrefix = 'jws-kubeconfig-';
export const kubeConfigKey = 'kubeconfig';
export const configMapClusterInfo = 'cluster-info';

const tokenIDPattern = /^[a-z0-9]{6}$/;
const tokenSecretPattern = /^[a-z0-9]{16}$/;

/** A data value of the secret (base64 in `data`, or plain in `stringData` for objects not yet stored). */
export function secretValue(secret: Secret, key: string): string | undefined {
  const b64 = secret.data?.[key];
  if (b64 !== undefined) return Buffer.from(b64, 'base64').toString('utf8');
  return secret.stringData?.[key];
}

/** The `expiration` time in ms, undefined when unset; NaN when unparsable. */
export function expirationOf(secret: Secret): number | undefined {
  const exp = secretValue(secret, 'expiration');
  return exp === undefined ? undefined : Date.parse(exp);
}

/** upstream isSecretExpired: an unparsable expiration counts as expired. */
export function isExpired(secret: Secret, now: number): boolean {
  const exp = expirationOf(secret);
  return exp !== undefined && (Number.isNaN(exp) || exp <= now);
}

/**
 * The token id and secret of a secret that may sign cluster-info (upstream validateSecretForSigning):
 * valid id/secret, named bootstrap-token-<id>, usage-bootstrap-signing "true", not expired.
 */
export function tokenForSigning(secret: Secret, now: number): { id: string; secret: string } | undefined {
  if (secret.type !== bootstrapTokenSecretType) return undefined;
  const id = secretValue(secret, 'token-id') ?? '';
  const tokenSecret = secretValue(secret, 'token-secret') ?? '';
  if (!tokenIDPattern.test(id) || !tokenSecretPattern.test(tokenSecret)) return undefined;
  if (secret.metadata?.name !== `${bootstrapTokenSecretPrefix}${id}`) return undefined;
  if (secretValue(secret, 'usage-bootstrap-signing') !== 'true') return undefined;
  if (isExpired(secret, now)) return undefined;
  return { id, secret: tokenSecret };
}

/**
 * upstream ComputeDetachedSignature: the compact JWS of `content` (HS256, key = token secret, header
 * {"alg":"HS256","kid":<token id>}) with the payload left out: `header..signature`.
 */
export function computeDetachedSignature(content: string, tokenID: string, tokenSecret: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', kid: tokenID })).toString('base64url');
  const payload = Buffer.from(content, 'utf8').toString('base64url');
  const signature = createHmac('sha256', tokenSecret).update(`${header}.${payload}`).digest('base64url');
  return `${header}..${signature}`;
}
