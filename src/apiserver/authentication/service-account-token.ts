// Service-account JWTs (upstream pkg/serviceaccount): the claims TokenRequest issues, and the authenticator
// that accepts them — bound tokens from --service-account-issuer and legacy `kubernetes/serviceaccount` tokens.

import { randomUUID, type KeyObject } from 'node:crypto';
import { realClock, type Clock } from '../../base/clock.js';
import { serviceAccountsGroup, type AuthenticationResult, type TokenAuthenticator, type UserInfo } from './interface.js';
import { keyIDFor, parseJWT, signJWT, verifyJWTSignature } from './jwt.js';

/** The issuer of secret-based tokens from before TokenRequest. */
export const legacyIssuer = 'kubernetes/serviceaccount';
/** go-jose's default leeway for exp and nbf, which upstream keeps, and the grace after a bound object's deletion. */
export const leewaySeconds = 60;

export const podNameExtra = 'authentication.kubernetes.io/pod-name';
export const podUIDExtra = 'authentication.kubernetes.io/pod-uid';
export const nodeNameExtra = 'authentication.kubernetes.io/node-name';
export const nodeUIDExtra = 'authentication.kubernetes.io/node-uid';
export const credentialIDExtra = 'authentication.kubernetes.io/credential-id';

/** `system:serviceaccount:<namespace>:<name>` */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** The namespace and name in a service-account user name, or undefined when `username` is not one. */
export function parseServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  const prefix = 'system:serviceaccount:';
  if (!username.startsWith(prefix)) return undefined;
  const parts = username.slice(prefix.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

/** system:serviceaccounts and system:serviceaccounts:<namespace> */
export function serviceAccountGroups(namespace: string): string[] {
  return [serviceAccountsGroup, `${serviceAccountsGroup}:${namespace}`];
}

export interface ObjectRef {
  name: string;
  uid: string;
}

/** What one token is issued for. */
export interface TokenClaimsRequest {
  serviceAccount: { namespace: string; name: string; uid: string };
  audiences: string[];
  expirationSeconds: number;
  /** Set when the expiration was extended past what the client asked for (--service-account-extend-token-expiration). */
  warnAfterSeconds?: number;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
}

/** Signs bound service-account tokens (TokenRequest). */
export class ServiceAccountTokenGenerator {
  private readonly keyID: string;

  constructor(private readonly opts: { issuer: string; privateKey: KeyObject; clock?: Clock }) {
    this.keyID = keyIDFor(opts.privateKey);
  }

  /** The token and its expiry (ms since the epoch, whole seconds). */
  generate(req: TokenClaimsRequest): { token: string; expiresAt: number } {
    const now = Math.floor((this.opts.clock ?? realClock).now() / 1000);
    const exp = now + req.expirationSeconds;
    // go-jose marshals the merged claims as a map: keys come out sorted, as below.
    const k8s: Record<string, unknown> = { namespace: req.serviceAccount.namespace };
    if (req.node) k8s.node = refJSON(req.node);
    if (req.pod) k8s.pod = refJSON(req.pod);
    else if (req.secret) k8s.secret = refJSON(req.secret);
    k8s.serviceaccount = refJSON({ name: req.serviceAccount.name, uid: req.serviceAccount.uid });
    if (req.warnAfterSeconds) k8s.warnafter = now + req.warnAfterSeconds;
    const claims = {
      aud: req.audiences,
      exp,
      iat: now,
      iss: this.opts.issuer,
      jti: randomUUID(),
      'kubernetes.io': k8s,
      nbf: now,
      sub: serviceAccountUsername(req.serviceAccount.namespace, req.serviceAccount.name),
    };
    return { token: signJWT({ privateKey: this.opts.privateKey, claims, keyID: this.keyID }), expiresAt: exp * 1000 };
  }
}

/** A reference claim: Go's omitempty leaves out an empty name or uid. */
function refJSON(ref: ObjectRef): Partial<ObjectRef> {
  const out: Partial<ObjectRef> = {};
  if (ref.name) out.name = ref.name;
  if (ref.uid) out.uid = ref.uid;
  return out;
}

/** A stored object as the validator needs it; undefined when it does not exist. */
export interface BoundObject {
  uid?: string;
  deletionTimestamp?: string;
  /** Secrets: data.token, base64 as stored. */
  token?: string;
}

/** Reads the objects tokens name (upstream ServiceAccountTokenGetter). */
export interface ServiceAccountTokenGetter {
  serviceAccount(namespace: string, name: string): Promise<BoundObject | undefined>;
  pod(namespace: string, name: string): Promise<BoundObject | undefined>;
  secret(namespace: string, name: string): Promise<BoundObject | undefined>;
  node(name: string): Promise<BoundObject | undefined>;
}

export interface ServiceAccountTokenAuthenticatorOptions {
  /** --service-account-issuer values: tokens with another `iss` are not this authenticator's. */
  issuers: string[];
  /** Also accept legacy secret-based tokens (iss kubernetes/serviceaccount). */
  legacy: boolean;
  keys: KeyObject[];
  /** --api-audiences: audiences of a request that names none, and of tokens that carry none. */
  implicitAudiences: string[];
  getter: ServiceAccountTokenGetter;
  /** --service-account-lookup: legacy tokens must name a live secret and service account (bound tokens always do). */
  lookup: boolean;
  clock?: Clock;
}

type Claims = Record<string, unknown>;

function stringClaim(claims: Claims, name: string): string {
  const v = claims[name];
  return typeof v === 'string' ? v : '';
}

function numericClaim(claims: Claims, name: string): number | undefined {
  const v = claims[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function refClaim(v: unknown): ObjectRef | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const r = v as Record<string, unknown>;
  return { name: typeof r.name === 'string' ? r.name : '', uid: typeof r.uid === 'string' ? r.uid : '' };
}

function audiencesOf(claims: Claims): string[] {
  const aud = claims.aud;
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

/** Accepts service-account JWTs signed by one of the keys (upstream jwtTokenAuthenticator). */
export class ServiceAccountTokenAuthenticator implements TokenAuthenticator {
  private readonly issuers: Set<string>;
  private readonly keysByID: Map<string, KeyObject>;

  constructor(private readonly opts: ServiceAccountTokenAuthenticatorOptions) {
    this.issuers = new Set(opts.issuers);
    this.keysByID = new Map(opts.keys.map((k) => [keyIDFor(k), k]));
    if (opts.legacy) this.issuers.add(legacyIssuer);
  }

  async authenticateToken(token: string, audiences?: string[]): Promise<AuthenticationResult> {
    const jwt = parseJWT(token);
    // A token that is not a JWT of our issuers belongs to another authenticator.
    if (!jwt || !this.issuers.has(stringClaim(jwt.claims, 'iss'))) return undefined;
    // The key the `kid` header names is tried first; tokens without (or with an unknown) kid try them all.
    const named = typeof jwt.header.kid === 'string' ? this.keysByID.get(jwt.header.kid) : undefined;
    const verified = named ? verifyJWTSignature(jwt, named) : this.opts.keys.some((k) => verifyJWTSignature(jwt, k));
    if (!verified) return { error: 'invalid bearer token, square/go-jose: error in cryptographic primitive' };
    const tokenAudiences = audiencesOf(jwt.claims);
    const wanted = audiences?.length ? audiences : this.opts.implicitAudiences;
    const accepted = (tokenAudiences.length ? tokenAudiences : this.opts.implicitAudiences).filter((a) => wanted.includes(a));
    if (accepted.length === 0 && this.opts.implicitAudiences.length > 0) {
      return { error: `token audiences ${goQuote(tokenAudiences)} is invalid for the target audiences ${goQuote(wanted)}` };
    }
    const result = stringClaim(jwt.claims, 'iss') === legacyIssuer && this.opts.legacy ? await this.validateLegacy(jwt.claims, token) : await this.validateBound(jwt.claims);
    if ('error' in result) return result;
    return { user: result.user, audiences: accepted };
  }

  /** Upstream's claims validator: times, then the service account and bound objects by name and uid. */
  private async validateBound(claims: Claims): Promise<{ user: UserInfo } | { error: string }> {
    const now = (this.opts.clock ?? realClock).now() / 1000;
    const exp = numericClaim(claims, 'exp');
    const nbf = numericClaim(claims, 'nbf');
    if (exp !== undefined && now > exp + leewaySeconds) return { error: 'service account token has expired' };
    if (nbf !== undefined && now + leewaySeconds < nbf) return { error: 'service account token is not valid yet' };
    const k8s = (claims['kubernetes.io'] ?? {}) as Record<string, unknown>;
    const namespace = typeof k8s.namespace === 'string' ? k8s.namespace : '';
    const sa = refClaim(k8s.serviceaccount);
    if (!namespace || !sa?.name) return { error: 'service account token claims could not be validated due to unexpected private claim' };
    const deletedBefore = (now - leewaySeconds) * 1000;
    const gone = (o: BoundObject) => o.deletionTimestamp !== undefined && Date.parse(o.deletionTimestamp) < deletedBefore;
    const account = await this.opts.getter.serviceAccount(namespace, sa.name);
    if (!account) return { error: `serviceaccounts "${sa.name}" not found` };
    if (gone(account)) return { error: `service account ${namespace}/${sa.name} has been deleted` };
    if (account.uid !== sa.uid) return { error: `service account UID (${account.uid ?? ''}) does not match claim (${sa.uid})` };
    const extra: Record<string, string[]> = {};
    const podRef = refClaim(k8s.pod);
    const nodeRef = refClaim(k8s.node);
    const bindings: Array<{ ref: ObjectRef | undefined; kind: string; get: (name: string) => Promise<BoundObject | undefined>; extras?: [string, string] }> = [
      { ref: refClaim(k8s.secret), kind: 'secret', get: (n) => this.opts.getter.secret(namespace, n) },
      { ref: podRef, kind: 'pod', get: (n) => this.opts.getter.pod(namespace, n), extras: [podNameExtra, podUIDExtra] },
      // The node of a pod-bound token is information only; a token bound to the node itself needs the node.
      { ref: podRef ? undefined : nodeRef, kind: 'node', get: (n) => this.opts.getter.node(n) },
    ];
    for (const b of bindings) {
      if (!b.ref) continue;
      const obj = await b.get(b.ref.name);
      if (!obj || gone(obj)) return { error: 'service account token has been invalidated' };
      if (obj.uid !== b.ref.uid) return { error: `${b.kind} UID (${obj.uid ?? ''}) does not match service account ${b.kind} ref claim (${b.ref.uid})` };
      if (b.extras) addRefExtra(extra, b.ref, b.extras);
    }
    if (nodeRef) addRefExtra(extra, nodeRef, [nodeNameExtra, nodeUIDExtra]);
    const jti = stringClaim(claims, 'jti');
    if (jti) extra[credentialIDExtra] = [`JTI=${jti}`];
    const user: UserInfo = { name: serviceAccountUsername(namespace, sa.name), uid: sa.uid, groups: serviceAccountGroups(namespace) };
    if (Object.keys(extra).length) user.extra = extra;
    return { user };
  }

  /** Secret-based tokens: flat `kubernetes.io/serviceaccount/*` claims; with lookup the secret must still hold this token. */
  private async validateLegacy(claims: Claims, token: string): Promise<{ user: UserInfo } | { error: string }> {
    const sub = stringClaim(claims, 'sub');
    const namespace = stringClaim(claims, 'kubernetes.io/serviceaccount/namespace');
    const secretName = stringClaim(claims, 'kubernetes.io/serviceaccount/secret.name');
    const name = stringClaim(claims, 'kubernetes.io/serviceaccount/service-account.name');
    const uid = stringClaim(claims, 'kubernetes.io/serviceaccount/service-account.uid');
    if (!sub) return { error: 'sub claim is missing' };
    if (!namespace) return { error: 'namespace claim is missing' };
    if (!secretName) return { error: 'secretName claim is missing' };
    if (!name) return { error: 'serviceAccountName claim is missing' };
    if (!uid) return { error: 'serviceAccountUID claim is missing' };
    if (sub !== serviceAccountUsername(namespace, name)) return { error: 'sub claim is invalid' };
    if (this.opts.lookup) {
      const secret = await this.opts.getter.secret(namespace, secretName);
      if (!secret || secret.deletionTimestamp) return { error: 'token has been invalidated' };
      if (secret.token === undefined || Buffer.from(secret.token, 'base64').toString('utf8') !== token) return { error: 'token does not match secret' };
      const account = await this.opts.getter.serviceAccount(namespace, name);
      if (!account || account.deletionTimestamp) return { error: 'service account has been deleted' };
      if (account.uid !== uid) return { error: `service account UID (${account.uid ?? ''}) does not match claim (${uid})` };
    }
    return { user: { name: sub, uid, groups: serviceAccountGroups(namespace) } };
  }
}

/** The name and (when known) uid extras of a bound object. */
function addRefExtra(extra: Record<string, string[]>, ref: ObjectRef, [nameKey, uidKey]: [string, string]): void {
  if (!ref.name) return;
  extra[nameKey] = [ref.name];
  if (ref.uid) extra[uidKey] = [ref.uid];
}

/** Go's %q of a []string: ["a" "b"]. */
function goQuote(list: string[]): string {
  return `[${list.map((s) => JSON.stringify(s)).join(' ')}]`;
}
