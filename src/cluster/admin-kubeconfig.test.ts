// The admin kubeconfig is a valid v1 Config that real kubectl reads: server, CA data, current context.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { adminKubeconfig, placeholderToken } from './admin-kubeconfig.js';
import { apiserverArgs, clientHost } from './up.js';

const kubectl = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';
const ca = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';

test('adminKubeconfig has one cluster, user and current context', () => {
  const doc = parse(adminKubeconfig({ server: 'https://127.0.0.1:6443', caPEM: ca }));
  assert.deepEqual(doc, {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'k8ts', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': Buffer.from(ca).toString('base64') } }],
    users: [{ name: 'k8ts-admin', user: { token: placeholderToken } }],
    contexts: [{ name: 'k8ts', context: { cluster: 'k8ts', user: 'k8ts-admin' } }],
    'current-context': 'k8ts',
    preferences: {},
  });
});

test('kubectl reads the kubeconfig', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-kubeconfig-'));
  try {
    const path = join(dir, 'admin.conf');
    await writeFile(path, adminKubeconfig({ server: 'https://127.0.0.1:16443', caPEM: ca, clusterName: 'lab' }));
    const r = spawnSync(kubectl, ['config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server} {.contexts[0].context.user}'], {
      encoding: 'utf8',
      env: { ...process.env, KUBECONFIG: path },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'https://127.0.0.1:16443 lab-admin');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('clientHost picks what a local client dials for a bind address', () => {
  const cases: [string, string][] = [
    ['0.0.0.0', '127.0.0.1'],
    ['::', '127.0.0.1'],
    ['127.0.0.1', '127.0.0.1'],
    ['::1', '[::1]'],
    ['192.0.2.5', '192.0.2.5'],
  ];
  for (const [bind, want] of cases) assert.equal(clientHost(bind), want, bind);
});

test('apiserverArgs passes storage, port and logging through in upstream spelling', () => {
  const base = {
    program: ['node', 'k8ts'],
    dataDir: '/d',
    bindAddress: '127.0.0.1',
    securePort: 6443,
    datastoreEndpoint: '',
    etcdServers: [] as string[],
    etcdCAFile: '',
    etcdCertFile: '',
    etcdKeyFile: '',
    verbosity: 2,
    loggingFormat: 'json' as const,
    gracePeriodMs: 1000,
    out: { write: () => true },
  };
  assert.deepEqual(apiserverArgs(base), ['--data-dir=/d', '--bind-address=127.0.0.1', '--secure-port=6443', '--v=2', '--logging-format=json']);
  assert.deepEqual(apiserverArgs({ ...base, etcdServers: ['https://e1:2379', 'https://e2:2379'], etcdCAFile: '/ca', datastoreEndpoint: 'memory://' }).slice(5), [
    '--datastore-endpoint=memory://',
    '--etcd-servers=https://e1:2379,https://e2:2379',
    '--etcd-cafile=/ca',
  ]);
});
