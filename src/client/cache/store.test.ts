import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../rest/interface.js';
import { deletionHandlingMetaNamespaceKeyFunc, metaNamespaceKeyFunc, newDeletedFinalStateUnknown, splitMetaNamespaceKey } from './keys.js';
import { newLister } from './listers.js';
import { deepFreeze } from './mutation-detector.js';
import { namespaceIndex, namespaceIndexers, newIndexer } from './store.js';

const pod = (ns: string, name: string, labels: Record<string, string> = {}, rv = '1'): KubeObject => ({
  metadata: { namespace: ns || undefined, name, labels, resourceVersion: rv },
});

test('keys: metaNamespaceKeyFunc, split, tombstones', () => {
  const cases: Array<{ obj: KubeObject; key: string; split: { namespace: string; name: string } }> = [
    { obj: pod('default', 'web'), key: 'default/web', split: { namespace: 'default', name: 'web' } },
    { obj: pod('', 'node-1'), key: 'node-1', split: { namespace: '', name: 'node-1' } },
  ];
  for (const c of cases) {
    assert.equal(metaNamespaceKeyFunc(c.obj), c.key);
    assert.deepEqual(splitMetaNamespaceKey(c.key), c.split);
    assert.equal(deletionHandlingMetaNamespaceKeyFunc(newDeletedFinalStateUnknown('x/y', c.obj)), 'x/y');
    assert.equal(deletionHandlingMetaNamespaceKeyFunc(c.obj), c.key);
  }
  assert.throws(() => splitMetaNamespaceKey('a/b/c'), /unexpected key format/);
  assert.throws(() => metaNamespaceKeyFunc({ metadata: {} }));
});

test('indexer: add, update, delete keep the namespace and custom indices right', () => {
  const idx = newIndexer({ indexers: namespaceIndexers() });
  idx.addIndexers({ app: (o) => (o.metadata?.labels?.app ? [o.metadata.labels.app] : []) });
  idx.add(pod('a', 'p1', { app: 'web' }));
  idx.add(pod('a', 'p2', { app: 'db' }));
  idx.add(pod('b', 'p1', { app: 'web' }));
  const steps: Array<{ do: () => void; index: string; value: string; want: string[] }> = [
    { do: () => {}, index: namespaceIndex, value: 'a', want: ['a/p1', 'a/p2'] },
    { do: () => {}, index: 'app', value: 'web', want: ['a/p1', 'b/p1'] },
    { do: () => idx.update(pod('a', 'p1', { app: 'db' })), index: 'app', value: 'web', want: ['b/p1'] },
    { do: () => {}, index: 'app', value: 'db', want: ['a/p1', 'a/p2'] },
    { do: () => idx.delete(pod('a', 'p2')), index: namespaceIndex, value: 'a', want: ['a/p1'] },
    { do: () => idx.replace([pod('c', 'x', { app: 'web' })], '9'), index: 'app', value: 'web', want: ['c/x'] },
    { do: () => {}, index: namespaceIndex, value: 'a', want: [] },
  ];
  for (const s of steps) {
    s.do();
    assert.deepEqual(idx.indexKeys(s.index, s.value).sort(), s.want, `${s.index}=${s.value}`);
    assert.deepEqual(idx.byIndex(s.index, s.value).map(metaNamespaceKeyFunc).sort(), s.want);
  }
  assert.deepEqual(idx.listIndexFuncValues('app'), ['web']);
  assert.throws(() => idx.byIndex('nope', 'x'), /does not exist/);
  assert.throws(() => idx.addIndexers({ app: () => [] }), /indexer conflict/);
});

test('lister: selectors, namespaces, cluster-scoped get', () => {
  const idx = newIndexer({ indexers: namespaceIndexers() });
  for (const o of [pod('a', 'p1', { app: 'web' }), pod('a', 'p2', { app: 'db' }), pod('b', 'p3', { app: 'web' }), pod('', 'n1')]) idx.add(o);
  const lister = newLister(idx);
  const names = (objs: KubeObject[]): string[] => objs.map(metaNamespaceKeyFunc).sort();
  const cases: Array<{ got: () => KubeObject[]; want: string[] }> = [
    { got: () => lister.list(), want: ['a/p1', 'a/p2', 'b/p3', 'n1'] },
    { got: () => lister.list('app=web'), want: ['a/p1', 'b/p3'] },
    { got: () => lister.list('app in (db,web),app!=db'), want: ['a/p1', 'b/p3'] },
    { got: () => lister.namespace('a').list(), want: ['a/p1', 'a/p2'] },
    { got: () => lister.namespace('a').list('app=db'), want: ['a/p2'] },
    { got: () => lister.namespace('zzz').list(), want: [] },
  ];
  for (const c of cases) assert.deepEqual(names(c.got()), c.want);
  assert.equal(lister.get('n1')?.metadata?.name, 'n1');
  assert.equal(lister.get('a/p1')?.metadata?.name, 'p1');
  assert.equal(lister.namespace('b').get('p3')?.metadata?.name, 'p3');
  assert.equal(lister.namespace('b').get('p1'), undefined);
  // Without a namespace index the namespace lister scans.
  const plain = newIndexer();
  plain.add(pod('a', 'p1'));
  assert.deepEqual(names(newLister(plain).namespace('a').list()), ['a/p1']);
});

test('mutation detector: frozen cached objects throw on change', () => {
  const idx = newIndexer({ admit: deepFreeze });
  idx.add(pod('a', 'p1', { app: 'web' }));
  const cached = idx.getByKey('a/p1') as KubeObject;
  assert.throws(() => {
    (cached.metadata as { labels: Record<string, string> }).labels.app = 'changed';
  }, TypeError);
  assert.throws(() => {
    cached.spec = {};
  }, TypeError);
});
