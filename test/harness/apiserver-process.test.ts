// The harness runs `bin/k8ts apiserver` ready for kubectl, stops it cleanly, and never leaves it behind:
// not even when the process that started it is killed with SIGKILL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startAPIServer } from './apiserver-process.js';
import { kubectl } from './kubectl.js';
import { exited, spawnOwned } from './owned-processes.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

test('startAPIServer: ready, verified TLS for kubectl, stop() ends it and removes its data dir', async () => {
  const server = await startAPIServer({ backend: 'memory', insecurePort: true });
  try {
    assert.ok(server.caPEM?.includes('BEGIN CERTIFICATE'), 'a CA from the cert dir, so kubectl verifies TLS');
    assert.match(server.insecureURL ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await kubectl({ version: '1.33', kubeconfig: server.kubeconfigPath, args: ['get', '--raw', '/readyz'] });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ok');
  } finally {
    await server.stop();
  }
  assert.ok(await waitGone(server.pid, 1000), 'stopped');
  assert.equal(existsSync(server.dataDir), false, 'temp data dir removed');
});

test('an apiserver dies with the process that started it, even on SIGKILL', async (t) => {
  const fixture = new URL('./testdata/start-and-hang.ts', import.meta.url).pathname;
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-harness-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const owner = spawnOwned(process.execPath, ['--import', 'tsx', fixture, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: owner.stdout! }).once('line', resolve);
    owner.once('exit', (code) => reject(new Error(`fixture exited ${code} before printing a pid`)));
  });
  const pid = Number(line);
  assert.ok(pid > 0 && alive(pid), `apiserver pid ${line}`);
  owner.kill('SIGKILL');
  await exited(owner);
  const gone = await waitGone(pid, 10_000);
  if (!gone) process.kill(pid, 'SIGKILL');
  assert.ok(gone, 'the apiserver outlived its owner');
});
