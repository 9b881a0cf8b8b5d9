// Compact JWS signing and verification: every algorithm round-trips; tampering, foreign keys and
// algorithm/key mismatches fail; malformed tokens do not parse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { keyIDFor, parseJWT, signJWT, signingAlgorithmFor, verifyJWTSignature } from './jwt.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const otherRSA = generateKeyPairSync('rsa', { modulusLength: 2048 });

test('signJWT picks the algorithm from the key and verifies with its public half', () => {
  for (const [key, alg] of [
    [rsa, 'RS256'],
    [p256, 'ES256'],
    [p384, 'ES384'],
  ] as const) {
    assert.equal(signingAlgorithmFor(key.privateKey), alg);
    const token = signJWT({ privateKey: key.privateKey, claims: { sub: 'x', n: 1 } });
    const jwt = parseJWT(token);
    assert.ok(jwt);
    assert.equal(jwt.header.alg, alg);
    assert.equal(jwt.header.kid, keyIDFor(key.publicKey));
    assert.deepEqual(jwt.claims, { sub: 'x', n: 1 });
    assert.equal(verifyJWTSignature(jwt, key.publicKey), true, alg);
  }
});

test('keyIDFor is the same for a private key and its public key (SPKI SHA-256, base64url)', () => {
  assert.equal(keyIDFor(rsa.privateKey), keyIDFor(createPublicKey(rsa.privateKey)));
  assert.match(keyIDFor(rsa.publicKey), /^[A-Za-z0-9_-]{43}$/);
});

test('verifyJWTSignature rejects', () => {
  const token = signJWT({ privateKey: rsa.privateKey, claims: { sub: 'a' } });
  const [h, , s] = token.split('.');
  const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'b' })).toString('base64url')}.${s}`;
  const es = signJWT({ privateKey: p256.privateKey, claims: { sub: 'a' } });
  const cases: Array<{ name: string; token: string; key: typeof rsa.publicKey }> = [
    { name: 'a foreign key', token, key: otherRSA.publicKey },
    { name: 'changed claims', token: forged, key: rsa.publicKey },
    { name: 'an RSA signature checked with an EC key', token, key: p256.publicKey },
    { name: 'an ES256 signature checked with a P-384 key', token: es, key: p384.publicKey },
    { name: 'alg none', token: `${Buffer.from('{"alg":"none"}').toString('base64url')}.${token.split('.')[1]}.`, key: rsa.publicKey },
  ];
  for (const c of cases) {
    const jwt = parseJWT(c.token);
    assert.ok(jwt, c.name);
    assert.equal(verifyJWTSignature(jwt, c.key), false, c.name);
  }
});

test('parseJWT refuses what is not a compact JWS', () => {
  for (const t of ['', 'abc', 'a.b', 'a.b.c.d', '!!.e30.x', 'e30.bm90IGpzb24.x', 'W10.e30.x', 'e30.e30.a+b']) {
    assert.equal(parseJWT(t), undefined, t);
  }
  assert.ok(parseJWT('e30.e30.'));
});
