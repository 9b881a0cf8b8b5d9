// `k8ts certs generate`: writes the kubeadm-style certificate tree of a cluster (src/pki/cluster-pki.ts).
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { FlagSet } from '../base/flag-set.js';
import { realClock, type Clock } from '../base/clock.js';
import { defaultServiceClusterIPRange, generateClusterPKI } from '../pki/cluster-pki.js';
import { keyAlgorithms, type KeyAlgorithm } from '../pki/keys.js';

/** Where a one-shot tool command writes and which clock it reads. */
export interface ToolCommandIO {
  home: string;
  stdout(text: string): void;
  stderr(text: string): void;
  clock?: Clock;
}

interface CertsOptions {
  dir: string;
  nodeName: string;
  apiserverSANs: string[];
  serviceClusterIPRange: string;
  keyAlgorithm: string;
}

const usageText = `Generate the certificates and keys of a cluster, kubeadm-style, under DIR/pki.

Usage:
  k8ts certs generate [flags]

Existing files are kept, never overwritten.

Flags:
`;

/** Runs `k8ts certs <args>`; returns the exit code. */
export async function runCerts(args: string[], io: ToolCommandIO): Promise<number> {
  const o: CertsOptions = {
    dir: `${io.home}/.k8ts`,
    nodeName: hostname().toLowerCase(),
    apiserverSANs: [],
    serviceClusterIPRange: defaultServiceClusterIPRange,
    keyAlgorithm: 'rsa',
  };
  const fs = new FlagSet('k8ts certs generate');
  fs.string(o, 'dir', { name: 'dir', usage: 'Cluster directory; certificates and keys go to DIR/pki.' });
  fs.string(o, 'nodeName', { name: 'node-name', usage: 'This node\'s name: the kubelet identity system:node:NAME and the etcd serving name.' });
  fs.stringSlice(o, 'apiserverSANs', { name: 'apiserver-sans', usage: 'Extra Subject Alternative Names (DNS names or IPs) for the apiserver serving certificate.' });
  fs.string(o, 'serviceClusterIPRange', { name: 'service-cluster-ip-range', usage: 'Service CIDR(s); the first IP of each is an apiserver SAN.' });
  fs.enum(o, 'keyAlgorithm', keyAlgorithms, { name: 'key-algorithm', usage: 'Key type of new keys: rsa (2048 bits) or ecdsa (P-256).' });
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    // As a cobra command group: help on stdout, success.
    io.stdout(usageText + fs.usage());
    return 0;
  }
  if (sub !== 'generate') {
    io.stderr(`Error: unknown command "${sub}" for "k8ts certs"\nRun 'k8ts certs --help' for usage.\n`);
    return 2;
  }
  const parsed = fs.parse(rest);
  if (parsed.kind === 'help') {
    io.stdout(usageText + fs.usage());
    return 0;
  }
  if (parsed.kind === 'error' || parsed.args.length > 0) {
    io.stderr(`Error: ${parsed.kind === 'error' ? parsed.message : `unexpected arguments ${JSON.stringify(parsed.args)}`}\nRun 'k8ts certs generate --help' for usage.\n`);
    return 2;
  }
  const dir = resolve(o.dir);
  try {
    const outcomes = await generateClusterPKI({
      dir,
      nodeName: o.nodeName,
      apiserverSANs: o.apiserverSANs,
      serviceClusterIPRange: o.serviceClusterIPRange,
      keyAlgorithm: o.keyAlgorithm as KeyAlgorithm,
      now: new Date((io.clock ?? realClock).now()),
    });
    for (const f of outcomes) io.stdout(`[certs] ${f.action === 'created' ? 'Generated' : 'Using existing'} ${f.path}\n`);
  } catch (err) {
    io.stderr(`Error: ${(err as Error).message}\n`);
    return 1;
  }
  io.stdout(`[certs] Certificates and keys are in ${dir}/pki\n`);
  return 0;
}
