// Starts what one benchmark run measures: an etcd when the backend needs one, and `bin/k8ts apiserver` on it
// with the plain-HTTP lab port open, so load generators measure the apiserver rather than TLS.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAPIServer, type APIServerProcess, type Backend } from '../test/harness/apiserver-process.js';
import { startEtcd, type EtcdProcess } from '../src/storage/testing/etcd-process.js';

export interface BenchServer {
  server: APIServerProcess;
  /** Base URL load generators use (the insecure port when open). */
  url: string;
  /** Stops the apiserver (SIGTERM) and starts it again on the same data (same data dir, same etcd). */
  restart(): Promise<APIServerProcess>;
  /** Stops everything and removes the data. */
  stop(): Promise<void>;
}

export async function startBenchServer(opts: { backend: Backend }): Promise<BenchServer> {
  const dataDir = await mkdtemp(join(tmpdir(), `k8ts-bench-${opts.backend}-`));
  let etcd: EtcdProcess | undefined;
  const start = () =>
    startAPIServer({ backend: opts.backend, dataDir, etcdServers: etcd?.endpoints, insecurePort: true, readyTimeoutMs: 120_000 });
  let server: APIServerProcess;
  try {
    if (opts.backend === 'etcd') etcd = await startEtcd();
    server = await start();
  } catch (err) {
    await etcd?.stop();
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const urlOf = (s: APIServerProcess) => s.insecureURL ?? s.url;
  const bench: BenchServer = {
    server,
    url: urlOf(server),
    async restart() {
      await server.stop(); // the harness keeps a data dir it did not make
      server = await start();
      bench.server = server;
      bench.url = urlOf(server);
      return server;
    },
    async stop() {
      await server.stop();
      await etcd?.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return bench;
}
