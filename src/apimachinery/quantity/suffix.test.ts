// Suffix meanings for parsing and the suffix chosen when printing.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { constructSuffix, interpretSuffix, type SuffixMeaning } from './suffix.js';

test('interpretSuffix', () => {
  const table: Array<[string, SuffixMeaning | undefined]> = [
    ['', { base: 10, exponent: 0, format: 'DecimalSI' }],
    ['m', { base: 10, exponent: -3, format: 'DecimalSI' }],
    ['E', { base: 10, exponent: 18, format: 'DecimalSI' }],
    ['Ki', { base: 2, exponent: 10, format: 'BinarySI' }],
    ['Ei', { base: 2, exponent: 60, format: 'BinarySI' }],
    ['e3', { base: 10, exponent: 3, format: 'DecimalExponent' }],
    ['E-3', { base: 10, exponent: -3, format: 'DecimalExponent' }],
    ['e+6', { base: 10, exponent: 6, format: 'DecimalExponent' }],
    ['e4294967297', { base: 10, exponent: 1, format: 'DecimalExponent' }], // Go truncates to int32
    ['e', undefined],
    ['e+', undefined],
    ['K', undefined],
    ['ki', undefined],
    ['mi', undefined],
    ['Ei3', undefined],
    ['e9223372036854775808', undefined],
  ];
  for (const [suffix, want] of table) assert.deepEqual(interpretSuffix(suffix), want, suffix);
});

test('constructSuffix', () => {
  const table: Array<[2 | 10, number, 'DecimalSI' | 'BinarySI' | 'DecimalExponent', string]> = [
    [10, 0, 'DecimalSI', ''],
    [10, -9, 'DecimalSI', 'n'],
    [10, 18, 'DecimalSI', 'E'],
    [10, 21, 'DecimalSI', ''],
    [10, -12, 'DecimalSI', ''],
    [2, 30, 'BinarySI', 'Gi'],
    [2, 0, 'BinarySI', ''],
    [2, 70, 'BinarySI', ''],
    [10, 0, 'DecimalExponent', ''],
    [10, -3, 'DecimalExponent', 'e-3'],
    [10, 21, 'DecimalExponent', 'e21'],
  ];
  for (const [base, exponent, format, want] of table) assert.equal(constructSuffix(base, exponent, format), want, `${base} ${exponent} ${format}`);
});
