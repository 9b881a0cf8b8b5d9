// Tests for the periodic compactor, driven by a fake clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../base/clock.js';
import { runCompactor } from './compactor.js';
import type { Store } from './interface.js';
import { openMemoryStore } from './memory/memory-store.js';

/** Lets pending promise callbacks run until the compactor has armed its next timer. */
async function settle(clock: FakeClock): Promise<void> {
  for (let i = 0; i < 100 && clock.pendingTimers() === 0; i++) await new Promise((r) => setImmediate(r));
  assert.equal(clock.pendingTimers(), 1, 'the compactor armed its next round');
}

test('compacts to the revision seen one interval earlier', async () => {
  const store = openMemoryStore();
  const clock = new FakeClock();
  const controller = new AbortController();
  const compacted: number[] = [];
  const done = runCompactor({ store, clock, intervalSeconds: 300, signal: controller.signal, onCompacted: (r) => compacted.push(r) });
  const write = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) await store.create(`/registry/k${(await store.currentRevision()) + 1}`, 'v');
  };

  const steps: { write: number; advanceSeconds: number; wantCompacted: number }[] = [
    { write: 3, advanceSeconds: 299, wantCompacted: 0 }, // no round yet
    { write: 0, advanceSeconds: 1, wantCompacted: 0 }, // round 1 records revision 3
    { write: 2, advanceSeconds: 300, wantCompacted: 3 }, // round 2 compacts to 3, records 5
    { write: 0, advanceSeconds: 300, wantCompacted: 5 }, // round 3 compacts to 5, records 5
    { write: 0, advanceSeconds: 300, wantCompacted: 5 }, // nothing new: no compaction call
    { write: 4, advanceSeconds: 300, wantCompacted: 5 }, // records 9
    { write: 0, advanceSeconds: 300, wantCompacted: 9 },
  ];
  await settle(clock);
  for (const [i, s] of steps.entries()) {
    await write(s.write);
    clock.step(s.advanceSeconds * 1000);
    await settle(clock);
    assert.equal(await store.compactedRevision(), s.wantCompacted, `step ${i}`);
  }
  assert.deepEqual(compacted, [3, 5, 9]);
  controller.abort();
  await done;
  assert.equal(clock.pendingTimers(), 0, 'no timer left behind');
  await store.close();
});

test('a failed round is reported and the loop continues', async () => {
  const store = openMemoryStore();
  await store.create('/registry/a', 'v');
  const clock = new FakeClock();
  const controller = new AbortController();
  const errors: unknown[] = [];
  let failNext = false;
  const flaky: Store = {
    backend: 'flaky',
    currentRevision: () => (failNext ? ((failNext = false), Promise.reject(new Error('backend down'))) : store.currentRevision()),
    compactedRevision: () => store.compactedRevision(),
    get: (k, o) => store.get(k, o),
    list: (o) => store.list(o),
    create: (k, v) => store.create(k, v),
    update: (k, v, r) => store.update(k, v, r),
    delete: (k, r) => store.delete(k, r),
    watch: (o) => store.watch(o),
    compact: (r) => store.compact(r),
    close: () => store.close(),
  };
  const done = runCompactor({ store: flaky, clock, intervalSeconds: 10, signal: controller.signal, onError: (e) => errors.push(e) });
  await settle(clock);
  failNext = true;
  clock.step(10_000);
  await settle(clock);
  assert.equal(errors.length, 1);
  clock.step(10_000); // records 1
  await settle(clock);
  await store.create('/registry/b', 'v');
  clock.step(10_000); // compacts to 1
  await settle(clock);
  assert.equal(await store.compactedRevision(), 1);
  controller.abort();
  await done;
  await store.close();
});

test('an interval of 0 disables compaction', async () => {
  const store = openMemoryStore();
  const clock = new FakeClock();
  await runCompactor({ store, clock, intervalSeconds: 0, signal: new AbortController().signal });
  assert.equal(clock.pendingTimers(), 0);
  await store.close();
});
