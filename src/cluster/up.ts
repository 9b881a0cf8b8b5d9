// `k8ts up`: brings a whole cluster up on this machine under one supervisor — serving certificate, admin
// kubeconfig, every component as a child process — and takes it down again on Ctrl-C/SIGTERM.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { completeAPIServerOptions, newAPIServerFlagSet } from '../apiserver/flags.js';
import { generateClusterPKI } from '../pki/cluster-pki.js';
import { writeClusterKubeconfigs } from '../pki/cluster-kubeconfigs.js';
import type { KeyAlgorithm } from '../pki/keys.js';
import { realClock, type Clock } from '../base/clock.js';
import { klog, type LoggingFormat } from '../base/logger.js';
import { clusterComponents } from './components.js';
import { LiveProgress, LogProgress, type ProgressDisplay } from './progress.js';
import { Supervisor } from './supervisor.js';

const log = klog.withName('up.ts');

export interface UpOptions {
  /** argv prefix that runs the k8ts program itself, e.g. [process.execPath, '/…/bin/k8ts']. */
  program: string[];
  /** Absolute. Holds the datastore, certificates, logs and admin.conf. */
  dataDir: string;
  bindAddress: string;
  securePort: number;
  /** Empty: the embedded SQLite datastore under dataDir. */
  datastoreEndpoint: string;
  etcdServers: string[];
  etcdCAFile: string;
  etcdCertFile: string;
  etcdKeyFile: string;
  verbosity: number;
  loggingFormat: LoggingFormat;
  /** Plain-HTTP /healthz and /metrics ports of kube-controller-manager and kube-scheduler (upstream 10257, 10259). */
  controllerManagerPort: number;
  schedulerPort: number;
  /** This machine's node name: the kubelet identity system:node:<nodeName> in the PKI (default: the host name). */
  nodeName: string;
  /** Key type of generated certificates (kubeadm's default is RSA 2048). */
  keyAlgorithm: KeyAlgorithm;
  /** SIGTERM → SIGKILL delay for each child on shutdown. */
  gracePeriodMs: number;
  /** Where the progress display and instructions go. */
  out: { write(s: string): unknown; isTTY?: boolean; columns?: number };
  /** Live display on a terminal (default: out.isTTY and not CI). */
  live?: boolean;
  clock?: Clock;
}

/** What a client should dial for a given bind address. */
export function clientHost(bindAddress: string): string {
  if (['', '0.0.0.0', '::', '127.0.0.1'].includes(bindAddress)) return '127.0.0.1';
  return bindAddress.includes(':') ? `[${bindAddress}]` : bindAddress;
}

/** The service-account token issuer `up` configures (kubeadm's choice). */
export const serviceAccountIssuer = 'https://kubernetes.default.svc.cluster.local';

/**
 * The `k8ts apiserver` flags `up` passes: storage and ports, and the security set-up a kubeadm cluster has —
 * serving and client-CA certificates from <data-dir>/pki, service-account token keys, Node,RBAC
 * authorization, the NodeRestriction admission plugin and the front-proxy settings of the aggregation layer.
 */
export function apiserverArgs(o: UpOptions): string[] {
  const pki = (f: string) => join(o.dataDir, 'pki', f);
  const args = [
    `--data-dir=${o.dataDir}`,
    `--bind-address=${o.bindAddress}`,
    `--secure-port=${o.securePort}`,
    `--tls-cert-file=${pki('apiserver.crt')}`,
    `--tls-private-key-file=${pki('apiserver.key')}`,
    `--client-ca-file=${pki('ca.crt')}`,
    `--service-account-key-file=${pki('sa.pub')}`,
    `--service-account-signing-key-file=${pki('sa.key')}`,
    `--service-account-issuer=${serviceAccountIssuer}`,
    '--authorization-mode=Node,RBAC',
    '--enable-admission-plugins=NodeRestriction',
    // kubeadm's setting: system pods (kube-proxy, CNI daemons) run privileged.
    '--allow-privileged=true',
    `--kubelet-client-certificate=${pki('apiserver-kubelet-client.crt')}`,
    `--kubelet-client-key=${pki('apiserver-kubelet-client.key')}`,
    // The aggregation layer, as kubeadm sets it up: extension apiservers (metrics-server and the like) trust
    // requests signed by the front-proxy CA and read the user from these headers.
    `--requestheader-client-ca-file=${pki('front-proxy-ca.crt')}`,
    '--requestheader-allowed-names=front-proxy-client',
    '--requestheader-username-headers=X-Remote-User',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    `--proxy-client-cert-file=${pki('front-proxy-client.crt')}`,
    `--proxy-client-key-file=${pki('front-proxy-client.key')}`,
    `--v=${o.verbosity}`,
    `--logging-format=${o.loggingFormat}`,
  ];
  if (o.datastoreEndpoint) args.push(`--datastore-endpoint=${o.datastoreEndpoint}`);
  if (o.etcdServers.length > 0) args.push(`--etcd-servers=${o.etcdServers.join(',')}`);
  if (o.etcdCAFile) args.push(`--etcd-cafile=${o.etcdCAFile}`);
  if (o.etcdCertFile) args.push(`--etcd-certfile=${o.etcdCertFile}`);
  if (o.etcdKeyFile) args.push(`--etcd-keyfile=${o.etcdKeyFile}`);
  return args;
}

/**
 * One `k8ts up` per data dir: two supervisors would run two apiservers on one SQLite file. Returns a
 * release function, or an error message when a live process holds the lock.
 */
async function lockDataDir(dataDir: string): Promise<(() => Promise<void>) | string> {
  const path = join(dataDir, 'up.pid');
  try {
    const pid = Number((await readFile(path, 'utf8')).trim());
    if (pid > 0 && pid !== process.pid) {
      try {
        process.kill(pid, 0);
        return `another k8ts up (pid ${pid}) is using ${dataDir}; stop it first or pass a different --data-dir`;
      } catch {
        // stale lock of a process that is gone
      }
    }
  } catch {
    // no lock yet
  }
  await writeFile(path, `${process.pid}\n`);
  return () => rm(path, { force: true });
}

/** Kubeconfigs `up` writes next to pki/, one per identity (rewritten on every start: the server may change). */
const componentKubeconfigs = ['admin.conf', 'controller-manager.conf', 'scheduler.conf', 'kubelet.conf', 'kube-proxy.conf'];

/**
 * The cluster's PKI (kubeadm's tree, generated once and kept across restarts) and each component's
 * kubeconfig with its own client certificate. Returns the cluster CA (PEM), which verifies the apiserver.
 */
async function ensureClusterCredentials(o: UpOptions, apiserverURL: string): Promise<string> {
  const now = new Date((o.clock ?? realClock).now());
  const created = (await generateClusterPKI({ dir: o.dataDir, nodeName: o.nodeName, keyAlgorithm: o.keyAlgorithm, now })).filter((f) => f.action === 'created');
  if (created.length > 0) log.info('Generated the cluster PKI', { dir: join(o.dataDir, 'pki'), files: created.length });
  await Promise.all(componentKubeconfigs.map((f) => rm(join(o.dataDir, f), { force: true })));
  await writeClusterKubeconfigs({ dir: o.dataDir, server: apiserverURL, nodeName: o.nodeName, keyAlgorithm: o.keyAlgorithm, now });
  return readFile(join(o.dataDir, 'pki', 'ca.crt'), 'utf8');
}

/**
 * Runs the cluster until `signal` aborts. Returns the exit code: 0 after a clean shutdown, 1 when it could
 * not start (the reason is logged).
 */
export async function up(o: UpOptions, signal: AbortSignal): Promise<number> {
  await mkdir(o.dataDir, { recursive: true, mode: 0o700 });
  const lock = await lockDataDir(o.dataDir);
  if (typeof lock === 'string') {
    log.error('Cannot start', undefined, { reason: lock });
    return 1;
  }
  try {
    // The apiserver child resolves its options from these same flags; parsing them here too means the
    // supervisor and the child agree on the cert dir without a second source of truth.
    const args = apiserverArgs(o);
    const { flags, options } = newAPIServerFlagSet(homedir());
    const parsed = flags.parse(args);
    const problems = parsed.kind === 'error' ? [parsed.message] : completeAPIServerOptions(flags, options);
    if (problems.length > 0) {
      for (const p of problems) log.error('Invalid apiserver configuration', undefined, { problem: p });
      return 1;
    }
    const apiserverURL = `https://${clientHost(o.bindAddress)}:${o.securePort}`;
    const caPEM = await ensureClusterCredentials(o, apiserverURL);
    const kubeconfigPath = join(o.dataDir, 'admin.conf');

    const components = clusterComponents({
      program: o.program,
      dataDir: o.dataDir,
      apiserverArgs: args,
      apiserverURL,
      caPEM,
      controllerManagerPort: o.controllerManagerPort,
      schedulerPort: o.schedulerPort,
      verbosity: o.verbosity,
      loggingFormat: o.loggingFormat,
    });
    const clock = o.clock ?? realClock;
    const live = o.live ?? (o.out.isTTY === true && !process.env.CI && o.loggingFormat === 'text');
    const display: ProgressDisplay = live ? new LiveProgress(o.out, clock) : new LogProgress(log, o.out);
    display.println(`Starting k8ts in ${o.dataDir} (logs in ${join(o.dataDir, 'logs')})`);
    const supervisor = new Supervisor({ components, gracePeriodMs: o.gracePeriodMs, onStatus: (s) => display.update(s), clock });
    const done = supervisor.run(signal);
    supervisor.ready.then(
      () =>
        display.println(
          [
            '',
            'k8ts is up. In another terminal:',
            '',
            `  export KUBECONFIG=${kubeconfigPath}`,
            '  kubectl get ns',
            '',
            'Press Ctrl-C to stop the cluster.',
            '',
          ].join('\n'),
        ),
      () => {},
    );
    try {
      await done;
    } finally {
      display.close();
    }
    return 0;
  } finally {
    await lock();
  }
}
