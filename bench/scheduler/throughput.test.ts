import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schedulingThroughput } from './throughput.js';

test('schedulingThroughput skips the empty and the first samples and drops the partial last second', () => {
  // Nothing bound in the first second; 100 in the second (skipped, the first sample with pods); then 300/s
  // for two seconds; 50 more in a partial fifth second.
  const bound = [
    ...Array.from({ length: 100 }, (_, i) => 1100 + i),
    ...Array.from({ length: 300 }, (_, i) => 2100 + i),
    ...Array.from({ length: 300 }, (_, i) => 3100 + i),
    ...Array.from({ length: 50 }, (_, i) => 4100 + i),
  ];
  assert.deepEqual(schedulingThroughput(bound, 0), { average: 300, perc50: 300, perc90: 300, perc99: 300, samples: [300, 300] });
  // A phase shorter than two full samples has no throughput figure.
  assert.deepEqual(schedulingThroughput([10, 20, 1500], 0), { samples: [] });
});
