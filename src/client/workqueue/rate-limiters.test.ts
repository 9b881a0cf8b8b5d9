import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../base/clock.js';
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  ItemFastSlowRateLimiter,
  MaxOfRateLimiter,
} from './rate-limiters.js';
import { newRateLimitingQueue } from './rate-limiting-queue.js';

test('ItemExponentialFailureRateLimiter: doubles per failure, capped, per item, forget resets', () => {
  const l = new ItemExponentialFailureRateLimiter<string>(5, 1000 * 1000);
  assert.deepEqual([1, 2, 3, 4, 5].map(() => l.when('a')), [5, 10, 20, 40, 80]);
  assert.equal(l.when('b'), 5);
  assert.equal(l.numRequeues('a'), 5);
  l.forget('a');
  assert.equal(l.numRequeues('a'), 0);
  assert.equal(l.when('a'), 5);
  for (let i = 0; i < 2000; i++) l.when('c');
  assert.equal(l.when('c'), 1000 * 1000, 'capped at 1000s, also far past float overflow');
});

test('ItemFastSlowRateLimiter: fast attempts, then slow', () => {
  const l = new ItemFastSlowRateLimiter<string>(5, 10_000, 3);
  assert.deepEqual([1, 2, 3, 4, 5].map(() => l.when('a')), [5, 5, 5, 10_000, 10_000]);
  l.forget('a');
  assert.equal(l.when('a'), 5);
});

test('BucketRateLimiter: burst is free, then one token per 1/qps', () => {
  const clock = new FakeClock();
  const l = new BucketRateLimiter<string>({ qps: 10, burst: 100, clock });
  for (let i = 0; i < 100; i++) assert.equal(l.when(`i${i}`), 0);
  assert.equal(l.when('x'), 100);
  assert.equal(l.when('y'), 200);
  clock.step(1000);
  // 10 tokens refilled, 2 already reserved: 8 free then waits again.
  for (let i = 0; i < 8; i++) assert.equal(l.when(`j${i}`), 0);
  assert.equal(l.when('z'), 100);
  assert.equal(l.numRequeues('x'), 0);
});

test('MaxOfRateLimiter and the default controller limiter take the longest delay', () => {
  const clock = new FakeClock();
  const max = new MaxOfRateLimiter<string>(
    new ItemExponentialFailureRateLimiter<string>(1, 100),
    new ItemFastSlowRateLimiter<string>(3, 50, 1),
  );
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map(() => max.when('a')), [3, 50, 50, 50, 50, 50, 64, 100]);
  assert.equal(max.numRequeues('a'), 8);
  max.forget('a');
  assert.equal(max.numRequeues('a'), 0);

  const def = defaultControllerRateLimiter<string>(clock);
  assert.deepEqual([1, 2, 3].map(() => def.when('k')), [5, 10, 20]);
  assert.equal(def.numRequeues('k'), 3);
});

test('rate limiting queue: addRateLimited waits the limiter delay; forget resets the history', async () => {
  const clock = new FakeClock();
  const q = newRateLimitingQueue<string>(new ItemExponentialFailureRateLimiter<string>(100, 10_000), { clock });
  q.addRateLimited('k');
  assert.equal(q.len(), 0);
  clock.step(100);
  assert.equal(q.len(), 1);
  const { item } = await q.get();
  q.addRateLimited(item as string);
  q.done(item as string);
  clock.step(199);
  assert.equal(q.len(), 0);
  clock.step(1);
  assert.equal(q.len(), 1);
  assert.equal(q.numRequeues('k'), 2);
  q.forget('k');
  assert.equal(q.numRequeues('k'), 0);
  q.shutDown();
});
