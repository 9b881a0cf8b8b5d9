// aescbc and aesgcm: round trips for every key size, upstream's byte layout (vectors made with Python's
// `cryptography`, an independent implementation), and clean errors for wrong keys and corrupted data.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newCBCTransformer, newGCMTransformer } from './aes.js';

const key32 = Buffer.from('AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=', 'base64');
const plaintext = '{"kind":"Secret","apiVersion":"v1","metadata":{"name":"s1","namespace":"default"},"data":{"a":"Yg=="}}';
const storageKey = '/registry/secrets/default/s1';
// nonce 09×12 | ciphertext | tag, additional data = the storage key (Go's gcm.Seal layout).
const gcmVector =
  'CQkJCQkJCQkJCQkJyDpjUun7YZ7zWlWa2fPP7RUwvl4zUCXHYJ4NBbENqTG5V0KUvpmIj9fV/5xCOIfRyxRyEsRUlD0W4JsFqAEiM7hThaEd5SxjfjjNzDyoUkHskt5fihm2yCqCyjt+M8u2Dbxv894PrnhtJlu3jg/JbSHej/7smg==';
// IV 07×16 | AES-CBC(PKCS#7 padded plaintext).
const cbcVector =
  'BwcHBwcHBwcHBwcHBwcHBwJvDVkFNwRhltZLTfshkBoDOmHf21/DQSFdqEJ/HCMsNT0En9i7+KDRlHCub0J+UNaVIGIw3MdRKKBoqxbbq21PmJn8RgWEv122oWMnJol1m2PzUB/DsAbwyK+2aqtSWXdE1y2E9YVASeiFpZ+ixKs=';

const providers = [
  { name: 'aescbc', make: newCBCTransformer, overhead: (n: number) => 16 + (16 - (n % 16)) },
  { name: 'aesgcm', make: newGCMTransformer, overhead: () => 12 + 16 },
];

test('round trips for every AES key size', () => {
  for (const p of providers) {
    for (const size of [16, 24, 32]) {
      const t = p.make(Buffer.alloc(size, 3));
      for (const data of ['', 'x', 'a'.repeat(16), plaintext]) {
        const sealed = t.toStorage(Buffer.from(data), storageKey);
        assert.equal(sealed.length, data.length + p.overhead(data.length), `${p.name}/${size} length`);
        assert.equal(t.fromStorage(sealed, storageKey).toString(), data, `${p.name}/${size}`);
      }
    }
  }
});

test('two writes of one value differ (random IV / nonce)', () => {
  for (const p of providers) {
    const t = p.make(key32);
    assert.notDeepEqual(t.toStorage(Buffer.from(plaintext), storageKey), t.toStorage(Buffer.from(plaintext), storageKey), p.name);
  }
});

test('decrypts values in the upstream byte layout', () => {
  assert.equal(newGCMTransformer(key32).fromStorage(Buffer.from(gcmVector, 'base64'), storageKey).toString(), plaintext);
  assert.equal(newCBCTransformer(key32).fromStorage(Buffer.from(cbcVector, 'base64'), storageKey).toString(), plaintext);
});

test('wrong key, wrong storage key and corrupted data fail with upstream errors', () => {
  const other = Buffer.alloc(32, 1);
  const cases: Array<{ name: string; run: () => unknown; message: RegExp }> = [
    { name: 'gcm wrong key', run: () => newGCMTransformer(other).fromStorage(Buffer.from(gcmVector, 'base64'), storageKey), message: /^cipher: message authentication failed$/ },
    { name: 'gcm value moved to another key', run: () => newGCMTransformer(key32).fromStorage(Buffer.from(gcmVector, 'base64'), '/registry/secrets/default/s2'), message: /^cipher: message authentication failed$/ },
    { name: 'gcm too short', run: () => newGCMTransformer(key32).fromStorage(Buffer.alloc(5), storageKey), message: /^the stored data was shorter than the required size$/ },
    { name: 'cbc wrong key', run: () => newCBCTransformer(other).fromStorage(Buffer.from(cbcVector, 'base64'), storageKey), message: /^invalid (PKCS7 data \(empty or not padded\)|padding on input)$/ },
    { name: 'cbc not a block multiple', run: () => newCBCTransformer(key32).fromStorage(Buffer.alloc(16 + 5), storageKey), message: /^the stored data is not a multiple of the block size$/ },
    { name: 'cbc too short', run: () => newCBCTransformer(key32).fromStorage(Buffer.alloc(3), storageKey), message: /^the stored data was shorter than the required size$/ },
  ];
  for (const c of cases) assert.throws(c.run, { message: c.message }, c.name);
});
