// The kubeadm-style tree: every file, the identities and SANs in it, chains that verify for their purpose,
// key file modes, and existing files kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { generateClusterPKI } from './cluster-pki.js';
import { extKeyUsageOIDs } from './certificate.js';
import { parsePrivateKeyPEM, parsePublicKeysPEM } from './keys.js';
import { certificateBlocks } from './pem.js';
import { CertPool, parseCertificate, verifyChain } from './verify.js';
import { runTool, withTempDir } from './testing/pki-tools.js';

const now = new Date();
const host = { dns: ['box'], ips: ['127.0.0.1', '192.0.2.5'] };

const expected: Array<{ name: string; ca: string; cn: string; o?: string[]; usage: keyof typeof extKeyUsageOIDs }> = [
  { name: 'apiserver', ca: 'ca', cn: 'kube-apiserver', usage: 'server auth' },
  { name: 'apiserver-kubelet-client', ca: 'ca', cn: 'kube-apiserver-kubelet-client', o: ['system:masters'], usage: 'client auth' },
  { name: 'front-proxy-client', ca: 'front-proxy-ca', cn: 'front-proxy-client', usage: 'client auth' },
  { name: 'etcd/server', ca: 'etcd/ca', cn: 'n1', usage: 'server auth' },
  { name: 'etcd/peer', ca: 'etcd/ca', cn: 'n1', usage: 'client auth' },
  { name: 'etcd/healthcheck-client', ca: 'etcd/ca', cn: 'kube-etcd-healthcheck-client', usage: 'client auth' },
  { name: 'apiserver-etcd-client', ca: 'etcd/ca', cn: 'kube-apiserver-etcd-client', usage: 'client auth' },
  { name: 'admin', ca: 'ca', cn: 'kubernetes-admin', o: ['system:masters'], usage: 'client auth' },
  { name: 'controller-manager', ca: 'ca', cn: 'system:kube-controller-manager', usage: 'client auth' },
  { name: 'scheduler', ca: 'ca', cn: 'system:kube-scheduler', usage: 'client auth' },
  { name: 'kube-proxy', ca: 'ca', cn: 'system:kube-proxy', usage: 'client auth' },
  { name: 'kubelet-client-n1', ca: 'ca', cn: 'system:node:n1', o: ['system:nodes'], usage: 'client auth' },
];

test('generateClusterPKI writes the whole tree, and every certificate verifies for its purpose', async () => {
  await withTempDir(async (dir) => {
    const outcomes = await generateClusterPKI({ dir, nodeName: 'n1', apiserverSANs: ['api.example.com', '203.0.113.9'], keyAlgorithm: 'ecdsa', now, host });
    assert.ok(outcomes.every((o) => o.action === 'created'));
    const read = (f: string) => readFile(join(dir, 'pki', f), 'utf8');
    for (const e of expected) {
      const leaf = parseCertificate(certificateBlocks(await read(`${e.name}.crt`))[0]!);
      const roots = CertPool.fromPEM(await read(`${e.ca}.crt`));
      const r = verifyChain(leaf, { roots, now, extKeyUsages: [extKeyUsageOIDs[e.usage]] });
      assert.ok('chain' in r, `${e.name}: ${'error' in r ? r.error : ''}`);
      assert.deepEqual([leaf.info.commonName, leaf.info.organization], [e.cn, e.o ?? []], e.name);
      assert.equal(parsePrivateKeyPEM(await read(`${e.name}.key`)).asymmetricKeyType, 'ec', e.name);
      assert.equal((await stat(join(dir, 'pki', `${e.name}.key`))).mode & 0o777, 0o600, e.name);
    }
    const api = parseCertificate(certificateBlocks(await read('apiserver.crt'))[0]!).info;
    for (const name of ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'box', 'n1', 'api.example.com']) assert.ok(api.dnsNames.includes(name), name);
    for (const ip of ['10.0.0.1', '127.0.0.1', '192.0.2.5', '203.0.113.9']) assert.ok(api.ips.includes(ip), ip);
    const etcd = parseCertificate(certificateBlocks(await read('etcd/server.crt'))[0]!).info;
    assert.deepEqual([etcd.dnsNames.includes('localhost'), etcd.ips.includes('127.0.0.1')], [true, true]);
    // sa.pub is the public half of sa.key.
    assert.ok(parsePublicKeysPEM(await read('sa.pub'))[0]!.equals(parsePublicKeysPEM(await read('sa.key'))[0]!));
    // openssl agrees on the apiserver's chain and purpose.
    assert.match(runTool('openssl', ['verify', '-purpose', 'sslserver', '-CAfile', 'pki/ca.crt', 'pki/apiserver.crt'], { cwd: dir }), /OK/);
  });
});

test('existing files are kept; a missing certificate is issued for the key that is there', async () => {
  await withTempDir(async (dir) => {
    await generateClusterPKI({ dir, nodeName: 'n1', keyAlgorithm: 'ecdsa', now, host });
    const read = (f: string) => readFile(join(dir, 'pki', f), 'utf8');
    const before = { ca: await read('ca.crt'), adminKey: await read('admin.key'), sa: await read('sa.key') };
    await rm(join(dir, 'pki', 'admin.crt'));
    const outcomes = await generateClusterPKI({ dir, nodeName: 'n2', keyAlgorithm: 'rsa', now, host });
    const created = outcomes.filter((o) => o.action === 'created').map((o) => o.path).sort();
    assert.deepEqual(created, ['pki/admin.crt', 'pki/kubelet-client-n2.crt', 'pki/kubelet-client-n2.key']);
    assert.deepEqual({ ca: await read('ca.crt'), adminKey: await read('admin.key'), sa: await read('sa.key') }, before);
    // The reissued admin certificate is for the kept key.
    const cert = parseCertificate(certificateBlocks(await read('admin.crt'))[0]!);
    assert.ok(cert.node.checkPrivateKey(parsePrivateKeyPEM(before.adminKey)));
    await rm(join(dir, 'pki', 'scheduler.key'));
    await assert.rejects(generateClusterPKI({ dir, nodeName: 'n1', keyAlgorithm: 'ecdsa', now, host }), /scheduler.crt exists but its key .* does not/);
  });
});
