// Issuer discovery documents: JWK fields in go-jose's order for RSA and EC keys, served only for https issuers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { keyIDFor } from './jwt.js';
import { jwkOf, newOIDCDiscoveryHandler } from './oidc-discovery.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;

test('jwkOf: RSA and EC keys as go-jose writes them', () => {
  const r = jwkOf(rsa);
  assert.deepEqual(Object.keys(r), ['use', 'kty', 'kid', 'alg', 'n', 'e']);
  assert.deepEqual([r.use, r.kty, r.kid, r.alg, r.e], ['sig', 'RSA', keyIDFor(rsa), 'RS256', 'AQAB']);
  const e = jwkOf(ec);
  assert.deepEqual(Object.keys(e), ['use', 'kty', 'kid', 'crv', 'alg', 'x', 'y']);
  assert.deepEqual([e.kty, e.crv, e.alg], ['EC', 'P-384', 'ES384']);
});

test('newOIDCDiscoveryHandler serves both documents for an https issuer', async () => {
  const h = newOIDCDiscoveryHandler({ issuer: 'https://issuer.example', jwksURI: 'https://10.0.0.1:6443/openid/v1/jwks', keys: [rsa, ec] });
  assert.ok(h);
  const get = (path: string, method = 'GET') => h.handle({ method, path, query: new URLSearchParams(), headers: {} });
  const config = await get('/.well-known/openid-configuration');
  assert.equal(config?.status, 200);
  assert.equal(config?.body, '{"issuer":"https://issuer.example","jwks_uri":"https://10.0.0.1:6443/openid/v1/jwks","response_types_supported":["id_token"],"subject_types_supported":["public"],"id_token_signing_alg_values_supported":["ES384","RS256"]}');
  const jwks = await get('/openid/v1/jwks');
  assert.equal(JSON.parse(String(jwks?.body)).keys.length, 2);
  assert.equal(await get('/openid/v1/jwks', 'POST'), undefined);
  assert.equal(await get('/openid/v1/other'), undefined);
});

test('newOIDCDiscoveryHandler: nothing for issuers that are not https URLs, or without keys', () => {
  for (const issuer of ['kubernetes/serviceaccount', 'http://issuer.example', 'api']) {
    assert.equal(newOIDCDiscoveryHandler({ issuer, jwksURI: 'https://x/openid/v1/jwks', keys: [rsa] }), undefined, issuer);
  }
  assert.equal(newOIDCDiscoveryHandler({ issuer: 'https://issuer.example', jwksURI: 'https://x/openid/v1/jwks', keys: [] }), undefined);
});
