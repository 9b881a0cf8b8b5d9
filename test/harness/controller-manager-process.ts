// Starts the real `k8ts controller-manager` binary against a test apiserver (its kubeconfig), with
// /healthz and /metrics (HTTPS, self-signed) on a free loopback port, and stops or kills it — for e2e tests and benchmarks.
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { ensureBuilt, repoRoot } from './apiserver-process.js';
import { freePort } from './free-port.js';
import { exited, spawnOwned, stopChild } from './owned-processes.js';

export interface StartControllerManagerOptions {
  kubeconfigPath: string;
  /** Directory for the log file. */
  logDir: string;
  /** Default false: tests that want the Lease pass true. */
  leaderElect?: boolean;
  extraArgs?: string[];
  /** How long to wait for /healthz (default 30 s). */
  readyTimeoutMs?: number;
}

export interface ControllerManagerProcess {
  readonly pid: number;
  /** The /healthz and /metrics port. */
  readonly port: number;
  readonly logPath: string;
  logTail(lines?: number): Promise<string>;
  /** GET https://127.0.0.1:<port><path> (certificate not verified): status and body. */
  get(path: string): Promise<{ status: number; body: string }>;
  /** SIGTERM, then SIGKILL after a grace period. */
  stop(): Promise<void>;
  /** Sends `signal` (default SIGKILL) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Resolves with the exit code or signal once the process has exited. */
  readonly exit: Promise<number | NodeJS.Signals>;
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    // The manager's self-signed serving certificate is not verified, as the apiserver's own probes do.
    const req = httpsGet({ host: '127.0.0.1', port, path, agent: false, timeout: 2000, rejectUnauthorized: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ status: 0, body: '' }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
  });
}

async function tail(path: string, lines = 40): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function startControllerManager(opts: StartControllerManagerOptions): Promise<ControllerManagerProcess> {
  ensureBuilt();
  const port = await freePort();
  const logPath = join(opts.logDir, `controller-manager-${port}.log`);
  const log = openSync(logPath, 'a');
  const args = [
    join(repoRoot, 'bin', 'k8ts'),
    'controller-manager',
    `--kubeconfig=${opts.kubeconfigPath}`,
    `--leader-elect=${opts.leaderElect ?? false}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${port}`,
    ...(opts.extraArgs ?? []),
  ];
  // K8TS_SUPERVISED: the process stops when its stdin closes, so it dies with the test even on SIGKILL.
  const child: ChildProcess = spawnOwned(process.execPath, args, { cwd: repoRoot, stdio: ['pipe', log, log], env: { ...process.env, K8TS_SUPERVISED: '1' } });
  closeSync(log);
  const exit = exited(child);
  let gone = false;
  void exit.then(() => (gone = true));
  const deadline = performance.now() + (opts.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (gone) throw new Error(`k8ts controller-manager exited with ${await exit}:\n${await tail(logPath)}`);
    if (performance.now() > deadline) {
      await stopChild(child, { graceMs: 1000 });
      throw new Error(`k8ts controller-manager not healthy in time:\n${await tail(logPath)}`);
    }
    if ((await get(port, '/healthz')).status === 200) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    pid: child.pid ?? -1,
    port,
    logPath,
    exit,
    logTail: (lines?: number) => tail(logPath, lines),
    get: (path: string) => get(port, path),
    stop: () => stopChild(child, { graceMs: 5000 }),
    kill: async (signal: NodeJS.Signals = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exit;
    },
  };
}
