// End to end, the k8ts path: `k8ts certs generate` and `k8ts kubeconfig` make the tree, the apiserver runs on
// it with Node,RBAC, and kubectl uses the generated kubeconfigs unchanged, verifying the serving certificate.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, repoRoot, startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { kubectl } from '../harness/kubectl.js';
import { explain } from './pki-helpers.js';

function k8ts(args: string[]): string {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'k8ts'), ...args], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `k8ts ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

describe('k8ts certs generate + k8ts kubeconfig, apiserver with Node,RBAC', () => {
  let dir: string;
  let server: APIServerProcess;

  before(async () => {
    ensureBuilt();
    dir = await mkdtemp(join(tmpdir(), 'k8ts-e2e-generated-'));
    assert.match(k8ts(['certs', 'generate', `--dir=${dir}`, '--node-name=n1', '--key-algorithm=ecdsa']), /Generated pki\/apiserver\.crt/);
    const pki = (f: string) => join(dir, 'pki', f);
    server = await startAPIServer({
      backend: 'memory',
      extraArgs: [
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

  test('the admin can do anything; the scheduler only what its role allows', async () => {
    const admin = await kubectl({ version: '1.27', kubeconfig: join(dir, 'admin.conf'), args: ['create', 'namespace', 'generated'] });
    assert.equal(admin.code, 0, explain(admin));
    const nodes = await kubectl({ version: '1.27', kubeconfig: join(dir, 'scheduler.conf'), args: ['get', 'nodes'] });
    assert.equal(nodes.code, 0, explain(nodes));
    const secrets = await kubectl({ version: '1.27', kubeconfig: join(dir, 'scheduler.conf'), args: ['get', 'secrets', '-n', 'generated'] });
    assert.match(secrets.stderr, /secrets is forbidden: User "system:kube-scheduler" cannot list resource "secrets"/, explain(secrets));
  });
});
