// The work queue's core guarantees under random interleavings of adds and concurrent workers: an item is
// never held by two workers at once, and every add is followed by a processing that starts after it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { newQueue } from './queue.js';

type Step = { add: string } | { yield: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ add: fc.constantFrom('a', 'b', 'c', 'd') }),
  fc.record({ yield: fc.integer({ min: 1, max: 4 }) }),
);

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

test('queue: no item is processed by two workers at once; every add is followed by a processing', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(stepArb, { maxLength: 80 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 10 }), async (steps, workers, workTurns) => {
      const q = newQueue<string>();
      const holding = new Set<string>();
      const violations: string[] = [];
      /** Per item: sequence number of the last add, and of the add covered by the latest processing start. */
      let seq = 0;
      const lastAdd = new Map<string, number>();
      const covered = new Map<string, number>();
      let n = 0;
      const worker = async (): Promise<void> => {
        for (;;) {
          const { item, shutdown } = await q.get();
          if (shutdown) return;
          if (holding.has(item)) violations.push(`${item} taken twice`);
          holding.add(item);
          covered.set(item, seq);
          const work = workTurns[n++ % workTurns.length] as number;
          for (let i = 0; i < work; i++) await turn();
          holding.delete(item);
          q.done(item);
        }
      };
      const running = Array.from({ length: workers }, () => worker());
      for (const s of steps) {
        if ('add' in s) {
          lastAdd.set(s.add, ++seq);
          q.add(s.add);
        } else {
          for (let i = 0; i < s.yield; i++) await turn();
        }
      }
      await q.shutDownWithDrain();
      q.shutDown();
      await Promise.all(running);
      assert.deepEqual(violations, []);
      for (const [item, added] of lastAdd) {
        assert.ok((covered.get(item) ?? 0) >= added, `${item}: last add ${added} not followed by a processing`);
      }
    }),
    { numRuns: 200 },
  );
});
