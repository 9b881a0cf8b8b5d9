// slowStartBatch: batch sizes 1, 2, 4, … and the stop after a failing batch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slowStartBatch } from './slow-start-batch.js';

test('batches double until the count is reached or a batch fails', async () => {
  const cases: Array<{ count: number; initial: number; failAt?: number; wantCalls: number; wantSuccesses: number; wantBatches: number[] }> = [
    { count: 10, initial: 1, wantCalls: 10, wantSuccesses: 10, wantBatches: [1, 2, 4, 3] },
    { count: 3, initial: 5, wantCalls: 3, wantSuccesses: 3, wantBatches: [3] },
    { count: 0, initial: 1, wantCalls: 0, wantSuccesses: 0, wantBatches: [] },
    { count: 10, initial: 1, failAt: 0, wantCalls: 1, wantSuccesses: 0, wantBatches: [1] },
    { count: 10, initial: 1, failAt: 4, wantCalls: 7, wantSuccesses: 6, wantBatches: [1, 2, 4] },
  ];
  for (const c of cases) {
    let calls = 0;
    const batches: number[] = [];
    let inBatch = 0;
    const r = await slowStartBatch(c.count, c.initial, async (i) => {
      calls++;
      if (inBatch === 0) queueMicrotask(() => {
        batches.push(inBatch);
        inBatch = 0;
      });
      inBatch++;
      if (i === c.failAt) throw new Error(`fail ${i}`);
    });
    assert.equal(calls, c.wantCalls, `calls ${JSON.stringify(c)}`);
    assert.equal(r.successes, c.wantSuccesses, `successes ${JSON.stringify(c)}`);
    assert.deepEqual(batches, c.wantBatches, `batches ${JSON.stringify(c)}`);
    assert.equal(r.error !== undefined, c.failAt !== undefined);
  }
});
