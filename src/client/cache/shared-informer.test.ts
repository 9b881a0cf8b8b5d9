import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff } from '../../base/backoff.js';
import { FakeClock } from '../../base/clock.js';
import { newLogger } from '../../base/logger.js';
import { poll } from '../../base/wait.js';
import type { KubeObject } from '../rest/interface.js';
import { FakeListerWatcher } from './fake-lister-watcher.js';
import type { DeletedFinalStateUnknown, ResourceEventHandler } from './interface.js';
import { isDeletedFinalStateUnknown, metaNamespaceKeyFunc } from './keys.js';
import { SharedIndexInformer } from './shared-informer.js';
import { waitForCacheSync } from './wait-for-cache-sync.js';

const cm = (name: string, data = 'v'): KubeObject => ({ metadata: { namespace: 'default', name }, data: { k: data } });

/** A handler that records what it saw as strings like "add default/a 3" or "delete-tombstone default/a". */
function recorder(): { handler: ResourceEventHandler; seen: string[] } {
  const seen: string[] = [];
  const desc = (o: KubeObject | DeletedFinalStateUnknown): string =>
    isDeletedFinalStateUnknown(o) ? `tombstone ${o.key}` : `${metaNamespaceKeyFunc(o)} ${o.metadata?.resourceVersion}`;
  return {
    seen,
    handler: {
      onAdd: (o, initial) => seen.push(`add${initial ? '-initial' : ''} ${desc(o)}`),
      onUpdate: (o, n) => seen.push(`update ${desc(o)} -> ${n.metadata?.resourceVersion}`),
      onDelete: (o) => seen.push(`delete ${desc(o)}`),
    },
  };
}

const until = (cond: () => boolean): Promise<void> => poll({ intervalMs: 1, timeoutMs: 5000 }, cond);
const zeroBackoff = (): Backoff => new Backoff({ initialMs: 0 });

test('informer: initial list, watch events, late handler, removal', async () => {
  const lw = new FakeListerWatcher();
  lw.create(cm('a'));
  lw.create(cm('b'));
  const informer = new SharedIndexInformer({ listerWatcher: lw, backoff: zeroBackoff() });
  const early = recorder();
  const reg = informer.addEventHandler(early.handler);
  assert.equal(reg.hasSynced(), false);
  const ac = new AbortController();
  const run = informer.run(ac.signal);
  assert.equal(await waitForCacheSync(ac.signal, informer.hasSynced, () => reg.hasSynced()), true);
  assert.deepEqual(early.seen.sort(), ['add-initial default/a 2', 'add-initial default/b 3']);
  await until(() => lw.openWatches() === 1);
  lw.update(cm('a', 'x'));
  lw.delete('default/b');
  lw.create(cm('c'));
  await until(() => early.seen.length === 5);
  assert.deepEqual(early.seen.slice(2), ['update default/a 2 -> 4', 'delete default/b 5', 'add default/c 6']);
  assert.equal(informer.lastSyncResourceVersion(), '6');

  const late = recorder();
  const lateReg = informer.addEventHandler(late.handler);
  await until(() => lateReg.hasSynced());
  assert.deepEqual(late.seen.sort(), ['add-initial default/a 4', 'add-initial default/c 6']);
  informer.removeEventHandler(lateReg);
  lw.delete('default/a');
  await until(() => early.seen.length === 6);
  assert.equal(late.seen.length, 2, 'a removed handler hears nothing more');

  ac.abort();
  await run;
  const [first, second] = lw.requests;
  assert.deepEqual(first, { verb: 'list', opts: { resourceVersion: '0', limit: 500 } });
  assert.equal(second?.verb, 'watch');
  assert.equal(second?.opts.resourceVersion, '3');
  assert.equal(second?.opts.allowWatchBookmarks, true);
  assert.ok((second?.opts.timeoutSeconds ?? 0) >= 300 && (second?.opts.timeoutSeconds ?? 0) < 600);
});

test('informer: a 410 after compaction relists; vanished objects become tombstones', async () => {
  for (const goneOnWatchStart of [false, true]) {
    const lw = new FakeListerWatcher();
    lw.goneOnWatchStart = goneOnWatchStart;
    lw.create(cm('a'));
    lw.create(cm('b'));
    const informer = new SharedIndexInformer({ listerWatcher: lw, backoff: zeroBackoff() });
    const r = recorder();
    informer.addEventHandler(r.handler);
    const ac = new AbortController();
    const run = informer.run(ac.signal);
    await until(() => lw.openWatches() === 1);
    lw.breakWatches();
    // While no watch is open: b goes away, a changes, history is compacted.
    lw.delete('default/b');
    lw.update(cm('a', 'new'));
    lw.compact();
    await until(() => informer.getStore().list().length === 1 && r.seen.length === 4);
    assert.deepEqual(r.seen.slice(2).sort(), ['delete tombstone default/b', 'update default/a 2 -> 5']);
    const tombstoneSeen = r.seen.find((s) => s.startsWith('delete'));
    assert.ok(tombstoneSeen);
    ac.abort();
    await run;
    const lists = lw.requests.filter((q) => q.verb === 'list').map((q) => q.opts.resourceVersion);
    assert.deepEqual(lists.slice(0, 2), ['0', '3'], 'the relist asks for at least the last seen version');
  }
});

test('informer: rewatches from the last resourceVersion after a clean end and after bookmarks', async () => {
  const lw = new FakeListerWatcher();
  lw.create(cm('a'));
  const informer = new SharedIndexInformer({ listerWatcher: lw, backoff: zeroBackoff() });
  const ac = new AbortController();
  const run = informer.run(ac.signal);
  await until(() => lw.openWatches() === 1);
  lw.create(cm('other'));
  lw.bookmark();
  await until(() => informer.lastSyncResourceVersion() === '3');
  lw.closeWatches();
  await until(() => lw.requests.filter((q) => q.verb === 'watch').length === 2);
  const watches = lw.requests.filter((q) => q.verb === 'watch').map((q) => q.opts.resourceVersion);
  assert.deepEqual(watches, ['2', '3']);
  assert.equal(lw.requests.filter((q) => q.verb === 'list').length, 1, 'no relist after a clean end');
  ac.abort();
  await run;
});

test('informer: paginated lists are followed to the end', async () => {
  const lw = new FakeListerWatcher();
  lw.pageSize = 2;
  for (let i = 0; i < 5; i++) lw.create(cm(`o${i}`));
  const informer = new SharedIndexInformer({ listerWatcher: lw, backoff: zeroBackoff() });
  const ac = new AbortController();
  const run = informer.run(ac.signal);
  await until(() => informer.hasSynced());
  assert.equal(informer.getStore().list().length, 5);
  assert.equal(lw.requests.filter((q) => q.verb === 'list').length, 3);
  ac.abort();
  await run;
});

test('informer: periodic resync re-delivers updates on the injected clock, per handler period', async () => {
  const clock = new FakeClock();
  const lw = new FakeListerWatcher();
  lw.create(cm('a'));
  const informer = new SharedIndexInformer({ listerWatcher: lw, clock, backoff: zeroBackoff(), defaultResyncPeriodMs: 30_000 });
  const fast = recorder();
  const slow = recorder();
  const never = recorder();
  informer.addEventHandler(fast.handler, 10_000);
  informer.addEventHandler(slow.handler);
  informer.addEventHandler(never.handler, 0);
  const ac = new AbortController();
  const run = informer.run(ac.signal);
  await until(() => informer.hasSynced() && fast.seen.length === 1);
  const steps = [
    { stepMs: 10_000, fast: 2, slow: 1 },
    { stepMs: 10_000, fast: 3, slow: 1 },
    { stepMs: 10_000, fast: 4, slow: 2 },
  ];
  for (const s of steps) {
    clock.step(s.stepMs);
    await until(() => fast.seen.length === s.fast && slow.seen.length === s.slow);
  }
  assert.equal(fast.seen[1], 'update default/a 2 -> 2');
  assert.equal(never.seen.length, 1);
  ac.abort();
  await run;
});

test('informer: with the mutation detector, handlers and listers get frozen objects', async () => {
  const lw = new FakeListerWatcher();
  lw.create(cm('a'));
  const informer = new SharedIndexInformer({ listerWatcher: lw, backoff: zeroBackoff(), detectMutations: true });
  const got: KubeObject[] = [];
  informer.addEventHandler({ onAdd: (o) => got.push(o) });
  const ac = new AbortController();
  const run = informer.run(ac.signal);
  await until(() => got.length === 1);
  assert.throws(() => {
    (got[0]?.data as Record<string, string>).k = 'changed';
  }, TypeError);
  ac.abort();
  await run;
});

test('informer: a throwing handler does not stop delivery to itself or others', async () => {
  const lw = new FakeListerWatcher();
  const informer = new SharedIndexInformer({ listerWatcher: lw, backoff: zeroBackoff(), logger: newLogger({ write: () => {} }) });
  const good = recorder();
  let calls = 0;
  informer.addEventHandler({
    onAdd: () => {
      calls++;
      throw new Error('boom');
    },
  });
  informer.addEventHandler(good.handler);
  const ac = new AbortController();
  const run = informer.run(ac.signal);
  await until(() => lw.openWatches() === 1);
  lw.create(cm('a'));
  lw.create(cm('b'));
  await until(() => good.seen.length === 2 && calls === 2);
  ac.abort();
  await run;
  assert.equal(await waitForCacheSync(ac.signal, () => false), false, 'an aborted wait answers false');
});
