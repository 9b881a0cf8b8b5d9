import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMicroTime, parseMicroTime } from './micro-time.js';

test('MicroTime: six fractional digits in UTC, round trip', () => {
  const cases: Array<{ ms: number; s: string }> = [
    { ms: Date.UTC(2026, 0, 2, 3, 4, 5, 6), s: '2026-01-02T03:04:05.006000Z' },
    { ms: Date.UTC(2026, 0, 2, 3, 4, 5, 6) + 0.789, s: '2026-01-02T03:04:05.006789Z' },
    { ms: Date.UTC(1999, 11, 31, 23, 59, 59, 999), s: '1999-12-31T23:59:59.999000Z' },
  ];
  for (const c of cases) {
    assert.equal(formatMicroTime(c.ms), c.s);
    assert.ok(Math.abs(parseMicroTime(c.s) - c.ms) < 0.001);
  }
  assert.equal(parseMicroTime('2026-01-02T03:04:05Z'), Date.UTC(2026, 0, 2, 3, 4, 5));
  assert.ok(Number.isNaN(parseMicroTime('yesterday')));
});
