// CAs and signed certificates carry the requested subject, SANs, usages and validity; openssl agrees with
// what they say and verifies them; openssl-made and cfssl-made certificates are read back correctly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodePrivateKeyPEM, generatePrivateKey } from './keys.js';
import { describeCertificate, extKeyUsageOIDs, newSelfSignedCACert, newSignedCert, parseCertificateAuthority } from './certificate.js';
import { certificateBlocks } from './pem.js';
import { runTool, withTempDir } from './testing/pki-tools.js';

const now = new Date(Date.UTC(2026, 0, 10, 12, 0, 0));

test('a CA and a certificate it signs, for both key algorithms', async () => {
  await withTempDir(async (dir) => {
    for (const algorithm of ['rsa', 'ecdsa'] as const) {
      const caKey = await generatePrivateKey(algorithm);
      const caPEM = await newSelfSignedCACert({ key: caKey, commonName: 'kubernetes', now, validitySeconds: 86400 });
      const ca = describeCertificate(certificateBlocks(caPEM)[0]!);
      assert.equal(ca.isCA, true);
      assert.equal(ca.commonName, 'kubernetes');
      assert.ok(ca.subjectKeyId.length > 0);

      const key = await generatePrivateKey(algorithm);
      const certPEM = await newSignedCert({
        config: { commonName: 'kube-apiserver', organization: ['a', 'b'], dnsNames: ['kubernetes.default'], ips: ['10.0.0.1', '::1'], extKeyUsages: ['server auth', 'client auth'] },
        publicKey: key,
        ca: { certPEM: caPEM, key: caKey },
        now,
        validitySeconds: 3600,
      });
      const info = describeCertificate(certificateBlocks(certPEM)[0]!);
      assert.deepEqual(
        { cn: info.commonName, o: info.organization, dns: info.dnsNames, ips: info.ips, ca: info.isCA, eku: info.extKeyUsages, akid: info.authorityKeyId },
        { cn: 'kube-apiserver', o: ['a', 'b'], dns: ['kubernetes.default'], ips: ['10.0.0.1', '::1'], ca: false, eku: [extKeyUsageOIDs['server auth'], extKeyUsageOIDs['client auth']], akid: ca.subjectKeyId },
        algorithm,
      );
      assert.equal(info.notBefore.toISOString(), '2026-01-10T11:55:00.000Z');
      assert.equal(info.notAfter.toISOString(), '2026-01-10T13:00:00.000Z');

      // openssl verifies the chain for the purposes we asked for, at a time inside the window.
      await writeFile(join(dir, 'ca.crt'), caPEM);
      await writeFile(join(dir, 'leaf.crt'), certPEM);
      const at = String(Math.floor(now.getTime() / 1000));
      for (const purpose of ['sslserver', 'sslclient']) {
        assert.match(runTool('openssl', ['verify', '-attime', at, '-purpose', purpose, '-CAfile', 'ca.crt', 'leaf.crt'], { cwd: dir }), /leaf.crt: OK/);
      }
      const text = runTool('openssl', ['x509', '-noout', '-text', '-in', 'leaf.crt'], { cwd: dir });
      assert.match(text, /DNS:kubernetes\.default, IP Address:10\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1/);
      assert.match(text, /Subject: CN ?= ?kube-apiserver, O ?= ?a, O ?= ?b/);
      assert.match(text, algorithm === 'rsa' ? /Digital Signature, Key Encipherment/ : /critical\n\s+Digital Signature\n/);
    }
  });
});

test('a certificate never outlives its CA', async () => {
  const caKey = await generatePrivateKey('ecdsa');
  const caPEM = await newSelfSignedCACert({ key: caKey, commonName: 'short-ca', now, validitySeconds: 60 });
  const certPEM = await newSignedCert({ config: { commonName: 'x' }, publicKey: await generatePrivateKey('ecdsa'), ca: { certPEM: caPEM, key: caKey }, now, validitySeconds: 86400 });
  assert.equal(describeCertificate(certificateBlocks(certPEM)[0]!).notAfter.getTime(), describeCertificate(certificateBlocks(caPEM)[0]!).notAfter.getTime());
});

test('openssl-made and cfssl-made CAs sign with k8ts, and their certificates describe correctly', async () => {
  await withTempDir(async (dir) => {
    // The 2018 tutorial's openssl path: genrsa CA key, req -x509 CA certificate.
    runTool('openssl', ['genrsa', '-out', 'ca.key', '2048'], { cwd: dir });
    runTool('openssl', ['req', '-x509', '-new', '-nodes', '-key', 'ca.key', '-subj', '/CN=kubernetes-ca', '-days', '10', '-out', 'ca.crt'], { cwd: dir });
    const ca = parseCertificateAuthority({ certPEM: await readFile(join(dir, 'ca.crt'), 'utf8'), keyPEM: await readFile(join(dir, 'ca.key'), 'utf8') });
    const caInfo = describeCertificate(certificateBlocks(ca.certPEM)[0]!);
    assert.deepEqual([caInfo.commonName, caInfo.isCA], ['kubernetes-ca', true]);
    const leafPEM = await newSignedCert({ config: { commonName: 'admin', organization: ['system:masters'], extKeyUsages: ['client auth'] }, publicKey: await generatePrivateKey('rsa'), ca, now: new Date(), validitySeconds: 3600 });
    await writeFile(join(dir, 'admin.crt'), leafPEM);
    assert.match(runTool('openssl', ['verify', '-purpose', 'sslclient', '-CAfile', 'ca.crt', 'admin.crt'], { cwd: dir }), /OK/);

    // cfssl's CA (ECDSA) and a cert it signs with the kubernetes-the-hard-way profile.
    const caCSR = JSON.stringify({ CN: 'Kubernetes', key: { algo: 'ecdsa', size: 256 }, names: [{ O: 'Kubernetes', OU: 'CA' }] });
    const caOut = JSON.parse(runTool('cfssl', ['gencert', '-initca', '-'], { cwd: dir, stdin: caCSR })) as { cert: string; key: string };
    const cfsslCA = parseCertificateAuthority({ certPEM: caOut.cert, keyPEM: caOut.key });
    assert.equal(describeCertificate(certificateBlocks(cfsslCA.certPEM)[0]!).isCA, true);
    await writeFile(join(dir, 'cfssl-ca.pem'), caOut.cert);
    await writeFile(join(dir, 'cfssl-ca-key.pem'), caOut.key);
    await writeFile(join(dir, 'ca-config.json'), JSON.stringify({ signing: { default: { expiry: '8760h' }, profiles: { kubernetes: { usages: ['signing', 'key encipherment', 'server auth', 'client auth'], expiry: '8760h' } } } }));
    await writeFile(join(dir, 'admin-csr.json'), JSON.stringify({ CN: 'admin', hosts: [], key: { algo: 'rsa', size: 2048 }, names: [{ O: 'system:masters' }] }));
    const adminOut = JSON.parse(runTool('cfssl', ['gencert', '-ca=cfssl-ca.pem', '-ca-key=cfssl-ca-key.pem', '-config=ca-config.json', '-profile=kubernetes', 'admin-csr.json'], { cwd: dir })) as { cert: string; key: string };
    const admin = describeCertificate(certificateBlocks(adminOut.cert)[0]!);
    assert.deepEqual([admin.commonName, admin.organization, admin.isCA], ['admin', ['system:masters'], false]);
    assert.ok(admin.extKeyUsages.includes(extKeyUsageOIDs['client auth']));
  });
});

test('parseCertificateAuthority rejects a key that is not the certificate\'s', async () => {
  const key = await generatePrivateKey('ecdsa');
  const certPEM = await newSelfSignedCACert({ key, commonName: 'ca', now, validitySeconds: 60 });
  const other = encodePrivateKeyPEM(await generatePrivateKey('ecdsa'));
  assert.throws(() => parseCertificateAuthority({ certPEM, keyPEM: other }), /does not match/);
  assert.throws(() => parseCertificateAuthority({ certPEM: '', keyPEM: encodePrivateKeyPEM(key) }), /does not contain any valid/);
});
