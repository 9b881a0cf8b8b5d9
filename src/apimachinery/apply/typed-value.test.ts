// The schema-directed walks of server-side apply on a small hand-built type: field sets, comparisons, merges
// and removals, as tables of inputs and expected FieldsV1 or JSON.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JSONObject } from '../patch/json-value.js';
import { FieldSet } from './field-set.js';
import { testType } from './testdata/test-types.js';
import { compare, ensureNamedFieldsAreMembers, fieldSetOf, merge, removeItems } from './typed-value.js';

test('fieldSetOf: leaves, map entries, list items and empty values are members; named fields only lead', () => {
  const cases: Array<[string, JSONObject, JSONObject]> = [
    ['scalars', { a: 1, b: 'x' }, { 'f:a': {}, 'f:b': {} }],
    ['map entries', { labels: { app: 'web' } }, { 'f:labels': { 'f:app': {} } }],
    ['atomic map and struct are one field', { selector: { app: 'web' }, fixed: { x: 1 } }, { 'f:fixed': {}, 'f:selector': {} }],
    ['empty and null values are members', { labels: {}, strategy: null }, { 'f:labels': {}, 'f:strategy': {} }],
    ['nested struct', { strategy: { rolling: { surge: 1 } } }, { 'f:strategy': { 'f:rolling': { 'f:surge': {} } } }],
    ['atomic list', { args: ['-v', '-q'] }, { 'f:args': {} }],
    ['set list', { finalizers: ['b', 'a'] }, { 'f:finalizers': { 'v:"a"': {}, 'v:"b"': {} } }],
    ['empty granular list owns nothing', { finalizers: [] }, {}],
    [
      'map list by keys',
      { ports: [{ port: 80, protocol: 'TCP', name: 'http' }] },
      { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {}, 'f:protocol': {} } } },
    ],
    ['untyped objects: every key is a member', { free: { x: { y: 1 } } }, { 'f:free': { 'f:x': { '.': {}, 'f:y': {} } } }],
  ];
  for (const [name, obj, want] of cases) assert.deepEqual(fieldSetOf(obj, testType).toFieldsV1(), want, name);
});

test('compare: added, modified and removed paths', () => {
  const cases: Array<{ name: string; lhs: JSONObject; rhs: JSONObject; added?: JSONObject; modified?: JSONObject; removed?: JSONObject }> = [
    { name: 'leaf modified', lhs: { a: 1 }, rhs: { a: 2 }, modified: { 'f:a': {} } },
    { name: 'equal', lhs: { a: 1, labels: { x: 'y' } }, rhs: { labels: { x: 'y' }, a: 1 } },
    { name: 'new struct is itself added', lhs: {}, rhs: { strategy: { type: 'x' } }, added: { 'f:strategy': { '.': {}, 'f:type': {} } } },
    { name: 'a null struct counts as present', lhs: { strategy: null }, rhs: { strategy: { type: 'x' } }, added: { 'f:strategy': { 'f:type': {} } } },
    { name: 'empty on both sides compares as a leaf', lhs: { labels: {} }, rhs: {}, removed: { 'f:labels': {} } },
    { name: 'atomic struct modified as one', lhs: { fixed: { x: 1 } }, rhs: { fixed: { x: 2 } }, modified: { 'f:fixed': {} } },
    {
      name: 'list-map item removed and added',
      lhs: { items: [{ name: 'a', value: 1 }] },
      rhs: { items: [{ name: 'b', value: 1 }] },
      added: { 'f:items': { 'k:{"name":"b"}': { '.': {}, 'f:name': {}, 'f:value': {} } } },
      removed: { 'f:items': { 'k:{"name":"a"}': { '.': {}, 'f:name': {}, 'f:value': {} } } },
    },
    { name: 'set item', lhs: { finalizers: ['a'] }, rhs: { finalizers: ['a', 'b'] }, added: { 'f:finalizers': { 'v:"b"': {} } } },
  ];
  for (const c of cases) {
    const r = compare(c.lhs, c.rhs, testType);
    assert.deepEqual(r.added.toFieldsV1(), c.added ?? {}, `${c.name}: added`);
    assert.deepEqual(r.modified.toFieldsV1(), c.modified ?? {}, `${c.name}: modified`);
    assert.deepEqual(r.removed.toFieldsV1(), c.removed ?? {}, `${c.name}: removed`);
  }
});

test('merge: rhs wins at leaves and atomic positions, granular positions merge', () => {
  const cases: Array<[string, JSONObject, JSONObject, JSONObject]> = [
    ['leaf', { a: 1, b: 2 }, { a: 3 }, { a: 3, b: 2 }],
    ['map keys', { labels: { x: '1', y: '2' } }, { labels: { y: '3', z: '4' } }, { labels: { x: '1', y: '3', z: '4' } }],
    ['atomic map replaced', { selector: { x: '1' } }, { selector: { y: '2' } }, { selector: { y: '2' } }],
    ['atomic struct replaced', { fixed: { x: 1, y: 2 } }, { fixed: { x: 3 } }, { fixed: { x: 3 } }],
    ['atomic list replaced', { args: ['a', 'b'] }, { args: ['c'] }, { args: ['c'] }],
    ['set union keeps order', { finalizers: ['x', 'y'] }, { finalizers: ['y', 'z'] }, { finalizers: ['x', 'y', 'z'] }],
    [
      'map list: live-only items keep their place, shared ones follow rhs',
      { items: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] },
      { items: [{ name: 'c' }, { name: 'd' }, { name: 'a' }] },
      { items: [{ name: 'b' }, { name: 'c' }, { name: 'd' }, { name: 'a' }] },
    ],
    ['map list items merge', { items: [{ name: 'a', value: 1, args: ['x'] }] }, { items: [{ name: 'a', value: 2 }] }, { items: [{ name: 'a', value: 2, args: ['x'] }] }],
    ['a null map on the right keeps the left entries', { labels: { x: '1' } }, { labels: null }, { labels: { x: '1' } }],
    ['empty on both sides takes the right', { labels: null }, { labels: {} }, { labels: {} }],
    ['untyped objects merge', { free: { x: 1, y: [1] } }, { free: { y: [2] } }, { free: { x: 1, y: [2] } }],
  ];
  for (const [name, lhs, rhs, want] of cases) assert.deepEqual(merge(lhs, rhs, testType), want, name);
});

test('removeItems and named-field membership', () => {
  const obj: JSONObject = { a: 1, labels: { x: '1', y: '2' }, items: [{ name: 'a', value: 1 }, { name: 'b', value: 2 }], strategy: { type: 't', rolling: { surge: 1 } } };
  const cases: Array<[string, JSONObject, JSONObject]> = [
    ['a leaf', { 'f:a': {} }, { labels: { x: '1', y: '2' }, items: [{ name: 'a', value: 1 }, { name: 'b', value: 2 }], strategy: { type: 't', rolling: { surge: 1 } } }],
    ['a map key', { 'f:labels': { 'f:x': {} } }, { ...obj, labels: { y: '2' } }],
    ['a list item', { 'f:items': { 'k:{"name":"a"}': {} } }, { ...obj, items: [{ name: 'b', value: 2 }] }],
    ['a field inside an item', { 'f:items': { 'k:{"name":"b"}': { 'f:value': {} } } }, { ...obj, items: [{ name: 'a', value: 1 }, { name: 'b' }] }],
    ['a struct subtree', { 'f:strategy': { '.': {}, 'f:type': {} } }, { a: 1, labels: obj.labels!, items: obj.items! }],
  ];
  for (const [name, set, want] of cases) assert.deepEqual(removeItems(obj, FieldSet.fromFieldsV1(set), testType), want, name);

  const named = ensureNamedFieldsAreMembers(FieldSet.fromFieldsV1({ 'f:strategy': { 'f:rolling': { 'f:surge': {} } }, 'f:labels': { 'f:x': {} } }), testType);
  assert.deepEqual(named.toFieldsV1(), { 'f:labels': { '.': {}, 'f:x': {} }, 'f:strategy': { '.': {}, 'f:rolling': { '.': {}, 'f:surge': {} } } });
});
