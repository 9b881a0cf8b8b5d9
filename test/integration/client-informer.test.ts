// Informers, listers and the event recorder against a real in-process apiserver: the cache follows creates,
// updates and deletes through the real list+watch (pagination, bookmarks, watch-cache resourceVersions),
// and recorded Events land in the API with upstream's count dedupe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { poll } from '../../src/base/wait.js';
import { newLogger } from '../../src/base/logger.js';
import { SharedInformerFactory } from '../../src/client/cache/informer-factory.js';
import type { DeletedFinalStateUnknown } from '../../src/client/cache/interface.js';
import { deletionHandlingMetaNamespaceKeyFunc, metaNamespaceKeyFunc } from '../../src/client/cache/keys.js';
import { EventBroadcaster } from '../../src/client/record/event-broadcaster.js';
import { newEventSinkFromClient } from '../../src/client/record/event-sink.js';
import type { CoreEvent } from '../../src/client/record/events-cache.js';
import type { KubeObject } from '../../src/client/rest/interface.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultAPIServerOptions } from '../../src/apiserver/options.js';
import { runAPIServer } from '../../src/apiserver/server.js';
import { generateSelfSigned } from '../../src/apiserver/serving-cert.js';
import { Backoff } from '../../src/base/backoff.js';
import { newClient } from '../../src/client/rest/rest-client.js';
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { freePort } from '../harness/free-port.js';
import { startInProcessAPIServer } from '../harness/in-process-apiserver.js';

const configmaps = { group: '', version: 'v1', resource: 'configmaps' };
const namespaces = { group: '', version: 'v1', resource: 'namespaces' };
const events = { group: '', version: 'v1', resource: 'events' };
const until = (cond: () => boolean | Promise<boolean>): Promise<void> => poll({ intervalMs: 10, timeoutMs: 10_000 }, cond);

test('informer and listers follow a real apiserver', async (t) => {
  const cluster = await startInProcessAPIServer(t);
  const { client } = cluster;
  for (const ns of ['a', 'b']) await client.resource(namespaces).create({ metadata: { name: ns } });
  for (let i = 0; i < 7; i++) await client.resource(configmaps, 'a').create({ metadata: { name: `pre${i}`, labels: { i: String(i % 2) } } });

  const factory = new SharedInformerFactory({ client: cluster.newClient(), logger: newLogger({ write: () => {} }) });
  const { informer, lister } = factory.forResource(configmaps);
  const seen: string[] = [];
  informer.addEventHandler({
    onAdd: (o) => seen.push(`add ${metaNamespaceKeyFunc(o)}`),
    onUpdate: (_o, n) => seen.push(`update ${metaNamespaceKeyFunc(n)}`),
    onDelete: (o: KubeObject | DeletedFinalStateUnknown) => seen.push(`delete ${deletionHandlingMetaNamespaceKeyFunc(o)}`),
  });
  const ac = new AbortController();
  t.after(() => ac.abort());
  factory.start(ac.signal);
  assert.equal(await factory.waitForCacheSync(ac.signal), true);
  assert.equal(lister.namespace('a').list().length, 7);
  assert.equal(lister.namespace('a').list('i=1').length, 3);

  const cms = client.resource(configmaps, 'b');
  await cms.create({ metadata: { name: 'x' }, data: { v: '1' } });
  const x = await cms.get('x');
  await cms.update({ ...x, data: { v: '2' } });
  await client.resource(configmaps, 'a').delete('pre0');
  await until(() => seen.includes('delete a/pre0') && lister.namespace('b').get('x')?.data !== undefined && (lister.namespace('b').get('x')?.data as { v: string }).v === '2');
  assert.ok(seen.includes('add b/x'));
  assert.ok(seen.includes('update b/x'));
  assert.equal(lister.get('a/pre0'), undefined);
  const latest = await client.resource(configmaps).list();
  await until(() => Number(informer.lastSyncResourceVersion()) >= Number(latest.metadata.resourceVersion));
  assert.deepEqual(
    lister.list().map(metaNamespaceKeyFunc).sort(),
    latest.items.map(metaNamespaceKeyFunc).sort(),
    'the cache equals a fresh list',
  );
  ac.abort();
  await factory.shutdown();
});

test('recorded Events reach the API; repeats increment count on the same Event', async (t) => {
  const cluster = await startInProcessAPIServer(t);
  const { client } = cluster;
  await client.resource(namespaces).create({ metadata: { name: 'ev' } });
  const cm = await client.resource(configmaps, 'ev').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'subject' } });
  const broadcaster = new EventBroadcaster({ logger: newLogger({ write: () => {} }) });
  broadcaster.startRecordingToSink(newEventSinkFromClient(cluster.newClient()));
  t.after(() => broadcaster.shutdown());
  const recorder = broadcaster.newRecorder({ component: 'test-controller', host: 'h1' });
  const subject = { ...cm, apiVersion: 'v1', kind: 'ConfigMap' };
  for (let i = 0; i < 3; i++) recorder.event(subject, 'Warning', 'Broken', 'it broke');
  recorder.eventf(subject, 'Normal', 'Fixed', 'fixed after %d tries', 3);
  await broadcaster.flush();
  const list = (await client.resource<CoreEvent>(events, 'ev').list()).items;
  const byReason = new Map(list.map((e) => [e.reason, e]));
  assert.equal(list.length, 2);
  assert.equal(byReason.get('Broken')?.count, 3);
  assert.equal(byReason.get('Broken')?.type, 'Warning');
  assert.equal(byReason.get('Fixed')?.message, 'fixed after 3 tries');
  assert.deepEqual(byReason.get('Broken')?.involvedObject.uid, cm.metadata?.uid);
  assert.deepEqual(byReason.get('Broken')?.source, { component: 'test-controller', host: 'h1' });
});

test('an informer rides out an apiserver restart: broken watch, refused connections, relist', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-informer-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const port = await freePort();
  const cert = await generateSelfSigned({ dns: ['localhost'], ips: ['127.0.0.1'] });
  const start = async (): Promise<{ close(): Promise<void> }> => {
    const ac = new AbortController();
    const opts = { ...defaultAPIServerOptions('/nonexistent'), securePort: 0, insecurePort: port, bindAddress: '127.0.0.1', advertiseAddress: '127.0.0.1' };
    const server = await runAPIServer(opts, ac.signal, { openStore: async () => openSqliteStore({ path: join(dir, 'state.db') }), servingCert: cert });
    return {
      close: async () => {
        ac.abort();
        await server.close();
      },
    };
  };
  let server = await start();
  t.after(() => server.close());
  const writer = newClient({ host: `http://127.0.0.1:${port}`, qps: -1 });
  const informerClient = newClient({ host: `http://127.0.0.1:${port}`, qps: -1 });
  t.after(() => {
    writer.close();
    informerClient.close();
  });
  const cms = writer.resource(configmaps, 'default');
  for (let i = 0; i < 3; i++) await cms.create({ metadata: { name: `before${i}` } });

  const factory = new SharedInformerFactory({
    client: informerClient,
    logger: newLogger({ write: () => {} }),
    backoff: () => new Backoff({ initialMs: 20, capMs: 200 }),
  });
  const { informer, lister } = factory.forResource(configmaps, { namespace: 'default' });
  const deleted: string[] = [];
  informer.addEventHandler({ onDelete: (o: KubeObject | DeletedFinalStateUnknown) => deleted.push(deletionHandlingMetaNamespaceKeyFunc(o)) });
  const ac = new AbortController();
  t.after(() => ac.abort());
  factory.start(ac.signal);
  assert.equal(await factory.waitForCacheSync(ac.signal), true);
  assert.equal(lister.list().length, 3);

  await server.close();
  server = await start();
  await cms.delete('before0');
  await cms.create({ metadata: { name: 'after' } });
  const truth = async (): Promise<string[]> => (await cms.list()).items.map(metaNamespaceKeyFunc).sort();
  await until(async () => JSON.stringify(lister.list().map(metaNamespaceKeyFunc).sort()) === JSON.stringify(await truth()));
  assert.deepEqual(lister.list().map(metaNamespaceKeyFunc).sort(), ['default/after', 'default/before1', 'default/before2']);
  assert.deepEqual(deleted, ['default/before0']);
  ac.abort();
  await factory.shutdown();
});
