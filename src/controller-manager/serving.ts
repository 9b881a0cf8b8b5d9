// The controller manager's secure port: /healthz, /livez, /readyz (with per-check subpaths and ?verbose as
// upstream's healthz package) and /metrics over HTTPS on --bind-address:--secure-port (plain HTTP when no
// certificate is given, for tests). There is no delegated authentication yet, so the default bind address
// is loopback.
import { createServer as createHTTPServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHTTPSServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ControllerMetrics } from './metrics.js';

/** A named check; a rejection or `false` means unhealthy. */
export interface HealthCheck {
  name: string;
  check(): boolean | Promise<boolean>;
}

export interface ServingOptions {
  bindAddress: string;
  /** 0 picks a free port (tests). */
  port: number;
  checks: HealthCheck[];
  metrics: ControllerMetrics;
  /** PEM certificate chain and key: serve HTTPS. Absent: plain HTTP. */
  tls?: { cert: string; key: string };
}

export interface Serving {
  readonly port: number;
  close(): Promise<void>;
}

async function runChecks(checks: HealthCheck[]): Promise<Array<{ name: string; ok: boolean }>> {
  return Promise.all(
    checks.map(async (c) => {
      try {
        return { name: c.name, ok: Boolean(await c.check()) };
      } catch {
        return { name: c.name, ok: false };
      }
    }),
  );
}

async function handle(opts: ServingOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
    return;
  }
  if (path === '/metrics') {
    const { contentType, body } = await opts.metrics.exposition();
    res.writeHead(200, { 'Content-Type': contentType }).end(body);
    return;
  }
  const m = /^\/(healthz|livez|readyz)(?:\/(.+))?$/.exec(path);
  if (!m) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
    return;
  }
  const only = m[2];
  const checks = only ? opts.checks.filter((c) => c.name === only) : opts.checks;
  if (only && checks.length === 0) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
    return;
  }
  const results = await runChecks(checks);
  const failed = results.filter((r) => !r.ok);
  const verbose = url.searchParams.has('verbose');
  let body: string;
  if (verbose || failed.length > 0) {
    const lines = results.map((r) => (r.ok ? `[+]${r.name} ok` : `[-]${r.name} failed: reason withheld`));
    lines.push(failed.length > 0 ? `${m[1]} check failed` : `${m[1]} check passed`);
    body = `${lines.join('\n')}\n`;
  } else {
    body = 'ok';
  }
  res.writeHead(failed.length > 0 ? 500 : 200, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }).end(body);
}

/** Starts listening; resolves once bound. */
export async function startServing(opts: ServingOptions): Promise<Serving> {
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handle(opts, req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`${String(err)}\n`);
    });
  };
  const server: Server = opts.tls ? createHTTPSServer({ cert: opts.tls.cert, key: opts.tls.key }, onRequest) : createHTTPServer(onRequest);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.bindAddress, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
