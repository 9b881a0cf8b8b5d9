// Keys generated here round-trip through PEM, and keys written by openssl and cfssl in every form parse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, sign, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodePrivateKeyPEM, encodePublicKeyPEM, generatePrivateKey, parsePrivateKeyPEM, parsePublicKeysPEM } from './keys.js';
import { decodePEM } from './pem.js';
import { runTool, withTempDir } from './testing/pki-tools.js';

test('generated keys: algorithm, PEM form kubeadm writes, round trip', async () => {
  const cases = [
    { algorithm: 'rsa' as const, type: 'rsa', pem: 'RSA PRIVATE KEY', bits: 2048 },
    { algorithm: 'ecdsa' as const, type: 'ec', pem: 'EC PRIVATE KEY', curve: 'prime256v1' },
  ];
  for (const c of cases) {
    const key = await generatePrivateKey(c.algorithm);
    assert.equal(key.asymmetricKeyType, c.type);
    if (c.bits) assert.equal(key.asymmetricKeyDetails?.modulusLength, c.bits);
    if (c.curve) assert.equal(key.asymmetricKeyDetails?.namedCurve, c.curve);
    const pem = encodePrivateKeyPEM(key);
    assert.deepEqual(decodePEM(pem).map((b) => b.type), [c.pem]);
    const back = parsePrivateKeyPEM(pem);
    assert.ok(back.equals(key), c.algorithm);
    const pub = encodePublicKeyPEM(key);
    assert.deepEqual(decodePEM(pub).map((b) => b.type), ['PUBLIC KEY']);
    const [parsedPub] = parsePublicKeysPEM(pub);
    const data = Buffer.from('payload');
    assert.ok(verify('sha256', data, parsedPub!, sign('sha256', data, back)), c.algorithm);
  }
});

test('openssl-made private and public keys parse', async () => {
  await withTempDir(async (dir) => {
    const cases: Array<{ name: string; args: string[][]; file: string; kind: 'private' | 'public'; type: string }> = [
      { name: 'genrsa (PKCS#8 with OpenSSL 3)', args: [['genrsa', '-out', 'a.key', '2048']], file: 'a.key', kind: 'private', type: 'rsa' },
      { name: 'genrsa -traditional (PKCS#1)', args: [['genrsa', '-traditional', '-out', 'b.key', '2048']], file: 'b.key', kind: 'private', type: 'rsa' },
      { name: 'ecparam -genkey (EC PARAMETERS + SEC1)', args: [['ecparam', '-name', 'prime256v1', '-genkey', '-out', 'c.key']], file: 'c.key', kind: 'private', type: 'ec' },
      { name: 'genpkey EC (PKCS#8)', args: [['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'd.key']], file: 'd.key', kind: 'private', type: 'ec' },
      { name: 'rsa -pubout (PKIX)', args: [['rsa', '-in', 'a.key', '-pubout', '-out', 'a.pub']], file: 'a.pub', kind: 'public', type: 'rsa' },
      { name: 'rsa -RSAPublicKey_out (PKCS#1)', args: [['rsa', '-in', 'a.key', '-RSAPublicKey_out', '-out', 'a1.pub']], file: 'a1.pub', kind: 'public', type: 'rsa' },
      { name: 'ec -pubout', args: [['ec', '-in', 'c.key', '-pubout', '-out', 'c.pub']], file: 'c.pub', kind: 'public', type: 'ec' },
    ];
    for (const c of cases) {
      for (const a of c.args) runTool('openssl', a, { cwd: dir });
      const text = await readFile(join(dir, c.file), 'utf8');
      if (c.kind === 'private') {
        const key = parsePrivateKeyPEM(text);
        assert.equal(key.asymmetricKeyType, c.type, c.name);
        // The public half of a private key file is a public key too (--service-account-key-file=sa.key).
        assert.ok(parsePublicKeysPEM(text)[0]!.equals(createPublicKey(key)), c.name);
      } else {
        const [key] = parsePublicKeysPEM(text);
        assert.equal(key!.asymmetricKeyType, c.type, c.name);
      }
    }
    // openssl reads what we write, in both forms.
    for (const algorithm of ['rsa', 'ecdsa'] as const) {
      const key = await generatePrivateKey(algorithm);
      const out = runTool('openssl', ['pkey', '-noout', '-text'], { cwd: dir, stdin: encodePrivateKeyPEM(key) });
      assert.match(out, algorithm === 'rsa' ? /Private-Key: \(2048 bit/ : /prime256v1|P-256/);
    }
  });
});

test('cfssl-made keys parse', async () => {
  await withTempDir(async (dir) => {
    for (const [algo, size, type] of [['rsa', 2048, 'rsa'], ['ecdsa', 256, 'ec']] as const) {
      const csr = JSON.stringify({ CN: 'admin', key: { algo, size }, names: [{ O: 'system:masters' }] });
      const out = JSON.parse(runTool('cfssl', ['genkey', '-'], { cwd: dir, stdin: csr })) as { key: string };
      assert.equal(parsePrivateKeyPEM(out.key).asymmetricKeyType, type, algo);
    }
  });
});

test('parse errors use upstream keyutil wording', () => {
  assert.throws(() => parsePrivateKeyPEM('nothing here'), /data does not contain a valid RSA or ECDSA private key/);
  assert.throws(() => parsePublicKeysPEM(''), /data does not contain any valid RSA or ECDSA public keys/);
});
