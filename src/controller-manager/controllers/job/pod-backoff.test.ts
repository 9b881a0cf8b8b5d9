// The pod-replacement backoff: doubling from 10 s, capped, reset by a success.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextBackoffRecord, remainingBackoff } from './pod-backoff.js';

test('remainingBackoff doubles per failure and is capped', () => {
  const cases: Array<[number, number]> = [[1, 10_000], [2, 20_000], [3, 40_000], [7, 600_000], [20, 600_000]];
  for (const [failures, want] of cases) assert.equal(remainingBackoff({ failuresAfterLastSuccess: failures, lastFailureTime: 1000 }, 1000), want, String(failures));
  assert.equal(remainingBackoff({ failuresAfterLastSuccess: 1, lastFailureTime: 1000 }, 6000), 5000);
  assert.equal(remainingBackoff({ failuresAfterLastSuccess: 1, lastFailureTime: 1000 }, 60_000), 0);
  assert.equal(remainingBackoff(undefined, 0), 0);
});

test('nextBackoffRecord counts failures since the last success', () => {
  let r = nextBackoffRecord({ failuresAfterLastSuccess: 0 }, { succeeded: 0, failed: 2, failedAt: 500 });
  assert.deepEqual(r, { failuresAfterLastSuccess: 2, lastFailureTime: 500 });
  r = nextBackoffRecord(r, { succeeded: 0, failed: 0, failedAt: 900 });
  assert.deepEqual(r, { failuresAfterLastSuccess: 2, lastFailureTime: 500 });
  r = nextBackoffRecord(r, { succeeded: 1, failed: 0, failedAt: 900 });
  assert.deepEqual(r, { failuresAfterLastSuccess: 0 });
  r = nextBackoffRecord(r, { succeeded: 1, failed: 1, failedAt: 1200 });
  assert.deepEqual(r, { failuresAfterLastSuccess: 1, lastFailureTime: 1200 });
});
