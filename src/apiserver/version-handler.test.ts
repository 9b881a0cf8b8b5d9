// Tests for /version: the fields kubectl and its dispatcher read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VersionHandler, serverVersionInfo } from './version-handler.js';

const req = (path: string, method = 'GET') => ({ method, path, query: new URLSearchParams(), headers: {} });

test('/version reports 1.36 with a semver gitVersion', async () => {
  const h = new VersionHandler(serverVersionInfo({ gitCommit: 'abc123', gitTreeState: 'clean' }));
  const res = await h.handle(req('/version'));
  assert.equal(res?.status, 200);
  assert.equal(res?.headers['Content-Type'], 'application/json');
  const body = JSON.parse(String(res?.body));
  assert.equal(body.major, '1');
  assert.equal(body.minor, '36');
  assert.match(body.gitVersion, /^v1\.36\.\d+(\+[0-9A-Za-z.-]+)?$/);
  assert.equal(body.gitCommit, 'abc123');
  assert.equal(body.gitTreeState, 'clean');
  assert.match(body.buildDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(body.platform, /^[a-z0-9]+\/[a-z0-9]+$/);
  assert.deepEqual(Object.keys(body), [
    'major', 'minor', 'emulationMajor', 'emulationMinor', 'minCompatibilityMajor', 'minCompatibilityMinor',
    'gitVersion', 'gitCommit', 'gitTreeState', 'buildDate', 'goVersion', 'compiler', 'platform',
  ]);
  assert.ok(String(res?.body).includes('\n  "major": "1"'), 'indented like upstream');
});

test('/version routing', async () => {
  const h = new VersionHandler();
  assert.equal((await h.handle(req('/version/')))?.status, 200);
  assert.equal(await h.handle(req('/versions')), undefined);
  assert.equal(await h.handle(req('/api')), undefined);
  assert.equal((await h.handle(req('/version', 'POST')))?.status, 405);
});
