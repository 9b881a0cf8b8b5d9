import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base64Error, decodeFormatError, rfc3339Error } from './formats.js';

test('base64: offsets of Go\'s CorruptInputError', () => {
  const cases: Array<[string, string | undefined]> = [
    ['', undefined],
    ['YWJj', undefined],
    ['YWI=', undefined],
    ['YQ==', undefined],
    ['YW\nJj', undefined],
    ['abc', 'illegal base64 data at input byte 0'],
    ['abcde', 'illegal base64 data at input byte 4'],
    ['ab!c', 'illegal base64 data at input byte 2'],
    ['a===', 'illegal base64 data at input byte 1'],
    ['YQ=', 'illegal base64 data at input byte 3'],
    ['YQ=x', 'illegal base64 data at input byte 2'],
    ['YWI=YWJj', 'illegal base64 data at input byte 4'],
  ];
  for (const [s, want] of cases) assert.equal(base64Error(s), want, JSON.stringify(s));
});

test('RFC 3339 times: Go time.Parse messages', () => {
  const layout = '"2006-01-02T15:04:05Z07:00"';
  const cases: Array<[string, string | undefined]> = [
    ['2024-03-01T10:20:30Z', undefined],
    ['2024-03-01T10:20:30.123456+02:00', undefined],
    ['yesterday', `parsing time "yesterday" as ${layout}: cannot parse "yesterday" as "2006"`],
    ['2024/03/01', `parsing time "2024/03/01" as ${layout}: cannot parse "/03/01" as "-"`],
    ['2024-13-01T00:00:00Z', 'parsing time "2024-13-01T00:00:00Z": month out of range'],
    ['2023-02-29T00:00:00Z', 'parsing time "2023-02-29T00:00:00Z": day out of range'],
    ['2024-03-01T10:20:30', `parsing time "2024-03-01T10:20:30" as ${layout}: cannot parse "" as "Z07:00"`],
    ['2024-03-01T10:20:30Zjunk', 'parsing time "2024-03-01T10:20:30Zjunk": extra text: "junk"'],
  ];
  for (const [s, want] of cases) assert.equal(rfc3339Error(s), want, s);
});

test('decodeFormatError: quantities and int-or-strings by definition, bytes by format', () => {
  const q = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
  const ios = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
  const cases: Array<[unknown, { definition?: string; format?: string }, string | undefined]> = [
    ['100m', { definition: q }, undefined],
    [2, { definition: q }, undefined],
    ['1x', { definition: q }, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ['25%', { definition: ios }, undefined],
    [3, { definition: ios }, undefined],
    [true, { definition: ios }, 'json: cannot unmarshal bool into Go value of type int32'],
    [1.5, { definition: ios }, 'json: cannot unmarshal number 1.5 into Go value of type int32'],
    ['!!', { format: 'byte' }, 'illegal base64 data at input byte 0'],
    ['!!', { format: 'date-time' }, undefined],
    [null, { definition: q }, undefined],
  ];
  for (const [v, at, want] of cases) assert.equal(decodeFormatError(v, at), want, JSON.stringify(v));
});
