// Tests for CRD tables from additionalPrinterColumns: typed cells, missing values, dates, defaults.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { APIObject } from '../registry/strategy.js';
import { cellForJSONValue, customResourcePrinter } from './custom-resource-printer.js';

const now = Date.parse('2026-03-01T12:00:00Z');

const columns = [
  { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
  { name: 'Version', type: 'string', jsonPath: '.spec.version', description: 'Database version' },
  { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  { name: 'Ratio', type: 'number', jsonPath: '.status.ratio', priority: 1 },
  { name: 'Paused', type: 'boolean', jsonPath: '.spec.paused', priority: 1 },
  { name: 'Labels', type: 'string', jsonPath: '.metadata.labels', priority: 1 },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

test('CRD columns: Name first, then the declared columns with their type, format and priority', () => {
  const p = customResourcePrinter([...columns, { name: 'Size', type: 'string', format: 'byte', jsonPath: '.spec.size' }]);
  assert.deepEqual(
    p.columnDefinitions.map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ['Name', 'string', 'name', 0],
      ['Replicas', 'integer', '', 0],
      ['Version', 'string', '', 0],
      ['Ready', 'string', '', 0],
      ['Ratio', 'number', '', 1],
      ['Paused', 'boolean', '', 1],
      ['Labels', 'string', '', 1],
      ['Age', 'date', '', 0],
      ['Size', 'string', 'byte', 0],
    ],
  );
  assert.equal(p.columnDefinitions[2].description, 'Database version');
  assert.equal(p.columnDefinitions[1].description, 'The value at .spec.replicas.');
});

test('CRD cells', () => {
  const p = customResourcePrinter(columns);
  const cases: Array<{ name: string; obj: object; want: unknown[] }> = [
    {
      name: 'all values present',
      obj: {
        metadata: { name: 'db1', creationTimestamp: '2026-03-01T11:00:00Z', labels: { z: '1', a: '2' } },
        spec: { replicas: 3, version: 16, paused: true },
        status: { ratio: 0.5, conditions: [{ type: 'Ready', status: 'True' }] },
      },
      want: ['db1', 3, '16', 'True', 0.5, true, '{"a":"2","z":"1"}', '60m'],
    },
    {
      name: 'missing values are null',
      obj: { metadata: { name: 'db2' } },
      want: ['db2', null, null, null, null, null, null, null],
    },
    {
      name: 'wrong types are null; floats truncate for integer; JSON null in a string column',
      obj: { metadata: { name: 'db3', creationTimestamp: 'yesterday' }, spec: { replicas: 2.9, version: null, paused: 'yes' }, status: { ratio: '1' } },
      want: ['db3', 2, '<no value>', null, null, null, null, '<invalid>'],
    },
  ];
  for (const c of cases) {
    const row = p.printRow(c.obj as APIObject, now);
    assert.equal(row.cells.length, p.columnDefinitions.length, c.name);
    assert.deepEqual(row.cells, c.want, c.name);
  }
});

test('CRD without printer columns gets AGE; an unparsable path ends the columns', () => {
  const p = customResourcePrinter([]);
  assert.deepEqual(p.columnDefinitions.map((c) => c.name), ['Name', 'Age']);
  assert.deepEqual(p.printRow({ metadata: { name: 'x', creationTimestamp: '2026-02-27T12:00:00Z' } }, now).cells, ['x', '2d']);

  const broken = customResourcePrinter([
    { name: 'A', type: 'string', jsonPath: '.spec.a' },
    { name: 'B', type: 'string', jsonPath: '.spec[' },
    { name: 'C', type: 'string', jsonPath: '.spec.c' },
  ]);
  assert.deepEqual(broken.columnDefinitions.map((c) => c.name), ['Name', 'A']);
  assert.deepEqual(broken.printRow({ metadata: { name: 'y' }, spec: { a: 'x', c: 'z' } }, now).cells, ['y', 'x']);
});

test('cellForJSONValue for each column type', () => {
  const cases: Array<[string, unknown, unknown]> = [
    ['integer', 7, 7],
    ['integer', -7.8, -7],
    ['integer', '7', null],
    ['number', 7, 7],
    ['number', true, null],
    ['boolean', false, false],
    ['boolean', 'false', null],
    ['string', 'x', 'x'],
    ['string', 12.5, '12.5'],
    ['string', [1, { b: 2, a: 1 }], '[1,{"a":1,"b":2}]'],
    ['date', '2026-03-01T11:59:30Z', '30s'],
    ['date', '2026-03-01T11:59:30.5+00:00', '29s'],
    ['date', '', '<unknown>'],
    ['date', '2026-03-01', '<invalid>'],
    ['date', 5, null],
    ['object', {}, null],
    ['integer', null, null],
  ];
  for (const [type, value, want] of cases) assert.deepEqual(cellForJSONValue(type, value, now), want, `${type} ${JSON.stringify(value)}`);
});
