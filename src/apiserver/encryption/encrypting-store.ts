// Encryption at rest as a Store decorator (upstream does it inside its etcd3 store): values of encrypted
// resources are transformed on every write and decrypted on every read, list and watch event, so the
// registries and the watch cache only ever see plaintext JSON.

import type { ResourceInfo } from '../../api/resource-info.js';
import { newInternalError } from '../../apimachinery/errors.js';
import { klog } from '../../base/logger.js';
import { binaryValuePrefix, isStorageError, StorageError, type KeyValue, type Store, type WatchEvent } from '../../storage/interface.js';
import { resourceKeys } from '../storage-keys.js';
import { loadEncryptionConfiguration } from './config.js';
import { readerOfAllProviders, transformersFromConfiguration, type TransformerForResource } from './providers.js';
import type { ValueTransformer } from './transformer.js';

const log = klog.withName('encrypting-store.ts');

/** Finds the transformer of storage keys (built by keyTransformers). */
export interface KeyTransformers {
  /** The transformer of a key, or of a list prefix at or below one resource's root; undefined: plaintext. */
  forKey(key: string): ValueTransformer | undefined;
  /**
   * Reads an encrypted (`k8s:enc:`) value of a key whose resource is not known yet — a custom resource listed
   * at start-up, before its definition is served — with every configured provider (prefixes name the key).
   */
  readUnknown(stored: string, key: string): string;
  /** The custom resources served now (replacing the previous set): their writes use their configured transformer. */
  serveCustomResources(resources: readonly ResourceInfo[]): void;
}

/**
 * Resolves keys to their resource's transformer through the resource's key root, one or two segments below
 * the etcd prefix (`/registry/secrets/`, `/registry/services/specs/`). Only roots with a transformer are kept,
 * so a key of a plaintext resource costs at most three map lookups.
 */
export function keyTransformers(opts: {
  etcdPrefix: string;
  resources: readonly ResourceInfo[];
  transformerFor: TransformerForResource;
  readUnknown: KeyTransformers['readUnknown'];
}): KeyTransformers {
  const rootsOf = (resources: readonly ResourceInfo[]) => {
    const roots = new Map<string, ValueTransformer>();
    for (const r of resources) {
      const { root } = resourceKeys({ etcdPrefix: opts.etcdPrefix, group: r.group, plural: r.plural, namespaced: r.namespaced });
      const t = opts.transformerFor(r.group, r.plural);
      if (t && !roots.has(root)) roots.set(root, t);
    }
    return roots;
  };
  const builtin = rootsOf(opts.resources);
  let custom = new Map<string, ValueTransformer>();
  const base = `${opts.etcdPrefix.replace(/\/+$/, '')}/`;
  const lookup = (root: string) => builtin.get(root) ?? custom.get(root);
  return {
    forKey(key) {
      if ((builtin.size === 0 && custom.size === 0) || !key.startsWith(base)) return undefined;
      const first = key.indexOf('/', base.length);
      if (first < 0) return undefined;
      const second = key.indexOf('/', first + 1);
      return (second >= 0 ? lookup(key.slice(0, second + 1)) : undefined) ?? lookup(key.slice(0, first + 1));
    },
    readUnknown: opts.readUnknown,
    serveCustomResources(resources) {
      custom = rootsOf(resources);
    },
  };
}

/** upstream's wording for a value that cannot be decrypted: a 500 naming the key. */
function transformError(key: string, err: unknown): Error {
  return newInternalError(`unable to transform key ${JSON.stringify(key)}: ${(err as Error).message}`);
}

/**
 * Wraps `store`. Writes of keys `resolve` maps to a transformer store the transformed value (the first
 * provider's output); reads pick the provider by prefix. A value that cannot be decrypted fails the read with a
 * 500 StatusError; in a watch, such an event is logged and skipped (its object stays as it was in the cache).
 * Keys without a transformer pass through untouched.
 */
export function encryptingStore(store: Store, transformers: KeyTransformers): Store {
  const resolve = (key: string) => transformers.forKey(key);
  const decrypt = (kv: KeyValue, t: ValueTransformer | undefined = resolve(kv.key)): KeyValue => {
    // JSON starts with '{': a plaintext value of a plaintext resource costs one comparison.
    if (!t && !kv.value.startsWith(binaryValuePrefix)) return kv;
    try {
      return { ...kv, value: t ? t.fromStorage(kv.value, kv.key) : transformers.readUnknown(kv.value, kv.key) };
    } catch (err) {
      throw transformError(kv.key, err);
    }
  };
  const encrypt = (key: string, value: string): string => {
    const t = resolve(key);
    return t ? t.toStorage(value, key) : value;
  };
  // A Conflict carries the current value, which the registry decodes: it must be plaintext too.
  const decryptConflict = (err: unknown): never => {
    if (isStorageError(err, 'Conflict') && err.current) {
      throw new StorageError('Conflict', err.message, { key: err.key, current: decrypt(err.current), revision: err.revision });
    }
    throw err;
  };
  const decryptEvent = (e: WatchEvent): WatchEvent | undefined => {
    const key = e.type === 'put' ? e.kv.key : e.key;
    const t = resolve(key);
    const value = e.type === 'put' ? e.kv.value : e.prevKv.value;
    if (!t && !value.startsWith(binaryValuePrefix) && !(e.type === 'put' && e.prevKv?.value.startsWith(binaryValuePrefix))) return e;
    try {
      if (e.type === 'delete') return { ...e, prevKv: decrypt(e.prevKv, t) };
      return { type: 'put', kv: decrypt(e.kv, t), ...(e.prevKv ? { prevKv: decrypt(e.prevKv, t) } : {}) };
    } catch (err) {
      log.error('Skipping a watch event that cannot be decrypted', err, { key });
      return undefined;
    }
  };
  return {
    get backend() {
      return store.backend;
    },
    currentRevision: () => store.currentRevision(),
    compactedRevision: () => store.compactedRevision(),
    get: async (key, o) => {
      const kv = await store.get(key, o);
      return kv && decrypt(kv);
    },
    list: async (o) => {
      const res = await store.list(o);
      // A prefix inside one resource decides once; a wider one (the watch cache's relist) per key.
      const t = resolve(o.prefix);
      if (t) return { ...res, kvs: res.kvs.map((kv) => decrypt(kv, t)) };
      return { ...res, kvs: res.kvs.map((kv) => decrypt(kv)) };
    },
    create: async (key, value) => {
      const kv = await store.create(key, encrypt(key, value));
      return { ...kv, value };
    },
    update: async (key, value, rev) => {
      const kv = await store.update(key, encrypt(key, value), rev).catch(decryptConflict);
      return { ...kv, value };
    },
    delete: async (key, rev) => {
      const res = await store.delete(key, rev).catch(decryptConflict);
      return { ...res, prevKv: decrypt(res.prevKv) };
    },
    watch: (o) =>
      store.watch({
        ...o,
        onEvents: (events) => {
          const out: WatchEvent[] = [];
          for (const e of events) {
            const d = decryptEvent(e);
            if (d) out.push(d);
          }
          if (out.length > 0) o.onEvents(out);
        },
      }),
    compact: (rev) => store.compact(rev),
    close: () => store.close(),
  };
}

/** What server.ts installs for --encryption-provider-config. */
export interface EncryptionAtRest {
  /** Wraps the opened store (returns it unchanged without the flag). */
  wrap(store: Store): Store;
  /** Keeps custom resources' transformers current (call whenever the served custom resources change). */
  serveCustomResources(resources: readonly ResourceInfo[]): void;
}

/**
 * Reads --encryption-provider-config. Without the flag nothing is wrapped (no cost); else encryptingStore over
 * the configured `resources` (storage resources, one per key root). Rejects with upstream's start-up message for
 * an unreadable or invalid file and for providers k8ts refuses.
 */
export async function encryptionAtRest(opts: { encryptionProviderConfig?: string; etcdPrefix: string }, resources: readonly ResourceInfo[]): Promise<EncryptionAtRest> {
  if (!opts.encryptionProviderConfig) return { wrap: (store) => store, serveCustomResources: () => undefined };
  const config = await loadEncryptionConfiguration(opts.encryptionProviderConfig);
  const transformers = keyTransformers({
    etcdPrefix: opts.etcdPrefix,
    resources,
    transformerFor: transformersFromConfiguration(config),
    readUnknown: readerOfAllProviders(config),
  });
  return { wrap: (store) => encryptingStore(store, transformers), serveCustomResources: (r) => transformers.serveCustomResources(r) };
}
