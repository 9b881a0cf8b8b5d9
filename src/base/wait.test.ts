// poll, exponentialBackoff and until against a FakeClock: no test here sleeps in real time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from './clock.js';
import { exponentialBackoff, poll, until, WaitTimeoutError } from './wait.js';

/** Lets pending promise callbacks run so the code under test reaches its next sleep. */
async function settle(clock: FakeClock): Promise<void> {
  for (let i = 0; i < 50 && clock.pendingTimers() === 0; i++) await new Promise((r) => setImmediate(r));
}

test('poll checks at the interval until the condition holds', async () => {
  const cases: { name: string; immediate: boolean; trueAt: number; wantChecks: number; wantElapsed: number }[] = [
    { name: 'immediate, true at once', immediate: true, trueAt: 1, wantChecks: 1, wantElapsed: 0 },
    { name: 'immediate, true on third check', immediate: true, trueAt: 3, wantChecks: 3, wantElapsed: 200 },
    { name: 'not immediate waits first', immediate: false, trueAt: 1, wantChecks: 1, wantElapsed: 100 },
  ];
  for (const c of cases) {
    const clock = new FakeClock(0);
    let checks = 0;
    const p = poll({ intervalMs: 100, immediate: c.immediate, clock }, () => ++checks >= c.trueAt);
    let resolved = false;
    void p.then(() => (resolved = true));
    while (!resolved) {
      await settle(clock);
      if (resolved) break;
      clock.step(100);
    }
    await p;
    assert.equal(checks, c.wantChecks, c.name);
    assert.equal(clock.now(), c.wantElapsed, c.name);
  }
});

test('poll gives up with WaitTimeoutError at the timeout', async () => {
  const clock = new FakeClock(0);
  let checks = 0;
  const p = poll({ intervalMs: 100, timeoutMs: 250, clock }, () => (checks++, false));
  const outcome = p.then(
    () => 'resolved',
    (e: unknown) => e,
  );
  for (let i = 0; i < 5; i++) {
    await settle(clock);
    clock.step(100);
  }
  const err = await outcome;
  assert.ok(err instanceof WaitTimeoutError);
  assert.equal((err as Error).message, 'timed out waiting for the condition');
  assert.equal(checks, 4); // t=0, 100, 200, and the last one at the 250 deadline
});

test('poll stops on abort and on a throwing condition', async () => {
  const ac = new AbortController();
  const clock = new FakeClock(0);
  const p = poll({ intervalMs: 100, clock, signal: ac.signal }, () => false);
  await settle(clock);
  ac.abort(new Error('shutting down'));
  await assert.rejects(p, /shutting down/);
  assert.equal(clock.pendingTimers(), 0);

  await assert.rejects(
    poll({ intervalMs: 100, clock }, () => {
      throw new Error('broken');
    }),
    /broken/,
  );
});

test('exponentialBackoff waits growing delays and honours steps', async () => {
  const clock = new FakeClock(0);
  const checkTimes: number[] = [];
  const p = exponentialBackoff({ backoff: { initialMs: 10, factor: 2 }, steps: 4, clock }, () => {
    checkTimes.push(clock.now());
    return false;
  });
  const outcome = p.then(
    () => 'resolved',
    (e: unknown) => e,
  );
  for (const delay of [10, 20, 40]) {
    await settle(clock);
    clock.step(delay);
  }
  assert.ok((await outcome) instanceof WaitTimeoutError);
  assert.deepEqual(checkTimes, [0, 10, 30, 70]);
});

test('until runs periodically and resolves once aborted', async () => {
  const clock = new FakeClock(0);
  const ac = new AbortController();
  const runs: number[] = [];
  const p = until({ periodMs: 50, signal: ac.signal, clock }, () => {
    runs.push(clock.now());
  });
  for (let i = 0; i < 3; i++) {
    await settle(clock);
    clock.step(50);
  }
  await settle(clock);
  ac.abort();
  await p;
  assert.deepEqual(runs, [0, 50, 100, 150]);
});
