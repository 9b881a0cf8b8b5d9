// Runs the real kubectl binaries (/usr/lib/google-cloud-sdk/bin/kubectl.1.NN) against a test apiserver, each
// run with a fresh --cache-dir so that full discovery happens every time.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { spawnOwned, stopChild } from './owned-processes.js';

export const kubectlDir = '/usr/lib/google-cloud-sdk/bin';

/** The kubectl minor versions this project promises to support. */
export const kubectlVersions = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'] as const;
export type KubectlVersion = (typeof kubectlVersions)[number];

/** Path of the versioned kubectl binary; throws (never skips) when it is missing. */
export function kubectlBinary(version: KubectlVersion): string {
  const path = join(kubectlDir, `kubectl.${version}`);
  if (!existsSync(path)) throw new Error(`${path} is missing: the e2e tests need the real kubectl ${version}`);
  return path;
}

export interface KubectlOptions {
  version: KubectlVersion;
  kubeconfig: string;
  args: string[];
  /** Written to kubectl's stdin (for `-f -`). */
  stdin?: string;
  /** Killed after this long (default 60 s); the result then says timedOut. */
  timeoutMs?: number;
  cwd?: string;
  /** Extra environment (e.g. EDITOR for `kubectl edit`); nothing else of the caller's environment leaks in. */
  env?: Record<string, string>;
}

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** The command line, for assertion messages. */
  command: string;
}

/** A result as an assertion message: the command, its exit (or time-out), stdout and stderr. */
export function describeKubectlResult(r: KubectlResult): string {
  return `${r.command} → exit ${r.code}${r.timedOut ? ' (timed out)' : ''}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

/** `run` (the whole result) and `ok` (stdout, after asserting exit 0) for one kubectl version. */
export interface KubectlRunner {
  run(args: string[], stdin?: string): Promise<KubectlResult>;
  ok(args: string[], stdin?: string): Promise<string>;
}

/** A KubectlRunner; `kubeconfig` is read on each call (it exists only once the test's server started). */
export function kubectlRunner(version: KubectlVersion, kubeconfig: () => string, timeoutMs = 60_000): KubectlRunner {
  const run = (args: string[], stdin?: string) => kubectl({ version, kubeconfig: kubeconfig(), args, stdin, timeoutMs });
  return {
    run,
    async ok(args, stdin) {
      const r = await run(args, stdin);
      if (r.code !== 0) throw new Error(`kubectl failed: ${describeKubectlResult(r)}`);
      return r.stdout;
    },
  };
}

/** Environment for kubectl: nothing from the caller's kubeconfig or cache leaks in. */
function kubectlEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C' };
}

/** Runs kubectl to completion. Never rejects for a non-zero exit: the caller asserts on the result. */
export async function kubectl(opts: KubectlOptions): Promise<KubectlResult> {
  const bin = kubectlBinary(opts.version);
  const home = await mkdtemp(join(tmpdir(), 'k8ts-kubectl-'));
  const args = [`--kubeconfig=${opts.kubeconfig}`, `--cache-dir=${join(home, 'cache')}`, ...opts.args];
  const command = `kubectl.${opts.version} ${opts.args.join(' ')}`;
  try {
    const child = spawnOwned(bin, args, { cwd: opts.cwd, env: { ...kubectlEnv(home), ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdin!.on('error', () => {});
    child.stdin!.end(opts.stdin ?? '');
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 60_000);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (c) => resolve(c));
    });
    clearTimeout(timer);
    return { code, stdout, stderr, timedOut, command };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** A long-running kubectl (e.g. `get -w`) whose stdout is read line by line. */
export interface KubectlStream {
  /** Every stdout line so far. */
  readonly lines: string[];
  /** Everything on stderr so far. */
  stderr(): string;
  /**
   * Resolves with the first line at index >= `from` that satisfies `match`; rejects after `timeoutMs`
   * or when kubectl exits first.
   */
  waitForLine(match: (line: string) => boolean, opts?: { from?: number; timeoutMs?: number }): Promise<{ line: string; index: number }>;
  /** SIGTERM (SIGKILL after 2 s); removes its cache dir. */
  stop(): Promise<void>;
}

export async function spawnKubectl(opts: Omit<KubectlOptions, 'stdin' | 'timeoutMs'>): Promise<KubectlStream> {
  const bin = kubectlBinary(opts.version);
  const home = await mkdtemp(join(tmpdir(), 'k8ts-kubectl-'));
  const args = [`--kubeconfig=${opts.kubeconfig}`, `--cache-dir=${join(home, 'cache')}`, ...opts.args];
  const child = spawnOwned(bin, args, { cwd: opts.cwd, env: kubectlEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  let closed = false;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of waiters) w();
  };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    wake();
  });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  child.once('close', () => {
    closed = true;
    wake();
  });
  const command = `kubectl.${opts.version} ${opts.args.join(' ')}`;
  return {
    lines,
    stderr: () => stderr,
    waitForLine(match, o = {}) {
      const from = o.from ?? 0;
      const timeoutMs = o.timeoutMs ?? 15_000;
      return new Promise((resolve, reject) => {
        const check = () => {
          for (let i = from; i < lines.length; i++) {
            if (match(lines[i]!)) {
              done();
              resolve({ line: lines[i]!, index: i });
              return;
            }
          }
          if (closed) {
            done();
            reject(new Error(`${command} exited before the expected line; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${command}: no matching line within ${timeoutMs} ms; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      await stopChild(child, { graceMs: 2000 });
      await rm(home, { recursive: true, force: true });
    },
  };
}
