// Readiness checks the supervisor polls: an HTTPS GET (e.g. /readyz) that must answer 200, verifying the
// server with the cluster CA.
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';

export interface HTTPSProbeOptions {
  /** e.g. https://127.0.0.1:6443/readyz */
  url: string;
  /** PEM CA that verifies the server; without it the server is trusted blindly. */
  ca?: string;
  /** Per-attempt timeout (default 2 s). */
  timeoutMs?: number;
}

/** One GET; resolves true on HTTP 200, false on anything else (including connection errors). Never throws. */
export function httpsGetOK(opts: HTTPSProbeOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const u = new URL(opts.url);
    const req = request(
      {
        host: u.hostname.replace(/^\[|\]$/g, ''),
        port: u.port || 443,
        path: `${u.pathname}${u.search}`,
        ca: opts.ca,
        rejectUnauthorized: opts.ca !== undefined,
        timeout: opts.timeoutMs ?? 2000,
        agent: false,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** One plain-HTTP GET (loopback health ports); resolves true on HTTP 200, false otherwise. Never throws. */
export function httpGetOK(opts: { url: string; timeoutMs?: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpRequest(opts.url, { timeout: opts.timeoutMs ?? 2000, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}
