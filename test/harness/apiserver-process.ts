// Runs the real `bin/k8ts apiserver` as a child process for end-to-end tests and benchmarks: random free
// loopback ports, a temp data dir, a chosen storage backend, ready when /readyz says so, plus a kubeconfig.
import { closeSync, existsSync, openSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { APIClient } from './api-client.js';
import { freePort } from './free-port.js';
import { writeKubeconfig } from './kubeconfig.js';
import { exited, spawnOwned, stopChild } from './owned-processes.js';

export type Backend = 'sqlite' | 'memory' | 'etcd';
export const backends: readonly Backend[] = ['sqlite', 'memory', 'etcd'];

export const repoRoot = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const k8tsBin = join(repoRoot, 'bin', 'k8ts');

/**
 * The program run as `<program> apiserver <flags>`: bin/k8ts under this Node, or the command line in
 * K8TS_E2E_COMMAND (space-separated, e.g. a development build or an installed k8ts), to test another build.
 */
function apiserverCommand(): { command: string; args: string[]; ownBuild: boolean } {
  const override = process.env.K8TS_E2E_COMMAND?.trim();
  if (override) {
    const [command, ...args] = override.split(/\s+/);
    return { command: command!, args, ownBuild: false };
  }
  return { command: process.execPath, args: [k8tsBin], ownBuild: true };
}

export interface StartAPIServerOptions {
  backend: Backend;
  /** Data dir to use (and keep). Default: a fresh temp dir, removed by stop(). */
  dataDir?: string;
  /** Required for the etcd backend: client URLs of a running etcd (startEtcd in src/storage/testing/etcd-process.ts). */
  etcdServers?: string[];
  /** Also open the plain-HTTP lab port (--insecure-port) on a random free port. */
  insecurePort?: boolean;
  /** More flags for the apiserver. */
  extraArgs?: string[];
  /**
   * Admission plugins. Default: upstream's defaults without ServiceAccount (`--disable-admission-plugins=
   * ServiceAccount`), because a bare apiserver has no controller manager to create each namespace's `default`
   * ServiceAccount, so every pod would be refused. 'upstream-defaults': exactly upstream's defaults.
   */
  admissionPlugins?: 'upstream-defaults';
  /** How long to wait for /readyz (default 30 s). */
  readyTimeoutMs?: number;
  /**
   * A client certificate for the /readyz probe. Needed when anonymous requests are refused, e.g. with
   * --client-ca-file under AlwaysAllow (upstream turns anonymous off there, so an anonymous probe gets 401).
   */
  readyzClientCertificate?: { cert: string; key: string };
}

export interface APIServerProcess {
  readonly backend: Backend;
  readonly pid: number;
  readonly securePort: number;
  /** https://127.0.0.1:<securePort> */
  readonly url: string;
  /** http://127.0.0.1:<insecurePort> when requested. */
  readonly insecureURL?: string;
  readonly dataDir: string;
  readonly certDir: string;
  /** The CA that verifies the serving certificate, when the cert dir has one. */
  readonly caPEM?: string;
  /** A kubeconfig for this server (a token user; the apiserver has no authentication yet). */
  readonly kubeconfigPath: string;
  /** The child's combined stdout and stderr. */
  readonly logPath: string;
  /** ms from spawn until /readyz first answered 200. */
  readonly readyMs: number;
  /** A client on the insecure port when open, else on the secure port. */
  client(opts?: { maxSockets?: number }): APIClient;
  /** Last `lines` lines of the log, for failure messages. */
  logTail(lines?: number): Promise<string>;
  /** SIGTERM, then SIGKILL after a grace period; removes the data dir if the harness made it. */
  stop(): Promise<void>;
  /** Sends `signal` (default SIGKILL) and waits for the exit; keeps the data dir. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

let buildChecked = false;

/** Rebuilds dist/k8ts.js when a file under src/ is newer than it (npm test builds first, so this is for direct runs). */
export function ensureBuilt(): void {
  if (buildChecked) return;
  buildChecked = true;
  const bundle = join(repoRoot, 'dist', 'k8ts.js');
  const builtAt = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
  if (newestMtime(join(repoRoot, 'src')) <= builtAt) return;
  const r = spawnSync(process.execPath, ['tools/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building dist/k8ts.js failed');
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function backendArgs(opts: StartAPIServerOptions, dataDir: string): string[] {
  switch (opts.backend) {
    case 'sqlite':
      return [`--datastore-endpoint=sqlite://${join(dataDir, 'state.db')}`];
    case 'memory':
      return ['--datastore-endpoint=memory://'];
    case 'etcd':
      if (!opts.etcdServers?.length) throw new Error('the etcd backend needs etcdServers (start one with startEtcd)');
      return [`--etcd-servers=${opts.etcdServers.join(',')}`];
  }
}

/** One GET of https://127.0.0.1:<port><path> without certificate checks; resolves to the status, 0 on errors. */
function probe(port: number, path: string, client?: { cert: string; key: string }): Promise<number> {
  return new Promise((resolve) => {
    const req = httpsGet({ host: '127.0.0.1', port, path, rejectUnauthorized: false, agent: false, timeout: 2000, cert: client?.cert, key: client?.key }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

async function tail(path: string, lines = 40): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The CA to trust for the serving certificate: <certDir>/ca.crt, else the self-signed apiserver.crt. */
async function findCA(certDir: string): Promise<string | undefined> {
  for (const name of ['ca.crt', 'apiserver.crt']) {
    const p = join(certDir, name);
    if (existsSync(p)) return readFile(p, 'utf8');
  }
  return undefined;
}

class EADDRINUSE extends Error {}

async function startOnce(opts: StartAPIServerOptions, dataDir: string): Promise<Omit<APIServerProcess, 'stop'> & { child: ChildProcess }> {
  const securePort = await freePort();
  const insecurePort = opts.insecurePort ? await freePort() : 0;
  const certDir = join(dataDir, 'pki');
  const logPath = join(dataDir, `apiserver-${securePort}.log`);
  const args = [
    'apiserver',
    '--bind-address=127.0.0.1',
    `--secure-port=${securePort}`,
    `--insecure-port=${insecurePort}`,
    `--data-dir=${dataDir}`,
    `--cert-dir=${certDir}`,
    ...backendArgs(opts, dataDir),
    ...(opts.admissionPlugins === 'upstream-defaults' ? [] : ['--disable-admission-plugins=ServiceAccount']),
    ...(opts.extraArgs ?? []),
  ];
  const log = openSync(logPath, 'a');
  const started = performance.now();
  const program = apiserverCommand();
  // K8TS_SUPERVISED: the apiserver stops when its stdin closes, so it dies with this process even on SIGKILL.
  const child = spawnOwned(program.command, [...program.args, ...args], {
    cwd: repoRoot,
    stdio: ['pipe', log, log],
    env: { ...process.env, K8TS_SUPERVISED: '1' },
  });
  closeSync(log);
  const exit = exited(child);
  let gone = false;
  void exit.then(() => (gone = true));
  const deadline = started + (opts.readyTimeoutMs ?? 30_000);
  let readyMs = -1;
  while (readyMs < 0) {
    if (gone) {
      const text = await tail(logPath);
      if (text.includes('EADDRINUSE')) throw new EADDRINUSE(text);
      throw new Error(`k8ts apiserver exited with ${await exit} before it was ready:\n${text}`);
    }
    if (performance.now() > deadline) {
      await stopChild(child, { graceMs: 1000 });
      throw new Error(`k8ts apiserver not ready within ${opts.readyTimeoutMs ?? 30_000} ms:\n${await tail(logPath)}`);
    }
    if ((await probe(securePort, '/readyz', opts.readyzClientCertificate)) === 200) readyMs = performance.now() - started;
    else await new Promise((r) => setTimeout(r, 10));
  }
  const caPEM = await findCA(certDir);
  const url = `https://127.0.0.1:${securePort}`;
  const insecureURL = insecurePort ? `http://127.0.0.1:${insecurePort}` : undefined;
  const kubeconfigPath = join(dataDir, `kubeconfig-${securePort}.yaml`);
  await writeKubeconfig({ path: kubeconfigPath, server: url, caPEM });
  return {
    backend: opts.backend,
    child,
    pid: child.pid ?? -1,
    securePort,
    url,
    insecureURL,
    dataDir,
    certDir,
    caPEM,
    kubeconfigPath,
    logPath,
    readyMs,
    client: (c = {}) => new APIClient({ baseURL: insecureURL ?? url, caPEM, maxSockets: c.maxSockets }),
    logTail: (lines?: number) => tail(logPath, lines),
    kill: async (signal: NodeJS.Signals = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exit;
    },
  };
}

/**
 * Starts `bin/k8ts apiserver` and resolves once /readyz is 200 and the kubeconfig is written.
 * Retries with other ports when the picked port was taken meanwhile.
 */
export async function startAPIServer(opts: StartAPIServerOptions): Promise<APIServerProcess> {
  if (apiserverCommand().ownBuild) ensureBuilt();
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), `k8ts-e2e-${opts.backend}-`)));
  for (let attempt = 1; ; attempt++) {
    try {
      const server = await startOnce(opts, dataDir);
      const { child, ...rest } = server;
      return {
        ...rest,
        stop: async () => {
          await stopChild(child, { graceMs: 5000 });
          if (ownDir) await rm(dataDir, { recursive: true, force: true });
        },
      };
    } catch (err) {
      if (!(err instanceof EADDRINUSE) || attempt >= 3) {
        if (ownDir) await rm(dataDir, { recursive: true, force: true });
        throw err;
      }
    }
  }
}
