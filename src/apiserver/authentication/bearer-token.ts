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

/** The WebSocket subprotocol prefix that carries a base64url bearer token (browsers cannot set Authorization). */
export const bearerProtocolPrefix = 'base64url.bearer.authorization.k8s.io.';

function headerList(v: string | string[] | undefined): string[] {
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((s) => s.split(',')).map((s) => s.trim());
}

/** Whether the request asks for a WebSocket upgrade (`Connection: Upgrade`, `Upgrade: websocket`). */
export function isWebSocketRequest(headers: Record<string, string | string[] | undefined>): boolean {
  return headerList(headers.connection).some((t) => t.toLowerCase() === 'upgrade') && headerList(headers.upgrade).some((t) => t.toLowerCase() === 'websocket');
}

/**
 * Bearer tokens in `Sec-WebSocket-Protocol: base64url.bearer.authorization.k8s.io.<token>, <protocol>` of
 * WebSocket requests (upstream request/websocket). Another subprotocol must be offered, to be echoed back;
 * an accepted token's entry is removed from the header.
 */
export class WebSocketProtocolAuthenticator implements Authenticator {
  constructor(
    private readonly tokens: TokenAuthenticator,
    private readonly audiences?: string[],
  ) {}

  async authenticate(req: AuthenticationRequest): Promise<AuthenticationResult> {
    if (!isWebSocketRequest(req.headers)) return undefined;
    let token = '';
    let sawToken = false;
    const others: string[] = [];
    for (const protocol of headerList(req.headers['sec-websocket-protocol'])) {
      if (!protocol.startsWith(bearerProtocolPrefix)) {
        others.push(protocol);
        continue;
      }
      if (sawToken) return { error: 'multiple base64.bearer.authorization tokens specified' };
      sawToken = true;
      const encoded = protocol.slice(bearerProtocolPrefix.length);
      if (!/^[A-Za-z0-9_-]*$/.test(encoded) || encoded.length % 4 === 1) return { error: 'invalid base64.bearer.authorization token encoding' };
      const decoded = Buffer.from(encoded, 'base64url');
      token = new TextDecoder('utf-8', { fatal: false }).decode(decoded);
      if (!Buffer.from(token, 'utf8').equals(decoded)) return { error: 'invalid base64.bearer.authorization token' };
    }
    if (token && others.length === 0) return { error: 'missing additional subprotocol' };
    if (!token) return undefined;
    const r = await this.tokens.authenticateToken(token, this.audiences);
    if (!r) return { error: invalidBearerToken };
    if ('user' in r) req.headers['sec-websocket-protocol'] = others.join(',');
    return r;
  }
}
