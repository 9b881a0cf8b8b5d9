// Interval strings of completed/failed indexes and reading a pod's completion index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { formatIndexes, getCompletionIndex, jobCompletionIndexAnnotation, parseIndexes } from './indexes.js';

test('formatIndexes writes ascending intervals', () => {
  const cases: Array<[number[], string]> = [
    [[], ''],
    [[3], '3'],
    [[0, 1, 2, 5], '0-2,5'],
    [[7, 1, 2, 3, 9, 8], '1-3,7-9'],
    [[4, 4, 5], '4-5'],
  ];
  for (const [input, want] of cases) assert.equal(formatIndexes(input), want, JSON.stringify(input));
});

test('parseIndexes reads intervals, clipped to completions, skipping garbage', () => {
  const cases: Array<[string | undefined, number, number[]]> = [
    [undefined, 5, []],
    ['0-2,5', 10, [0, 1, 2, 5]],
    ['0-2,5', 4, [0, 1, 2]],
    ['x,3,1-a', 10, [3]],
  ];
  for (const [text, completions, want] of cases) assert.deepEqual([...parseIndexes(text, completions)].sort((a, b) => a - b), want, String(text));
});

test('getCompletionIndex accepts only canonical numbers below completions', () => {
  const pod = (value?: string): corev1.Pod => ({ metadata: { annotations: value === undefined ? {} : { [jobCompletionIndexAnnotation]: value } } });
  const cases: Array<[string | undefined, number | undefined]> = [['0', 0], ['4', 4], ['5', undefined], ['01', undefined], ['-1', undefined], [undefined, undefined]];
  for (const [value, want] of cases) assert.equal(getCompletionIndex(pod(value), 5), want, String(value));
});
