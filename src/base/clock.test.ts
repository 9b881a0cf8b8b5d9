// FakeClock fires timers in due order only when stepped; sleep honours AbortSignal on both clocks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, RealClock } from './clock.js';

test('FakeClock fires due timers in order, only when stepped', () => {
  const cases: { name: string; timers: number[]; steps: number[]; fired: number[][] }[] = [
    { name: 'nothing due yet', timers: [10], steps: [9], fired: [[]] },
    { name: 'exactly due', timers: [10], steps: [10], fired: [[10]] },
    { name: 'ordered by due time', timers: [30, 10, 20], steps: [25, 5], fired: [[10, 20], [30]] },
    { name: 'zero delay fires on a zero step', timers: [0], steps: [0], fired: [[0]] },
  ];
  for (const c of cases) {
    const clock = new FakeClock(0);
    const fired: number[] = [];
    for (const ms of c.timers) clock.setTimer(ms, () => fired.push(ms));
    c.steps.forEach((s, i) => {
      fired.length = 0;
      clock.step(s);
      assert.deepEqual(fired, c.fired[i], c.name);
    });
  }
});

test('FakeClock: stopped timers never fire; a timer armed by a timer fires in the same step if due', () => {
  const clock = new FakeClock(0);
  const fired: string[] = [];
  const t = clock.setTimer(5, () => fired.push('stopped'));
  assert.equal(t.stop(), true);
  assert.equal(t.stop(), false);
  clock.setTimer(5, () => {
    fired.push('first');
    clock.setTimer(5, () => fired.push('second'));
  });
  clock.step(20);
  assert.deepEqual(fired, ['first', 'second']);
  assert.equal(clock.now(), 20);
  assert.equal(clock.pendingTimers(), 0);
  assert.throws(() => clock.setTime(10), /back in time/);
});

test('sleep resolves after the time passes and rejects on abort without leaving a timer', async () => {
  const clock = new FakeClock(0);
  const done = clock.sleep(100);
  clock.step(100);
  await done;

  const ac = new AbortController();
  const aborted = clock.sleep(100, ac.signal);
  assert.equal(clock.pendingTimers(), 1);
  ac.abort(new Error('stop'));
  await assert.rejects(aborted, /stop/);
  assert.equal(clock.pendingTimers(), 0);

  await assert.rejects(clock.sleep(1, AbortSignal.abort(new Error('already'))), /already/);
  await assert.rejects(new RealClock().sleep(60_000, AbortSignal.timeout(5)), { name: 'TimeoutError' });
});

test('RealClock.now has sub-millisecond precision and tracks Date.now', () => {
  const c = new RealClock();
  assert.ok(Math.abs(c.now() - Date.now()) < 50);
});
