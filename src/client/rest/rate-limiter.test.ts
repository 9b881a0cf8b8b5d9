// The token bucket under a fake clock: a full burst at once, then one token per 1/qps, first come first served.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../base/clock.js';
import { rateLimiterFor, TokenBucketRateLimiter, unlimitedRateLimiter } from './rate-limiter.js';

/** Lets settled promises run their callbacks. */
const flush = () => new Promise<void>((r) => setImmediate(r));

test('a token bucket grants the burst at once, then qps tokens a second in arrival order', async () => {
  const clock = new FakeClock();
  const limiter = new TokenBucketRateLimiter({ qps: 2, burst: 3, clock });
  const granted: number[] = [];
  const waits = Array.from({ length: 6 }, (_, i) => limiter.wait().then(() => granted.push(i)));
  await flush();
  assert.deepEqual(granted, [0, 1, 2], 'the burst');
  const steps = [
    { ms: 499, want: [0, 1, 2] },
    { ms: 1, want: [0, 1, 2, 3] },
    { ms: 500, want: [0, 1, 2, 3, 4] },
    { ms: 500, want: [0, 1, 2, 3, 4, 5] },
  ];
  for (const s of steps) {
    clock.step(s.ms);
    await flush();
    assert.deepEqual(granted, s.want, `after ${s.ms} ms more`);
  }
  await Promise.all(waits);
  assert.equal(limiter.tryAccept(), false, 'the bucket is empty');
  clock.step(10_000);
  assert.deepEqual([limiter.tryAccept(), limiter.tryAccept(), limiter.tryAccept(), limiter.tryAccept()], [true, true, true, false], 'refills up to burst only');
});

test('an aborted wait rejects and gives its token back', async () => {
  const clock = new FakeClock();
  const limiter = new TokenBucketRateLimiter({ qps: 1, burst: 1, clock });
  await limiter.wait();
  const ac = new AbortController();
  const aborted = limiter.wait(ac.signal);
  ac.abort(new Error('stop'));
  await assert.rejects(aborted, { message: 'stop' });
  let next = false;
  const p = limiter.wait().then(() => (next = true));
  clock.step(1000);
  await p;
  assert.equal(next, true, 'the next waiter is not delayed by the aborted one');
});

test('rateLimiterFor: client-go defaults, and qps <= 0 means unlimited', () => {
  const clock = new FakeClock();
  const cases = [
    { opts: {}, wantBurst: 10 },
    { opts: { qps: 20, burst: 30 }, wantBurst: 30 },
    { opts: { qps: 20 }, wantBurst: 10 },
  ];
  for (const c of cases) {
    const l = rateLimiterFor({ ...c.opts, clock });
    let n = 0;
    while (l.tryAccept()) n++;
    assert.equal(n, c.wantBurst, JSON.stringify(c.opts));
  }
  assert.equal(rateLimiterFor({ qps: 0 }), unlimitedRateLimiter);
  assert.equal(rateLimiterFor({ qps: -1 }), unlimitedRateLimiter);
});
