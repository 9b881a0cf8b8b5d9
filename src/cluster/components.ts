// The components `k8ts up` runs, as one explicit list in start order; each is `k8ts <command>` in a child
// process with its own identity (a kubeconfig with its client certificate, as kubeadm sets them up).
import { join } from 'node:path';
import { httpsGetOK } from './readiness.js';
import type { ComponentSpec } from './supervisor.js';

/** What every component needs to know about the cluster being brought up. */
export interface ClusterConfig {
  /** argv prefix that runs the k8ts program, e.g. [process.execPath, '/…/bin/k8ts']. */
  program: string[];
  dataDir: string;
  /** Flags for `k8ts apiserver` (storage, ports, logging), already in upstream spelling. */
  apiserverArgs: string[];
  /** https://127.0.0.1:6443 — where clients (and readiness checks) reach the apiserver. */
  apiserverURL: string;
  /** PEM CA that verifies the apiserver. */
  caPEM: string;
  /** Loopback ports of the controller manager's and scheduler's /healthz (upstream 10257 and 10259). */
  controllerManagerPort: number;
  schedulerPort: number;
  verbosity: number;
  loggingFormat: string;
}

export function kubeAPIServer(cfg: ClusterConfig): ComponentSpec {
  return {
    name: 'kube-apiserver',
    command: cfg.program[0]!,
    args: [...cfg.program.slice(1), 'apiserver', ...cfg.apiserverArgs],
    logFile: join(cfg.dataDir, 'logs', 'kube-apiserver.log'),
    ready: () => httpsGetOK({ url: `${cfg.apiserverURL}/readyz`, ca: cfg.caPEM }),
    endpoint: cfg.apiserverURL,
  };
}

/**
 * kube-controller-manager as kubeadm runs it: its own identity, one service-account identity per controller,
 * the cluster CA for kube-root-ca.crt and CSR signing, sa.key for legacy token secrets.
 */
export function kubeControllerManager(cfg: ClusterConfig): ComponentSpec {
  const pki = (f: string) => join(cfg.dataDir, 'pki', f);
  // Its secure port serves HTTPS with a self-signed pair it makes at start (as upstream): probed unverified.
  const url = `https://127.0.0.1:${cfg.controllerManagerPort}`;
  return {
    name: 'kube-controller-manager',
    command: cfg.program[0]!,
    args: [
      ...cfg.program.slice(1),
      'controller-manager',
      `--kubeconfig=${join(cfg.dataDir, 'controller-manager.conf')}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${cfg.controllerManagerPort}`,
      `--root-ca-file=${pki('ca.crt')}`,
      `--service-account-private-key-file=${pki('sa.key')}`,
      `--cluster-signing-cert-file=${pki('ca.crt')}`,
      `--cluster-signing-key-file=${pki('ca.key')}`,
      '--use-service-account-credentials=true',
      `--v=${cfg.verbosity}`,
      `--logging-format=${cfg.loggingFormat}`,
    ],
    logFile: join(cfg.dataDir, 'logs', 'kube-controller-manager.log'),
    ready: () => httpsGetOK({ url: `${url}/healthz` }),
    endpoint: url,
  };
}

export function kubeScheduler(cfg: ClusterConfig): ComponentSpec {
  const url = `https://127.0.0.1:${cfg.schedulerPort}`;
  return {
    name: 'kube-scheduler',
    command: cfg.program[0]!,
    args: [
      ...cfg.program.slice(1),
      'scheduler',
      `--kubeconfig=${join(cfg.dataDir, 'scheduler.conf')}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${cfg.schedulerPort}`,
      `--v=${cfg.verbosity}`,
      `--logging-format=${cfg.loggingFormat}`,
    ],
    logFile: join(cfg.dataDir, 'logs', 'kube-scheduler.log'),
    ready: () => httpsGetOK({ url: `${url}/healthz` }),
    endpoint: url,
  };
}

/** Every component of a k8ts cluster, in start order (each starts once the previous one is ready). */
export function clusterComponents(cfg: ClusterConfig): ComponentSpec[] {
  return [kubeAPIServer(cfg), kubeControllerManager(cfg), kubeScheduler(cfg)];
}
