// Prefix dispatch between providers: the first encrypts, reads choose by prefix, identity reads plaintext.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newCBCTransformer, newGCMTransformer } from './aes.js';
import { identityProvider, newPrefixTransformers, type PrefixedTransformer } from './transformer.js';
import { valueFromBytes, valueToBytes } from '../../storage/interface.js';

const cbc = (name: string, fill: number): PrefixedTransformer => ({ prefix: `k8s:enc:aescbc:v1:${name}:`, transformer: newCBCTransformer(Buffer.alloc(32, fill)) });
const gcm = (name: string, fill: number): PrefixedTransformer => ({ prefix: `k8s:enc:aesgcm:v1:${name}:`, transformer: newGCMTransformer(Buffer.alloc(32, fill)) });
const key = '/registry/secrets/ns/s';
const json = '{"data":{"π":"ü"}}';

test('writes with the first provider, reads any configured one by prefix', () => {
  const old = newPrefixTransformers([cbc('key1', 1)]);
  const rotated = newPrefixTransformers([cbc('key2', 2), cbc('key1', 1), gcm('g', 3), identityProvider]);
  const written = old.toStorage(json, key);
  assert.ok(written.startsWith('k8s:enc:aescbc:v1:key1:'));
  assert.equal(rotated.fromStorage(written, key), json);
  assert.ok(rotated.toStorage(json, key).startsWith('k8s:enc:aescbc:v1:key2:'));
  assert.equal(rotated.fromStorage(json, key), json, 'identity reads plaintext');
  assert.equal(rotated.fromStorage(newPrefixTransformers([gcm('g', 3)]).toStorage(json, key), key), json);
});

test('identity first: writes plaintext, still reads encrypted data', () => {
  const t = newPrefixTransformers([identityProvider, cbc('key1', 1)]);
  assert.equal(t.toStorage(json, key), json);
  assert.equal(t.fromStorage(newPrefixTransformers([cbc('key1', 1)]).toStorage(json, key), key), json);
});

test('unreadable values fail with upstream messages', () => {
  const sealed = newPrefixTransformers([gcm('other', 9)]).toStorage(json, key);
  const cases: Array<{ name: string; providers: Parameters<typeof newPrefixTransformers>[0]; stored: string; message: string }> = [
    { name: 'no provider for the prefix', providers: [cbc('key1', 1)], stored: sealed, message: 'no matching prefix found' },
    { name: 'plaintext without identity', providers: [cbc('key1', 1)], stored: json, message: 'no matching prefix found' },
    { name: 'identity only, encrypted data', providers: [identityProvider], stored: sealed, message: 'identity transformer tried to read encrypted data' },
    { name: 'same key name, other secret', providers: [gcm('other', 8)], stored: sealed, message: 'cipher: message authentication failed' },
  ];
  for (const c of cases) assert.throws(() => newPrefixTransformers(c.providers).fromStorage(c.stored, key), { message: c.message }, c.name);
});

test('binary values survive the byte conversion backends use; text stays UTF-8', () => {
  const sealed = newPrefixTransformers([gcm('g', 3)]).toStorage(json, key);
  const bytes = valueToBytes(sealed);
  assert.equal(bytes.subarray(0, 20).toString('latin1'), 'k8s:enc:aesgcm:v1:g:');
  assert.equal(bytes.length, sealed.length, 'one byte per character');
  assert.equal(valueFromBytes(bytes), sealed);
  assert.deepEqual(valueToBytes(json), Buffer.from(json, 'utf8'));
  assert.equal(valueFromBytes(Buffer.from(json, 'utf8')), json);
});
