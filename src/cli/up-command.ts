// `k8ts up` (= `npm start`): the flags of the supervisor that brings the whole cluster up on this machine.
import { homedir, hostname } from 'node:os';
import { resolve } from 'node:path';
import { realpathSync } from 'node:fs';
import { FlagSet } from '../base/flag-set.js';
import { configureLogging } from '../base/logger.js';
import { up, type UpOptions } from '../cluster/up.js';

/** The program that runs `k8ts <command>` for the children: this very node and script. */
function selfProgram(): string[] {
  const script = process.argv[1];
  return script ? [process.execPath, realpathSync(script)] : [process.execPath];
}

export function newUpFlagSet(home: string): { flags: FlagSet; options: UpOptions } {
  const o: UpOptions = {
    program: selfProgram(),
    dataDir: `${home}/.k8ts`,
    // Loopback by default: a single-machine cluster; pass --bind-address=0.0.0.0 to serve the network.
    bindAddress: '127.0.0.1',
    securePort: 6443,
    datastoreEndpoint: '',
    etcdServers: [],
    etcdCAFile: '',
    etcdCertFile: '',
    etcdKeyFile: '',
    verbosity: 0,
    loggingFormat: 'text',
    controllerManagerPort: 10257,
    schedulerPort: 10259,
    nodeName: hostname().toLowerCase(),
    keyAlgorithm: 'rsa',
    gracePeriodMs: 10_000,
    out: process.stdout,
  };
  const fs = new FlagSet('k8ts up');
  fs.string(o, 'dataDir', { name: 'data-dir', usage: 'Directory for the datastore, certificates, logs and admin.conf.' });
  fs.string(o, 'bindAddress', { name: 'bind-address', usage: 'IP the apiserver listens on (0.0.0.0 serves the network; clients still need certificates or tokens).' });
  fs.int(o, 'controllerManagerPort', { name: 'controller-manager-port', usage: 'Loopback port of kube-controller-manager /healthz and /metrics.' });
  fs.int(o, 'schedulerPort', { name: 'scheduler-port', usage: 'Loopback port of kube-scheduler /healthz and /metrics.' });
  fs.string(o, 'nodeName', { name: 'node-name', usage: 'This machine\'s node name (the kubelet identity system:node:<name> in the generated PKI).' });
  fs.enum(o, 'keyAlgorithm', ['rsa', 'ecdsa'], { name: 'key-algorithm', usage: 'Key type of generated certificates: rsa (2048) or ecdsa (P-256).' });
  fs.int(o, 'securePort', { name: 'secure-port', usage: 'HTTPS port of the apiserver.' });
  fs.string(o, 'datastoreEndpoint', { name: 'datastore-endpoint', usage: 'sqlite:///path/state.db or memory:// (default: SQLite under --data-dir).' });
  fs.stringSlice(o, 'etcdServers', { name: 'etcd-servers', usage: 'Use these etcd servers instead of the embedded datastore.' });
  fs.string(o, 'etcdCAFile', { name: 'etcd-cafile', usage: 'CA that verifies etcd servers.' });
  fs.string(o, 'etcdCertFile', { name: 'etcd-certfile', usage: 'Client certificate for etcd.' });
  fs.string(o, 'etcdKeyFile', { name: 'etcd-keyfile', usage: 'Client key for etcd.' });
  fs.duration(o, 'gracePeriodMs', 'ms', { name: 'shutdown-grace-period', usage: 'How long each component may take to stop before it is killed.' });
  fs.int(o, 'verbosity', { name: 'v', shorthand: 'v', type: 'Level', usage: 'Log verbosity of the supervisor and every component.' });
  fs.enum(o, 'loggingFormat', ['text', 'json'], { name: 'logging-format', usage: 'Log format: text (klog) or json.' });
  return { flags: fs, options: o };
}

/** Runs `k8ts up` with `args` until `shutdown` aborts; returns the exit code. */
export async function runUp(args: string[], shutdown: AbortSignal): Promise<number> {
  const { flags, options } = newUpFlagSet(homedir());
  const parsed = flags.parse(args);
  if (parsed.kind === 'help') {
    process.stdout.write(`Bring a k8ts cluster up on this machine: every component as a supervised child process.\n\nUsage:\n  k8ts up [flags]\n\nFlags:\n${flags.usage()}`);
    return 0;
  }
  if (parsed.kind === 'error' || parsed.args.length > 0) {
    const message = parsed.kind === 'error' ? parsed.message : `"up" does not take any arguments, got ${JSON.stringify(parsed.args)}`;
    process.stderr.write(`Error: ${message}\nRun 'k8ts up --help' for usage.\n`);
    return 2;
  }
  options.dataDir = resolve(options.dataDir);
  configureLogging({ format: options.loggingFormat, verbosity: options.verbosity });
  return up(options, shutdown);
}
