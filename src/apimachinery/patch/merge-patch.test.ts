import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isBadRequest, type StatusError } from '../errors.js';
import { deepCopy, type JSONObject, type JSONValue } from './json-value.js';
import { applyMergePatch, createMergePatch } from './merge-patch.js';

test('applyMergePatch: RFC 7386 examples and kubectl patches', () => {
  const cases: Array<{ name: string; doc: JSONValue; patch: JSONValue; want: JSONValue }> = [
    { name: 'replace member', doc: { a: 'b' }, patch: { a: 'c' }, want: { a: 'c' } },
    { name: 'add member', doc: { a: 'b' }, patch: { b: 'c' }, want: { a: 'b', b: 'c' } },
    { name: 'null deletes', doc: { a: 'b' }, patch: { a: null }, want: {} },
    { name: 'null of absent member', doc: { a: 'b' }, patch: { c: null }, want: { a: 'b' } },
    { name: 'arrays replace', doc: { a: [1, 2] }, patch: { a: [3] }, want: { a: [3] } },
    { name: 'nested', doc: { a: { b: 'c', d: 'e' } }, patch: { a: { b: null, f: 'g' } }, want: { a: { d: 'e', f: 'g' } } },
    { name: 'object replaces scalar, its nulls dropped', doc: { a: 1 }, patch: { a: { b: null, c: 1 } }, want: { a: { c: 1 } } },
    { name: 'array patch replaces doc', doc: { a: 1 }, patch: [1, null], want: [1, null] },
    { name: 'nulls inside objects in arrays are dropped', doc: {}, patch: { a: [{ b: null, c: 1 }] }, want: { a: [{ c: 1 }] } },
    {
      name: 'kubectl label',
      doc: { metadata: { name: 'x', labels: { gone: 'y', keep: 'z' } } },
      patch: { metadata: { labels: { k: 'v', gone: null } } },
      want: { metadata: { name: 'x', labels: { keep: 'z', k: 'v' } } },
    },
    { name: 'kubectl scale', doc: { spec: { replicas: 1 } }, patch: { spec: { replicas: 0 } }, want: { spec: { replicas: 0 } } },
    { name: 'empty patch', doc: { a: { b: 1 } }, patch: {}, want: { a: { b: 1 } } },
  ];
  for (const c of cases) {
    const before = deepCopy(c.doc);
    assert.deepEqual(applyMergePatch(c.doc, c.patch), c.want, c.name);
    assert.deepEqual(c.doc, before, `${c.name}: input modified`);
  }
  for (const bad of [null, 'x', 3, true] as JSONValue[]) {
    assert.throws(
      () => applyMergePatch({}, bad),
      (err: unknown) => isBadRequest(err) && (err as StatusError).message === 'Invalid JSON Patch',
    );
  }
});

test('createMergePatch', () => {
  const cases: Array<{ name: string; a: JSONObject; b: JSONObject; want: JSONObject }> = [
    { name: 'equal', a: { a: { b: [1] } }, b: { a: { b: [1] } }, want: {} },
    { name: 'removed', a: { a: 1, b: 2 }, b: { a: 1 }, want: { b: null } },
    { name: 'added', a: {}, b: { a: { b: 1 } }, want: { a: { b: 1 } } },
    { name: 'nested change', a: { m: { x: 1, y: 2 } }, b: { m: { x: 1, y: 3, z: 4 } }, want: { m: { y: 3, z: 4 } } },
    { name: 'array changed', a: { l: [1, 2] }, b: { l: [2, 1] }, want: { l: [2, 1] } },
    { name: 'type changed', a: { v: { x: 1 } }, b: { v: 'x' }, want: { v: 'x' } },
  ];
  for (const c of cases) assert.deepEqual(createMergePatch(c.a, c.b), c.want, c.name);
});

// JSON values without nulls: a merge patch cannot express a null value (null means delete).
const key = fc.string({ maxLength: 4 });
const value: fc.Arbitrary<JSONValue> = fc.letrec<{ v: JSONValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.boolean(),
    fc.integer(),
    fc.string({ maxLength: 4 }),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(key, tie('v'), { maxKeys: 3, noNullPrototype: true }),
  ),
})).v;
const object = fc.dictionary(key, value, { maxKeys: 4, noNullPrototype: true });

test('property: applying createMergePatch(a, b) to a gives b', () => {
  fc.assert(
    fc.property(object, object, (a, b) => {
      assert.deepEqual(applyMergePatch(a, createMergePatch(a, b)), b);
    }),
    { numRuns: 500 },
  );
});

test('property: merge patches are idempotent and an empty patch changes nothing', () => {
  fc.assert(
    fc.property(object, object, (doc, patch) => {
      const once = applyMergePatch(doc, patch);
      assert.deepEqual(applyMergePatch(once, patch), once);
      assert.deepEqual(applyMergePatch(doc, {}), doc);
    }),
    { numRuns: 500 },
  );
});

test('a "__proto__" member is data, never a prototype', () => {
  const out = applyMergePatch({}, JSON.parse('{"__proto__":{"polluted":1}}')) as JSONObject;
  assert.ok(Object.hasOwn(out, '__proto__'));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.deepEqual(Object.keys(createMergePatch({}, out)), ['__proto__']);
});
