// buildKubeconfig writes byte for byte what `kubectl config set-cluster/set-credentials/set-context/use-context`
// writes for the same values, for every supported kubectl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildKubeconfig, writeKubeconfigFile, type KubeconfigSpec } from './kubeconfig.js';
import { encodePrivateKeyPEM, generatePrivateKey } from './keys.js';
import { newSelfSignedCACert } from './certificate.js';
import { withTempDir } from './testing/pki-tools.js';

const kubectlDir = '/usr/lib/google-cloud-sdk/bin';

function kubectl(version: string, args: string[], cwd: string): void {
  const r = spawnSync(join(kubectlDir, `kubectl.${version}`), args, { cwd, encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: cwd } });
  if (r.status !== 0) throw new Error(`kubectl.${version} ${args.join(' ')}: ${r.error?.message ?? r.stderr}`);
}

test('buildKubeconfig equals kubectl config output', async () => {
  await withTempDir(async (dir) => {
    const key = await generatePrivateKey('ecdsa');
    const keyPEM = encodePrivateKeyPEM(key);
    const certPEM = await newSelfSignedCACert({ key, commonName: 'x', now: new Date(), validitySeconds: 3600 });
    await writeFile(join(dir, 'ca.crt'), certPEM);
    await writeFile(join(dir, 'c.crt'), certPEM);
    await writeFile(join(dir, 'c.key'), keyPEM);
    const cases: Array<{ name: string; spec: KubeconfigSpec }> = [
      { name: 'admin', spec: { clusterName: 'kubernetes', server: 'https://127.0.0.1:6443', caPEM: certPEM, userName: 'kubernetes-admin', clientCertificatePEM: certPEM, clientKeyPEM: keyPEM } },
      { name: 'node', spec: { clusterName: 'kubernetes-the-hard-way', server: 'https://10.240.0.10:6443', caPEM: certPEM, userName: 'system:node:worker-0', clientCertificatePEM: certPEM, clientKeyPEM: keyPEM, contextName: 'default' } },
      { name: 'token user with namespace', spec: { clusterName: 'k', server: 'https://[::1]:6443', caPEM: certPEM, userName: 'bob', token: 'abc.def', namespace: 'team-a' } },
    ];
    for (const version of ['1.27', '1.33']) {
      for (const c of cases) {
        const file = join(dir, `${c.name}-${version}.conf`);
        const s = c.spec;
        const kc = `--kubeconfig=${file}`;
        kubectl(version, ['config', 'set-cluster', s.clusterName, kc, `--server=${s.server}`, '--certificate-authority=ca.crt', '--embed-certs=true'], dir);
        const creds = s.token ? [`--token=${s.token}`] : ['--client-certificate=c.crt', '--client-key=c.key', '--embed-certs=true'];
        kubectl(version, ['config', 'set-credentials', s.userName, kc, ...creds], dir);
        const context = s.contextName ?? `${s.userName}@${s.clusterName}`;
        kubectl(version, ['config', 'set-context', context, kc, `--cluster=${s.clusterName}`, `--user=${s.userName}`, ...(s.namespace ? [`--namespace=${s.namespace}`] : [])], dir);
        kubectl(version, ['config', 'use-context', context, kc], dir);
        assert.equal(buildKubeconfig(s), await readFile(file, 'utf8'), `${c.name} (kubectl ${version})`);
      }
    }
  });
});

test('writeKubeconfigFile writes mode 0600', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'admin.conf');
    await writeKubeconfigFile(path, { clusterName: 'c', server: 'https://127.0.0.1:1', caPEM: 'x', userName: 'u', token: 't' });
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  });
});
