// A minimal HTTP(S) client for the apiserver, used by tests and benchmarks to prepare state fast
// (thousands of creates) and to read raw replies. Loopback only; keep-alive sockets.
import { Agent as HTTPAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HTTPSAgent, request as httpsRequest } from 'node:https';

export interface APIClientOptions {
  /** e.g. https://127.0.0.1:6443 or http://127.0.0.1:8080 */
  baseURL: string;
  /** CA for https; without it the serving certificate is not verified. */
  caPEM?: string;
  /** Sockets kept per client (default 64): the most requests in flight at once. */
  maxSockets?: number;
}

export interface APIReply {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface APIRequest {
  method: string;
  /** Path with query, e.g. /api/v1/namespaces/default/configmaps?limit=10 */
  path: string;
  /** Sent as JSON unless it is already a string. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
  /** Per-request deadline in ms (default 30 s). */
  timeoutMs?: number;
}

/** The connection to one apiserver. Only loopback addresses are accepted, per the test network rule. */
export class APIClient {
  readonly baseURL: URL;
  private readonly agent: HTTPAgent;
  private readonly send: typeof httpRequest;
  /** TLS settings for requests that bypass the pooled agent (streams). */
  private readonly tls: { ca?: string; rejectUnauthorized?: boolean };

  constructor(opts: APIClientOptions) {
    this.baseURL = new URL(opts.baseURL);
    const host = this.baseURL.hostname;
    if (host !== '127.0.0.1' && host !== '[::1]' && host !== 'localhost') {
      throw new Error(`APIClient only talks to loopback, not ${host}`);
    }
    const maxSockets = opts.maxSockets ?? 64;
    this.tls = { ca: opts.caPEM, rejectUnauthorized: opts.caPEM !== undefined };
    if (this.baseURL.protocol === 'https:') {
      this.agent = new HTTPSAgent({ keepAlive: true, maxSockets, ...this.tls });
      this.send = httpsRequest as typeof httpRequest;
    } else {
      this.agent = new HTTPAgent({ keepAlive: true, maxSockets });
      this.send = httpRequest;
    }
  }

  /** Sends one request and buffers the whole reply. Rejects only on transport errors and timeouts. */
  request(req: APIRequest): Promise<APIReply> {
    return new Promise((resolve, reject) => {
      const body = req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      const headers: Record<string, string | number> = { Accept: req.accept ?? 'application/json' };
      if (body !== undefined) {
        headers['Content-Type'] = req.contentType ?? 'application/json';
        headers['Content-Length'] = Buffer.byteLength(body);
      }
      const r = this.send(
        new URL(req.path, this.baseURL),
        { method: req.method, headers, agent: this.agent, signal: req.signal, timeout: req.timeoutMs ?? 30_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      r.on('timeout', () => r.destroy(new Error(`${req.method} ${req.path}: no reply within ${req.timeoutMs ?? 30_000} ms`)));
      r.on('error', reject);
      r.end(body);
    });
  }

  /** Like request(), but rejects unless the status is one of `expected`; resolves to the parsed JSON body. */
  async expectJSON<T = any>(req: APIRequest & { expected: number[] }): Promise<T> {
    const reply = await this.request(req);
    if (!req.expected.includes(reply.status)) {
      throw new Error(`${req.method} ${req.path}: status ${reply.status}, want ${req.expected.join('|')}: ${reply.body.slice(0, 500)}`);
    }
    return JSON.parse(reply.body) as T;
  }

  /**
   * Opens a streaming GET (a watch) and calls `onLine` with each newline-terminated line as it arrives.
   * Resolves with the status once headers arrive; the stream ends when `signal` aborts or the server closes it.
   * `ended` settles when the stream is over.
   */
  openStream(opts: { path: string; signal: AbortSignal; onLine(line: string, receivedAt: number): void; accept?: string }): Promise<{ status: number; ended: Promise<void> }> {
    return new Promise((resolve, reject) => {
      const r = this.send(
        new URL(opts.path, this.baseURL),
        // A socket of its own (agent: false): a watch holds its connection for as long as it runs.
        { method: 'GET', headers: { Accept: opts.accept ?? 'application/json' }, agent: false, signal: opts.signal, ...(this.baseURL.protocol === 'https:' ? this.tls : {}) },
        (res) => {
          let pending = '';
          const ended = new Promise<void>((done) => {
            res.on('end', done);
            res.on('close', done);
            res.on('error', () => done());
          });
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            const now = performance.now();
            pending += chunk;
            let nl = pending.indexOf('\n');
            while (nl >= 0) {
              const line = pending.slice(0, nl);
              pending = pending.slice(nl + 1);
              if (line.length > 0) opts.onLine(line, now);
              nl = pending.indexOf('\n');
            }
          });
          resolve({ status: res.statusCode ?? 0, ended });
        },
      );
      r.on('error', (err) => {
        if (opts.signal.aborted) return;
        reject(err);
      });
      r.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** A ConfigMap manifest whose `data.payload` makes the JSON body about `bytes` long. */
export function configMapOfSize(opts: { name: string; namespace: string; bytes: number; labels?: Record<string, string> }): Record<string, unknown> {
  const cm = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: opts.name, namespace: opts.namespace, labels: opts.labels ?? {} },
    data: { payload: '' },
  };
  const overhead = JSON.stringify(cm).length;
  cm.data.payload = 'x'.repeat(Math.max(0, opts.bytes - overhead));
  return cm;
}
