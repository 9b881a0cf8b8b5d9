// The components `k8ts up` runs, as one explicit list in start order. Later issues append
// kube-controller-manager, kube-scheduler, kubelet, … here; each is `k8ts <command>` in a child process.
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

/** Every component of a k8ts cluster, in start order (each starts once the previous one is ready). */
export function clusterComponents(cfg: ClusterConfig): ComponentSpec[] {
  return [kubeAPIServer(cfg)];
}
