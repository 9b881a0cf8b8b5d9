// Owned child processes are tracked until they exit and stopChild escalates to SIGKILL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exited, runningChildCount, spawnOwned, stopChild } from './owned-processes.js';

test('stopChild ends a child that ignores SIGTERM by SIGKILL after the grace period', async () => {
  const before = runningChildCount();
  // A shell that ignores TERM and waits on a sleep built in to sh (no grandchild survives it).
  const child = spawnOwned('sh', ['-c', 'trap "" TERM; echo ready; while :; do read -t 1 x || true; done'], { stdio: ['pipe', 'pipe', 'ignore'] });
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  assert.equal(runningChildCount(), before + 1);
  const t0 = performance.now();
  await stopChild(child, { graceMs: 300 });
  assert.ok(performance.now() - t0 >= 250, 'waited for the grace period');
  assert.equal(await exited(child), 'SIGKILL');
  assert.equal(runningChildCount(), before);
});

test('exited reports the exit code of a child that already ended', async () => {
  const child = spawnOwned('sh', ['-c', 'exit 3'], { stdio: 'ignore' });
  assert.equal(await exited(child), 3);
  assert.equal(await exited(child), 3);
});
