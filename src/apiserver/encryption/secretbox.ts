// The secretbox provider: NaCl's secretbox (XSalsa20 stream cipher + Poly1305 authenticator), which
// node:crypto does not offer, written out here. Stored layout as upstream's: a random 24-byte nonce, then
// Go's secretbox.Seal output (16-byte Poly1305 tag, then the ciphertext).

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyTransformer } from './transformer.js';

const nonceSize = 24;
const tagSize = 16;
/** "expand 32-byte k" as four little-endian words. */
const sigma = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574];

function rotl(v: number, n: number): number {
  return (v << n) | (v >>> (32 - n));
}

/** The 20 rounds of Salsa20 over 16 words, in place. */
function salsaRounds(x: Uint32Array): void {
  const qr = (a: number, b: number, c: number, d: number) => {
    x[b]! ^= rotl((x[a]! + x[d]!) | 0, 7);
    x[c]! ^= rotl((x[b]! + x[a]!) | 0, 9);
    x[d]! ^= rotl((x[c]! + x[b]!) | 0, 13);
    x[a]! ^= rotl((x[d]! + x[c]!) | 0, 18);
  };
  for (let i = 0; i < 10; i++) {
    qr(0, 4, 8, 12);
    qr(5, 9, 13, 1);
    qr(10, 14, 2, 6);
    qr(15, 3, 7, 11);
    qr(0, 1, 2, 3);
    qr(5, 6, 7, 4);
    qr(10, 11, 8, 9);
    qr(15, 12, 13, 14);
  }
}

/** The Salsa20 input block: constants, a 32-byte key and 16 bytes of nonce/counter. */
function inputBlock(key: Uint8Array, sixteen: Uint8Array): Uint32Array {
  const k = new DataView(key.buffer, key.byteOffset, 32);
  const n = new DataView(sixteen.buffer, sixteen.byteOffset, 16);
  const w = new Uint32Array(16);
  w[0] = sigma[0]!;
  w[5] = sigma[1]!;
  w[10] = sigma[2]!;
  w[15] = sigma[3]!;
  for (let i = 0; i < 4; i++) {
    w[1 + i] = k.getUint32(i * 4, true);
    w[11 + i] = k.getUint32(16 + i * 4, true);
    w[6 + i] = n.getUint32(i * 4, true);
  }
  return w;
}

/** HSalsa20: derives XSalsa20's subkey from the key and the first 16 nonce bytes. */
function hsalsa20(key: Uint8Array, nonce16: Uint8Array): Uint8Array {
  const x = inputBlock(key, nonce16);
  salsaRounds(x);
  const out = new Uint8Array(32);
  const v = new DataView(out.buffer);
  [0, 5, 10, 15, 6, 7, 8, 9].forEach((idx, i) => v.setUint32(i * 4, x[idx]!, true));
  return out;
}

/** `length` bytes of the XSalsa20 keystream for a 32-byte key and 24-byte nonce. */
function xsalsa20Stream(key: Uint8Array, nonce: Uint8Array, length: number): Uint8Array {
  const subkey = hsalsa20(key, nonce.subarray(0, 16));
  const block = new Uint8Array(16);
  block.set(nonce.subarray(16, 24), 0);
  const out = new Uint8Array(length);
  const view = new DataView(block.buffer);
  for (let counter = 0, off = 0; off < length; counter++, off += 64) {
    view.setUint32(8, counter >>> 0, true);
    view.setUint32(12, Math.floor(counter / 2 ** 32), true);
    const input = inputBlock(subkey, block);
    const x = input.slice();
    salsaRounds(x);
    const ks = new Uint8Array(64);
    const kv = new DataView(ks.buffer);
    for (let i = 0; i < 16; i++) kv.setUint32(i * 4, (x[i]! + input[i]!) >>> 0, true);
    out.set(ks.subarray(0, Math.min(64, length - off)), off);
  }
  return out;
}

function littleEndian(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

const p1305 = (1n << 130n) - 5n;

/** Poly1305 one-time authenticator of `message` under a 32-byte key. */
export function poly1305(key: Uint8Array, message: Uint8Array): Uint8Array {
  const r = littleEndian(key.subarray(0, 16)) & 0x0ffffffc0ffffffc0ffffffc0fffffffn;
  const s = littleEndian(key.subarray(16, 32));
  let acc = 0n;
  for (let off = 0; off < message.length; off += 16) {
    const chunk = message.subarray(off, Math.min(off + 16, message.length));
    acc = ((acc + littleEndian(chunk) + (1n << BigInt(8 * chunk.length))) * r) % p1305;
  }
  let tag = (acc + s) & ((1n << 128n) - 1n);
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++, tag >>= 8n) out[i] = Number(tag & 0xffn);
  return out;
}

/** NaCl crypto_secretbox: the Poly1305 tag, then the XSalsa20 ciphertext. */
export function secretboxSeal(message: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  const stream = xsalsa20Stream(key, nonce, 32 + message.length);
  const c = new Uint8Array(message.length);
  for (let i = 0; i < message.length; i++) c[i] = message[i]! ^ stream[32 + i]!;
  const out = new Uint8Array(tagSize + c.length);
  out.set(poly1305(stream.subarray(0, 32), c), 0);
  out.set(c, tagSize);
  return out;
}

/** Opens a box; undefined when the tag does not verify (wrong key, nonce or tampered data). */
export function secretboxOpen(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | undefined {
  if (box.length < tagSize) return undefined;
  const c = box.subarray(tagSize);
  const stream = xsalsa20Stream(key, nonce, 32 + c.length);
  if (!timingSafeEqual(poly1305(stream.subarray(0, 32), c), box.subarray(0, tagSize))) return undefined;
  const m = new Uint8Array(c.length);
  for (let i = 0; i < c.length; i++) m[i] = c[i]! ^ stream[32 + i]!;
  return m;
}

/** The secretbox provider's key transformer (32-byte keys, as the configuration validates). */
export function newSecretboxTransformer(key: Buffer): KeyTransformer {
  return {
    toStorage(data) {
      const nonce = randomBytes(nonceSize);
      return Buffer.concat([nonce, secretboxSeal(data, nonce, key)]);
    },
    fromStorage(data) {
      if (data.length < nonceSize + tagSize) throw new Error('the stored data was shorter than the required size');
      const plain = secretboxOpen(data.subarray(nonceSize), data.subarray(0, nonceSize), key);
      if (!plain) throw new Error('output array was not large enough for encryption');
      return Buffer.from(plain);
    },
  };
}
