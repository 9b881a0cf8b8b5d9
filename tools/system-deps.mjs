// Installs the Debian packages k8ts' tests and `k8ts up` need, when they are missing.
// Exits non-zero (never skips) when a package is missing and cannot be installed.
import { execFileSync, spawnSync } from 'node:child_process';

/** binary on PATH → Debian package that provides it */
export const required = [
  { bin: 'etcd', pkg: 'etcd-server' },
  { bin: 'etcdctl', pkg: 'etcd-client' },
  { bin: 'openssl', pkg: 'openssl' },
  // cfssl and cfssljson both ship in golang-cfssl: the PKI tests sign certificates the tutorials' way.
  { bin: 'cfssl', pkg: 'golang-cfssl' },
  { bin: 'cfssljson', pkg: 'golang-cfssl' },
];

function have(bin) {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}

export function ensureSystemDeps(list = required) {
  const missing = list.filter((d) => !have(d.bin));
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((d) => d.pkg))];
  if (process.getuid?.() !== 0) {
    throw new Error(`missing ${missing.map((d) => d.bin).join(', ')}; install as root: apt-get install -y ${pkgs.join(' ')}`);
  }
  process.stderr.write(`installing Debian packages: ${pkgs.join(' ')}\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
  } catch {
    execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
  }
  const still = list.filter((d) => !have(d.bin));
  if (still.length) throw new Error(`still missing after install: ${still.map((d) => d.bin).join(', ')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) ensureSystemDeps();
