// Bearer tokens (upstream request/bearertoken and token/union): the `Authorization: Bearer <token>` header
// handed to the configured token authenticators in order.

import { firstHeader } from '../endpoints/resource-handler.js';
import type { AuthenticationRequest, AuthenticationResult, Authenticator, TokenAuthenticator } from './interface.js';

/** Upstream's error for a bearer token no authenticator accepts. */
export const invalidBearerToken = 'invalid bearer token';

/**
 * Tries each authenticator in order; the first acceptance wins. When none accepts, the errors are joined;
 * when none recognised the token at all, the result is undefined.
 */
export class UnionTokenAuthenticator implements TokenAuthenticator {
  constructor(private readonly authenticators: readonly TokenAuthenticator[]) {}

  async authenticateToken(token: string, audiences?: string[]): Promise<AuthenticationResult> {
    const errors: string[] = [];
    for (const a of this.authenticators) {
      const r = await a.authenticateToken(token, audiences);
      if (!r) continue;
      if ('user' in r) return r;
      errors.push(r.error);
    }
    return errors.length ? { error: errors.length === 1 ? errors[0] : `[${errors.join(', ')}]` } : undefined;
  }
}

/**
 * For authenticators whose tokens carry no audience (static file, bootstrap): such a token is good for the
 * API audiences only, so it is accepted when the requested audiences include one of them (upstream
 * WrapAudienceAgnosticToken), and the result names the audiences both share.
 */
export class AudienceAgnosticTokenAuthenticator implements TokenAuthenticator {
  constructor(
    private readonly inner: TokenAuthenticator,
    private readonly implicitAudiences: readonly string[],
  ) {}

  async authenticateToken(token: string, audiences?: string[]): Promise<AuthenticationResult> {
    if (!audiences?.length || this.implicitAudiences.length === 0) return this.inner.authenticateToken(token, audiences);
    const shared = this.implicitAudiences.filter((a) => audiences.includes(a));
    if (shared.length === 0) return undefined;
    const r = await this.inner.authenticateToken(token, audiences);
    return r && 'user' in r ? { user: r.user, audiences: shared } : r;
  }
}

/** The token of `Authorization: Bearer <token>` (scheme case-insensitive); undefined when there is none. */
export function bearerTokenOf(authorization: string | undefined): string | undefined {
  const value = authorization?.trim();
  if (!value) return undefined;
  const parts = value.split(' ');
  if (parts.length < 2 || parts[0].toLowerCase() !== 'bearer' || parts[1] === '') return undefined;
  // Upstream splits into at most three parts and takes the second: "Bearer a b" authenticates "a".
  return parts[1];
}

/**
 * Authenticates the bearer token of a request; a token nobody accepts is an error (401), not anonymous. An
 * accepted token's Authorization header is removed from the request.
 */
export class BearerTokenAuthenticator implements Authenticator {
  constructor(
    private readonly tokens: TokenAuthenticator,
    private readonly audiences?: string[],
  ) {}

  async authenticate(req: AuthenticationRequest): Promise<AuthenticationResult> {
    const token = bearerTokenOf(firstHeader(req.headers.authorization));
    if (token === undefined) return undefined;
    const r = await this.tokens.authenticateToken(token, this.audiences);
    if (!r) return { error: invalidBearerToken };
    // As upstream: once accepted, the token leaves the request, so nothing downstream (proxying to pods,
    // services or kubelets) can pass it on.
    if ('user' in r) delete req.headers.authorization;
    return r;
  }
}
