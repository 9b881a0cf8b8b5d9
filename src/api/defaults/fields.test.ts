import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultNil, defaultZero, ensureObject, isEmpty, objectAt, objectItems, type JSONObject, type JSONValue } from './fields.js';

test('nil and zero as Go decodes JSON', () => {
  const cases: Array<[current: JSONValue | undefined, afterNil: JSONValue, afterZero: JSONValue]> = [
    [undefined, 'd', 'd'],
    [null, 'd', 'd'],
    ['', '', 'd'],
    [0, 0, 'd'],
    [false, false, 'd'],
    ['x', 'x', 'x'],
    [7, 7, 7],
    [true, true, true],
    [[], [], []],
    [{}, {}, {}],
  ];
  for (const [current, afterNil, afterZero] of cases) {
    const a: JSONObject = current === undefined ? {} : { f: current };
    const b: JSONObject = current === undefined ? {} : { f: current };
    defaultNil(a, 'f', 'd');
    defaultZero(b, 'f', 'd');
    assert.deepEqual(a.f, afterNil, `defaultNil over ${JSON.stringify(current)}`);
    assert.deepEqual(b.f, afterZero, `defaultZero over ${JSON.stringify(current)}`);
  }
});

test('empty slices and maps', () => {
  const cases: Array<[JSONValue | undefined, boolean]> = [
    [undefined, true], [null, true], [[], true], [{}, true], [[1], false], [{ a: 1 }, false], ['', false], [0, false],
  ];
  for (const [value, empty] of cases) assert.equal(isEmpty(value), empty, JSON.stringify(value));
});

test('navigation skips what is not an object', () => {
  const obj: JSONObject = { spec: { template: null, list: [{ a: 1 }, 'x', null, [2], { b: 2 }], n: 3 } };
  assert.equal(objectAt(obj, 'spec', 'template', 'spec'), undefined);
  assert.equal(objectAt(obj, 'spec', 'n'), undefined);
  assert.deepEqual(objectItems(objectAt(obj, 'spec'), 'list'), [{ a: 1 }, { b: 2 }]);
  assert.deepEqual(objectItems(objectAt(obj, 'spec'), 'n'), []);
  const spec = objectAt(obj, 'spec')!;
  ensureObject(spec, 'template').x = 1;
  assert.deepEqual(spec.template, { x: 1 });
  const existing = ensureObject(spec, 'template');
  assert.equal(existing, spec.template);
});
