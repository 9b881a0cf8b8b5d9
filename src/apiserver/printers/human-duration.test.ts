// Table tests for humanDuration against the outputs of upstream's duration.HumanDuration.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { humanDuration, parseTimestamp, timestampSince } from './human-duration.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

test('humanDuration prints like upstream duration.HumanDuration', () => {
  const cases: Array<[number, string]> = [
    [-2 * s, '<invalid>'],
    [-1999, '0s'], // truncates to -1s: tolerated clock skew
    [-1 * s, '0s'],
    [0, '0s'],
    [999, '0s'],
    [5 * s, '5s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [2 * m + 30 * s, '2m30s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [3 * h + 20 * m, '3h20m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [48 * h, '2d'],
    [3 * d + 4 * h, '3d4h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d + 5 * h, '8d'],
    [729 * d, '729d'],
    [2 * y, '2y'],
    [2 * y + 100 * d, '2y100d'],
    [7 * y + 364 * d, '7y364d'],
    [8 * y + 200 * d, '8y'],
    [30 * y, '30y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `humanDuration(${ms})`);
});

test('timestampSince measures against the given now and reports unset times', () => {
  const now = Date.parse('2026-01-02T03:04:05Z');
  const cases: Array<[unknown, string]> = [
    ['2026-01-02T03:04:00Z', '5s'],
    ['2026-01-02T03:04:05.000000Z', '0s'],
    ['2026-01-02T03:03:05Z', '60s'],
    ['2025-12-31T03:04:05Z', '2d'],
    ['2026-01-02T03:04:10Z', '<invalid>'],
    [undefined, '<unknown>'],
    ['', '<unknown>'],
    [null, '<unknown>'],
    ['0001-01-01T00:00:00Z', '<unknown>'],
    ['not a time', '<unknown>'],
  ];
  for (const [ts, want] of cases) assert.equal(timestampSince(ts, now), want, `timestampSince(${String(ts)})`);
  assert.equal(parseTimestamp('2026-01-02T03:04:05Z'), now);
});
