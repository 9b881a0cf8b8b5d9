// Starts a real single-member etcd (Debian's etcd-server) on random loopback ports with a temp data dir,
// for tests and benchmarks that need the real thing. A missing binary is an error, never a skip.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface EtcdTLSFiles {
  /** CA that signed the client certificates (--trusted-ca-file); client certs are then required. */
  caFile: string;
  certFile: string;
  keyFile: string;
}

export interface StartEtcdOptions {
  /** The etcd binary; default: `etcd` on PATH, then /usr/bin/etcd. */
  binary?: string;
  /** Serve clients over TLS with these files and require client certificates. */
  tls?: EtcdTLSFiles;
  /** Give up when etcd is not serving after this long (default 30 s). */
  startTimeoutMs?: number;
  /** Aborting stops the process (as `stop()` does). */
  signal?: AbortSignal;
}

export interface EtcdProcess {
  /** Client URLs, e.g. ["http://127.0.0.1:40123"]. */
  endpoints: string[];
  dataDir: string;
  pid: number;
  /** Kills etcd, waits for it to exit and removes the data dir. Idempotent. */
  stop(): Promise<void>;
}

/** Finds the etcd binary or throws an error that says how to install it. */
export function findEtcdBinary(explicit?: string): string {
  const candidates = explicit ? [explicit] : [...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'etcd')), '/usr/bin/etcd'];
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new Error(
      `etcd binary not found (looked for ${candidates.join(', ')}); install Debian's etcd-server ` +
        '(apt-get install etcd-server, or `node tools/system-deps.mjs` as root)',
    );
  }
  return found;
}

/** A port that was free a moment ago on 127.0.0.1 (etcd binds it right after; start retries on a clash). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts etcd and resolves once it serves clients. */
export async function startEtcd(opts: StartEtcdOptions = {}): Promise<EtcdProcess> {
  const binary = findEtcdBinary(opts.binary);
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(binary, opts);
    } catch (err) {
      lastError = err as Error;
      // Only a port clash is worth another try.
      if (!/address already in use/.test(lastError.message)) break;
    }
  }
  throw lastError;
}

async function startOnce(binary: string, opts: StartEtcdOptions): Promise<EtcdProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-etcd-'));
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const scheme = opts.tls ? 'https' : 'http';
  const clientURL = `${scheme}://127.0.0.1:${clientPort}`;
  const peerURL = `http://127.0.0.1:${peerPort}`;
  const args = [
    '--name=k8ts-test',
    `--data-dir=${join(dataDir, 'data')}`,
    `--listen-client-urls=${clientURL}`,
    `--advertise-client-urls=${clientURL}`,
    `--listen-peer-urls=${peerURL}`,
    `--initial-advertise-peer-urls=${peerURL}`,
    `--initial-cluster=k8ts-test=${peerURL}`,
    '--initial-cluster-state=new',
    // A one-member cluster elects itself after one election timeout; keep that short.
    '--heartbeat-interval=10',
    '--election-timeout=50',
    '--logger=zap',
    '--log-outputs=stderr',
  ];
  if (opts.tls) args.push(`--cert-file=${opts.tls.certFile}`, `--key-file=${opts.tls.keyFile}`, `--trusted-ca-file=${opts.tls.caFile}`, '--client-cert-auth');
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));

  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGKILL');
      await exitedPromise;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const onAbort = (): void => void stop();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  // Never leave an etcd behind when the test process ends without calling stop().
  const onExit = (): void => {
    if (!exited) child.kill('SIGKILL');
  };
  process.once('exit', onExit);
  void exitedPromise.then(() => {
    process.removeListener('exit', onExit);
    opts.signal?.removeEventListener('abort', onAbort);
  });

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`etcd did not start within ${opts.startTimeoutMs ?? 30_000} ms:\n${log.slice(-2000)}`)), opts.startTimeoutMs ?? 30_000);
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        // Keep only the tail: etcd logs steadily while it runs.
        log = (log + chunk).slice(-20_000);
        if (/serving client traffic/.test(log)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once('exit', (code, sig) => {
        clearTimeout(timer);
        reject(new Error(`etcd exited (${code ?? sig}) before serving:\n${log.slice(-2000)}`));
      });
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoints: [clientURL], dataDir, pid: child.pid as number, stop };
}
