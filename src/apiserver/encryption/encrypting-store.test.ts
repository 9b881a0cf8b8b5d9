// The encrypting Store decorator over the memory backend: what reaches the backend is encrypted for
// configured resources only, and every read path (get, list, watch, conflicts, deletes) sees plaintext.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resources } from '../../api/resources.js';
import { isStorageError, type WatchEvent } from '../../storage/interface.js';
import { openMemoryStore } from '../../storage/memory/memory-store.js';
import { parseEncryptionConfiguration } from './config.js';
import { encryptingStore, keyTransformers } from './encrypting-store.js';
import { readerOfAllProviders, transformersFromConfiguration } from './providers.js';

const secretKey = '/registry/secrets/default/s1';
const configMapKey = '/registry/configmaps/default/c1';
const serviceKey = '/registry/services/specs/default/svc';
const value = (name: string) => JSON.stringify({ kind: 'Secret', metadata: { name }, data: { password: 'c2VjcmV0' } });

function setup(providers: string, patterns = 'secrets, services') {
  const config = parseEncryptionConfiguration(
    `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [${patterns}]\n  providers:\n${providers}`,
    'enc.yaml',
  );
  return keyTransformers({ etcdPrefix: '/registry', resources, transformerFor: transformersFromConfiguration(config), readUnknown: readerOfAllProviders(config) });
}
const key1 = `  - aescbc:\n      keys: [{name: key1, secret: ${Buffer.alloc(32, 1).toString('base64')}}]\n`;
const key2 = `  - aescbc:\n      keys: [{name: key2, secret: ${Buffer.alloc(32, 2).toString('base64')}}]\n`;

test('resolves keys of configured resources only, including nested roots and list prefixes', () => {
  const transformers = setup(key1);
  for (const [key, encrypted] of [
    [secretKey, true],
    ['/registry/secrets/', true],
    ['/registry/secrets/kube-system/', true],
    [serviceKey, true],
    [configMapKey, false],
    ['/registry/services/endpoints/default/svc', false],
    ['/registry/', false],
    ['/other/secrets/default/s1', false],
  ] as const) {
    assert.equal(transformers.forKey(key) !== undefined, encrypted, key);
  }
});

test('stores ciphertext for configured resources and plaintext for the rest; reads see plaintext', async () => {
  const backend = openMemoryStore();
  const store = encryptingStore(backend, setup(key1));
  const events: WatchEvent[] = [];
  const ac = new AbortController();
  await store.watch({ prefix: '/registry/', startRevision: 0, onEvents: (e) => events.push(...e), onError: () => undefined, signal: ac.signal });
  const created = await store.create(secretKey, value('s1'));
  assert.equal(created.value, value('s1'));
  await store.create(configMapKey, '{"kind":"ConfigMap"}');
  const raw = (await backend.get(secretKey))?.value ?? '';
  assert.ok(raw.startsWith('k8s:enc:aescbc:v1:key1:'), raw.slice(0, 30));
  assert.ok(!raw.includes('c2VjcmV0'));
  assert.equal((await backend.get(configMapKey))?.value, '{"kind":"ConfigMap"}');
  assert.equal((await store.get(secretKey))?.value, value('s1'));
  for (const prefix of ['/registry/', '/registry/secrets/', '/registry/secrets/default/']) {
    const listed = await store.list({ prefix });
    assert.equal(listed.kvs.find((kv) => kv.key === secretKey)?.value, value('s1'), prefix);
  }
  const updated = await store.update(secretKey, value('s1-v2'), created.modRevision);
  assert.equal((await store.get(secretKey))?.value, value('s1-v2'));
  await assert.rejects(store.update(secretKey, value('stale'), created.modRevision), (err) => isStorageError(err, 'Conflict') && err.current?.value === value('s1-v2'));
  const deleted = await store.delete(secretKey, updated.modRevision);
  assert.equal(deleted.prevKv.value, value('s1-v2'));
  await new Promise((resolve) => setImmediate(resolve));
  ac.abort();
  const seen = events.map((e) => (e.type === 'put' ? `put ${e.kv.key} ${e.kv.value} ${e.prevKv?.value ?? '-'}` : `delete ${e.key} ${e.prevKv.value}`));
  assert.deepEqual(seen, [
    `put ${secretKey} ${value('s1')} -`,
    `put ${configMapKey} {"kind":"ConfigMap"} -`,
    `put ${secretKey} ${value('s1-v2')} ${value('s1')}`,
    `delete ${secretKey} ${value('s1-v2')}`,
  ]);
});

test('key rotation: data under the old key stays readable, rewrites use the new key', async () => {
  const backend = openMemoryStore();
  const before = encryptingStore(backend, setup(key1));
  const kv = await before.create(secretKey, value('s1'));
  const after = encryptingStore(backend, setup(key2 + key1));
  assert.equal((await after.get(secretKey))?.value, value('s1'));
  await after.update(secretKey, value('s1'), kv.modRevision);
  assert.ok((await backend.get(secretKey))?.value.startsWith('k8s:enc:aescbc:v1:key2:'));
  // Without the new key the rewritten value cannot be read: a 500 naming the key.
  await assert.rejects(before.get(secretKey), {
    message: `Internal error occurred: unable to transform key "${secretKey}": no matching prefix found`,
  });
});

test('custom resources: encrypted once served; at start-up, before their definition is known, still readable', async () => {
  const backend = openMemoryStore();
  const widget = { ...resources[0], group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets', namespaced: true };
  const widgetKey = '/registry/example.com/widgets/default/w1';
  const running = setup(key1, '"*.*"');
  const store = encryptingStore(backend, running);
  await store.create(widgetKey, '{"kind":"Widget"}');
  assert.equal((await backend.get(widgetKey))?.value, '{"kind":"Widget"}', 'not served yet: plaintext');
  running.serveCustomResources([widget]);
  await store.update(widgetKey, '{"kind":"Widget","v":2}', (await backend.get(widgetKey))!.modRevision);
  assert.ok((await backend.get(widgetKey))?.value.startsWith('k8s:enc:aescbc:v1:key1:'));
  // A restarted server lists everything before any CustomResourceDefinition is served.
  const restarted = encryptingStore(backend, setup(key1, '"*.*"'));
  const listed = await restarted.list({ prefix: '/registry/' });
  assert.equal(listed.kvs.find((kv) => kv.key === widgetKey)?.value, '{"kind":"Widget","v":2}');
});
