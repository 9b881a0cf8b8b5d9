// Value transformers between the apiserver and storage (upstream's storage/value package): each provider
// key owns a prefix `k8s:enc:<provider>:v1:<key name>:`; writes use the first, reads pick one by prefix.

import { binaryValuePrefix } from '../../storage/interface.js';

/**
 * Turns object bytes into stored bytes and back. `authenticatedData` is the object's storage key: providers
 * with authentication (aesgcm) bind the ciphertext to it, so a value copied to another key does not decrypt.
 * fromStorage throws an Error (wrong key, corrupted data) whose message is upstream's.
 */
export interface KeyTransformer {
  toStorage(data: Buffer, authenticatedData: string): Buffer;
  fromStorage(data: Buffer, authenticatedData: string): Buffer;
}

/** A key transformer and the prefix its values carry (`k8s:enc:aescbc:v1:key1:`). */
export interface PrefixedTransformer {
  prefix: string;
  transformer: KeyTransformer;
}

/**
 * What the store decorator uses for one resource: converts a stored value (a storage string, binary values
 * carried as latin1, see binaryValuePrefix) to the object's JSON text and back.
 */
export interface ValueTransformer {
  toStorage(value: string, key: string): string;
  fromStorage(stored: string, key: string): string;
}

/** Upstream's error when no provider of a resource recognises a stored value. */
export const noMatchingPrefix = 'no matching prefix found';

/** The identity provider: stores plaintext, reads anything unprefixed, refuses encrypted data. */
export const identityProvider = 'identity';

/**
 * The providers of one resource, in configuration order. `identity` (an empty prefix) matches unencrypted
 * data; when it fails on encrypted data the next provider is tried, so identity may come first while a
 * cluster migrates away from encryption.
 */
export function newPrefixTransformers(providers: ReadonlyArray<PrefixedTransformer | typeof identityProvider>): ValueTransformer {
  if (providers.length === 0) throw new Error('at least one provider is required');
  const first = providers[0];
  return {
    toStorage(value, key) {
      if (first === identityProvider) return value;
      const sealed = first.transformer.toStorage(Buffer.from(value, 'utf8'), key);
      return first.prefix + sealed.toString('latin1');
    },
    fromStorage(stored, key) {
      for (const p of providers) {
        if (p === identityProvider) {
          if (!stored.startsWith(binaryValuePrefix)) return stored;
          continue;
        }
        if (!stored.startsWith(p.prefix)) continue;
        const data = Buffer.from(stored.slice(p.prefix.length), 'latin1');
        return p.transformer.fromStorage(data, key).toString('utf8');
      }
      if (providers.includes(identityProvider)) throw new Error('identity transformer tried to read encrypted data');
      throw new Error(noMatchingPrefix);
    },
  };
}
