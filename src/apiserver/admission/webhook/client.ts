// Calling one admission webhook: where it is (clientConfig.url, or a Service resolved to an endpoint
// address), the HTTPS POST of an AdmissionReview with caBundle and timeout, and failures worded as Go's
// net/http reports them, since they end up in messages clients read.

import https from 'node:https';
import { checkServerIdentity } from 'node:tls';
import { realClock, type Clock } from '../../../base/clock.js';
import type * as admissionregistrationv1 from '../../../api/generated/admissionregistration/v1.js';
import type * as corev1 from '../../../api/generated/core/v1.js';
import type { ObjectReader } from '../object-reader.js';

/** A failure to reach the webhook or to understand it (upstream webhookutil.ErrCallingWebhook). */
export class CallingWebhookError extends Error {
  /** The status the client gets when the webhook fails closed; 500 InternalError by default. */
  constructor(
    readonly webhookName: string,
    readonly reason: string,
  ) {
    super(`failed calling webhook "${webhookName}": ${reason}`);
    this.name = 'CallingWebhookError';
  }
}

/** Where to send a webhook's request: the URL as upstream names it (for messages) and where to dial. */
export interface WebhookTarget {
  /** e.g. https://my-hook.team.svc:443/mutate?timeout=10s */
  url: string;
  /** Dial this host and port instead of the URL's (a Service's endpoint address). */
  dialHost: string;
  dialPort: number;
  /** TLS server name: the URL's host. */
  serverName: string;
  path: string;
}

/**
 * Resolves clientConfig to a target. A Service reference becomes https://<name>.<namespace>.svc:<port><path>,
 * as upstream names it; k8ts has no cluster network to route a ClusterIP, so it dials the first ready
 * address of the Service's Endpoints on the matching target port instead.
 */
export async function resolveTarget(cc: admissionregistrationv1.WebhookClientConfig, timeoutSeconds: number, reader: ObjectReader): Promise<WebhookTarget> {
  const timeout = `timeout=${timeoutSeconds}s`;
  if (cc.url) {
    const u = new URL(cc.url);
    u.search = u.search ? `${u.search}&${timeout}` : `?${timeout}`;
    const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    return { url: u.toString(), dialHost: host, dialPort: Number(u.port || 443), serverName: host, path: `${u.pathname}${u.search}` };
  }
  const ref = cc.service;
  if (!ref) throw new Error('there is no service or url in the webhook client config');
  const port = ref.port ?? 443;
  const host = `${ref.name}.${ref.namespace}.svc`;
  const path = `${ref.path ?? '/'}?${timeout}`;
  const url = `https://${host}:${port}${path}`;
  // Upstream resolves the Service while dialling, so its failures read as the POST's.
  const post = `Post "${url}"`;
  const svc = (await reader.get({ group: '', resource: 'services' }, ref.namespace, ref.name)) as corev1.Service | undefined;
  if (!svc) throw new Error(`${post}: service "${ref.name}" not found`);
  const svcPort = svc.spec?.ports?.find((p) => p.port === port);
  if (!svcPort) throw new Error(`${post}: no service port ${port} found for service "${ref.name}"`);
  const eps = (await reader.get({ group: '', resource: 'endpoints' }, ref.namespace, ref.name)) as corev1.Endpoints | undefined;
  for (const subset of eps?.subsets ?? []) {
    const epPort = subset.ports?.find((p) => (p.name ?? '') === (svcPort.name ?? '')) ?? (subset.ports?.length === 1 ? subset.ports[0] : undefined);
    const address = subset.addresses?.[0];
    if (epPort && address) return { url, dialHost: address.ip, dialPort: epPort.port, serverName: host, path };
  }
  throw new Error(`${post}: no endpoints available for service "${ref.name}"`);
}

/** Go's wording of a transport failure (`dial tcp …: connect: connection refused`, x509 errors), else Node's. */
function goTransportError(err: NodeJS.ErrnoException, target: WebhookTarget): string {
  const addr = target.dialHost.includes(':') ? `[${target.dialHost}]:${target.dialPort}` : `${target.dialHost}:${target.dialPort}`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${addr}: connect: connection refused`;
    case 'ECONNRESET':
      return 'EOF';
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `tls: failed to verify certificate: x509: certificate is valid for other names, not ${target.serverName}`;
    case 'CERT_HAS_EXPIRED':
      return 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
    default:
      return err.message;
  }
}

/** A webhook's answer is read into memory; beyond this it is a failure (upstream's client has a similar bound). */
export const maxResponseBytes = 3 * 1024 * 1024;

export interface PostOptions {
  target: WebhookTarget;
  /** PEM certificates (clientConfig.caBundle decoded); absent = the system roots. */
  ca?: string;
  /** A client certificate and key (PEM) to present, for backends configured by a kubeconfig. */
  cert?: string;
  key?: string;
  /** A bearer token to send, for backends configured by a kubeconfig. */
  token?: string;
  body: string;
  timeoutMs: number;
  agent?: https.Agent;
  /** Aborts the call (the server is stopping). */
  signal?: AbortSignal;
  /** Times the deadline (tests use a FakeClock). */
  clock?: Clock;
}

/**
 * POSTs `body` and returns the parsed JSON reply. Transport failures, timeouts and non-2xx answers throw an
 * Error whose message is what upstream puts after "failed to call webhook: ".
 */
export function postJSON(opts: PostOptions): Promise<unknown> {
  const { target } = opts;
  const post = `Post "${target.url}"`;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      timer.stop();
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const req = https.request(
      {
        method: 'POST',
        host: target.dialHost,
        port: target.dialPort,
        path: target.path,
        servername: isIPAddress(target.serverName) ? undefined : target.serverName,
        ca: opts.ca,
        cert: opts.cert,
        key: opts.key,
        agent: opts.agent,
        headers: {
          Host: `${target.serverName.includes(':') ? `[${target.serverName}]` : target.serverName}:${target.dialPort}`,
          'Content-Type': 'application/json',
          Accept: 'application/json, */*',
          'Content-Length': Buffer.byteLength(opts.body),
          ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}),
        },
        // The certificate must name the host upstream would dial (the URL's), not the endpoint address we dial.
        checkServerIdentity: (_host, cert) => checkServerIdentity(target.serverName, cert),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxResponseBytes) {
            finish(() => reject(new Error(`${post}: response body larger than ${maxResponseBytes} bytes`)));
            req.destroy();
            return;
          }
          chunks.push(c);
        });
        res.on('error', (err) => finish(() => reject(new Error(`${post}: ${goTransportError(err, target)}`))));
        res.on('end', () =>
          finish(() => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status < 200 || status > 299) {
              reject(new Error(non2xxMessage(status, text)));
              return;
            }
            try {
              resolve(JSON.parse(text));
            } catch (err) {
              reject(new Error(`${(err as Error).message}`));
            }
          }),
        );
      },
    );
    // Upstream: the per-webhook context deadline; the message is Go's for an expired context.
    const timer = (opts.clock ?? realClock).setTimer(opts.timeoutMs, () => {
      finish(() => reject(new Error(`${post}: context deadline exceeded`)));
      req.destroy();
    });
    const onAbort = () => {
      finish(() => reject(new Error(`${post}: context canceled`)));
      req.destroy();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err: NodeJS.ErrnoException) => finish(() => reject(new Error(`${post}: ${goTransportError(err, target)}`))));
    req.end(opts.body);
  });
}

function isIPAddress(host: string): boolean {
  return /^[0-9.]+$/.test(host) || host.includes(':');
}

/** A non-2xx answer: its Status message when it sent one (rest client behaviour), else the code. */
function non2xxMessage(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { kind?: string; message?: string };
    if (body.kind === 'Status' && body.message) return body.message;
  } catch {
    // not JSON: fall through
  }
  return `the server responded with the status code ${status} but did not return more information`;
}
