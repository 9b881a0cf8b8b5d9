// The failed-daemon-pod backoff: doubling from 1 s, capped at 15 min, measured from the last update, reset
// after a long quiet period.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FailedPodsBackoff } from './failed-pods-backoff.js';

test('FailedPodsBackoff doubles, caps, and expires', () => {
  const b = new FailedPodsBackoff({ initialMs: 1000, maxMs: 4000 });
  assert.equal(b.isInBackOffSinceUpdate('k', 0), false);
  b.next('k', 0);
  assert.equal(b.get('k'), 1000);
  assert.equal(b.isInBackOffSinceUpdate('k', 999), true);
  assert.equal(b.isInBackOffSinceUpdate('k', 1000), false);
  b.next('k', 1000);
  b.next('k', 3000);
  b.next('k', 7000);
  assert.equal(b.get('k'), 4000, 'capped');
  b.next('k', 7000 + 8001);
  assert.equal(b.get('k'), 1000, 'idle for more than 2×max: starts over');
  b.gc(7000 + 8001 + 8001);
  assert.equal(b.get('k'), 0);
});
