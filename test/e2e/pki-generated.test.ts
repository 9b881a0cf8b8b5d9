// End to end, the k8ts path: `k8ts certs generate` and `k8ts kubeconfig` make the tree; a real etcd serves with
// its etcd/ certificates and requires client certificates (Go's TLS checks ours); the apiserver stores in it as
// apiserver-etcd-client and serves with Node,RBAC; kubectl uses the generated kubeconfigs unchanged.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, repoRoot, startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { startEtcd, type EtcdProcess } from '../../src/storage/testing/etcd-process.js';
import { kubectl } from '../harness/kubectl.js';
import { explain } from './pki-helpers.js';

function k8ts(args: string[]): string {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'k8ts'), ...args], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `k8ts ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

for (const algorithm of ['rsa', 'ecdsa']) describe(`k8ts certs generate --key-algorithm=${algorithm} + k8ts kubeconfig, apiserver with Node,RBAC`, () => {
  let dir: string;
  let server: APIServerProcess;
  let etcd: EtcdProcess;

  before(async () => {
    ensureBuilt();
    dir = await mkdtemp(join(tmpdir(), 'k8ts-e2e-generated-'));
    assert.match(k8ts(['certs', 'generate', `--dir=${dir}`, '--node-name=n1', `--key-algorithm=${algorithm}`]), /Generated pki\/apiserver\.crt/);
    const pki = (f: string) => join(dir, 'pki', f);
    etcd = await startEtcd({ tls: { caFile: pki('etcd/ca.crt'), certFile: pki('etcd/server.crt'), keyFile: pki('etcd/server.key') } });
    server = await startAPIServer({
      backend: 'etcd',
      etcdServers: etcd.endpoints,
      extraArgs: [
        `--etcd-cafile=${pki('etcd/ca.crt')}`,
        `--etcd-certfile=${pki('apiserver-etcd-client.crt')}`,
        `--etcd-keyfile=${pki('apiserver-etcd-client.key')}`,
        '--authorization-mode=Node,RBAC',
        `--client-ca-file=${pki('ca.crt')}`,
        `--tls-cert-file=${pki('apiserver.crt')}`,
        `--tls-private-key-file=${pki('apiserver.key')}`,
        `--service-account-key-file=${pki('sa.pub')}`,
        `--service-account-signing-key-file=${pki('sa.key')}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      ],
    });
    assert.match(k8ts(['kubeconfig', `--dir=${dir}`, `--server=${server.url}`, '--node-name=n1']), /Wrote kubeconfig file admin\.conf/);
  });
  after(async () => {
    await server?.stop();
    await etcd?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('every generated kubeconfig authenticates as its component', async () => {
    const want: Record<string, { username: string; groups: string[] }> = {
      'admin.conf': { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] },
      'controller-manager.conf': { username: 'system:kube-controller-manager', groups: ['system:authenticated'] },
      'scheduler.conf': { username: 'system:kube-scheduler', groups: ['system:authenticated'] },
      'kubelet.conf': { username: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] },
      'kube-proxy.conf': { username: 'system:kube-proxy', groups: ['system:authenticated'] },
    };
    for (const [file, identity] of Object.entries(want)) {
      const r = await kubectl({ version: '1.33', kubeconfig: join(dir, file), args: ['auth', 'whoami', '-o', 'json'] });
      assert.equal(r.code, 0, explain(r));
      const info = (JSON.parse(r.stdout) as { status: { userInfo: { username: string; groups: string[] } } }).status.userInfo;
      assert.deepEqual({ username: info.username, groups: info.groups }, identity, file);
    }
  });

  test('etcd accepts the healthcheck client and refuses a client certificate from the cluster CA', () => {
    const etcdctl = (cert: string) =>
      spawnSync('etcdctl', [`--endpoints=${etcd.endpoints.join(',')}`, `--cacert=${join(dir, 'pki', 'etcd', 'ca.crt')}`, `--cert=${join(dir, 'pki', `${cert}.crt`)}`, `--key=${join(dir, 'pki', `${cert}.key`)}`, '--command-timeout=5s', 'endpoint', 'health'], { encoding: 'utf8', timeout: 30_000 });
    const healthy = etcdctl('etcd/healthcheck-client');
    assert.equal(healthy.status, 0, healthy.stderr);
    assert.match(healthy.stdout + healthy.stderr, /is healthy/);
    const foreign = etcdctl('admin');
    assert.notEqual(foreign.status, 0, foreign.stdout);
  });

  test('the admin can do anything; the scheduler only what its role allows', async () => {
    const admin = await kubectl({ version: '1.27', kubeconfig: join(dir, 'admin.conf'), args: ['create', 'namespace', 'generated'] });
    assert.equal(admin.code, 0, explain(admin));
    const nodes = await kubectl({ version: '1.27', kubeconfig: join(dir, 'scheduler.conf'), args: ['get', 'nodes'] });
    assert.equal(nodes.code, 0, explain(nodes));
    const secrets = await kubectl({ version: '1.27', kubeconfig: join(dir, 'scheduler.conf'), args: ['get', 'secrets', '-n', 'generated'] });
    assert.match(secrets.stderr, /secrets is forbidden: User "system:kube-scheduler" cannot list resource "secrets"/, explain(secrets));
  });
});
