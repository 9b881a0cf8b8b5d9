// End to end, the kubernetes-the-hard-way cfssl path: a CA and every identity's certificate made by
// `cfssl gencert … | cfssljson -bare`, the apiserver run with --authorization-mode=Node,RBAC on them, and
// kubectl connecting as each identity with a kubeconfig written by `kubectl config`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startAPIServer, type APIServerProcess } from '../harness/apiserver-process.js';
import { kubectl } from '../harness/kubectl.js';
import { explain, kubeconfigByKubectl } from './pki-helpers.js';

const caConfig = { signing: { default: { expiry: '8760h' }, profiles: { kubernetes: { usages: ['signing', 'key encipherment', 'server auth', 'client auth'], expiry: '8760h' } } } };

/** The tutorial's identities: file base name, CN, O, hosts. */
const identities = [
  { name: 'admin', cn: 'admin', o: 'system:masters' },
  { name: 'worker-0', cn: 'system:node:worker-0', o: 'system:nodes', hosts: ['worker-0', '10.240.0.20'] },
  { name: 'kube-controller-manager', cn: 'system:kube-controller-manager', o: 'system:kube-controller-manager' },
  { name: 'kube-proxy', cn: 'system:kube-proxy', o: 'system:node-proxier' },
  { name: 'kube-scheduler', cn: 'system:kube-scheduler', o: 'system:kube-scheduler' },
  { name: 'jane', cn: 'jane', o: 'developers' },
  { name: 'kubernetes', cn: 'kubernetes', o: 'Kubernetes', hosts: ['10.32.0.1', '127.0.0.1', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'] },
  { name: 'service-account', cn: 'service-accounts', o: 'Kubernetes' },
];

/** `cfssl <args> | cfssljson -bare <out>` in `dir`. */
function cfssl(dir: string, args: string[], out: string): void {
  const gen = spawnSync('cfssl', args, { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  if (gen.status !== 0) throw new Error(`cfssl ${args.join(' ')}: ${gen.error?.message ?? gen.stderr} (install: node tools/system-deps.mjs)`);
  const json = spawnSync('cfssljson', ['-bare', out], { cwd: dir, input: gen.stdout, encoding: 'utf8', timeout: 30_000 });
  if (json.status !== 0) throw new Error(`cfssljson -bare ${out}: ${json.error?.message ?? json.stderr}`);
}

describe('the cfssl path: Node,RBAC, every identity with its own certificate', () => {
  let dir: string;
  let server: APIServerProcess;
  const kubeconfigs = new Map<string, string>();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-e2e-cfssl-'));
    await writeFile(join(dir, 'ca-config.json'), JSON.stringify(caConfig));
    await writeFile(join(dir, 'ca-csr.json'), JSON.stringify({ CN: 'Kubernetes', key: { algo: 'rsa', size: 2048 }, names: [{ C: 'US', O: 'Kubernetes', OU: 'CA' }] }));
    cfssl(dir, ['gencert', '-initca', 'ca-csr.json'], 'ca');
    for (const id of identities) {
      // ECDSA for half of them: cfssl writes "EC PRIVATE KEY" files then.
      const key = id.name.length % 2 ? { algo: 'ecdsa', size: 256 } : { algo: 'rsa', size: 2048 };
      await writeFile(join(dir, `${id.name}-csr.json`), JSON.stringify({ CN: id.cn, key, names: [{ O: id.o }] }));
      cfssl(dir, ['gencert', '-ca=ca.pem', '-ca-key=ca-key.pem', '-config=ca-config.json', ...(id.hosts ? [`-hostname=${id.hosts.join(',')}`] : []), '-profile=kubernetes', `${id.name}-csr.json`], id.name);
    }
    server = await startAPIServer({
      backend: 'memory',
      extraArgs: [
        '--authorization-mode=Node,RBAC',
        '--service-cluster-ip-range=10.32.0.0/24',
        `--client-ca-file=${join(dir, 'ca.pem')}`,
        `--tls-cert-file=${join(dir, 'kubernetes.pem')}`,
        `--tls-private-key-file=${join(dir, 'kubernetes-key.pem')}`,
        `--service-account-key-file=${join(dir, 'service-account.pem')}`,
        `--service-account-signing-key-file=${join(dir, 'service-account-key.pem')}`,
        '--service-account-issuer=https://kubernetes',
      ],
    });
    for (const id of identities.filter((i) => i.name !== 'kubernetes' && i.name !== 'service-account')) {
      const file = join(dir, `${id.name}.kubeconfig`);
      await kubeconfigByKubectl({ version: '1.33', file, cwd: dir, server: server.url, caFile: 'ca.pem', certFile: `${id.name}.pem`, keyFile: `${id.name}-key.pem`, user: id.cn });
      kubeconfigs.set(id.name, file);
    }
  });
  after(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('each identity is who its certificate says (kubectl auth whoami)', async () => {
    for (const version of ['1.27', '1.33'] as const) {
      for (const [name, kubeconfig] of kubeconfigs) {
        const id = identities.find((i) => i.name === name)!;
        const r = await kubectl({ version, kubeconfig, args: ['auth', 'whoami', '-o', 'json'] });
        assert.equal(r.code, 0, explain(r));
        const info = (JSON.parse(r.stdout) as { status: { userInfo: { username: string; groups: string[] } } }).status.userInfo;
        assert.deepEqual({ username: info.username, groups: info.groups }, { username: id.cn, groups: [id.o, 'system:authenticated'] }, `${name} (kubectl ${version})`);
      }
    }
  });

  test('RBAC and Node authorization decide by the certificate identity', async () => {
    const run = (name: string, args: string[]) => kubectl({ version: '1.33', kubeconfig: kubeconfigs.get(name)!, args });
    const allowed: Array<[string, string[]]> = [
      ['admin', ['create', 'namespace', 'team-a']],
      ['admin', ['create', 'configmap', 'settings', '-n', 'team-a', '--from-literal=a=b']],
      ['kube-scheduler', ['get', 'nodes']],
      ['kube-proxy', ['get', 'services', '--all-namespaces']],
      ['worker-0', ['get', 'nodes']],
    ];
    for (const [name, args] of allowed) {
      const r = await run(name, args);
      assert.equal(r.code, 0, `${name}: ${explain(r)}`);
    }
    const denied = await run('jane', ['get', 'configmaps', '-n', 'team-a']);
    assert.notEqual(denied.code, 0, explain(denied));
    assert.match(denied.stderr, /configmaps is forbidden: User "jane" cannot list resource "configmaps" in API group "" in the namespace "team-a"/, explain(denied));
    const proxyWrites = await run('kube-proxy', ['create', 'configmap', 'x', '-n', 'team-a']);
    assert.match(proxyWrites.stderr, /forbidden: User "system:kube-proxy" cannot create resource "configmaps"/, explain(proxyWrites));
  });
});
