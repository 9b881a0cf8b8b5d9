// Bootstrap tokens (--enable-bootstrap-token-auth, upstream plugin/pkg/auth/authenticator/token/bootstrap):
// `<id>.<secret>` checked against secret kube-system/bootstrap-token-<id>; the user is system:bootstrap:<id>.

import { timingSafeEqual } from 'node:crypto';
import { realClock, type Clock } from '../../base/clock.js';
import { klog } from '../../base/logger.js';
import type { APIObject } from '../registry/strategy.js';
import { systemBootstrappers, type AuthenticationResult, type TokenAuthenticator } from './interface.js';

const log = klog.withName('bootstrap-token.ts');

export const bootstrapTokenSecretType = 'bootstrap.kubernetes.io/token';
export const bootstrapTokenSecretPrefix = 'bootstrap-token-';
const tokenPattern = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const extraGroupPattern = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;

/** Reads kube-system secrets by name; undefined when absent. */
export type SecretGetter = (name: string) => Promise<APIObject | undefined>;

function dataField(secret: APIObject, key: string): string | undefined {
  const data = secret.data as Record<string, string> | undefined;
  const v = data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
}

/** Whether the secret's `expiration` (RFC 3339) has passed; an unparsable one counts as expired, as upstream. */
function expired(secret: APIObject, now: number): boolean {
  const expiration = dataField(secret, 'expiration');
  if (!expiration) return false;
  const t = Date.parse(expiration);
  if (Number.isNaN(t)) {
    log.v(3).info('Unparseable expiration time in bootstrap token secret', { secret: secret.metadata?.name, expiration });
    return true;
  }
  return now >= t;
}

/**
 * Accepts `<id>.<secret>` tokens whose secret exists, has the bootstrap type, matching token-id and
 * token-secret, has not expired and allows authentication. Every mismatch is "not a bootstrap token" (the
 * bearer layer then answers 401), except malformed auth-extra-groups, which is an error.
 */
export class BootstrapTokenAuthenticator implements TokenAuthenticator {
  constructor(private readonly opts: { getSecret: SecretGetter; clock?: Clock }) {}

  async authenticateToken(token: string): Promise<AuthenticationResult> {
    const m = tokenPattern.exec(token);
    if (!m) return undefined;
    const [, id, tokenSecret] = m;
    const name = bootstrapTokenSecretPrefix + id;
    const secret = await this.opts.getSecret(name);
    if (!secret) {
      log.v(3).info('No secret of name to match bootstrap bearer token', { name });
      return undefined;
    }
    if (secret.metadata?.deletionTimestamp) return undefined;
    if (secret.type !== bootstrapTokenSecretType) return undefined;
    const stored = Buffer.from(dataField(secret, 'token-secret') ?? '');
    const given = Buffer.from(tokenSecret);
    if (stored.length !== given.length || !timingSafeEqual(stored, given)) return undefined;
    if (dataField(secret, 'token-id') !== id) return undefined;
    if (expired(secret, (this.opts.clock ?? realClock).now())) return undefined;
    if (dataField(secret, 'usage-bootstrap-authentication') !== 'true') return undefined;
    const groups = [systemBootstrappers];
    for (const g of (dataField(secret, 'auth-extra-groups') ?? '').split(',')) {
      const group = g.trim();
      if (!group) continue;
      if (!extraGroupPattern.test(group)) return { error: `bad auth-extra-groups in secret: ${JSON.stringify(group)} is not a valid bootstrap group name` };
      if (!groups.includes(group)) groups.push(group);
    }
    return { user: { name: `system:bootstrap:${id}`, groups } };
  }
}
