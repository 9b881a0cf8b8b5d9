import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Heap } from './heap.js';

test('Heap pops in order after arbitrary adds, updates and deletes', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.constantFrom('add', 'delete'), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 100 })), { maxLength: 200 }),
      (ops) => {
        const h = new Heap<{ k: string; v: number }>((x) => x.k, (a, b) => a.v < b.v);
        const model = new Map<string, number>();
        for (const [op, key, v] of ops) {
          const k = String(key);
          if (op === 'add') {
            h.addOrUpdate({ k, v });
            model.set(k, v);
          } else {
            h.delete(k);
            model.delete(k);
          }
        }
        const popped: number[] = [];
        for (let x = h.pop(); x; x = h.pop()) popped.push(x.v);
        assert.deepEqual(popped, [...model.values()].sort((a, b) => a - b));
      },
    ),
  );
});
