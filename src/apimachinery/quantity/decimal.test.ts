// Exact decimals under Quantity: comparison at any scale gap, addition, round-up and the canonical digit split.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDecimal, canonicalDigits, cmpDecimal, maxDecimalDigits, pow10, removeFactors1024, roundUpDecimal, type Decimal } from './decimal.js';

const d = (unscaled: bigint, scale: number): Decimal => ({ unscaled, scale });

test('cmpDecimal is exact and never expands far-apart scales', () => {
  const table: Array<[Decimal, Decimal, number]> = [
    [d(1n, 0), d(1000n, -3), 0],
    [d(1n, 0), d(999n, -3), 1],
    [d(-1n, 0), d(-999n, -3), -1],
    [d(0n, 5), d(0n, -5), 0],
    [d(-1n, 0), d(0n, 0), -1],
    [d(1n, 2_000_000_000), d(99n, 1_999_999_998), 1],
    [d(-1n, 2_000_000_000), d(-99n, 1_999_999_998), -1],
    [d(1n, -2_000_000_000), d(1n, -9), -1],
  ];
  for (const [a, b, want] of table) {
    assert.equal(cmpDecimal(a, b), want, `${a.unscaled}e${a.scale} vs ${b.unscaled}e${b.scale}`);
    assert.equal(cmpDecimal(b, a), -want || 0);
  }
});

test('addDecimal keeps the finer scale', () => {
  assert.deepEqual(addDecimal(d(1n, 0), d(5n, -1)), d(15n, -1));
  assert.deepEqual(addDecimal(d(5n, -1), d(1n, 3)), d(10005n, -1));
  assert.deepEqual(addDecimal(d(2n, 4), d(-2n, 4)), d(0n, 4));
});

test('roundUpDecimal rounds away from zero to exactly the requested scale', () => {
  const table: Array<[Decimal, number, Decimal, boolean]> = [
    [d(901n, -2), -1, d(91n, -1), false],
    [d(-901n, -2), 0, d(-10n, 0), false],
    [d(1n, 0), -9, d(1000000000n, -9), true],
    [d(1n, -20), -9, d(1n, -9), false],
    [d(1n, -2_000_000_000), -9, d(1n, -9), false],
    [d(0n, -20), -9, d(0n, -9), true],
  ];
  for (const [a, scale, value, exact] of table) assert.deepEqual(roundUpDecimal(a, scale), { value, exact });
});

test('canonicalDigits moves zeros into the exponent and lowers it to a multiple of three', () => {
  const table: Array<[Decimal, string, number]> = [
    [d(1500n, 0), '1500', 0],
    [d(15n, 2), '1500', 0],
    [d(5n, -1), '500', -3],
    [d(1000n, 6), '1', 9],
    [d(-108n, -2), '-1080', -3],
    [d(1n, 21), '1', 21],
    [d(10n, 1), '100', 0],
  ];
  for (const [a, digits, exponent] of table) assert.deepEqual(canonicalDigits(a), { digits, exponent });
});

test('removeFactors1024 and the digit guard', () => {
  assert.deepEqual(removeFactors1024(3n * 1024n ** 2n), { amount: 3n, times: 2 });
  assert.deepEqual(removeFactors1024(-1024n), { amount: -1n, times: 1 });
  assert.deepEqual(removeFactors1024(1536n), { amount: 1536n, times: 0 });
  assert.equal(pow10(3), 1000n);
  assert.throws(() => pow10(maxDecimalDigits + 1), RangeError);
});
