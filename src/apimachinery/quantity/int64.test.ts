// Go int64 emulation used by Quantity's fast path: checked arithmetic, decimal shifts and Go's wrap-around.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  divideByScaleInt64,
  goPow10Int64,
  int64Add,
  int64Multiply,
  maxInt64,
  minInt64,
  negativeScaleInt64,
  positiveScaleInt64,
  wrapInt64,
} from './int64.js';

test('int64Add and int64Multiply refuse results past int64', () => {
  const add: Array<[bigint, bigint, bigint | undefined]> = [
    [1n, 2n, 3n],
    [maxInt64, 1n, undefined],
    [minInt64, -1n, undefined],
    [minInt64, minInt64, undefined],
    [maxInt64, minInt64, -1n],
  ];
  for (const [a, b, want] of add) assert.equal(int64Add(a, b), want, `${a} + ${b}`);
  const mul: Array<[bigint, bigint, bigint | undefined]> = [
    [3n, 4n, 12n],
    [minInt64, 1n, minInt64],
    [minInt64, -1n, undefined],
    [maxInt64, 2n, undefined],
    [maxInt64 / 2n, -2n, -(maxInt64 / 2n) * 2n],
    [0n, minInt64, 0n],
  ];
  for (const [a, b, want] of mul) assert.equal(int64Multiply(a, b), want, `${a} × ${b}`);
});

test('positiveScaleInt64 shifts left or reports overflow', () => {
  const table: Array<[bigint, number, bigint | undefined]> = [
    [5n, 0, 5n],
    [5n, 3, 5000n],
    [-5n, 9, -5000000000n],
    [1n, 18, 10n ** 18n],
    [1n, 19, undefined],
    [10n, 18, undefined],
    [0n, 2_000_000_000, 0n],
    [1n, 2_000_000_000, undefined],
  ];
  for (const [base, scale, want] of table) assert.equal(positiveScaleInt64(base, scale), want, `${base} << ${scale}`);
});

test('negativeScaleInt64 shifts right rounding away from zero', () => {
  const table: Array<[bigint, number, bigint, boolean]> = [
    [1500n, 3, 2n, false],
    [1000n, 3, 1n, true],
    [-1500n, 3, -2n, false],
    [5n, 3, 1n, false],
    [-5n, 3, -1n, false],
    [0n, 50, 0n, true],
    [maxInt64, 30, 1n, false],
  ];
  for (const [base, scale, value, exact] of table) assert.deepEqual(negativeScaleInt64(base, scale), { value, exact }, `${base} >> ${scale}`);
});

test('divideByScaleInt64 truncates and gives up at 10**18', () => {
  assert.deepEqual(divideByScaleInt64(-15n, 1), { result: -1n, remainder: -5n, exact: true });
  assert.deepEqual(divideByScaleInt64(7n, 0), { result: 7n, remainder: 0n, exact: true });
  assert.deepEqual(divideByScaleInt64(7n, 18), { result: 0n, remainder: 7n, exact: false });
});

test('wrapInt64 and goPow10Int64 follow Go on amd64', () => {
  assert.equal(wrapInt64(maxInt64 + 1n), minInt64);
  assert.equal(wrapInt64(maxInt64 * 1000n), -1000n);
  assert.equal(wrapInt64(-(10n ** 19n)), 8446744073709551616n);
  assert.equal(goPow10Int64(18), 10n ** 18n);
  assert.equal(goPow10Int64(19), minInt64);
});
