// In-cluster config from a fake service-account mount under a temp root, and the loader's fallback to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errNotInCluster, inClusterConfig, inClusterNamespace, serviceAccountDir } from './in-cluster.js';
import { loadClientConfig } from './loader.js';

function fakePod(t: { after(fn: () => void): void }, files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'in-cluster-test-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, serviceAccountDir);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return root;
}

test('inClusterConfig reads the service environment and the mounted service-account files', (t) => {
  const root = fakePod(t, { token: 'tok\n', 'ca.crt': 'CA PEM\n', namespace: 'team-a' });
  const cases = [
    { name: 'IPv4', env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, wantHost: 'https://10.0.0.1:443' },
    { name: 'IPv6', env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '6443' }, wantHost: 'https://[fd00::1]:6443' },
  ];
  for (const c of cases) {
    assert.deepEqual(inClusterConfig({ env: c.env, root }), { host: c.wantHost, bearerTokenFile: join(root, serviceAccountDir, 'token'), caData: 'CA PEM\n' }, c.name);
  }
  assert.equal(inClusterNamespace({ root }), 'team-a');
});

test('inClusterConfig fails outside a pod: no service environment, or no token', (t) => {
  const root = fakePod(t, {});
  assert.throws(() => inClusterConfig({ env: { KUBERNETES_SERVICE_HOST: '10.0.0.1' }, root }), { message: errNotInCluster });
  assert.throws(() => inClusterConfig({ env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, root }), { code: 'ENOENT' });
  assert.equal(inClusterNamespace({ root }), undefined);
});

test('the loader uses in-cluster config only when no kubeconfig names anything', (t) => {
  const root = fakePod(t, { token: 'tok', namespace: 'team-b' });
  const env = { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' };
  const got = loadClientConfig({ env, homeDir: root, inClusterRoot: root });
  assert.deepEqual(got, { config: { host: 'https://10.0.0.1:443', bearerTokenFile: join(root, serviceAccountDir, 'token') }, namespace: 'team-b', context: '' });
  const explicit = loadClientConfig({ env, homeDir: root, inClusterRoot: root, master: 'http://127.0.0.1:8080' });
  assert.equal(explicit.config.host, 'http://127.0.0.1:8080', '--master wins over in-cluster discovery');
});
