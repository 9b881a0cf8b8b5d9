// Test helpers: run the real openssl and cfssl in a scratch directory, as the tutorials do, so tests can check
// that k8ts reads what they write and that they accept what k8ts writes.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs `bin args…` in `cwd`, returning stdout; throws with stderr when it exits non-zero (never skips). */
export function runTool(bin: 'openssl' | 'cfssl' | 'cfssljson', args: string[], opts: { cwd: string; stdin?: string }): string {
  const r = spawnSync(bin, args, { cwd: opts.cwd, input: opts.stdin, encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw new Error(`${bin} ${args.join(' ')}: ${r.error.message} (install it: node tools/system-deps.mjs)`);
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Runs `fn` with a fresh temp directory, removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-pki-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
