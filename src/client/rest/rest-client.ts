// newClient: the REST client of one config. Every request takes a rate-limiter token, carries the
// User-Agent and credentials, and is retried like client-go's checkWait (429 or 5xx with Retry-After).
import { type Clock, realClock } from '../../base/clock.js';
import { klog } from '../../base/logger.js';
import { type RESTConfig, defaultUserAgent } from './config.js';
import type { GroupVersionResource, Interface, KubeObject, RawRequest, RawResponse, ResourceInterface, ResourceOptions } from './interface.js';
import { type RateLimiter, rateLimiterFor } from './rate-limiter.js';
import type { ClientRequest, Requester } from './request.js';
import { ResourceClient } from './resource-client.js';
import { type RequestDescription, errorFromResponse, retryAfterSeconds } from './response-error.js';
import { type AuthorizationSource, authorizationFor } from './token-source.js';
import { HTTP1Transport, HTTP2Transport, type Transport, type TransportResponse, readBody } from './transport.js';
import { type WarningHandler, parseWarnings } from './warnings.js';

/** client-go's default maxRetries for requests answered 429/5xx with Retry-After. */
export const defaultMaxRetries = 10;

/** How long a GET waits before it is sent again after its connection broke. */
export const connectionRetryDelayMs = 1000;

/** Node's codes for a connection reset or closed while a request was on it (Go's IsConnectionReset/IsProbableEOF). */
const retryableConnectionCodes = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_HTTP2_SESSION_ERROR', 'ERR_HTTP2_INVALID_SESSION', 'ERR_HTTP2_GOAWAY_SESSION']);

/** A reset or closed connection, also when HTTP/2 reports it as the cause of a cancelled stream (not TLS failures). */
function isRetryableConnectionError(err: unknown): boolean {
  const e = err as (NodeJS.ErrnoException & { cause?: unknown }) | undefined;
  if (retryableConnectionCodes.has(e?.code ?? '')) return true;
  return e?.code === 'ERR_HTTP2_STREAM_CANCEL' && retryableConnectionCodes.has((e.cause as NodeJS.ErrnoException | undefined)?.code ?? '');
}

/** Dependencies a caller may replace: the clock of rate limiting, retry waits, token-file refresh and pings. */
export interface ClientOptions {
  clock?: Clock;
  /** Replaces the limiter built from the config's qps/burst. */
  rateLimiter?: RateLimiter;
  /** Retries after a 429/5xx with Retry-After (default 10). */
  maxRetries?: number;
  /** Replaces the transport built from the config (tests). */
  transport?: Transport;
  /** Receives the server's Warning headers (default: logged as klog warnings, like client-go's WarningLogger). */
  warningHandler?: WarningHandler;
}

const log = klog.withName('rest-client.ts');
const logWarning: WarningHandler = (message) => log.warning(message);

/** Builds the client of a config: HTTP/2 for https://, a keep-alive HTTP/1.1 agent for http://. */
export function newClient(config: RESTConfig, opts: ClientOptions = {}): RESTClient {
  return new RESTClient(config, opts);
}

function pathWithQuery(path: string, query: ClientRequest['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.append(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function encodeBody(body: unknown): Buffer | undefined {
  if (body === undefined) return undefined;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  return Buffer.from(JSON.stringify(body));
}

/** Stops the body of a reply that will not be read (a retried 429, an error already buffered). */
async function discard(resp: TransportResponse): Promise<Buffer> {
  try {
    return await readBody(resp);
  } catch {
    return Buffer.alloc(0);
  }
}

export class RESTClient implements Interface, Requester {
  readonly host: string;
  readonly userAgent: string;
  private readonly transport: Transport;
  private readonly limiter: RateLimiter;
  private readonly auth: AuthorizationSource;
  private readonly clock: Clock;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private readonly warningHandler: WarningHandler;

  constructor(config: RESTConfig, opts: ClientOptions = {}) {
    const url = new URL(config.host);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`host must be an http:// or https:// URL, got ${JSON.stringify(config.host)}`);
    this.host = url.origin;
    this.userAgent = config.userAgent ?? defaultUserAgent();
    this.clock = opts.clock ?? realClock;
    this.limiter = opts.rateLimiter ?? rateLimiterFor({ qps: config.qps, burst: config.burst, clock: this.clock });
    this.auth = authorizationFor(config, this.clock);
    this.maxRetries = opts.maxRetries ?? defaultMaxRetries;
    this.timeoutMs = config.timeout ?? 0;
    this.warningHandler = opts.warningHandler ?? logWarning;
    this.transport =
      opts.transport ??
      (url.protocol === 'https:'
        ? new HTTP2Transport({
            origin: url.origin,
            tls: { ca: config.caData, cert: config.certData, key: config.keyData, servername: config.serverName, insecure: config.insecure },
            clock: this.clock,
          })
        : new HTTP1Transport(url.origin));
  }

  resource<T extends KubeObject = KubeObject>(gvr: GroupVersionResource, namespace = '', opts: ResourceOptions = {}): ResourceInterface<T> {
    return new ResourceClient<T>(this, gvr, namespace, opts);
  }

  raw(req: RawRequest): Promise<RawResponse> {
    return this.buffered(req);
  }

  /** Sends a request and decodes its JSON reply; rejects with a StatusError for statuses >= 300. */
  async json<R>(req: ClientRequest, about: Omit<RequestDescription, 'method'>): Promise<R> {
    const resp = await this.buffered(req);
    if (resp.status < 200 || resp.status >= 300) throw errorFromResponse(resp, { method: req.method, ...about });
    return (resp.body.length ? JSON.parse(resp.body.toString('utf8')) : {}) as R;
  }

  /** Sends a request and reads the whole reply, within the config's timeout when it has one. */
  private async buffered(req: ClientRequest): Promise<RawResponse> {
    const deadline = this.timeoutMs > 0 ? this.deadline(req.signal) : undefined;
    try {
      const resp = await this.send({ ...req, signal: deadline?.signal ?? req.signal });
      return { status: resp.status, headers: resp.headers, body: await readBody(resp) };
    } catch (err) {
      // I/O layers report an abort generically; say that the deadline, not the caller, stopped the request.
      if (deadline?.signal.aborted && !req.signal?.aborted) throw deadline.signal.reason;
      throw err;
    } finally {
      deadline?.release();
    }
  }

  /**
   * Opens a streaming reply (watch), without the config's timeout. Statuses >= 300 reject with a StatusError;
   * a 2xx reply is handed over unread, and the caller owns it.
   */
  async stream(req: ClientRequest, about: Omit<RequestDescription, 'method'>): Promise<TransportResponse> {
    const resp = await this.send(req);
    if (resp.status >= 200 && resp.status < 300) return resp;
    const body = await discard(resp);
    throw errorFromResponse({ status: resp.status, headers: resp.headers, body }, { method: req.method, ...about });
  }

  /**
   * The retry loop of client-go's request.request: each attempt takes a rate-limiter token; a reply of 429
   * or >= 500 that carries an integer Retry-After is retried after that many seconds, and a GET whose
   * connection broke after a second, up to maxRetries times; the last reply is returned whatever its status.
   */
  private async send(req: ClientRequest): Promise<TransportResponse> {
    const headers: Record<string, string> = { accept: req.accept ?? 'application/json', 'user-agent': this.userAgent };
    const body = encodeBody(req.body);
    if (body !== undefined) headers['content-type'] = req.contentType ?? 'application/json';
    const path = pathWithQuery(req.path, req.query);
    const signal = req.signal;
    for (let attempt = 0; ; attempt++) {
      await this.limiter.wait(signal);
      const authorization = this.auth.header();
      if (authorization) headers.authorization = authorization;
      let resp: TransportResponse;
      try {
        resp = await this.transport.roundTrip({ method: req.method, path, headers, body, signal });
      } catch (err) {
        // client-go retries a GET whose connection was reset or closed under it, a second later.
        if (req.method !== 'GET' || attempt >= this.maxRetries || signal?.aborted || !isRetryableConnectionError(err)) throw err;
        await this.clock.sleep(connectionRetryDelayMs, signal);
        continue;
      }
      const wait = resp.status === 429 || resp.status >= 500 ? retryAfterSeconds(resp.headers) : undefined;
      if (wait === undefined || attempt >= this.maxRetries) {
        for (const w of parseWarnings(resp.headers.warning)) this.warningHandler(w);
        return resp;
      }
      await discard(resp);
      await this.clock.sleep(Math.max(0, wait) * 1000, signal);
    }
  }

  /** An abort signal that fires after the config's timeout or when `parent` aborts. */
  private deadline(parent?: AbortSignal): { signal: AbortSignal; release(): void } {
    const ac = new AbortController();
    const timer = this.clock.setTimer(this.timeoutMs, () => ac.abort(new Error(`context deadline exceeded (Client.Timeout ${this.timeoutMs}ms exceeded)`)));
    const onAbort = (): void => ac.abort(parent?.reason);
    if (parent?.aborted) onAbort();
    else parent?.addEventListener('abort', onAbort, { once: true });
    return {
      signal: ac.signal,
      release: () => {
        timer.stop();
        parent?.removeEventListener('abort', onAbort);
      },
    };
  }

  close(): void {
    this.transport.close();
  }
}
