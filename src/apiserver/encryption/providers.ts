// Turns a validated EncryptionConfiguration into one ValueTransformer per resource pattern, and picks the
// transformer of a resource with upstream's precedence: exact resource, then `*.<group>`, then `*.*`.

import { newCBCTransformer, newGCMTransformer } from './aes.js';
import { newSecretboxTransformer } from './secretbox.js';
import { decodeStdBase64, parseGroupResource, type EncryptionConfiguration, type EncryptionKey, type ProviderConfiguration } from './config.js';
import { identityProvider, newPrefixTransformers, type KeyTransformer, type PrefixedTransformer, type ValueTransformer } from './transformer.js';

/** Chooses the transformer of a resource; undefined means plain storage (identity). */
export type TransformerForResource = (group: string, resource: string) => ValueTransformer | undefined;

/** KMS plugins talk gRPC over a unix socket to an external key service, which k8ts does not implement. */
export const kmsUnsupported = 'the kms provider is not supported by k8ts; use aesgcm or aescbc';

function keyTransformers(provider: string, keys: EncryptionKey[], make: (key: Buffer) => KeyTransformer): PrefixedTransformer[] {
  return keys.map((k) => ({ prefix: `k8s:enc:${provider}:v1:${k.name}:`, transformer: make(decodeStdBase64(k.secret) as Buffer) }));
}

/** The prefixed key transformers of one provider element (identity stands for itself). */
function providerTransformers(p: ProviderConfiguration, at: string): Array<PrefixedTransformer | typeof identityProvider> {
  if (p.identity !== undefined && p.identity !== null) return [identityProvider];
  if (p.aescbc) return keyTransformers('aescbc', p.aescbc.keys ?? [], newCBCTransformer);
  if (p.aesgcm) return keyTransformers('aesgcm', p.aesgcm.keys ?? [], newGCMTransformer);
  if (p.secretbox) return keyTransformers('secretbox', p.secretbox.keys ?? [], newSecretboxTransformer);
  throw new Error(`error while parsing file: ${at}.kms: ${kmsUnsupported}`);
}

/**
 * Builds the per-resource transformers of a configuration that passed validateEncryptionConfiguration.
 * Throws for the provider k8ts refuses (kms). For each pattern the first configuration element
 * naming it wins, as upstream.
 */
export function transformersFromConfiguration(config: EncryptionConfiguration): TransformerForResource {
  const byPattern = new Map<string, ValueTransformer>();
  (config.resources ?? []).forEach((conf, i) => {
    const providers = (conf.providers ?? []).flatMap((p, j) => providerTransformers(p, `resources[${i}].providers[${j}]`));
    const transformer = newPrefixTransformers(providers);
    for (const r of conf.resources ?? []) {
      const gr = parseGroupResource(r);
      const pattern = `${gr.group}/${gr.resource}`;
      if (!byPattern.has(pattern)) byPattern.set(pattern, transformer);
    }
  });
  return (group, resource) => byPattern.get(`${group}/${resource}`) ?? byPattern.get(`${group}/*`) ?? byPattern.get('*/*');
}

/**
 * Reads a value with every key of every provider in the configuration, choosing by prefix: for values whose
 * resource is not known (custom resources listed before their definitions are served).
 */
export function readerOfAllProviders(config: EncryptionConfiguration): (stored: string, key: string) => string {
  const all = (config.resources ?? []).flatMap((conf, i) =>
    (conf.providers ?? []).flatMap((p, j) => providerTransformers(p, `resources[${i}].providers[${j}]`)).filter((p) => p !== identityProvider),
  );
  const reader = all.length > 0 ? newPrefixTransformers(all) : undefined;
  return (stored, key) => {
    if (!reader) throw new Error('identity transformer tried to read encrypted data');
    return reader.fromStorage(stored, key);
  };
}
