// The contract of request authentication (upstream k8s.io/apiserver/pkg/authentication): each
// Authenticator looks for one kind of credential; the union in authenticator.ts tries them in order.

import type { HTTPRequest } from '../http-types.js';

/** Who made a request (upstream user.Info). Groups include system:authenticated for every non-anonymous user. */
export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  /** e.g. authentication.kubernetes.io/credential-id, pod-name for bound service-account tokens. */
  extra?: Record<string, string[]>;
}

/** Well-known names (upstream user package). */
export const systemMasters = 'system:masters';
export const systemAuthenticated = 'system:authenticated';
export const systemUnauthenticated = 'system:unauthenticated';
export const anonymousUser = 'system:anonymous';
export const systemNodes = 'system:nodes';
export const systemBootstrappers = 'system:bootstrappers';
export const serviceAccountsGroup = 'system:serviceaccounts';

/**
 * What an authenticator concluded:
 * - `undefined`: the request carries no credential of this kind (the next authenticator is tried);
 * - `{ user }`: authenticated (audiences: the token's audiences, when the credential had any);
 * - `{ error }`: a credential of this kind was present but is invalid (expired, foreign, malformed). When no
 *   authenticator accepts the request, any error makes it a 401, even with anonymous auth enabled.
 */
export type AuthenticationResult = undefined | { user: UserInfo; audiences?: string[] } | { error: string };

/** The TLS facts of the connection a request came on. */
export interface ConnectionInfo {
  /** The client's certificate chain as DER, leaf first; empty when the client sent none. */
  peerCertificates: Uint8Array[];
  /** The request came on the lab-mode plain-HTTP port: no authentication or authorization applies. */
  insecurePort?: boolean;
  /** The peer's IP address (audit events' sourceIPs). */
  remoteAddress?: string;
}

/**
 * The identity of requests that skip authentication: the lab-mode insecure port, and every request when the
 * apiserver runs without a request filter (tests). Upstream's insecure port behaved the same way.
 */
export const unsecuredUser: UserInfo = { name: 'system:unsecured', groups: [systemMasters, systemAuthenticated] };

/** A request as authenticators see it. */
export interface AuthenticationRequest extends HTTPRequest {
  connection?: ConnectionInfo;
}

export interface Authenticator {
  authenticate(req: AuthenticationRequest): Promise<AuthenticationResult>;
}

/** Authenticates bearer tokens (static file, bootstrap, service-account JWT); used by TokenReview too. */
export interface TokenAuthenticator {
  authenticateToken(token: string, audiences?: string[]): Promise<AuthenticationResult>;
}
