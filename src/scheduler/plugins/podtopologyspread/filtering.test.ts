import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CriticalPaths } from './filtering.js';

test('CriticalPaths: after inserting every domain once, paths[0] is the minimum and paths[1] the second smallest', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 3 }), fc.nat(50), { minKeys: 2 }), (counts) => {
      const p = new CriticalPaths();
      for (const [v, n] of Object.entries(counts)) p.update(v, n);
      const sorted = Object.values(counts).sort((a, b) => a - b);
      assert.equal(p.paths[0].matchNum, sorted[0]);
      assert.equal(p.paths[1].matchNum, sorted[1]);
      assert.equal(counts[p.paths[0].topologyValue], sorted[0]);
    }),
    { numRuns: 300 },
  );
});

test('CriticalPaths: lowering a tracked domain keeps paths[0] the minimum (the preemption case)', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 50 }), { minKeys: 2 }), fc.nat(10), (counts, pick) => {
      const p = new CriticalPaths();
      for (const [v, n] of Object.entries(counts)) p.update(v, n);
      // Removing a pod lowers one domain by one.
      const keys = Object.keys(counts);
      const k = keys[pick % keys.length];
      counts[k] -= 1;
      p.update(k, counts[k]);
      assert.equal(p.paths[0].matchNum, Math.min(...Object.values(counts)));
    }),
    { numRuns: 300 },
  );
});
