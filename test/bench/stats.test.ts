// Percentiles and medians used by the benchmarks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median, medianOfRuns, percentile } from '../../bench/stats.js';

test('percentile by nearest rank', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
  const cases: Array<[readonly number[], number, number]> = [
    [hundred, 50, 50],
    [hundred, 99, 99],
    [hundred, 100, 100],
    [hundred, 0, 1],
    [[7], 99, 7],
    [[3, 1, 2], 50, 2],
  ];
  for (const [samples, p, want] of cases) assert.equal(percentile(samples, p), want, `p${p} of ${samples.length}`);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('median and medianOfRuns', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.deepEqual(medianOfRuns([{ a: 1, b: 10 }, { a: 3, b: 30 }, { a: 2 }]), { a: 2, b: 20 });
});
