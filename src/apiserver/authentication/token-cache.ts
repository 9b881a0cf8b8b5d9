// Caches successful token authentications for a short time (upstream token/cache, 10 s by default), so a
// client that sends the same token on every request pays for signature checks and lookups once.

import { createHash } from 'node:crypto';
import { realClock, type Clock } from '../../base/clock.js';
import type { AuthenticationResult, TokenAuthenticator, UserInfo } from './interface.js';

export interface TokenCacheOptions {
  /** How long an accepted token is remembered (upstream --authentication-token-webhook-cache-ttl's sibling: 10 s). */
  successTTLMs: number;
  /** Entries kept at most; the oldest go first. */
  maxEntries?: number;
  clock?: Clock;
}

interface Entry {
  result: AuthenticationResult;
  expiresAt: number;
}

/**
 * Wraps a TokenAuthenticator. Only acceptances are cached (failures are re-checked every time, as upstream's
 * default failure TTL of 0); keys are a hash of the audiences and the token, so the token itself is not kept.
 */
export class CachedTokenAuthenticator implements TokenAuthenticator {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly inner: TokenAuthenticator,
    private readonly opts: TokenCacheOptions,
  ) {}

  async authenticateToken(token: string, audiences?: string[]): Promise<AuthenticationResult> {
    const now = (this.opts.clock ?? realClock).now();
    const key = createHash('sha256').update(JSON.stringify(audiences ?? [])).update('\0').update(token).digest('base64');
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) return copy(hit.result);
    if (hit) this.entries.delete(key);
    const result = await this.inner.authenticateToken(token, audiences);
    if (result && 'user' in result) {
      const max = this.opts.maxEntries ?? 4096;
      if (this.entries.size >= max) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, { result: copy(result), expiresAt: now + this.opts.successTTLMs });
    }
    return result;
  }
}

/** Callers may extend groups and extra; the cached value must not see that. (Hand-written: structuredClone costs µs.) */
function copy(result: AuthenticationResult): AuthenticationResult {
  if (!result || !('user' in result)) return result;
  const { user, audiences } = result;
  const out: UserInfo = { ...user, groups: [...user.groups] };
  if (user.extra) out.extra = Object.fromEntries(Object.entries(user.extra).map(([k, v]) => [k, [...v]]));
  return audiences ? { user: out, audiences: [...audiences] } : { user: out };
}
