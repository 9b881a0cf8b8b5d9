// XSalsa20-Poly1305 against libsodium's crypto_secretbox_easy output (testdata, generated once from the
// system libsodium), and the provider's stored layout: nonce, tag, ciphertext; tampering and wrong keys fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { newSecretboxTransformer, secretboxOpen, secretboxSeal } from './secretbox.js';

const vectors = (JSON.parse(readFileSync(new URL('./testdata/secretbox-vectors.json', import.meta.url), 'utf8')) as {
  vectors: Array<{ key: string; nonce: string; message: string; box: string }>;
}).vectors;

test('secretbox seals and opens exactly as libsodium', () => {
  for (const v of vectors) {
    const [key, nonce, message] = [v.key, v.nonce, v.message].map((h) => Buffer.from(h, 'hex'));
    assert.equal(Buffer.from(secretboxSeal(message!, nonce!, key!)).toString('hex'), v.box, `seal of ${message!.length} bytes`);
    assert.equal(Buffer.from(secretboxOpen(Buffer.from(v.box, 'hex'), nonce!, key!) ?? []).toString('hex'), v.message);
  }
});

test('the provider stores nonce + box; tampered data and another key are refused', () => {
  const key = Buffer.alloc(32, 7);
  const t = newSecretboxTransformer(key);
  const stored = t.toStorage(Buffer.from('top secret'), '/registry/secrets/default/s');
  assert.equal(stored.length, 24 + 16 + 10);
  assert.equal(t.fromStorage(stored, '').toString(), 'top secret');
  const tampered = Buffer.from(stored);
  tampered[tampered.length - 1]! ^= 1;
  assert.throws(() => t.fromStorage(tampered, ''), /output array was not large enough for encryption/);
  assert.throws(() => newSecretboxTransformer(Buffer.alloc(32, 8)).fromStorage(stored, ''), /output array was not large enough/);
  assert.throws(() => t.fromStorage(stored.subarray(0, 30), ''), /shorter than the required size/);
});
