// /healthz, /livez and /readyz with upstream's output: "ok", or with ?verbose one "[+]name ok" line per check
// and "<endpoint> check passed"; failures are always verbose, withhold reasons and answer 500.
import type { HTTPRequest, HTTPResponse, NonResourceHandler } from '../http-types.js';
import { logCheck, pingCheck, storageCheck, type HealthChecker } from './health-checks.js';

export type HealthEndpoint = 'healthz' | 'livez' | 'readyz';

export interface HealthzOptions {
  /** Storage reachability, behind the "etcd" check: resolves when storage answers, rejects otherwise. */
  storage: (signal: AbortSignal) => Promise<void>;
  /**
   * Startup steps, named as upstream's post-start hooks ("start-apiserver-admission-initializer",
   * "bootstrap-controller", …). Each is a "poststarthook/<name>" check that fails until postStartHookDone(name).
   * /readyz answers 200 only when all are done: that is what "the server is ready" means.
   */
  postStartHooks?: readonly string[];
  /** More checks per endpoint, after the built-in ones (e.g. a watch-cache sync check on readyz). */
  extraChecks?: Partial<Record<HealthEndpoint, readonly HealthChecker[]>>;
  /** Replaces the log check (tests). */
  log?: HealthChecker;
  /** Storage check timeout in milliseconds (upstream --etcd-healthcheck-timeout), default 2000. */
  storageTimeoutMs?: number;
}

const textHeaders = { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' };

/**
 * Serves the three health endpoints and `/<endpoint>/<check>` for each single check. The checks are, as in
 * kube-apiserver: healthz and livez = ping, log, etcd, poststarthook/*; readyz = those plus "shutdown",
 * which fails once shutdown() is called so load balancers stop sending traffic before the server stops.
 * `?exclude=<name>` (repeatable) skips checks; unknown names produce a warning line. Checks run concurrently;
 * output keeps their order.
 */
export class HealthzHandler implements NonResourceHandler {
  private readonly pendingHooks: Set<string>;
  private shuttingDown = false;
  private readonly checks: Record<HealthEndpoint, HealthChecker[]>;

  constructor(opts: HealthzOptions) {
    const hooks = opts.postStartHooks ?? [];
    this.pendingHooks = new Set(hooks);
    const hookChecks: HealthChecker[] = hooks.map((name) => ({
      name: `poststarthook/${name}`,
      check: () => {
        if (this.pendingHooks.has(name)) throw new Error('not finished');
      },
    }));
    const shutdownCheck: HealthChecker = {
      name: 'shutdown',
      check: () => {
        if (this.shuttingDown) throw new Error('process is shutting down');
      },
    };
    const base = [pingCheck, opts.log ?? logCheck, storageCheck(opts.storage, opts.storageTimeoutMs), ...hookChecks];
    const extra = opts.extraChecks ?? {};
    this.checks = {
      healthz: [...base, ...(extra.healthz ?? [])],
      livez: [...base, ...(extra.livez ?? [])],
      readyz: [...base, ...(extra.readyz ?? []), shutdownCheck],
    };
  }

  /** Every path served here: each endpoint and each of its single checks (for the root paths list). */
  paths(): string[] {
    const out: string[] = [];
    for (const endpoint of ['healthz', 'livez', 'readyz'] as const) {
      out.push(`/${endpoint}`, ...this.checks[endpoint].map((c) => `/${endpoint}/${c.name}`));
    }
    return out;
  }

  /** Marks a post-start hook finished; unknown names are ignored. */
  postStartHookDone(name: string): void {
    this.pendingHooks.delete(name);
  }

  /** From now on /readyz fails its "shutdown" check (livez and healthz are unaffected). */
  shutdown(): void {
    this.shuttingDown = true;
  }

  async handle(req: HTTPRequest): Promise<HTTPResponse | undefined> {
    const m = /^\/(healthz|livez|readyz)(?:\/(.*))?$/.exec(req.path);
    if (!m) return undefined;
    const endpoint = m[1] as HealthEndpoint;
    const checks = this.checks[endpoint];
    const single = m[2];
    if (single === undefined || single === '') return this.runAll(endpoint, checks, req.query);
    const check = checks.find((c) => c.name === single);
    if (!check) return undefined;
    const err = await run(check);
    if (err) return { status: 500, headers: textHeaders, body: `internal server error: ${err}\n` };
    return { status: 200, headers: textHeaders, body: 'ok' };
  }

  private async runAll(endpoint: HealthEndpoint, checks: readonly HealthChecker[], query: URLSearchParams): Promise<HTTPResponse> {
    const excluded = new Set(query.getAll('exclude'));
    const unmatched = new Set(excluded);
    const results = await Promise.all(
      checks.map(async (c) => {
        if (excluded.has(c.name)) {
          unmatched.delete(c.name);
          return `[+]${c.name} excluded: ok\n`;
        }
        const err = await run(c);
        return err === undefined ? `[+]${c.name} ok\n` : `[-]${c.name} failed: reason withheld\n`;
      }),
    );
    let out = results.join('');
    if (unmatched.size > 0) {
      const names = [...unmatched].sort().map((n) => JSON.stringify(n));
      out += `warn: some health checks cannot be excluded: no matches for ${names.join(',')}\n`;
    }
    if (results.some((r) => r.startsWith('[-]'))) {
      return { status: 500, headers: textHeaders, body: `${out}${endpoint} check failed\n` };
    }
    if (!query.has('verbose')) return { status: 200, headers: textHeaders, body: 'ok' };
    return { status: 200, headers: textHeaders, body: `${out}${endpoint} check passed\n` };
  }
}

/** Runs one check; returns its failure message, or undefined when it passed. */
async function run(check: HealthChecker): Promise<string | undefined> {
  try {
    await check.check(AbortSignal.timeout(30_000));
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
