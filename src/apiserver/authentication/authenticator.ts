// The apiserver's request authenticator (upstream pkg/kubeapiserver/authenticator): front-proxy request
// headers, x509 client certificates, then bearer tokens (token file, service accounts, bootstrap tokens; in
// the Authorization header or a WebSocket subprotocol), then anonymous — built from the flags.

import { readFile } from 'node:fs/promises';
import { realClock, type Clock } from '../../base/clock.js';
import { klog } from '../../base/logger.js';
import type { SecurityContext } from '../security-context.js';
import { AudienceAgnosticTokenAuthenticator, BearerTokenAuthenticator, UnionTokenAuthenticator, WebSocketProtocolAuthenticator } from './bearer-token.js';
import { BootstrapTokenAuthenticator } from './bootstrap-token.js';
import { anonymousUser, systemAuthenticated, systemUnauthenticated, unsecuredUser, type AuthenticationRequest, type Authenticator, type TokenAuthenticator, type UserInfo } from './interface.js';
import { getCoreObject, registryTokenGetter } from './object-getter.js';
import { loadServiceAccountKeys, type ServiceAccountKeys } from './service-account-keys.js';
import { ServiceAccountTokenAuthenticator } from './service-account-token.js';
import { CachedTokenAuthenticator } from './token-cache.js';
import { TokenFileAuthenticator } from './token-file.js';
import { newX509Authenticator } from './x509.js';
import { newRequestHeaderAuthenticator } from './request-header.js';

const log = klog.withName('authenticator.ts');

/** Upstream's default success TTL of the token cache. */
export const tokenSuccessCacheTTLMs = 10_000;

/** The outcome for a whole request: who it is, or why it is a 401. */
export type RequestAuthentication = { user: UserInfo; audiences?: string[] } | { error: string };

export interface RequestAuthenticator {
  authenticate(req: AuthenticationRequest): Promise<RequestAuthentication>;
}

/**
 * Tries every authenticator (upstream union without fail-fast): the first acceptance wins and gains
 * system:authenticated. If none accepts, any error makes the request a 401 — even with anonymous enabled —
 * and a request with no credential at all is anonymous (or a 401 without --anonymous-auth).
 */
export class UnionRequestAuthenticator implements RequestAuthenticator {
  constructor(private readonly opts: { authenticators: readonly Authenticator[]; anonymous: boolean }) {}

  async authenticate(req: AuthenticationRequest): Promise<RequestAuthentication> {
    const errors: string[] = [];
    for (const a of this.opts.authenticators) {
      const r = await a.authenticate(req);
      if (!r) continue;
      if ('user' in r) return { user: withAuthenticatedGroup(r.user), audiences: r.audiences };
      errors.push(r.error);
    }
    if (errors.length) return { error: errors.join(', ') };
    if (this.opts.anonymous) return { user: { name: anonymousUser, groups: [systemUnauthenticated] } };
    return { error: 'no credentials provided' };
  }
}

/** Adds system:authenticated unless the user already is in it or in system:unauthenticated (upstream AuthenticatedGroupAdder). */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.groups.includes(systemAuthenticated) || user.groups.includes(systemUnauthenticated)) return user;
  return { ...user, groups: [...user.groups, systemAuthenticated] };
}

/**
 * --anonymous-auth, except that upstream switches it off when --authorization-mode includes AlwaysAllow
 * (the default): anonymous users would otherwise be allowed everything.
 */
export function anonymousAllowed(ctx: SecurityContext): boolean {
  const modes = ctx.options.authorizationMode?.length ? ctx.options.authorizationMode : ['AlwaysAllow'];
  if (!(ctx.options.anonymousAuth ?? true)) return false;
  if (modes.includes('AlwaysAllow')) {
    log.warning('AnonymousAuth is not allowed with the AlwaysAllow authorizer. Resetting AnonymousAuth to false. You should use a different authorizer');
    return false;
  }
  return true;
}

/** The API audiences: --api-audiences, else the service-account issuers (upstream default). */
export function apiAudiencesOf(ctx: SecurityContext): string[] {
  return ctx.options.apiAudiences?.length ? ctx.options.apiAudiences : (ctx.options.serviceAccountIssuers ?? []);
}

export interface Authentication {
  request: RequestAuthenticator;
  /** Bearer tokens only (TokenReview); undefined when no token authenticator is configured. */
  tokens?: TokenAuthenticator;
  apiAudiences: string[];
  keys: ServiceAccountKeys;
}

export interface AuthenticationDeps {
  /** Client-certificate authenticator, tried first (default: newX509Authenticator for --client-ca-file). */
  clientCertificates?: Authenticator;
  /** How long accepted tokens are cached (default tokenSuccessCacheTTLMs; 0 = no cache). */
  tokenCacheTTLMs?: number;
  clock?: Clock;
}

const built = new WeakMap<SecurityContext, Promise<Authentication>>();

/** newAuthentication(ctx), built once per apiserver: the request filter and the review resources share it. */
export function authenticationFor(ctx: SecurityContext): Promise<Authentication> {
  let a = built.get(ctx);
  if (!a) {
    a = newAuthentication(ctx);
    built.set(ctx, a);
  }
  return a;
}

/**
 * Builds authentication from the flags: --requestheader-* (front proxies), --client-ca-file, --token-auth-file, service-account keys and issuers
 * (--service-account-key-file, --service-account-issuer, --service-account-lookup), --enable-bootstrap-token-auth,
 * --anonymous-auth (see anonymousAllowed). With no authenticator and no anonymous access, authentication is
 * off and requests act as unsecuredUser, as upstream serves them without a user. Rejects when a file cannot
 * be read or parsed.
 */
export async function newAuthentication(ctx: SecurityContext, deps: AuthenticationDeps = {}): Promise<Authentication> {
  const o = ctx.options;
  const clock = deps.clock ?? realClock;
  const anonymous = anonymousAllowed(ctx);
  const apiAudiences = apiAudiencesOf(ctx);
  const keys = await loadServiceAccountKeys({ keyFiles: o.serviceAccountKeyFiles, signingKeyFile: o.serviceAccountSigningKeyFile });
  const tokenAuthenticators: TokenAuthenticator[] = [];
  if (o.tokenAuthFile) tokenAuthenticators.push(new AudienceAgnosticTokenAuthenticator(await TokenFileAuthenticator.fromFile(o.tokenAuthFile), apiAudiences));
  if (keys.verifyKeys.length) {
    tokenAuthenticators.push(
      new ServiceAccountTokenAuthenticator({
        issuers: o.serviceAccountIssuers ?? [],
        legacy: (o.serviceAccountKeyFiles ?? []).length > 0,
        keys: keys.verifyKeys,
        implicitAudiences: apiAudiences,
        getter: registryTokenGetter(ctx.registries),
        lookup: o.serviceAccountLookup ?? true,
        clock,
      }),
    );
  }
  if (o.enableBootstrapTokenAuth) {
    const bootstrap = new BootstrapTokenAuthenticator({ getSecret: (name) => getCoreObject(ctx.registries, 'secrets', 'kube-system', name), clock });
    tokenAuthenticators.push(new AudienceAgnosticTokenAuthenticator(bootstrap, apiAudiences));
  }
  const authenticators: Authenticator[] = [];
  // Front proxies first, as upstream orders them: their certificate vouches for the user in the headers.
  if (o.requestheaderClientCAFile) {
    authenticators.push(
      newRequestHeaderAuthenticator({
        caBundlePEM: await readFile(o.requestheaderClientCAFile, 'utf8'),
        allowedNames: o.requestheaderAllowedNames ?? [],
        usernameHeaders: o.requestheaderUsernameHeaders ?? [],
        uidHeaders: o.requestheaderUIDHeaders ?? [],
        groupHeaders: o.requestheaderGroupHeaders ?? [],
        extraHeaderPrefixes: o.requestheaderExtraHeadersPrefix ?? [],
        clock,
      }),
    );
  }
  const clientCertificates = deps.clientCertificates ?? (o.clientCAFile ? newX509Authenticator({ caBundlePEM: await readFile(o.clientCAFile, 'utf8'), clock }) : undefined);
  if (clientCertificates) authenticators.push(clientCertificates);
  let tokens: TokenAuthenticator | undefined;
  if (tokenAuthenticators.length) {
    const ttl = deps.tokenCacheTTLMs ?? tokenSuccessCacheTTLMs;
    const union = new UnionTokenAuthenticator(tokenAuthenticators);
    tokens = ttl > 0 ? new CachedTokenAuthenticator(union, { successTTLMs: ttl, clock }) : union;
    authenticators.push(new BearerTokenAuthenticator(tokens, apiAudiences), new WebSocketProtocolAuthenticator(tokens, apiAudiences));
  }
  let request: RequestAuthenticator = new UnionRequestAuthenticator({ authenticators, anonymous });
  if (authenticators.length === 0 && !anonymous) {
    // Upstream installs no authentication filter at all when nothing is configured; k8ts's equivalent is
    // the identity of unfiltered requests (authorization still runs).
    log.warning('Authentication is disabled');
    request = { authenticate: async () => ({ user: unsecuredUser }) };
  }
  return {
    request,
    tokens,
    apiAudiences,
    keys,
  };
}
