// FieldsV1 sets: the wire form of tables of paths, parse errors, upstream path notation, set algebra, and
// fast-check properties (round trip through JSON text, algebra laws).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { JSONObject } from '../patch/json-value.js';
import { FieldSet } from './field-set.js';
import { fieldElement, indexElement, keyElement, pathString, valueElement, type PathElement } from './path-element.js';

const f = fieldElement;

test('FieldsV1 form of path sets', () => {
  const cases: Array<{ name: string; paths: PathElement[][]; fieldsV1: JSONObject }> = [
    { name: 'empty', paths: [], fieldsV1: {} },
    { name: 'leaf', paths: [[f('spec'), f('replicas')]], fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
    {
      name: 'member with children gets "."',
      paths: [[f('metadata'), f('labels')], [f('metadata'), f('labels'), f('app')]],
      fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } },
    },
    {
      name: 'list-map item keyed by sorted key fields',
      paths: [[f('ports'), keyElement([['protocol', 'TCP'], ['containerPort', 80]])], [f('ports'), keyElement([['protocol', 'TCP'], ['containerPort', 80]]), f('name')]],
      fieldsV1: { 'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:name': {} } } },
    },
    { name: 'set item and index', paths: [[f('finalizers'), valueElement('a/b')], [f('x'), indexElement(3)]], fieldsV1: { 'f:finalizers': { 'v:"a/b"': {} }, 'f:x': { 'i:3': {} } } },
  ];
  for (const c of cases) {
    const set = FieldSet.of(c.paths);
    assert.deepEqual(set.toFieldsV1(), c.fieldsV1, c.name);
    assert.ok(FieldSet.fromFieldsV1(c.fieldsV1).equals(set), `${c.name}: parse`);
  }
});

test('FieldsV1 rejects what is not FieldsV1', () => {
  for (const bad of [[], { 'f:a': 1 }, { 'x:a': {} }, { 'k:[1]': {} }, { 'i:-1': {} }, { 'v:{': {} }]) {
    assert.throws(() => FieldSet.fromFieldsV1(bad as never), Error, JSON.stringify(bad));
  }
});

test('path strings as in conflict messages', () => {
  const cases: Array<[PathElement[], string]> = [
    [[f('spec'), f('replicas')], '.spec.replicas'],
    [[f('spec'), f('containers'), keyElement([['name', 'c1']]), f('image')], '.spec.containers[name="c1"].image'],
    [[f('ports'), keyElement([['protocol', 'TCP'], ['containerPort', 80]])], '.ports[containerPort=80,protocol="TCP"]'],
    [[f('finalizers'), valueElement('x')], '.finalizers[="x"]'],
    [[f('args'), indexElement(2)], '.args[2]'],
  ];
  for (const [path, s] of cases) assert.equal(pathString(path), s);
});

test('set algebra', () => {
  const a = FieldSet.of([[f('a')], [f('b'), f('c')], [f('b'), f('d')]]);
  const b = FieldSet.of([[f('b'), f('c')], [f('e')]]);
  assert.deepEqual(a.union(b).toFieldsV1(), { 'f:a': {}, 'f:b': { 'f:c': {}, 'f:d': {} }, 'f:e': {} });
  assert.deepEqual(a.intersection(b).toFieldsV1(), { 'f:b': { 'f:c': {} } });
  assert.deepEqual(a.difference(b).toFieldsV1(), { 'f:a': {}, 'f:b': { 'f:d': {} } });
  assert.deepEqual(a.recursiveDifference(FieldSet.of([[f('b')]])).toFieldsV1(), { 'f:a': {} });
  assert.deepEqual(a.difference(FieldSet.of([[f('b')]])).toFieldsV1(), a.toFieldsV1(), 'difference removes members only');
  assert.deepEqual(a.paths().map(pathString), ['.a', '.b.c', '.b.d']);
});

const element: fc.Arbitrary<PathElement> = fc.oneof(
  fc.string({ maxLength: 6 }).map(f),
  fc.tuple(fc.string({ maxLength: 4 }), fc.oneof(fc.string({ maxLength: 4 }), fc.integer())).map(([k, v]) => keyElement([[k, v]])),
  fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean()).map(valueElement),
  fc.nat(20).map(indexElement),
);
const fieldSet = fc.array(fc.array(element, { minLength: 1, maxLength: 4 }), { maxLength: 12 }).map((paths) => FieldSet.of(paths));

test('property: FieldsV1 round trip, also through JSON text', () => {
  fc.assert(
    fc.property(fieldSet, (s) => {
      const text = JSON.stringify(s.toFieldsV1());
      const back = FieldSet.fromFieldsV1(JSON.parse(text) as JSONObject);
      return back.equals(s) && JSON.stringify(back.toFieldsV1()) === text;
    }),
    { numRuns: 300 },
  );
});

test('property: algebra laws', () => {
  fc.assert(
    fc.property(fieldSet, fieldSet, (a, b) => {
      const u = a.union(b);
      return (
        u.difference(b).equals(a.difference(b)) &&
        a.intersection(b).equals(b.intersection(a)) &&
        a.difference(b).union(a.intersection(b)).equals(a) &&
        a.difference(b).intersection(b).isEmpty()
      );
    }),
    { numRuns: 300 },
  );
});
