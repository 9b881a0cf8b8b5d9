// The k8ts program dispatches on its first argument and on the name it is invoked as.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';

const bin = new URL('../bin/k8ts', import.meta.url).pathname;

test('k8ts version prints the Kubernetes version it implements', () => {
  const out = execFileSync(bin, ['version'], { encoding: 'utf8' });
  assert.match(out, /^k8ts v1\.36\.\d+\+k8ts\n$/);
});

test('an unknown command prints usage and exits 2', () => {
  const r = spawnSync(bin, ['no-such-command'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /Usage: k8ts <command>/);
});
