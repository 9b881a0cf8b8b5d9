// Tests for the real-etcd launcher: a missing binary is a clear error, and stop() leaves nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { findEtcdBinary, startEtcd } from './etcd-process.js';

test('a missing etcd binary is an error that says how to install it', async () => {
  assert.throws(() => findEtcdBinary('/nonexistent/bin/etcd'), /etcd binary not found.*etcd-server/s);
  await assert.rejects(startEtcd({ binary: '/nonexistent/bin/etcd' }), /etcd-server/);
});

test('startEtcd serves on loopback and stop() kills it and removes its data', async () => {
  const etcd = await startEtcd();
  assert.match(etcd.endpoints[0], /^http:\/\/127\.0\.0\.1:\d+$/);
  const health = await fetch(`${etcd.endpoints[0]}/health`);
  assert.equal(health.status, 200);
  await etcd.stop();
  assert.equal(existsSync(etcd.dataDir), false);
  assert.throws(() => process.kill(etcd.pid, 0), /ESRCH/);
  await etcd.stop();
});
