// The scheduler's /healthz, /livez, /readyz and /metrics. Plain HTTP on --bind-address:--secure-port
// (loopback by default): k8ts has no serving certificate or delegated authentication for components yet.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServingOptions {
  bindAddress: string;
  /** 0 picks a free port. */
  port: number;
  /** Named checks; /readyz also needs `ready()`. */
  checks: Array<{ name: string; check(): boolean }>;
  ready(): boolean;
  metrics(): Promise<{ contentType: string; body: string }>;
}

export interface Serving {
  readonly port: number;
  close(): Promise<void>;
}

const text = { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' };

export async function serveHealthAndMetrics(opts: ServingOptions): Promise<Serving> {
  const server: Server = createServer((req, res) => {
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
  });
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
