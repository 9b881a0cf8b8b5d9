// Upstream's aggregator proxyHandler: forwards an authenticated, authorized request for a remote APIService's
// group-version to its backend over HTTPS, as the front proxy (client certificate + X-Remote-* identity), and
// relays the answer; watches stream through chunk by chunk, upgraded connections (exec, port-forward) byte by byte.

import type { IncomingMessage } from 'node:http';
import tls from 'node:tls';
import type { APIService } from '../../api/generated/apiregistration/v1.js';
import { klog } from '../../base/logger.js';
import type { UserInfo } from '../authentication/interface.js';
import type { APIRequest, APIResponse } from '../endpoints/resource-handler.js';
import type { HTTPResponse } from '../http-types.js';
import { describeDialError, droppedResponseHeaders, proxyRequestHeaders, sendToBackend, type ProxyTransports } from './proxy-transport.js';
import { resolveEndpoint, type ServiceSource } from './service-resolver.js';
import { discoveryTimeoutMs, probeUser } from './available-controller.js';

const log = klog.withName('proxy-handler.ts');

/** Go's http.Error reply, which upstream's aggregator sends for an unavailable or unreachable backend. */
export function plainError(status: number, message: string): HTTPResponse {
  return {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
    body: `${message}\n`,
  };
}

/** Whether the APIService's Available condition is True. */
export function isAvailable(svc: APIService): boolean {
  return svc.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True') ?? false;
}

/** Path segments re-escaped for the wire; characters Go leaves alone in paths stay as they are. */
export function escapePath(path: string): string {
  return path
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/%3A/gi, ':').replace(/%40/g, '@').replace(/%2C/gi, ',').replace(/%3D/gi, '=').replace(/%2B/gi, '+').replace(/%24/g, '$').replace(/%26/g, '&'))
    .join('/');
}

function isWatchRequest(req: APIRequest): boolean {
  const w = req.query.get('watch');
  return w === 'true' || w === '1';
}

/**
 * Watch streams are relayed as text, so a watch asks the backend for JSON when the client accepts it too:
 * protobuf ranges are dropped from Accept unless nothing else is left (clients pick the decoder by the
 * answer's Content-Type, so JSON is always understood).
 */
export function watchAccept(accept: string | string[] | undefined): string | string[] | undefined {
  if (typeof accept !== 'string') return accept;
  const ranges = accept.split(',').map((r) => r.trim());
  const text = ranges.filter((r) => !r.toLowerCase().startsWith('application/vnd.kubernetes.protobuf'));
  return text.length && text.length < ranges.length ? text.join(', ') : accept;
}

function responseHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined || droppedResponseHeaders.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

async function readAll(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of res as AsyncIterable<Buffer>) chunks.push(c);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

export interface ProxyRequestArgs {
  svc: APIService;
  req: APIRequest;
  user: UserInfo;
  services: ServiceSource;
  transports: ProxyTransports;
  signal: AbortSignal;
}

/**
 * Proxies one request to the APIService's backend. 503 "service unavailable" while the APIService is not
 * Available or its Service has no endpoint; 503 with the dial error when the backend cannot be reached;
 * otherwise the backend's own status, headers and body.
 */
export async function proxyToAPIService(args: ProxyRequestArgs): Promise<APIResponse> {
  const { svc, req } = args;
  const ref = svc.spec?.service;
  if (!ref || !isAvailable(svc)) return plainError(503, 'service unavailable');
  const target = resolveEndpoint(args.services, { namespace: ref.namespace ?? '', name: ref.name ?? '', port: ref.port ?? 443 });
  if ('error' in target) {
    log.v(2).info('Error resolving the service of an APIService', { apiService: svc.metadata?.name, err: target.error });
    return plainError(503, 'service unavailable');
  }
  const query = req.query.toString();
  const pathAndQuery = escapePath(req.path) + (query ? `?${query}` : '');
  if (req.upgrade) return proxyUpgrade({ ...args, upgrade: req.upgrade, target, pathAndQuery });
  let res: IncomingMessage;
  try {
    res = await sendToBackend({
      agent: args.transports.agentFor(svc),
      host: target.host,
      port: target.port,
      method: req.method,
      path: pathAndQuery,
      headers: proxyRequestHeaders(isWatchRequest(req) ? { ...req.headers, accept: watchAccept(req.headers.accept) } : req.headers, args.user, req.connection?.remoteAddress),
      body: req.body,
      signal: args.signal,
    });
  } catch (err) {
    if (args.signal.aborted) throw err;
    log.v(2).info('Error while proxying request', { apiService: svc.metadata?.name, err: (err as Error).message });
    return plainError(503, (err as Error).message);
  }
  const headers = responseHeaders(res);
  if (!isWatchRequest(req)) {
    return { status: res.statusCode ?? 502, headers, body: req.method === 'HEAD' ? new Uint8Array() : await readAll(res) };
  }
  const signal = args.signal;
  return {
    status: res.statusCode ?? 502,
    headers,
    stream: (async function* () {
      const onAbort = () => res.destroy();
      signal.addEventListener('abort', onAbort, { once: true });
      // Watch frames are JSON text (see watchAccept); the decoder keeps characters split across chunks whole.
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res as AsyncIterable<Buffer>) {
          const text = decoder.decode(chunk, { stream: true });
          if (text) yield text;
        }
      } catch (err) {
        // The backend dropped the stream (or the client left): the watch simply ends, as with any watch.
        if (!signal.aborted) log.v(2).info('Proxied watch ended with an error', { err: (err as Error).message });
      } finally {
        signal.removeEventListener('abort', onAbort);
        res.destroy();
      }
    })(),
  };
}

/** Header names written in an upgrade request head: node's lower-case names suffice for HTTP/1.1. */
function requestHead(method: string, pathAndQuery: string, host: string, headers: Record<string, string | string[]>): string {
  let head = `${method} ${pathAndQuery} HTTP/1.1\r\nHost: ${host}\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    for (const v of Array.isArray(value) ? value : [value]) head += `${name}: ${v}\r\n`;
  }
  return `${head}\r\n`;
}

/**
 * An Upgrade request (kubectl exec/attach/port-forward over SPDY or WebSocket) to the backend: a TLS connection
 * carrying the request head with the front-proxy identity, then bytes spliced both ways until either side
 * closes. The backend's own answer (101, or an error) reaches the client unchanged. 503 when the backend
 * cannot be reached.
 */
async function proxyUpgrade(args: ProxyRequestArgs & { upgrade: NonNullable<APIRequest['upgrade']>; target: { host: string; port: number }; pathAndQuery: string }): Promise<APIResponse> {
  const { req, target, upgrade } = args;
  let backend: tls.TLSSocket;
  try {
    backend = await new Promise<tls.TLSSocket>((resolve, reject) => {
      const s = tls.connect({ host: target.host, port: target.port, ALPNProtocols: ['http/1.1'], ...args.transports.tlsOptions(args.svc) });
      s.once('secureConnect', () => {
        s.off('error', reject);
        resolve(s);
      });
      s.once('error', reject);
    });
  } catch (err) {
    return plainError(503, describeDialError(err, target.host, target.port));
  }
  const headers = proxyRequestHeaders(req.headers, args.user, req.connection?.remoteAddress);
  headers.connection = 'Upgrade';
  headers.upgrade = req.headers.upgrade ?? '';
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  backend.write(requestHead(req.method, args.pathAndQuery, `${host}:${target.port}`, headers));
  if (upgrade.head.length) backend.write(upgrade.head);
  const client = upgrade.socket;
  const closeBoth = () => {
    args.signal.removeEventListener('abort', closeBoth);
    client.destroy();
    backend.destroy();
  };
  backend.on('error', closeBoth).on('close', closeBoth);
  client.on('error', closeBoth).on('close', closeBoth);
  args.signal.addEventListener('abort', closeBoth, { once: true });
  backend.pipe(client);
  client.pipe(backend);
  return { status: 101, headers: {}, body: '' };
}

/**
 * The serverRelativeURL the backend's /openapi/v3 root gives for the APIService's group-version (asked as the
 * aggregator itself, within the discovery timeout); undefined when the backend has none or cannot answer.
 */
export async function backendOpenAPIPath(args: { svc: APIService; services: ServiceSource; transports: ProxyTransports; signal: AbortSignal }): Promise<string | undefined> {
  const ref = args.svc.spec?.service;
  if (!ref) return undefined;
  const target = resolveEndpoint(args.services, { namespace: ref.namespace ?? '', name: ref.name ?? '', port: ref.port ?? 443 });
  if ('error' in target) return undefined;
  try {
    const res = await sendToBackend({
      agent: args.transports.agentFor(args.svc),
      host: target.host,
      port: target.port,
      method: 'GET',
      path: '/openapi/v3',
      headers: proxyRequestHeaders({ accept: 'application/json' }, probeUser),
      signal: args.signal,
      timeoutMs: discoveryTimeoutMs,
    });
    const body = await readAll(res);
    if (res.statusCode !== 200) return undefined;
    const root = JSON.parse(body.toString('utf8')) as { paths?: Record<string, { serverRelativeURL?: string }> };
    const url = root.paths?.[`apis/${args.svc.spec?.group}/${args.svc.spec?.version}`]?.serverRelativeURL;
    return typeof url === 'string' && url.startsWith('/openapi/v3/') ? url : undefined;
  } catch {
    return undefined;
  }
}
