import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../base/clock.js';
import { newDelayingQueue } from './delaying-queue.js';

test('delaying queue: items become available when their delay passes, in ready-time order', async () => {
  const clock = new FakeClock();
  const q = newDelayingQueue<string>({ clock });
  q.addAfter('late', 300);
  q.addAfter('early', 100);
  q.addAfter('now', 0);
  assert.equal(q.len(), 1, 'a zero delay adds at once');
  assert.equal((await q.get()).item, 'now');
  const steps: Array<{ stepMs: number; wantLen: number }> = [
    { stepMs: 99, wantLen: 0 },
    { stepMs: 1, wantLen: 1 },
    { stepMs: 150, wantLen: 1 },
    { stepMs: 50, wantLen: 2 },
  ];
  for (const s of steps) {
    clock.step(s.stepMs);
    assert.equal(q.len(), s.wantLen, `after +${s.stepMs}ms`);
  }
  assert.equal((await q.get()).item, 'early');
  assert.equal((await q.get()).item, 'late');
  assert.equal(q.waitingLen(), 0);
  assert.equal(clock.pendingTimers(), 0, 'no timer left once nothing waits');
});

test('delaying queue: the earlier of two pending times for one item wins', () => {
  const cases = [
    { first: 500, second: 100, readyAfter: 100 },
    { first: 100, second: 500, readyAfter: 100 },
  ];
  for (const c of cases) {
    const clock = new FakeClock();
    const q = newDelayingQueue<string>({ clock });
    q.addAfter('x', c.first);
    q.addAfter('x', c.second);
    assert.equal(q.waitingLen(), 1);
    clock.step(c.readyAfter - 1);
    assert.equal(q.len(), 0);
    clock.step(1);
    assert.equal(q.len(), 1);
    clock.step(1000);
    assert.equal(q.len(), 1, 'added once');
  }
});

test('delaying queue: a waiting getter receives a delayed item; shutDown stops the timer', async () => {
  const clock = new FakeClock();
  const q = newDelayingQueue<string>({ clock });
  const got = q.get();
  q.addAfter('k', 1000);
  clock.step(1000);
  assert.deepEqual(await got, { item: 'k', shutdown: false });
  q.done('k');
  q.addAfter('never', 1000);
  q.shutDown();
  assert.equal(clock.pendingTimers(), 0);
  clock.step(5000);
  assert.deepEqual(await q.get(), { shutdown: true });
});

test('delaying queue: many items with random delays come out sorted by ready time', async () => {
  const clock = new FakeClock();
  const q = newDelayingQueue<number>({ clock });
  const delays = Array.from({ length: 200 }, (_, i) => ((i * 7919) % 1000) + 1);
  delays.forEach((d, i) => q.addAfter(i, d * 1000 + i));
  clock.step(2_000_000);
  const out: number[] = [];
  while (q.len() > 0) out.push((await q.get()).item as number);
  const readyAt = (i: number): number => (delays[i] as number) * 1000 + i;
  assert.equal(out.length, 200);
  for (let i = 1; i < out.length; i++) assert.ok(readyAt(out[i - 1] as number) <= readyAt(out[i] as number));
});
