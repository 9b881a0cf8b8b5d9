// Tests for choosing a backend from the apiserver's flags.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from './factory.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-factory-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('openStore picks the backend from the flags', async () => {
  const dbPath = join(dir, 'deep', 'state.db');
  const cases: { name: string; datastoreEndpoint: string; etcdServers: string[]; backend: string }[] = [
    { name: 'sqlite with an absolute path', datastoreEndpoint: `sqlite://${dbPath}`, etcdServers: [], backend: 'sqlite' },
    { name: 'memory', datastoreEndpoint: 'memory://', etcdServers: [], backend: 'memory' },
    { name: 'etcd wins over the datastore endpoint', datastoreEndpoint: 'memory://', etcdServers: ['http://127.0.0.1:2379,http://127.0.0.1:22379'], backend: 'etcd' },
  ];
  for (const c of cases) {
    const store = await openStore({ datastoreEndpoint: c.datastoreEndpoint, etcdServers: c.etcdServers });
    try {
      assert.equal(store.backend, c.backend, c.name);
    } finally {
      await store.close();
    }
  }
  assert.ok(existsSync(dbPath), 'the sqlite file and its parent directories are created');
});

test('openStore rejects endpoints it does not understand, naming the accepted forms', async () => {
  for (const bad of ['postgres://db/k8s', 'sqlite://', 'sqlite:///tmp/x.db?_journal=WAL', 'memory://x', '', '/var/lib/k8ts/state.db']) {
    await assert.rejects(openStore({ datastoreEndpoint: bad, etcdServers: [] }), /sqlite:\/\/\/absolute\/path\/state\.db/, bad);
  }
});
