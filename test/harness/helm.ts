// Runs the helm binaries tools/helm.mjs installs (helm 3 and 4) with an isolated HOME and cache, against a
// kubeconfig; like test/harness/kubectl.ts, results are values and a non-zero exit never throws.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './apiserver-process.js';

export const helmVersions = ['3.17.3', '4.1.4'] as const;
export type HelmVersion = (typeof helmVersions)[number];

/** The installed binary; throws (never skips) when `npm test` / `node tools/helm.mjs` has not installed it. */
export function helmBinary(version: HelmVersion): string {
  const path = join(repoRoot, '.cache', 'helm', version, 'helm');
  if (!existsSync(path)) throw new Error(`helm ${version} is not installed at ${path}: run \`node tools/helm.mjs\` (npm test does)`);
  return path;
}

export interface HelmResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  command: string;
}

/** A result as an assertion message. */
export function describeHelmResult(r: HelmResult): string {
  return `${r.command} → exit ${r.code}${r.timedOut ? ' (timed out)' : ''}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

/** Runs helm to completion with only PATH, a fresh HOME and KUBECONFIG in its environment. */
export async function helm(opts: { version: HelmVersion; kubeconfig: string; args: string[]; stdin?: string; timeoutMs?: number }): Promise<HelmResult> {
  const home = await mkdtemp(join(tmpdir(), 'k8ts-helm-home-'));
  const command = `helm.${opts.version} ${opts.args.join(' ')}`;
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    KUBECONFIG: opts.kubeconfig,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
    LANG: 'C',
  };
  try {
    return await new Promise<HelmResult>((resolve) => {
      const child = spawn(helmBinary(opts.version), opts.args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, opts.timeoutMs ?? 120_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr, timedOut, command });
      });
      child.stdin.end(opts.stdin ?? '');
    });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
