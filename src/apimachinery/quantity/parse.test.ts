// Parsing quantities: upstream's documented examples (resource/quantity_test.go facts) for values, formats, the
// kept-verbatim canonical input, rounding, the binary cap, and the three error texts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  errFormatWrong,
  errNumeric,
  errSuffix,
  mustParseQuantity,
  parseQuantity,
  parseQuantityString,
  parseQuantityValue,
} from './parse.js';
import { newDecimalQuantity, type Format } from './quantity.js';

const q = (unscaled: bigint, scale: number, format: Format = 'DecimalSI') => newDecimalQuantity({ unscaled, scale }, format);

test('parseQuantityString splits sign, number and suffix', () => {
  const table: Array<[string, boolean, string, string, string, string]> = [
    ['0.025Ti', true, '0.025', '0', '025', 'Ti'],
    ['1.025Ti', true, '1.025', '1', '025', 'Ti'],
    ['-1.025Ti', false, '-1.025', '1', '025', 'Ti'],
    ['.', true, '.', '0', '', ''],
    ['-.', false, '-.', '0', '', ''],
    ['1E-3', true, '1', '1', '', 'E-3'],
    ['-000', false, '0', '0', '', ''],
    ['007k', true, '007', '7', '', 'k'],
  ];
  for (const [input, positive, value, num, denom, suffix] of table) {
    assert.deepEqual(parseQuantityString(input), { positive, value, num, denom, suffix }, input);
  }
});

test('parseQuantity: value and format of upstream examples', () => {
  const table: Array<[string, bigint, number, Format]> = [
    ['0', 0n, 0, 'DecimalSI'],
    ['0n', 0n, 0, 'DecimalSI'],
    ['0u', 0n, 0, 'DecimalSI'],
    ['0m', 0n, 0, 'DecimalSI'],
    ['0Ki', 0n, 0, 'BinarySI'],
    ['0k', 0n, 0, 'DecimalSI'],
    ['0Mi', 0n, 0, 'BinarySI'],
    ['0Ti', 0n, 0, 'BinarySI'],
    ['1', 1n, 0, 'DecimalSI'],
    ['1Ki', 1024n, 0, 'BinarySI'],
    ['8Ki', 8n * 1024n, 0, 'BinarySI'],
    ['7Mi', 7n * 1024n ** 2n, 0, 'BinarySI'],
    ['6Gi', 6n * 1024n ** 3n, 0, 'BinarySI'],
    ['5Ti', 5n * 1024n ** 4n, 0, 'BinarySI'],
    ['4Pi', 4n * 1024n ** 5n, 0, 'BinarySI'],
    ['3Ei', 3n * 1024n ** 6n, 0, 'BinarySI'],
    ['100Ti', 100n * 1024n ** 4n, 0, 'BinarySI'],
    ['5n', 5n, -9, 'DecimalSI'],
    ['4u', 4n, -6, 'DecimalSI'],
    ['3m', 3n, -3, 'DecimalSI'],
    ['8k', 8n, 3, 'DecimalSI'],
    ['50k', 5n, 4, 'DecimalSI'],
    ['7M', 7n, 6, 'DecimalSI'],
    ['6G', 6n, 9, 'DecimalSI'],
    ['5T', 5n, 12, 'DecimalSI'],
    ['300T', 3n, 14, 'DecimalSI'],
    ['2P', 2n, 15, 'DecimalSI'],
    ['1E', 1n, 18, 'DecimalSI'],
    ['1E-3', 1n, -3, 'DecimalExponent'],
    ['1e3', 1n, 3, 'DecimalExponent'],
    ['1E6', 1n, 6, 'DecimalExponent'],
    ['1e14', 1n, 14, 'DecimalExponent'],
    ['1E18', 1n, 18, 'DecimalExponent'],
    ['100.035k', 100035n, 0, 'DecimalSI'],
    ['0.001', 1n, -3, 'DecimalSI'],
    ['0.0005k', 5n, -1, 'DecimalSI'],
    ['0.5', 5n, -1, 'DecimalSI'],
    ['0.00050k', 5n, -1, 'DecimalSI'],
    ['0.50000', 5n, -1, 'DecimalSI'],
    ['0.5e0', 5n, -1, 'DecimalExponent'],
    ['0.5e-2', 5n, -3, 'DecimalExponent'],
    ['10.035M', 10035n, 3, 'DecimalSI'],
    ['1.2e3', 12n, 2, 'DecimalExponent'],
    ['1.3E+6', 13n, 5, 'DecimalExponent'],
    ['1.53E12', 153n, 10, 'DecimalExponent'],
    ['1.7E18', 17n, 17, 'DecimalExponent'],
    ['9.01', 901n, -2, 'DecimalSI'],
    ['7.123456M', 7123456n, 0, 'DecimalSI'],
    ['6.987654321G', 6987654321n, 0, 'DecimalSI'],
    ['1.01E', 101n, 16, 'DecimalSI'],
    // rounded up to nano
    ['3.001n', 4n, -9, 'DecimalSI'],
    ['1.1E-9', 2n, -9, 'DecimalExponent'],
    ['0.0000000001', 1n, -9, 'DecimalSI'],
    ['0.00000000050', 1n, -9, 'DecimalSI'],
    ['0.9n', 1n, -9, 'DecimalSI'],
    ['0.00000012345', 124n, -9, 'DecimalSI'],
    // binary values are capped at the largest int64
    ['9Ei', (1n << 63n) - 1n, 0, 'BinarySI'],
    ['9223372036854775807Ki', (1n << 63n) - 1n, 0, 'BinarySI'],
    ['12E', 12n, 18, 'DecimalSI'],
    ['100.035Ki', 10243584n, -2, 'BinarySI'],
    ['0.5Mi', 512n * 1024n, 0, 'BinarySI'],
    ['0.05Gi', 536870912n, -1, 'BinarySI'],
    ['0.025Ti', 274877906944n, -1, 'BinarySI'],
    // below 1 a binary value turns decimal
    ['0.000000000001Ki', 2n, -9, 'DecimalSI'],
    ['.001', 1n, -3, 'DecimalSI'],
    ['.0001k', 100n, -3, 'DecimalSI'],
    ['1.', 1n, 0, 'DecimalSI'],
    ['1.G', 1n, 9, 'DecimalSI'],
    // upstream's grammar reads a bare point as zero
    ['.', 0n, 0, 'DecimalSI'],
  ];
  for (const [input, unscaled, scale, format] of table) {
    const want = q(unscaled, scale, format);
    for (const [text, sign] of [[input, 1n], [`+${input}`, 1n], [`-${input}`, -1n]] as const) {
      const got = parseQuantity(text);
      assert.equal(got.error, undefined, text);
      assert.equal(got.quantity!.cmp(sign === 1n ? want : want.neg()), 0, `${text}: ${got.quantity}`);
      assert.equal(got.quantity!.format, format, text);
    }
  }
});

test('parseQuantity: errors carry upstream texts', () => {
  const table: Array<[string, string]> = [
    ['', errFormatWrong],
    ['1.1.M', errFormatWrong],
    ['1+1.0M', errFormatWrong],
    ['aoeu', errFormatWrong],
    [' 1', errFormatWrong],
    ['1 ', errFormatWrong],
    ['-3.01e-', errSuffix],
    ['0.1mi', errSuffix],
    ['0.1am', errFormatWrong],
    ['.5i', errSuffix],
    ['1i', errSuffix],
    ['-3.01i', errSuffix],
    ['1Ei3', errSuffix],
    ['1e99999999999999999999', errSuffix],
    ['Non-Numeric', errFormatWrong],
    ['++', errSuffix],
    ['.e-20', errNumeric],
    ['-.e-20', errNumeric],
  ];
  for (const [input, error] of table) assert.deepEqual(parseQuantity(input), { error }, input);
  assert.equal(errFormatWrong, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  assert.throws(() => mustParseQuantity('Non-Numeric'), /cannot parse 'Non-Numeric': quantities must match/);
});

test('parseQuantity: canonical input is printed verbatim, other input canonically', () => {
  const table: Array<[string, string]> = [
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['1000M', '1G'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
    ['0.5', '500m'],
    ['1.5', '1500m'],
    ['1500m', '1500m'],
    ['1000m', '1'],
    ['100M', '100M'],
    ['1e3', '1e3'],
    ['1E3', '1E3'],
    ['1000', '1k'],
    ['1k', '1k'],
    ['0', '0'],
    ['0.0', '0'],
    ['-0', '0'],
    ['00', '0'],
    ['+1Ki', '+1Ki'],
    ['+1', '+1'],
    ['8Ki', '8Ki'],
    ['1025Ki', '1025Ki'],
    ['0.1Ki', '102400m'],
    ['1.5Ki', '1536'],
    ['1.5Gi', '1536Mi'],
    ['62.5Ki', '64000'], // binary, but no multiple of 1024: bare digits…
    ['64000', '64k'], // …which re-parse as DecimalSI
    ['9Ei', '9223372036854775807'],
    ['12E', '12E'],
    ['10E', '10E'],
    ['1000000000000000000', '1E'],
    ['999999999999999999.1', '999999999999999999100m'],
    ['9223372036854775808.1', '9223372036854775808100m'],
    ['-10000000000000000000000m', '-10E'],
    ['10.000000000000000001E', '10000000000000000001'],
    // upstream prints no suffix for DecimalSI exponents past its table
    ['1000E', '1'],
    ['0.5e-9', '1e-9'],
    ['1.2e3', '1200'],
    ['12e3', '12e3'],
    ['120e3', '120e3'],
    ['1200e3', '1200e3'],
    ['12000e3', '12e6'],
    ['-1024Mi', '-1Gi'],
    ['-1000m', '-1'],
    // a bare sign reads as zero
    ['+', '0'],
    ['-', '0'],
  ];
  for (const [input, expect] of table) assert.equal(mustParseQuantity(input).toString(), expect, input);
});

test('parseQuantityValue reads decoded JSON like UnmarshalJSON', () => {
  const table: Array<[unknown, string | undefined]> = [
    [' 1', '1'],
    ['1 ', '1'],
    [1, '1'],
    [10, '10'],
    [-1, '-1'],
    [0.5, '500m'],
    [1000, '1k'],
    // JavaScript spells it with a sign, which upstream would keep verbatim too
    [1e21, '1e+21'],
  ];
  for (const [input, expect] of table) assert.equal(parseQuantityValue(input)?.quantity?.toString(), expect, String(input));
  assert.equal(parseQuantityValue(null), undefined);
  assert.equal(parseQuantityValue(undefined), undefined);
  assert.deepEqual(parseQuantityValue(true), { error: errFormatWrong });
  assert.deepEqual(parseQuantityValue({}), { error: errFormatWrong });
});

test('parseQuantity refuses values needing absurd digit counts instead of stalling', () => {
  const started = Date.now();
  assert.deepEqual(parseQuantity('1234567890123456789012e2000000000'), { error: errNumeric });
  // a short mantissa takes the int64 path and stays exact without expanding
  assert.equal(mustParseQuantity('1e2000000000').toString(), '100e1999999998');
  assert.equal(mustParseQuantity('1e-2000000000').toString(), '1e-9');
  assert.ok(Date.now() - started < 1000);
});
