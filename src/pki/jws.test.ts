// JWS signing: every supported key signs tokens node:crypto verifies with the header's algorithm, the kid is
// the SPKI hash, and unsupported keys are refused.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { test } from 'node:test';
import { JWSSigner, jwsKeyID, jwsMethodFor } from './jws.js';

test('tokens verify with the algorithm the key implies', () => {
  const cases = [
    { name: 'rsa', key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, alg: 'RS256', digest: 'sha256' },
    { name: 'p256', key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, alg: 'ES256', digest: 'sha256' },
    { name: 'p384', key: generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey, alg: 'ES384', digest: 'sha384' },
    { name: 'p521', key: generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey, alg: 'ES512', digest: 'sha512' },
  ];
  for (const c of cases) {
    const token = new JWSSigner(c.key).sign({ iss: 'kubernetes/serviceaccount', sub: 'x' });
    const [h, p, s] = token.split('.');
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    assert.deepEqual(header, { alg: c.alg, kid: jwsKeyID(c.key) }, c.name);
    assert.deepEqual(JSON.parse(Buffer.from(p, 'base64url').toString()), { iss: 'kubernetes/serviceaccount', sub: 'x' }, c.name);
    const ok = verify(c.digest, Buffer.from(`${h}.${p}`), { key: createPublicKey(c.key), dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
    assert.equal(ok, true, c.name);
  }
});

test('kid is the SPKI SHA-256 of the public key, the same from the private or public half', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const expected = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
  assert.equal(jwsKeyID(privateKey), expected);
  assert.equal(jwsKeyID(publicKey), expected);
});

test('ed25519 keys are refused', () => {
  assert.throws(() => jwsMethodFor(generateKeyPairSync('ed25519').privateKey), /must be RSA or ECDSA/);
});
