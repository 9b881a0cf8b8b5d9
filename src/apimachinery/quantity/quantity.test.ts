// Quantity serialisation, comparison, arithmetic and scaled values, on upstream's documented examples and on the
// int64-overflow behaviour upstream has (kept because it shows on the wire and in validation).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mustParseQuantity as parse } from './parse.js';
import {
  newDecimalQuantity,
  newMilliQuantity,
  newQuantity,
  newScaledQuantity,
  Quantity,
  Scale,
  type Format,
} from './quantity.js';

const dec = (unscaled: bigint, scale: number, format: Format = 'DecimalSI') => newDecimalQuantity({ unscaled, scale }, format);
const int = (unscaled: bigint, scale: number, format: Format = 'DecimalSI') =>
  new Quantity({ amount: { unscaled, scale }, format, int64: true });
const mostPositive = (1n << 63n) - 1n;
const mostNegative = -(1n << 63n);

test('toString: canonical forms, and the same for the int64 and decimal representations', () => {
  // [unscaled, scale, format, canonical, an alternate spelling that must print the canonical form]
  const table: Array<[bigint, number, Format, string, string]> = [
    [1024n ** 3n, 0, 'BinarySI', '1Gi', '1024Mi'],
    [300n * 1024n ** 2n, 0, 'BinarySI', '300Mi', '307200Ki'],
    [6n * 1024n, 0, 'BinarySI', '6Ki', ''],
    [1001n * 1024n ** 3n, 0, 'BinarySI', '1001Gi', '1025024Mi'],
    [1024n ** 4n, 0, 'BinarySI', '1Ti', '1024Gi'],
    [5n, 0, 'BinarySI', '5', '5000m'],
    [500n, -3, 'BinarySI', '500m', '0.5'],
    [1n, 9, 'DecimalSI', '1G', '1000M'],
    [1000n, 6, 'DecimalSI', '1G', '0.001T'],
    [1000000000n, 0, 'DecimalSI', '1G', ''],
    [1n, -3, 'DecimalSI', '1m', '1000u'],
    [80n, -3, 'DecimalSI', '80m', ''],
    [1080n, -3, 'DecimalSI', '1080m', '1.08'],
    [108n, -2, 'DecimalSI', '1080m', '1080000000n'],
    [10800n, -4, 'DecimalSI', '1080m', ''],
    [300n, 6, 'DecimalSI', '300M', ''],
    [1n, 12, 'DecimalSI', '1T', ''],
    [1234567n, 6, 'DecimalSI', '1234567M', ''],
    [1234567n, -3, 'BinarySI', '1234567m', ''],
    [3n, 3, 'DecimalSI', '3k', ''],
    [1025n, 0, 'BinarySI', '1025', ''],
    [0n, 0, 'DecimalSI', '0', ''],
    [0n, 0, 'BinarySI', '0', ''],
    [1n, 9, 'DecimalExponent', '1e9', '.001e12'],
    [1n, -3, 'DecimalExponent', '1e-3', '0.001e0'],
    [1n, -9, 'DecimalExponent', '1e-9', '1000e-12'],
    [80n, -3, 'DecimalExponent', '80e-3', ''],
    [300n, 6, 'DecimalExponent', '300e6', ''],
    [3n, 3, 'DecimalExponent', '3e3', ''],
    [0n, 0, 'DecimalExponent', '0', '00'],
    [1n, -9, 'DecimalSI', '1n', ''],
    [1080n, -9, 'DecimalSI', '1080n', ''],
    [108n, -8, 'DecimalSI', '1080n', ''],
    [10800n, -10, 'DecimalSI', '1080n', ''],
    [1080n, -6, 'DecimalSI', '1080u', ''],
  ];
  for (const [unscaled, scale, format, expect, alternate] of table) {
    assert.equal(dec(unscaled, scale, format).toString(), expect, `${unscaled}e${scale} ${format}`);
    assert.equal(int(unscaled, scale, format).toString(), expect, `int64 ${unscaled}e${scale} ${format}`);
    assert.equal(parse(expect).toString(), expect, `re-parse ${expect}`);
    if (alternate) assert.equal(parse(alternate).toString(), expect, `alternate ${alternate}`);
    if (unscaled !== 0n) {
      assert.equal(dec(-unscaled, scale, format).toString(), `-${expect}`, `negative ${expect}`);
      assert.equal(dec(unscaled, scale, format).neg().toString(), `-${expect}`, `neg() ${expect}`);
    }
  }
});

test('constructors print as upstream; an unknown format prints as DecimalExponent', () => {
  const table: Array<[Quantity, string]> = [
    [newMilliQuantity(1, 'DecimalSI'), '1m'],
    [newMilliQuantity(1000, 'DecimalSI'), '1'],
    [newMilliQuantity(1234000, 'DecimalSI'), '1234'],
    [newMilliQuantity(1024, 'BinarySI'), '1024m'],
    [newMilliQuantity(1000000, 'invalid' as Format), '1e3'],
    [newMilliQuantity(1024 * 1024, 'BinarySI'), '1048576m'],
    [newQuantity(1, 'DecimalSI'), '1'],
    [newQuantity(1000, 'DecimalSI'), '1k'],
    [newQuantity(1234000, 'DecimalSI'), '1234k'],
    [newQuantity(1024, 'BinarySI'), '1Ki'],
    [newQuantity(1000000, 'invalid' as Format), '1e6'],
    [newQuantity(1024 * 1024, 'BinarySI'), '1Mi'],
    [newScaledQuantity(1, Scale.Nano), '1n'],
    [newScaledQuantity(1000, Scale.Nano), '1u'],
    [newScaledQuantity(1000, Scale.Micro), '1m'],
    [newScaledQuantity(1000, Scale.Milli), '1'],
    [newScaledQuantity(0, Scale.Nano), '0'],
    [newQuantity(mostPositive, 'DecimalSI'), '9223372036854775807'],
    [newScaledQuantity(1, 21), '1'], // no DecimalSI suffix past E: upstream prints the bare digits
    [newQuantity(2n ** 62n, 'BinarySI'), '4Ei'],
  ];
  for (const [quantity, expect] of table) assert.equal(quantity.toString(), expect);
  assert.throws(() => newQuantity(mostPositive + 1n, 'DecimalSI'), RangeError);
  assert.equal(JSON.stringify({ cpu: parse('0.5') }), '{"cpu":"500m"}');
});

test('cmp is exact across scales and representations', () => {
  const table: Array<[Quantity, Quantity, number]> = [
    [parse('0'), parse('0'), 0],
    [parse('100m'), parse('50m'), 1],
    [parse('50m'), parse('100m'), -1],
    [parse('10000T'), parse('100Gi'), 1],
    [parse('1Gi'), parse('1073741824'), 0],
    [parse('0.5'), parse('500m'), 0],
    [int(901n, -2), int(901n, -2), 0],
    [int(90n, -1), int(901n, -2), -1],
    [int(901n, -2), int(900n, -2), 1],
    [int(0n, 1), int(0n, -1), 0],
    [int(800n, -3), int(1n, 0), -1],
    [int(800n, -3), int(79n, -2), 1],
    [int(mostPositive, 0), int(1n, -1), 1],
    [int(mostPositive, 1), int(1n, 1), 1],
    [int(mostPositive, -16), int(1n, 3), -1],
    [int(mostNegative, 0), int(0n, 0), -1],
    [int(mostNegative, -18), int(-1n, 0), -1],
    [int(mostNegative, -19), int(-1n, 0), 1],
    [int(10n ** 18n, -17), int(1n, 1), 0],
    [int(10n ** 18n, -17), int(-10n, 0), 1],
    [int(-(10n ** 18n), -17), int(-10n, 0), 0],
    [int(10n ** 18n + 1n, -17), int(1n, 1), 1],
    [int(10n ** 18n - 1n, -17), int(1n, 1), -1],
    [parse('1e2000000000'), parse('1e1999999999'), 1],
    [parse('-1e2000000000'), parse('1n'), -1],
  ];
  for (const [a, b, expect] of table) {
    assert.equal(a.cmp(b), expect, `${a} vs ${b}`);
    assert.equal(b.cmp(a), -expect || 0, `${b} vs ${a}`);
    assert.equal(a.equal(b), expect === 0);
  }
  assert.equal(parse('1023').cmpInt64(1024), -1);
  assert.equal(parse('1Ki').cmpInt64(1024n), 0);
});

test('add and sub: exact results; a zero receiver takes the other format', () => {
  const table: Array<[Quantity, Quantity, string, string]> = [
    // a, b, a+b, a−b
    [dec(10n, 0), dec(1n, 1), '20', '0'],
    [dec(10n, 0), dec(1n, 0, 'BinarySI'), '11', '9'],
    [dec(10n, 0, 'BinarySI'), dec(1n, 0), '11', '9'],
    [parse('0'), parse('50'), '50', '-50'],
    [parse('50'), parse('0'), '50', '50'],
    [parse('0'), parse('0'), '0', '0'],
    [parse('100m'), parse('0'), '100m', '100m'],
    [parse('0'), parse('100m'), '100m', '-100m'],
    [parse('1Gi'), parse('0'), '1Gi', '1Gi'],
    [parse('0'), parse('1Gi'), '1Gi', '-1Gi'],
    [parse('1Gi'), parse('1Gi'), '2Gi', '0'],
    [parse('500m'), parse('0.5'), '1', '0'],
    [parse('1'), parse('1n'), '1000000001n', '999999999n'],
    [parse('4Ei'), parse('4Ei'), '8Ei', '0'], // past int64: continues exactly as a big decimal
    [parse('8Ei'), parse('8Ei'), '18446744073709551614', '0'], // 8Ei parses capped at the largest int64
    [int(mostPositive, 0), int(1n, 0), '9223372036854775808', '9223372036854775806'],
    [int(mostPositive, 1), int(1n, 0), '92233720368547758071', '92233720368547758069'],
  ];
  for (const [a, b, sum, difference] of table) {
    assert.equal(a.add(b).toString(), sum, `${a} + ${b}`);
    assert.equal(a.sub(b).toString(), difference, `${a} - ${b}`);
  }
  // inputs are untouched
  const a = parse('1');
  a.add(parse('2'));
  assert.equal(a.toString(), '1');
});

test('mul reports whether the int64 representation still holds', () => {
  const table: Array<[Quantity, bigint, Quantity, boolean]> = [
    [dec(10n, 0), 10n, dec(100n, 0), true],
    [dec(-50n, 0), -50n, dec(2500n, 0), true],
    [int(15n, -1), 3n, dec(45n, -1), true], // leaves the int64 fast path, but 45e-1 still has an int64 mantissa
    [int(5n, 0), 0n, dec(0n, 0), true],
    [dec(mostPositive, 0), 2n, dec(mostPositive * 2n, 0), false],
    [dec(mostPositive, 0), 10n, dec(mostPositive, 1), false],
    [dec(mostNegative, 0), -1n, dec(mostPositive + 1n, 0), false],
    [dec(mostNegative / 2n, 0), 2n, dec(mostNegative, 0), true],
  ];
  for (const [a, b, expect, ok] of table) {
    const r = a.mul(b);
    assert.equal(r.quantity.cmp(expect), 0, `${a} × ${b}`);
    assert.equal(r.ok, ok, `${a} × ${b} ok`);
  }
});

test('roundUp rounds away from zero to a scale and says whether it was exact', () => {
  const table: Array<[string, number, Quantity, boolean]> = [
    ['9.01', -3, dec(901n, -2), true],
    ['9.01', -2, dec(901n, -2), true],
    ['9.01', -1, dec(91n, -1), false],
    ['9.01', 0, dec(10n, 0), false],
    ['9.01', 1, dec(10n, 0), false],
    ['9.01', 2, dec(100n, 0), false],
    ['-9.01', -1, dec(-91n, -1), false],
    ['-9.01', 0, dec(-10n, 0), false],
    ['-9.01', 2, dec(-100n, 0), false],
    ['99999999999999999999.01', 0, dec(10n ** 20n, 0), false],
  ];
  for (const [input, scale, expect, exact] of table) {
    const r = parse(input).roundUp(scale);
    assert.equal(r.quantity.cmp(expect), 0, `${input} at ${scale}: ${r.quantity}`);
    assert.equal(r.exact, exact, `${input} at ${scale}`);
  }
});

test('value, milliValue and scaledValue round up', () => {
  const table: Array<[string, bigint, bigint]> = [
    ['1', 1n, 1000n],
    ['1500m', 2n, 1500n],
    ['0.5', 1n, 500n],
    ['1n', 1n, 1n],
    ['1.0001', 2n, 1001n],
    ['-1.5', -2n, -1500n],
    ['1Ki', 1024n, 1024000n],
    ['1.5Gi', 1610612736n, 1610612736000n],
    ['0.1Ki', 103n, 102400n],
    ['9223372036854775807', mostPositive, -1000n], // the decimal representation wraps like Go's int64
    // the int64 representation answers 0 when the result leaves int64
    ['10E', 0n, 0n],
    ['9223372036854776k', 0n, 0n],
    // the decimal representation rounds a negative fraction towards +∞ and a half: upstream's own quirk
    ['-0.001Ki', 0n, -1024n],
    // …and reads a negative mantissa past int64 through Go's int64 wrap (upstream checks only the upper bound)
    ['-150711Gi', 8581721790n, 8581721789897n],
  ];
  for (const [input, value, milli] of table) {
    assert.equal(parse(input).value(), value, `${input} value`);
    assert.equal(parse(input).milliValue(), milli, `${input} milliValue`);
  }
  const scales: Array<[number, number, bigint]> = [
    [Scale.Nano, Scale.Nano, 1n],
    [Scale.Nano, Scale.Micro, 1n],
    [Scale.Nano, 0, 1n],
    [Scale.Micro, Scale.Nano, 1000n],
    [Scale.Milli, Scale.Nano, 1000000n],
    [Scale.Milli, 0, 1n],
    [0, Scale.Nano, 1000000000n],
    [0, Scale.Milli, 1000n],
    [2, -2, 10000n],
  ];
  for (const [from, to, expect] of scales) {
    assert.equal(newScaledQuantity(1, from).scaledValue(to), expect, `int64 ${from} → ${to}`);
    assert.equal(dec(1n, from).scaledValue(to), expect, `decimal ${from} → ${to}`);
  }
});

test('asInt64, sign, isZero and asApproximateFloat64', () => {
  const table: Array<[string, bigint | undefined, number, number]> = [
    ['1E', 10n ** 18n, 1, 1e18],
    ['-1E', -(10n ** 18n), -1, -1e18],
    // decimal representation (1e27 × 10**−9 after nano rounding): not-ok, and the float product is inexact
    ['1000000000000000000', undefined, 1, 1000000000000000100],
    ['10E', undefined, 1, 1e19],
    ['1.5', undefined, 1, 1.5],
    ['0', 0n, 0, 0],
    ['1Mi', 1048576n, 1, 1048576],
    ['1m', undefined, 1, 0.001],
  ];
  for (const [input, int64, sign, float] of table) {
    const quantity = parse(input);
    assert.equal(quantity.asInt64(), int64, input);
    assert.equal(quantity.sign(), sign, input);
    assert.equal(quantity.isZero(), sign === 0, input);
    assert.equal(quantity.asApproximateFloat64(), float, input);
  }
});
