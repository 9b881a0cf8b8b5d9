// Round trippers under the REST client: HTTPS as HTTP/2 streams on one session per client (reconnecting
// after GOAWAY or close, PING keep-alive while streams are open) and plain http:// over a keep-alive agent.
import http from 'node:http';
import http2 from 'node:http2';
import type { Readable } from 'node:stream';
import { type Clock, realClock, type Timer } from '../../base/clock.js';

export interface TransportRequest {
  method: string;
  /** Path and query string, e.g. "/api/v1/pods?limit=5". */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Aborting destroys the request or its response stream. */
  signal?: AbortSignal;
}

/** A reply whose body is read as it arrives; `cancel()` releases the stream when the caller stops early. */
export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Buffer>;
  cancel(): void;
}

/** Sends one request; rejects on I/O failure before the reply's headers, resolves for every HTTP status. */
export interface Transport {
  roundTrip(req: TransportRequest): Promise<TransportResponse>;
  /** Closes idle connections and ends open streams. */
  close(): void;
}

/** Reads a whole body into one buffer. */
export async function readBody(resp: TransportResponse): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of resp.body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export interface TLSOptions {
  ca?: string;
  cert?: string;
  key?: string;
  servername?: string;
  /** Skip verification of the serving certificate. */
  insecure?: boolean;
}

export interface HTTP2TransportOptions {
  /** https://host:port */
  origin: string;
  tls: TLSOptions;
  clock?: Clock;
  /** client-go's ReadIdleTimeout: how often a session with open streams is pinged (default 30 s). */
  pingIntervalMs?: number;
  /** client-go's PingTimeout: a ping unanswered this long drops the session (default 15 s). */
  pingTimeoutMs?: number;
}

/** Go's http2 transportDefaultStreamFlow and transportDefaultConnFlow. */
const streamWindowBytes = 4 << 20;
const connectionWindowBytes = 1 << 30;

/** Error codes after which a request that never got a reply is safe to send again on a fresh session. */
const reconnectCodes = new Set(['ERR_HTTP2_GOAWAY_SESSION', 'ERR_HTTP2_INVALID_SESSION', 'ERR_HTTP2_SESSION_ERROR']);

/** One connection and what keeps it checked: its open streams and, while there are any, its PING timer. */
interface SessionState {
  session: http2.ClientHttp2Session;
  active: number;
  pingTimer?: Timer;
}

/**
 * HTTP/2 to one origin over one session, as Go's http2 transport keeps one connection per host. New streams go
 * to the current session; a session that got GOAWAY keeps serving its open streams until they end. A session
 * is referenced (keeps the process alive) only while it has open streams, and pinged only then.
 */
export class HTTP2Transport implements Transport {
  private readonly origin: string;
  private readonly tls: TLSOptions;
  private readonly clock: Clock;
  private readonly pingIntervalMs: number;
  private readonly pingTimeoutMs: number;
  private current?: SessionState;
  private readonly live = new Set<SessionState>();
  private closed = false;
  /** Sessions opened and PINGs answered so far (observability for tests and benchmarks). */
  sessionsOpened = 0;
  pingsAcked = 0;

  constructor(opts: HTTP2TransportOptions) {
    this.origin = opts.origin;
    this.tls = opts.tls;
    this.clock = opts.clock ?? realClock;
    this.pingIntervalMs = opts.pingIntervalMs ?? 30_000;
    this.pingTimeoutMs = opts.pingTimeoutMs ?? 15_000;
  }

  private currentSession(): SessionState {
    const c = this.current;
    if (c && !c.session.closed && !c.session.destroyed) return c;
    const session = http2.connect(this.origin, {
      ca: this.tls.ca,
      cert: this.tls.cert,
      key: this.tls.key,
      servername: this.tls.servername,
      rejectUnauthorized: !this.tls.insecure,
      // Flow-control windows as Go's http2 transport under client-go: 4 MiB per stream, 1 GiB for the
      // connection, so a busy watch does not stall on 64 KiB windows while the process is busy elsewhere.
      settings: { initialWindowSize: streamWindowBytes },
    });
    session.once('connect', () => session.setLocalWindowSize(connectionWindowBytes));
    this.sessionsOpened++;
    const state: SessionState = { session, active: 0 };
    const retire = (): void => {
      if (this.current === state) this.current = undefined;
    };
    session.on('goaway', retire);
    // Errors reach the streams that were open; the session is simply replaced on next use.
    session.on('error', retire);
    session.on('close', () => {
      retire();
      this.stopPings(state);
      this.live.delete(state);
    });
    session.unref();
    this.current = state;
    this.live.add(state);
    return state;
  }

  roundTrip(req: TransportRequest): Promise<TransportResponse> {
    return this.send(req, true);
  }

  private send(req: TransportRequest, mayReconnect: boolean): Promise<TransportResponse> {
    if (this.closed) return Promise.reject(new Error('http2 transport is closed'));
    let state: SessionState;
    try {
      state = this.currentSession();
    } catch (err) {
      return Promise.reject(err);
    }
    const retry = (): Promise<TransportResponse> => {
      if (this.current === state) this.current = undefined;
      return this.send(req, false);
    };
    return new Promise<TransportResponse>((resolve, reject) => {
      let stream: http2.ClientHttp2Stream;
      try {
        stream = state.session.request(
          { ':method': req.method, ':path': req.path, ...req.headers },
          { endStream: req.body === undefined, signal: req.signal },
        );
      } catch (err) {
        if (mayReconnect && reconnectCodes.has((err as NodeJS.ErrnoException).code ?? '')) resolve(retry());
        else reject(err);
        return;
      }
      this.streamOpened(state);
      let answered = false;
      stream.once('close', () => this.streamClosed(state));
      stream.once('error', (err) => {
        if (answered) return;
        const refused = stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM;
        if (mayReconnect && !req.signal?.aborted && (refused || reconnectCodes.has((err as NodeJS.ErrnoException).code ?? ''))) resolve(retry());
        else reject(err);
      });
      stream.once('response', (headers) => {
        answered = true;
        const status = Number(headers[':status']);
        const out: Record<string, string | string[] | undefined> = {};
        for (const [k, v] of Object.entries(headers)) if (!k.startsWith(':')) out[k] = v;
        resolve({
          status,
          headers: out,
          body: stream as AsyncIterable<Buffer>,
          cancel: () => {
            if (!stream.destroyed) stream.close(http2.constants.NGHTTP2_CANCEL);
          },
        });
      });
      if (req.body !== undefined) stream.end(req.body);
    });
  }

  private streamOpened(state: SessionState): void {
    if (state.active++ === 0) {
      state.session.ref();
      this.armPing(state);
    }
  }

  private streamClosed(state: SessionState): void {
    if (--state.active === 0) {
      this.stopPings(state);
      if (!state.session.destroyed) state.session.unref();
    }
  }

  /** While streams are open, ping every interval; a ping unanswered within the timeout drops the session. */
  private armPing(state: SessionState): void {
    this.stopPings(state);
    const { session } = state;
    state.pingTimer = this.clock.setTimer(this.pingIntervalMs, () => {
      if (session.destroyed) return;
      let acked = false;
      const deadline = this.clock.setTimer(this.pingTimeoutMs, () => {
        if (!acked) session.destroy(new Error('http2: client connection lost (PING timeout)'));
      });
      session.ping((err) => {
        acked = !err;
        deadline.stop();
        if (acked) this.pingsAcked++;
        if (err) session.destroy(err);
        else if (state.active > 0) this.armPing(state);
      });
    });
  }

  private stopPings(state: SessionState): void {
    state.pingTimer?.stop();
    state.pingTimer = undefined;
  }

  close(): void {
    this.closed = true;
    this.current = undefined;
    for (const state of this.live) {
      this.stopPings(state);
      state.session.destroy();
    }
    this.live.clear();
  }
}

/** Plain HTTP/1.1 over a keep-alive agent, for the lab-mode insecure port. */
export class HTTP1Transport implements Transport {
  private readonly origin: URL;
  private readonly agent: http.Agent;

  constructor(origin: string) {
    this.origin = new URL(origin);
    // No per-host cap, as client-go's HTTP/1.1 transport: every watch holds a socket, and a controller manager
    // with the garbage collector's 50+ watches would otherwise leave no socket for writes.
    this.agent = new http.Agent({ keepAlive: true });
  }

  roundTrip(req: TransportRequest): Promise<TransportResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...req.headers };
      if (req.body !== undefined) headers['content-length'] = req.body.length;
      const r = http.request(
        { protocol: this.origin.protocol, hostname: this.origin.hostname.replace(/^\[(.*)\]$/, '$1'), port: this.origin.port, method: req.method, path: req.path, headers, agent: this.agent, signal: req.signal },
        (res) => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: res as Readable as AsyncIterable<Buffer>,
            cancel: () => r.destroy(),
          });
        },
      );
      r.on('error', reject);
      r.end(req.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
