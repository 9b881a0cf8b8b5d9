// runBoundedLoad stops at its count, its time limit or its signal, whichever comes first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBoundedLoad } from './bounded-load.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('runBoundedLoad bounds', async (t) => {
  const cases = [
    { name: 'count', count: 50, maxDurationMs: 10_000, abortAfterMs: undefined, taskMs: 1, want: 'count', started: (n: number) => n === 50 },
    { name: 'time', count: 1_000_000, maxDurationMs: 100, abortAfterMs: undefined, taskMs: 5, want: 'time', started: (n: number) => n > 4 && n < 1000 },
    { name: 'signal', count: 1_000_000, maxDurationMs: 10_000, abortAfterMs: 80, taskMs: 5, want: 'signal', started: (n: number) => n > 4 && n < 1000 },
  ] as const;
  for (const c of cases) {
    await t.test(c.name, async () => {
      const seen = new Set<number>();
      let inFlight = 0;
      let maxInFlight = 0;
      const signal = c.abortAfterMs === undefined ? undefined : AbortSignal.timeout(c.abortAfterMs);
      const r = await runBoundedLoad({
        count: c.count,
        concurrency: 4,
        maxDurationMs: c.maxDurationMs,
        signal,
        task: async (i) => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          assert.ok(!seen.has(i), `index ${i} twice`);
          seen.add(i);
          await sleep(c.taskMs);
          inFlight--;
        },
      });
      assert.equal(r.stoppedBy, c.want);
      assert.equal(r.started, seen.size);
      assert.ok(c.started(r.started), `started ${r.started}`);
      assert.equal(maxInFlight, 4);
    });
  }
});

test('runBoundedLoad stops at the first failing task', async () => {
  await assert.rejects(
    runBoundedLoad({ count: 100, concurrency: 2, maxDurationMs: 5000, task: async (i) => { if (i === 3) throw new Error('boom'); } }),
    /boom/,
  );
});
