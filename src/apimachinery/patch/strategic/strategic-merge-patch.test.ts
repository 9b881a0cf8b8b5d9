import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { StatusError } from '../../errors.js';
import { deepCopy, type JSONObject, type JSONValue } from '../json-value.js';
import { applyMergePatch } from '../merge-patch.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import { applyCases } from './testdata/apply-cases.js';
import { testDeploymentSchema, testPDBSchema, testPodSchema } from './testdata/test-schema.js';

const schemas = { pod: testPodSchema, deployment: testDeploymentSchema, pdb: testPDBSchema };

test('applyStrategicMergePatch: directives, list strategies and errors', () => {
  for (const c of applyCases) {
    const schema = schemas[c.kind ?? 'pod'];
    const before = deepCopy(c.original);
    const patchBefore = deepCopy(c.patch);
    if (c.want) {
      assert.deepEqual(applyStrategicMergePatch({ original: c.original, patch: c.patch, schema }), c.want, c.name);
    } else {
      assert.throws(
        () => applyStrategicMergePatch({ original: c.original, patch: c.patch, schema }),
        (err: unknown) => err instanceof StatusError && err.code === c.wantError!.code && err.message === c.wantError!.message,
        c.name,
      );
    }
    assert.deepEqual(c.original, before, `${c.name}: original modified`);
    assert.deepEqual(c.patch, patchBefore, `${c.name}: patch modified`);
  }
});

test('applyStrategicMergePatch: the result shares unchanged subtrees only, never changed ones', () => {
  const original: JSONObject = { metadata: { labels: { a: '1' } }, spec: { containers: [{ name: 'a', image: '1' }], hostname: 'h' } };
  const result = applyStrategicMergePatch({ original, patch: { spec: { hostname: 'x' } }, schema: testPodSchema });
  assert.equal(result.metadata, original.metadata, 'untouched subtree shared');
  assert.notEqual(result.spec, original.spec, 'changed map copied');
  assert.equal((original.spec as JSONObject).hostname, 'h');
});

test('applyStrategicMergePatch: patches without directives on free-form JSON behave as JSON merge patches', () => {
  // Below an opaque position every map merges, null deletes and every list is replaced, as in RFC 7386.
  const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
  const doc = fc.letrec<{ value: JSONValue; object: JSONObject }>((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.constantFrom<JSONValue>(1, 'x', true), fc.array(tie('value'), { maxLength: 2 }), tie('object')),
    object: fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('value'), { maxKeys: 3 }),
  }));
  const patch = fc.letrec<{ object: JSONObject }>((tie) => ({
    object: fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.oneof({ depthSize: 'small' }, doc.value, fc.constant(null), tie('object')), { maxKeys: 3 }),
  }));
  fc.assert(
    fc.property(doc.object.map(plain), patch.object.map(plain), (d, p) => {
      const got = applyStrategicMergePatch({ original: { spec: { affinity: { nodeAffinity: d } } }, patch: { spec: { affinity: { nodeAffinity: p } } }, schema: testPodSchema });
      assert.deepEqual(((got.spec as JSONObject).affinity as JSONObject).nodeAffinity, applyMergePatch(d, p));
    }),
    { numRuns: 300 },
  );
});
