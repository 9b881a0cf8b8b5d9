// CSRs made here satisfy openssl; openssl- and cfssl-made CSRs parse and are signed as the csrsigning
// controller would sign them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodePrivateKeyPEM, generatePrivateKey } from './keys.js';
import { describeCertificate, extKeyUsageOIDs, keyUsageFlags, newSelfSignedCACert } from './certificate.js';
import { createCSR, parseCSR, signCSR } from './csr.js';
import { certificateBlocks } from './pem.js';
import { runTool, withTempDir } from './testing/pki-tools.js';

const now = new Date(Date.UTC(2026, 2, 1));

test('createCSR → openssl accepts it; parseCSR reads it back', async () => {
  await withTempDir(async (dir) => {
    for (const algorithm of ['rsa', 'ecdsa'] as const) {
      const key = await generatePrivateKey(algorithm);
      const subject = { commonName: 'system:node:n1', organization: ['system:nodes'], dnsNames: ['n1'], ips: ['192.0.2.7'] };
      const pem = await createCSR({ key, subject });
      await writeFile(join(dir, 'node.csr'), pem);
      runTool('openssl', ['req', '-verify', '-noout', '-in', 'node.csr'], { cwd: dir });
      const parsed = await parseCSR(pem);
      assert.deepEqual({ ...parsed, publicKey: undefined }, { ...subject, publicKey: undefined }, algorithm);
      assert.equal(parsed.publicKey.asymmetricKeyType, key.asymmetricKeyType);
    }
  });
});

test('signCSR issues what an openssl or cfssl CSR asks for, with the requested usages and duration', async () => {
  await withTempDir(async (dir) => {
    const caKey = await generatePrivateKey('rsa');
    const ca = { certPEM: await newSelfSignedCACert({ key: caKey, commonName: 'kubernetes', now, validitySeconds: 10 * 86400 }), key: caKey };
    runTool('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'a.key', '-subj', '/CN=jane/O=devs/O=ops', '-addext', 'subjectAltName=DNS:jane.example,IP:10.1.2.3', '-out', 'a.csr'], { cwd: dir });
    const cfssl = JSON.parse(runTool('cfssl', ['genkey', '-'], { cwd: dir, stdin: JSON.stringify({ CN: 'system:node:worker-0', hosts: ['worker-0', '10.240.0.20'], key: { algo: 'ecdsa', size: 256 }, names: [{ O: 'system:nodes' }] }) })) as { csr: string };
    const { readFile } = await import('node:fs/promises');
    const cases = [
      { name: 'openssl', csr: await readFile(join(dir, 'a.csr'), 'utf8'), cn: 'jane', o: ['devs', 'ops'], dns: ['jane.example'], ips: ['10.1.2.3'] },
      { name: 'cfssl', csr: cfssl.csr, cn: 'system:node:worker-0', o: ['system:nodes'], dns: ['worker-0'], ips: ['10.240.0.20'] },
    ];
    for (const c of cases) {
      const certPEM = await signCSR({ csrPEM: c.csr, ca, usages: ['digital signature', 'key encipherment', 'client auth'], durationSeconds: 3600, now });
      const info = describeCertificate(certificateBlocks(certPEM)[0]!);
      assert.deepEqual([info.commonName, info.organization, info.dnsNames, info.ips], [c.cn, c.o, c.dns, c.ips], c.name);
      assert.deepEqual(info.extKeyUsages, [extKeyUsageOIDs['client auth']], c.name);
      assert.equal(info.keyUsage, keyUsageFlags['digital signature'] | keyUsageFlags['key encipherment'], c.name);
      assert.equal(info.notAfter.getTime() - now.getTime(), 3600 * 1000, c.name);
      assert.equal(now.getTime() - info.notBefore.getTime(), 300 * 1000, c.name);
    }
  });
});

test('parseCSR and signCSR reject what is not a usable request', async () => {
  const key = await generatePrivateKey('ecdsa');
  const ca = { certPEM: await newSelfSignedCACert({ key, commonName: 'ca', now, validitySeconds: 60 }), key };
  await assert.rejects(parseCSR(encodePrivateKeyPEM(key)), /PEM block type must be CERTIFICATE REQUEST/);
  const csrPEM = await createCSR({ key, subject: { commonName: 'x' } });
  await assert.rejects(signCSR({ csrPEM, ca, usages: ['flying' as 'signing'], now }), /unsupported key usage: flying/);
  // A request whose signature does not match its key (one byte of the signature flipped).
  const block = certificateBlocks(csrPEM.replaceAll('CERTIFICATE REQUEST', 'CERTIFICATE'))[0]!;
  block[block.length - 5] ^= 0xff;
  const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${block.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
  await assert.rejects(parseCSR(tampered), /invalid signature/);
});
