import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchSuccessPolicy } from './success-policy.js';

test('successPolicy rules as upstream matches them (first matching rule wins)', () => {
  const s = (...i: number[]) => new Set(i);
  const cases: Array<[Array<{ succeededIndexes?: string; succeededCount?: number }>, Set<number>, string | undefined]> = [
    [[{ succeededIndexes: '0' }], s(), undefined],
    [[{ succeededIndexes: '0' }], s(1, 2), undefined],
    [[{ succeededIndexes: '0' }], s(0), 'Matched rules at index 0'],
    [[{ succeededIndexes: '0-2' }], s(0, 2), undefined],
    [[{ succeededIndexes: '0-2', succeededCount: 2 }], s(0, 2, 5), 'Matched rules at index 0'],
    [[{ succeededCount: 3 }], s(4, 7), undefined],
    [[{ succeededIndexes: '9' }, { succeededCount: 2 }], s(4, 7), 'Matched rules at index 1'],
    // An unparsable rule is skipped.
    [[{ succeededIndexes: 'x' }, { succeededIndexes: '1' }], s(1), 'Matched rules at index 1'],
  ];
  for (const [rules, succeeded, want] of cases) assert.equal(matchSuccessPolicy({ rules }, 10, succeeded), want, JSON.stringify([rules, [...succeeded]]));
});
