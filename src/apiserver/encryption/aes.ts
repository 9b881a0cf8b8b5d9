// The aescbc and aesgcm providers with upstream's byte layout, so data written by kube-apiserver with the same
// key decrypts here and the other way round.

import { createCipheriv, createDecipheriv, randomBytes, type CipherGCMTypes } from 'node:crypto';
import type { KeyTransformer } from './transformer.js';

const blockSize = 16;
const gcmNonceSize = 12;
const gcmTagSize = 16;


/**
 * AES-CBC: a random 16-byte IV, then the ciphertext of the data padded with PKCS#7. No authentication (the
 * storage key is not used), which is why upstream now recommends aesgcm or KMS.
 */
export function newCBCTransformer(key: Buffer): KeyTransformer {
  const algorithm = `aes-${key.length * 8}-cbc`;
  return {
    toStorage(data) {
      const iv = randomBytes(blockSize);
      const cipher = createCipheriv(algorithm, key, iv);
      return Buffer.concat([iv, cipher.update(data), cipher.final()]);
    },
    fromStorage(data) {
      if (data.length < blockSize) throw new Error('the stored data was shorter than the required size');
      const body = data.subarray(blockSize);
      if (body.length === 0 || body.length % blockSize !== 0) throw new Error('the stored data is not a multiple of the block size');
      const decipher = createDecipheriv(algorithm, key, data.subarray(0, blockSize));
      decipher.setAutoPadding(false);
      const plain = Buffer.concat([decipher.update(body), decipher.final()]);
      // PKCS#7 checked by hand to report upstream's errors rather than OpenSSL's.
      const pad = plain[plain.length - 1];
      if (pad === 0 || pad > blockSize) throw new Error('invalid PKCS7 data (empty or not padded)');
      for (let i = plain.length - pad; i < plain.length; i++) if (plain[i] !== pad) throw new Error('invalid padding on input');
      return plain.subarray(0, plain.length - pad);
    },
  };
}

/**
 * AES-GCM: a random 12-byte nonce, then the ciphertext and the 16-byte tag (Go's gcm.Seal output), with the
 * storage key as additional authenticated data.
 */
export function newGCMTransformer(key: Buffer): KeyTransformer {
  const algorithm = `aes-${key.length * 8}-gcm` as CipherGCMTypes;
  return {
    toStorage(data, authenticatedData) {
      const nonce = randomBytes(gcmNonceSize);
      const cipher = createCipheriv(algorithm, key, nonce);
      cipher.setAAD(Buffer.from(authenticatedData, 'utf8'));
      const sealed = Buffer.concat([cipher.update(data), cipher.final()]);
      return Buffer.concat([nonce, sealed, cipher.getAuthTag()]);
    },
    fromStorage(data, authenticatedData) {
      if (data.length < gcmNonceSize + gcmTagSize) throw new Error('the stored data was shorter than the required size');
      const decipher = createDecipheriv(algorithm, key, data.subarray(0, gcmNonceSize));
      decipher.setAAD(Buffer.from(authenticatedData, 'utf8'));
      decipher.setAuthTag(data.subarray(data.length - gcmTagSize));
      const body = data.subarray(gcmNonceSize, data.length - gcmTagSize);
      try {
        return Buffer.concat([decipher.update(body), decipher.final()]);
      } catch {
        throw new Error('cipher: message authentication failed');
      }
    },
  };
}
