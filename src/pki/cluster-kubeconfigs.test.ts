// Component kubeconfigs: one per identity, certificates that chain to pki/ca.crt, kept when present, and
// written also for a tree that holds only an openssl-made CA.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { generateClusterPKI } from './cluster-pki.js';
import { writeClusterKubeconfigs } from './cluster-kubeconfigs.js';
import { CertPool, verifyClientChain } from './verify.js';
import { certificateBlocks } from './pem.js';
import { parsePrivateKeyPEM } from './keys.js';
import { runTool, withTempDir } from './testing/pki-tools.js';

const now = new Date();
const server = 'https://127.0.0.1:6443';

interface Kubeconfig {
  clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
  users: Array<{ name: string; user: { 'client-certificate-data': string; 'client-key-data': string } }>;
  'current-context': string;
}

async function identities(dir: string): Promise<Record<string, string>> {
  const roots = CertPool.fromPEM(await readFile(join(dir, 'pki', 'ca.crt'), 'utf8'));
  const who: Record<string, string> = {};
  for (const file of ['admin.conf', 'controller-manager.conf', 'scheduler.conf', 'kubelet.conf', 'kube-proxy.conf']) {
    const kc = parse(await readFile(join(dir, file), 'utf8')) as Kubeconfig;
    assert.equal(kc.clusters[0]!.cluster.server, server);
    assert.equal((await stat(join(dir, file))).mode & 0o777, 0o600, file);
    const user = kc.users[0]!;
    const cert = Buffer.from(user.user['client-certificate-data'], 'base64').toString();
    parsePrivateKeyPEM(Buffer.from(user.user['client-key-data'], 'base64'));
    const r = verifyClientChain(certificateBlocks(cert), roots, new Date());
    assert.ok('chain' in r, `${file}: ${'error' in r ? r.error : ''}`);
    assert.equal(kc['current-context'], `${user.name}@kubernetes`);
    who[file] = [r.chain[0]!.info.commonName, ...r.chain[0]!.info.organization].join('/');
  }
  return who;
}

const wantIdentities = {
  'admin.conf': 'kubernetes-admin/system:masters',
  'controller-manager.conf': 'system:kube-controller-manager',
  'scheduler.conf': 'system:kube-scheduler',
  'kubelet.conf': 'system:node:n1/system:nodes',
  'kube-proxy.conf': 'system:kube-proxy',
};

test('kubeconfigs for a generated tree, kept on the second run', async () => {
  await withTempDir(async (dir) => {
    await generateClusterPKI({ dir, nodeName: 'n1', keyAlgorithm: 'ecdsa', now, host: { dns: ['box'], ips: ['127.0.0.1'] } });
    const first = await writeClusterKubeconfigs({ dir, server, nodeName: 'n1', keyAlgorithm: 'ecdsa', now });
    assert.deepEqual(first.map((o) => o.action), ['created', 'created', 'created', 'created', 'created']);
    assert.deepEqual(await identities(dir), wantIdentities);
    const admin = await readFile(join(dir, 'admin.conf'), 'utf8');
    const second = await writeClusterKubeconfigs({ dir, server: 'https://10.0.0.9:6443', nodeName: 'n1', keyAlgorithm: 'ecdsa', now });
    assert.ok(second.every((o) => o.action === 'kept'));
    assert.equal(await readFile(join(dir, 'admin.conf'), 'utf8'), admin);
    await assert.rejects(writeClusterKubeconfigs({ dir, server: 'http://x:1', nodeName: 'n1', keyAlgorithm: 'ecdsa', now }), /must be https/);
  });
});

test('kubeconfigs from an openssl-made CA alone issue the client certificates they need', async () => {
  await withTempDir(async (dir) => {
    await mkdir(join(dir, 'pki'));
    runTool('openssl', ['genrsa', '-out', 'pki/ca.key', '2048'], { cwd: dir });
    runTool('openssl', ['req', '-x509', '-new', '-nodes', '-key', 'pki/ca.key', '-subj', '/CN=KUBERNETES-CA', '-days', '100', '-out', 'pki/ca.crt'], { cwd: dir });
    const outcomes = await writeClusterKubeconfigs({ dir, server, nodeName: 'n1', keyAlgorithm: 'rsa', now });
    assert.ok(outcomes.some((o) => o.path === 'pki/admin.crt' && o.action === 'created'));
    assert.deepEqual(await identities(dir), wantIdentities);
  });
});
