// The HTTPS client side of the aggregator: one keep-alive agent per APIService TLS configuration (caBundle or
// insecureSkipTLSVerify, the --proxy-client-cert-file identity, the service's server name), the front-proxy
// identity headers, and Go-worded dial errors for Status messages and availability conditions.

import https from 'node:https';
import type tls from 'node:tls';
import type { IncomingMessage } from 'node:http';
import type { APIService } from '../../api/generated/apiregistration/v1.js';
import type { UserInfo } from '../authentication/interface.js';
import { serviceServerName } from './service-resolver.js';

/** The aggregator's client certificate (--proxy-client-cert-file / --proxy-client-key-file), PEM. */
export interface ProxyClientCertificate {
  cert: string;
  key: string;
}

/** Request headers never forwarded: hop-by-hop ones, HTTP/2 pseudo-headers, and credentials k8ts consumed. */
const droppedRequestHeaders = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'content-length',
  'authorization',
  'http2-settings',
]);

/** Response headers not passed back (hop-by-hop; Content-Length is recomputed by the server). */
export const droppedResponseHeaders = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'content-length']);

/** The front-proxy headers upstream's aggregator sends (transport.SetAuthProxyHeaders). */
export const remoteUserHeader = 'X-Remote-User';
export const remoteGroupHeader = 'X-Remote-Group';
export const remoteExtraHeaderPrefix = 'X-Remote-Extra-';

const tokenByte = /[!#$&'*+\-.^_`|~0-9A-Za-z]/;

/** upstream headerKeyEscape: bytes that may not appear in a header name (and '%') become %XX. */
export function escapeExtraKey(key: string): string {
  let out = '';
  for (const b of Buffer.from(key, 'utf8')) {
    const c = String.fromCharCode(b);
    out += b < 0x80 && tokenByte.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * The headers of a proxied request: the client's, minus hop-by-hop headers, credentials, impersonation and any
 * X-Remote-* a client tried to smuggle in; plus the authenticated user as X-Remote-User/-Group/-Extra-*, and the
 * client's address appended to X-Forwarded-For (as Go's reverse proxy does).
 */
export function proxyRequestHeaders(incoming: Record<string, string | string[] | undefined>, user: UserInfo, clientAddress?: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || name.startsWith(':')) continue;
    const lower = name.toLowerCase();
    if (droppedRequestHeaders.has(lower) || lower.startsWith('impersonate-') || lower.startsWith('x-remote-')) continue;
    out[lower] = value;
  }
  if (clientAddress) {
    const prior = out['x-forwarded-for'];
    const ip = clientAddress.replace(/^::ffff:/, '');
    out['x-forwarded-for'] = prior ? `${Array.isArray(prior) ? prior.join(', ') : prior}, ${ip}` : ip;
  }
  out[remoteUserHeader] = user.name;
  if (user.groups.length) out[remoteGroupHeader] = [...user.groups];
  for (const [key, values] of Object.entries(user.extra ?? {})) {
    if (values.length) out[`${remoteExtraHeaderPrefix}${escapeExtraKey(key)}`] = [...values];
  }
  return out;
}

/** Go's wording of a failed dial or TLS handshake (`dial tcp 127.0.0.1:1: connect: connection refused`). */
export function describeDialError(err: unknown, host: string, port: number): string {
  const e = err as NodeJS.ErrnoException;
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch (e?.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${where}: connect: connection refused`;
    case 'ECONNRESET':
      return `read tcp ${where}: read: connection reset by peer`;
    case 'ETIMEDOUT':
      return `dial tcp ${where}: i/o timeout`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${host}: no such host`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `tls: failed to verify certificate: x509: ${e.message}`;
    default:
      return e?.message ?? String(err);
  }
}

interface AgentEntry {
  /** What the agent was built from; a changed APIService gets a new agent. */
  fingerprint: string;
  agent: https.Agent;
}

/** Keep-alive agents per APIService name, rebuilt when the APIService's TLS settings change. */
export class ProxyTransports {
  private readonly agents = new Map<string, AgentEntry>();

  constructor(private readonly clientCert: ProxyClientCertificate | undefined) {}

  /**
   * The TLS client options for `svc`: its caBundle (or no verification with insecureSkipTLSVerify, or when
   * `insecure`), the service's server name, and the proxy client certificate.
   */
  tlsOptions(svc: APIService, insecure = false): tls.ConnectionOptions {
    const spec = svc.spec;
    const skipVerify = insecure || !!spec?.insecureSkipTLSVerify;
    const ca = spec?.caBundle ? Buffer.from(spec.caBundle, 'base64').toString('utf8') : undefined;
    return {
      rejectUnauthorized: !skipVerify,
      ...(ca && !skipVerify ? { ca } : {}),
      servername: serviceServerName(spec?.service?.namespace ?? '', spec?.service?.name ?? ''),
      ...(this.clientCert ? { cert: this.clientCert.cert, key: this.clientCert.key } : {}),
    };
  }

  /** The agent for `svc`; `insecure` forces skipping verification (the availability probe does, as upstream). */
  agentFor(svc: APIService, insecure = false): https.Agent {
    const spec = svc.spec;
    const name = `${svc.metadata?.name ?? ''}${insecure ? '#probe' : ''}`;
    const fingerprint = JSON.stringify([insecure || !!spec?.insecureSkipTLSVerify, spec?.caBundle ?? '', spec?.service?.namespace, spec?.service?.name]);
    const have = this.agents.get(name);
    if (have?.fingerprint === fingerprint) return have.agent;
    have?.agent.destroy();
    const agent = new https.Agent({ keepAlive: true, maxSockets: 64, ...this.tlsOptions(svc, insecure) });
    this.agents.set(name, { fingerprint, agent });
    return agent;
  }

  /** Drops the agents of APIServices that no longer exist. */
  retain(names: ReadonlySet<string>): void {
    for (const [name, entry] of this.agents) {
      if (!names.has(name.replace(/#probe$/, ''))) {
        entry.agent.destroy();
        this.agents.delete(name);
      }
    }
  }

  close(): void {
    for (const e of this.agents.values()) e.agent.destroy();
    this.agents.clear();
  }
}

export interface BackendRequest {
  agent: https.Agent;
  host: string;
  port: number;
  method: string;
  /** Path and query, already encoded. */
  path: string;
  headers: Record<string, string | string[]>;
  body?: Uint8Array;
  signal: AbortSignal;
  /** Gives up connecting and waiting for the response head after this long (default: no limit). */
  timeoutMs?: number;
}

/**
 * Sends one request and resolves with the response head (the body is the returned stream). Rejects with a
 * Go-worded Error when the backend cannot be reached, and with the abort reason when `signal` aborts.
 */
export function sendToBackend(req: BackendRequest): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, ...(req.body?.length ? { 'content-length': String(req.body.length) } : {}) };
    const out = https.request({ agent: req.agent, host: req.host, port: req.port, method: req.method, path: req.path, headers, signal: req.signal }, resolve);
    if (req.timeoutMs) {
      out.setTimeout(req.timeoutMs, () => out.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    }
    out.on('error', (err) => {
      if (req.signal.aborted) reject(req.signal.reason);
      else reject(new Error(describeDialError(err, req.host, req.port)));
    });
    out.end(req.body?.length ? req.body : undefined);
  });
}
