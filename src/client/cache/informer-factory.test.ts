import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff } from '../../base/backoff.js';
import type { GroupVersionResource, Interface, KubeObject, ListOptions, ResourceInterface } from '../rest/interface.js';
import { FakeListerWatcher } from './fake-lister-watcher.js';
import { gvrString, SharedInformerFactory } from './informer-factory.js';

const pods: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };
const deployments: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'deployments' };

/** A client whose resources are fake servers; records the namespace and options each list asked for. */
function fakeClient(): { client: Interface; servers: Map<string, FakeListerWatcher>; lists: Array<{ ns: string; opts: ListOptions }> } {
  const servers = new Map<string, FakeListerWatcher>();
  const lists: Array<{ ns: string; opts: ListOptions }> = [];
  const server = (gvr: GroupVersionResource): FakeListerWatcher => {
    const key = gvrString(gvr);
    if (!servers.has(key)) servers.set(key, new FakeListerWatcher());
    return servers.get(key) as FakeListerWatcher;
  };
  const client = {
    resource(gvr: GroupVersionResource, ns = '') {
      const s = server(gvr);
      return {
        list: (opts: ListOptions) => {
          lists.push({ ns, opts: { ...opts, signal: undefined } as ListOptions });
          return s.list(opts);
        },
        watch: (opts: ListOptions & { signal: AbortSignal }) => s.watch(opts),
      } as unknown as ResourceInterface;
    },
  } as unknown as Interface;
  return { client, servers, lists };
}

test('factory: one informer per resource, namespace and selector; listers read its cache', async () => {
  const { client, servers, lists } = fakeClient();
  const factory = new SharedInformerFactory({ client, backoff: () => new Backoff({ initialMs: 0 }) });
  const a = factory.forResource(pods);
  const cases: Array<{ got: () => unknown; same: boolean }> = [
    { got: () => factory.forResource(pods).informer, same: true },
    { got: () => factory.forResource(pods, { namespace: 'kube-system' }).informer, same: false },
    { got: () => factory.forResource(pods, { labelSelector: 'app=web' }).informer, same: false },
    { got: () => factory.forResource(deployments).informer, same: false },
  ];
  for (const c of cases) assert.equal(c.got() === a.informer, c.same);
  const web = factory.forResource(pods, { labelSelector: 'app=web' });
  const podServer = servers.get(gvrString(pods)) as FakeListerWatcher;
  podServer.create({ metadata: { namespace: 'default', name: 'p1', labels: { app: 'web' } } } as KubeObject);
  podServer.create({ metadata: { namespace: 'other', name: 'p2', labels: { app: 'db' } } } as KubeObject);
  const ac = new AbortController();
  factory.start(ac.signal);
  assert.equal(await factory.waitForCacheSync(ac.signal), true);
  assert.deepEqual(a.lister.namespace('default').list().map((p) => p.metadata?.name), ['p1']);
  assert.equal(a.lister.namespace('other').get('p2')?.metadata?.name, 'p2');
  assert.equal(a.lister.list('app=db').length, 1);
  assert.ok(lists.some((l) => l.ns === 'kube-system'));
  assert.ok(lists.some((l) => l.opts.labelSelector === 'app=web'));
  assert.equal(web.informer.hasSynced(), true);
  ac.abort();
  await factory.shutdown();
});
