// Drives Debian's `wrk` (the HTTP load generator the architecture brief measured its ceilings with) with one
// of the Lua scripts in bench/wrk/, and returns wrk's own summary as numbers.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const scriptsDir = new URL('./wrk/', import.meta.url).pathname;

export interface WrkOptions {
  /** Base URL; loopback only. */
  url: string;
  /** A script in bench/wrk/ without the .lua suffix (e.g. "create"). */
  script: string;
  /** Values for the script, passed as BENCH_<KEY> environment variables. */
  vars: Record<string, string | number>;
  connections: number;
  threads: number;
  durationSeconds: number;
}

export interface WrkResult {
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  /** Replies outside 2xx/3xx. */
  statusErrors: number;
  /** connect + read + write + timeout errors. */
  socketErrors: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
}

/** wrk is a bench-only system dependency: installed on first use like the packages `npm test` needs. */
export async function requireWrk(): Promise<void> {
  if (spawnSync('sh', ['-c', 'command -v wrk'], { stdio: 'ignore' }).status === 0) return;
  const module = '../tools/system-deps.mjs';
  const { ensureSystemDeps } = (await import(module)) as { ensureSystemDeps(list: Array<{ bin: string; pkg: string }>): void };
  ensureSystemDeps([{ bin: 'wrk', pkg: 'wrk' }]);
}

export async function runWrk(opts: WrkOptions): Promise<WrkResult> {
  await requireWrk();
  const host = new URL(opts.url).hostname;
  if (host !== '127.0.0.1' && host !== '[::1]') throw new Error(`wrk only loads loopback, not ${host}`);
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-wrk-'));
  try {
    const script = join(dir, `${opts.script}.lua`);
    const text = (await readFile(join(scriptsDir, `${opts.script}.lua`), 'utf8')) + '\n' + (await readFile(join(scriptsDir, 'summary.lua'), 'utf8'));
    await writeFile(script, text);
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
    for (const [k, v] of Object.entries(opts.vars)) env[`BENCH_${k.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`] = String(v);
    const args = [
      `-t${opts.threads}`,
      `-c${opts.connections}`,
      `-d${opts.durationSeconds}s`,
      '--timeout',
      '10s',
      '-s',
      script,
      opts.url,
    ];
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn('wrk', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
      child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
      // wrk stops by itself after -d; this is only the backstop.
      const timer = setTimeout(() => child.kill('SIGKILL'), (opts.durationSeconds + 30) * 1000);
      child.once('error', reject);
      child.once('close', (c) => {
        clearTimeout(timer);
        resolve({ code: c, stdout: out, stderr: err });
      });
    });
    const line = stdout.split('\n').find((l) => l.startsWith('WRK_JSON '));
    if (code !== 0 || !line) throw new Error(`wrk exited ${code}:\n${stdout}\n${stderr}`);
    return parseWrkSummary(line.slice('WRK_JSON '.length));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Turns the JSON that bench/wrk/summary.lua prints into a WrkResult. */
export function parseWrkSummary(json: string): WrkResult {
  const s = JSON.parse(json) as {
    requests: number;
    durationUs: number;
    errors: { connect: number; read: number; write: number; status: number; timeout: number };
    latencyUs: { p50: number; p90: number; p99: number; max: number; mean: number };
  };
  const durationSeconds = s.durationUs / 1e6;
  const ms = (us: number) => us / 1000;
  return {
    requests: s.requests,
    durationSeconds,
    requestsPerSecond: s.requests / durationSeconds,
    statusErrors: s.errors.status,
    socketErrors: s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout,
    latencyMs: { p50: ms(s.latencyUs.p50), p90: ms(s.latencyUs.p90), p99: ms(s.latencyUs.p99), max: ms(s.latencyUs.max), mean: ms(s.latencyUs.mean) },
  };
}
