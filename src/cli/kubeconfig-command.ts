// `k8ts kubeconfig`: writes each component's kubeconfig with embedded certificates (src/pki/cluster-kubeconfigs.ts).
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { FlagSet } from '../base/flag-set.js';
import { realClock } from '../base/clock.js';
import { writeClusterKubeconfigs } from '../pki/cluster-kubeconfigs.js';
import { keyAlgorithms, type KeyAlgorithm } from '../pki/keys.js';
import type { ToolCommandIO } from './certs-command.js';

const usageText = `Write admin.conf, controller-manager.conf, scheduler.conf, kubelet.conf and kube-proxy.conf into DIR,
each with its own client certificate (issued from DIR/pki/ca.key when missing) and the CA embedded.

Usage:
  k8ts kubeconfig --server https://HOST:PORT [flags]

Existing files are kept, never overwritten.

Flags:
`;

/** Runs `k8ts kubeconfig <args>`; returns the exit code. */
export async function runKubeconfig(args: string[], io: ToolCommandIO): Promise<number> {
  const o = { dir: `${io.home}/.k8ts`, server: '', nodeName: hostname().toLowerCase(), keyAlgorithm: 'rsa' };
  const fs = new FlagSet('k8ts kubeconfig');
  fs.string(o, 'dir', { name: 'dir', usage: 'Cluster directory holding pki/ (see k8ts certs generate); kubeconfigs are written here.' });
  fs.string(o, 'server', { name: 'server', usage: 'The apiserver URL, https://HOST:PORT (required).' });
  fs.string(o, 'nodeName', { name: 'node-name', usage: 'The node whose kubelet.conf is written (user system:node:NAME).' });
  fs.enum(o, 'keyAlgorithm', keyAlgorithms, { name: 'key-algorithm', usage: 'Key type for client certificates that must be issued: rsa or ecdsa.' });
  const parsed = fs.parse(args);
  if (parsed.kind === 'help') {
    io.stdout(usageText + fs.usage());
    return 0;
  }
  const problem = parsed.kind === 'error' ? parsed.message : parsed.args.length ? `unexpected arguments ${JSON.stringify(parsed.args)}` : !o.server ? '--server is required' : undefined;
  if (problem) {
    io.stderr(`Error: ${problem}\nRun 'k8ts kubeconfig --help' for usage.\n`);
    return 2;
  }
  const dir = resolve(o.dir);
  try {
    const outcomes = await writeClusterKubeconfigs({ dir, server: o.server, nodeName: o.nodeName, keyAlgorithm: o.keyAlgorithm as KeyAlgorithm, now: new Date((io.clock ?? realClock).now()) });
    for (const f of outcomes) {
      const kind = f.path.endsWith('.conf') ? 'kubeconfig file' : 'file';
      io.stdout(`[kubeconfig] ${f.action === 'created' ? 'Wrote' : 'Using existing'} ${kind} ${f.path}\n`);
    }
  } catch (err) {
    io.stderr(`Error: ${(err as Error).message}\n`);
    return 1;
  }
  return 0;
}
