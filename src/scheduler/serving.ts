// The scheduler's /healthz, /livez, /readyz and /metrics on --bind-address:--secure-port: HTTPS as upstream
// (serving-cert.ts), or plain HTTP when no certificate is given (tests). No authentication or authorization
// of callers yet (upstream delegates them to the apiserver), so the default bind address is loopback.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createSecureServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ServingCertKey } from './serving-cert.js';

export interface ServingOptions {
  bindAddress: string;
  /** 0 picks a free port. */
  port: number;
  /** Named checks; /readyz also needs `ready()`. */
  checks: Array<{ name: string; check(): boolean }>;
  ready(): boolean;
  metrics(): Promise<{ contentType: string; body: string }>;
  /** Serve HTTPS with this certificate; absent: plain HTTP. */
  tls?: ServingCertKey;
}

export interface Serving {
  readonly port: number;
  close(): Promise<void>;
}

const text = { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' };

export async function serveHealthAndMetrics(opts: ServingOptions): Promise<Serving> {
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/metrics') {
      opts.metrics().then(
        ({ contentType, body }) => res.writeHead(200, { 'Content-Type': contentType }).end(body),
        (err: unknown) => res.writeHead(500, text).end(`${String(err)}\n`),
      );
      return;
    }
    const m = /^\/(healthz|livez|readyz)\/?$/.exec(url.pathname);
    if (!m) {
      res.writeHead(404, text).end('404 page not found\n');
      return;
    }
    const results = opts.checks.map((c) => ({ name: c.name, ok: c.check() }));
    if (m[1] === 'readyz') results.push({ name: 'sched-handler-sync', ok: opts.ready() });
    const ok = results.every((r) => r.ok);
    if (url.searchParams.has('verbose') || !ok) {
      const lines = results.map((r) => (r.ok ? `[+]${r.name} ok` : `[-]${r.name} failed: reason withheld`));
      lines.push(ok ? `${m[1]} check passed` : `${m[1]} check failed`);
      res.writeHead(ok ? 200 : 500, text).end(`${lines.join('\n')}\n`);
      return;
    }
    res.writeHead(200, text).end('ok');
  };
  const server: Server = opts.tls ? createSecureServer({ cert: opts.tls.cert, key: opts.tls.key }, handler) : createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.bindAddress, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
