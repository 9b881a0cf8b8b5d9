import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isBadRequest, isInvalid, type StatusError } from '../errors.js';
import { applyJSONPatch, decodeJSONPatch, resolve, type Operation } from './json-patch.js';
import { formatPointer, parsePointer } from './json-pointer.js';
import { deepCopy, type JSONValue } from './json-value.js';

const doc = (): JSONValue => ({
  metadata: { name: 'web', labels: { app: 'web', 'a/b': 'x', 'c~d': 'y' } },
  spec: { replicas: 1, containers: [{ name: 'a', image: 'nginx' }, { name: 'b' }] },
});

test('applyJSONPatch: operations that apply', () => {
  const cases: Array<{ name: string; ops: Operation[]; want: (d: any) => void }> = [
    { name: 'replace', ops: [{ op: 'replace', path: '/spec/replicas', value: 3 }], want: (d) => assert.equal(d.spec.replicas, 3) },
    { name: 'add member', ops: [{ op: 'add', path: '/spec/paused', value: true }], want: (d) => assert.equal(d.spec.paused, true) },
    {
      name: 'add replaces an existing member',
      ops: [{ op: 'add', path: '/spec/replicas', value: 5 }],
      want: (d) => assert.equal(d.spec.replicas, 5),
    },
    {
      name: 'add inserts into an array',
      ops: [{ op: 'add', path: '/spec/containers/1', value: { name: 'mid' } }],
      want: (d) => assert.deepEqual(d.spec.containers.map((c: any) => c.name), ['a', 'mid', 'b']),
    },
    {
      name: 'add with - appends',
      ops: [{ op: 'add', path: '/spec/containers/-', value: { name: 'z' } }],
      want: (d) => assert.equal(d.spec.containers[2].name, 'z'),
    },
    {
      name: 'add at array length appends',
      ops: [{ op: 'add', path: '/spec/containers/2', value: { name: 'z' } }],
      want: (d) => assert.equal(d.spec.containers[2].name, 'z'),
    },
    {
      name: 'escaped tokens',
      ops: [
        { op: 'replace', path: '/metadata/labels/a~1b', value: 'X' },
        { op: 'remove', path: '/metadata/labels/c~0d' },
      ],
      want: (d) => assert.deepEqual(d.metadata.labels, { app: 'web', 'a/b': 'X' }),
    },
    {
      name: 'remove array element',
      ops: [{ op: 'remove', path: '/spec/containers/0' }],
      want: (d) => assert.deepEqual(d.spec.containers, [{ name: 'b' }]),
    },
    {
      name: 'move',
      ops: [{ op: 'move', from: '/metadata/labels/app', path: '/metadata/annotations' }],
      want: (d) => {
        assert.equal(d.metadata.annotations, 'web');
        assert.equal(d.metadata.labels.app, undefined);
      },
    },
    {
      name: 'copy is deep',
      ops: [
        { op: 'copy', from: '/spec/containers/0', path: '/spec/containers/-' },
        { op: 'replace', path: '/spec/containers/2/image', value: 'busybox' },
      ],
      want: (d) => assert.deepEqual([d.spec.containers[0].image, d.spec.containers[2].image], ['nginx', 'busybox']),
    },
    {
      name: 'test then replace (kubectl rollout undo style)',
      ops: [
        { op: 'test', path: '/spec/containers/0', value: { image: 'nginx', name: 'a' } },
        { op: 'replace', path: '/metadata/labels', value: { app: 'x' } },
      ],
      want: (d) => assert.deepEqual(d.metadata.labels, { app: 'x' }),
    },
    { name: 'test of an absent member against null', ops: [{ op: 'test', path: '/spec/x', value: null }], want: () => {} },
    { name: 'replace the whole document', ops: [{ op: 'replace', path: '', value: { a: 1 } }], want: (d) => assert.deepEqual(d, { a: 1 }) },
    { name: 'add without value adds null', ops: [{ op: 'add', path: '/spec/x' }], want: (d) => assert.equal(d.spec.x, null) },
  ];
  for (const c of cases) {
    const input = doc();
    const before = deepCopy(input);
    c.want(applyJSONPatch(input, c.ops));
    assert.deepEqual(input, before, `${c.name}: input was modified`);
  }
});

test('applyJSONPatch: failures are 422 with the reason as cause, and nothing is applied', () => {
  const cases: Array<{ ops: Operation[]; cause: string }> = [
    { ops: [{ op: 'replace', path: '/spec/nope', value: 1 }], cause: 'replace operation does not apply: doc is missing key: /spec/nope: missing value' },
    { ops: [{ op: 'add', path: '/nope/x', value: 1 }], cause: 'add operation does not apply: doc is missing path: "/nope/x": missing value' },
    { ops: [{ op: 'remove', path: '/spec/nope' }], cause: "error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value" },
    {
      ops: [{ op: 'add', path: '/spec/containers/5', value: {} }],
      cause: "error in add for path: '/spec/containers/5': Unable to access invalid index: 5: invalid index referenced",
    },
    { ops: [{ op: 'test', path: '/spec/replicas', value: 2 }], cause: 'testing value /spec/replicas failed: test failed' },
    { ops: [{ op: 'move', from: '/spec/nope', path: '/x' }], cause: 'move operation does not apply: doc is missing from path: /spec/nope: missing value' },
    { ops: [{ op: 'move', from: '/spec', path: '/spec/x' }], cause: 'move operation does not apply: cannot move /spec into its own child /spec/x' },
    { ops: [{ op: 'copy', from: '/nope', path: '/x' }], cause: 'copy operation does not apply: doc is missing from path: /nope: missing value' },
    { ops: [{ op: 'frobnicate', path: '/x' }], cause: 'Unexpected kind: frobnicate' },
    { ops: [{ op: 'add', value: 1 }], cause: 'add operation failed to decode path: missing value' },
    { ops: [{ op: 'add', path: 'spec', value: 1 }], cause: 'add operation does not apply: invalid JSON pointer "spec"' },
    {
      ops: [{ op: 'replace', path: '/spec/replicas', value: 9 }, { op: 'remove', path: '/nope' }],
      cause: "error in remove for path: '/nope': Unable to remove nonexistent key: nope: missing value",
    },
  ];
  for (const c of cases) {
    assert.throws(
      () => applyJSONPatch(doc(), c.ops),
      (err: unknown) => {
        assert.ok(isInvalid(err));
        assert.equal((err as StatusError).code, 422);
        assert.equal((err as StatusError).message, 'the server rejected our request due to an error in our request');
        assert.equal(((err as Error).cause as Error).message, c.cause);
        return true;
      },
    );
  }
});

test('decodeJSONPatch', () => {
  assert.deepEqual(decodeJSONPatch([{ op: 'add', path: '/a', value: 1 }]), [{ op: 'add', path: '/a', value: 1 }]);
  const bad: Array<{ body: unknown; msg: string; code: number }> = [
    { body: { op: 'add' }, msg: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch', code: 400 },
    { body: ['x'], msg: 'json: cannot unmarshal string into Go value of type jsonpatch.Operation', code: 400 },
    {
      body: Array.from({ length: 10001 }, () => ({ op: 'test', path: '' })),
      msg: 'The allowed maximum operations in a JSON patch is 10000, got 10001',
      code: 413,
    },
  ];
  for (const b of bad) {
    assert.throws(
      () => decodeJSONPatch(b.body),
      (err: unknown) => (err as StatusError).message === b.msg && (err as StatusError).code === b.code,
    );
  }
  assert.ok(isBadRequest((() => { try { decodeJSONPatch(1); } catch (e) { return e; } })()));
});

// ---- properties ---------------------------------------------------------------------------------------

const key = fc.string({ maxLength: 4 });
const json: fc.Arbitrary<JSONValue> = fc.letrec<{ v: JSONValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.string({ maxLength: 4 }),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(key, tie('v'), { maxKeys: 3, noNullPrototype: true }),
  ),
})).v;
const jsonObject = fc.dictionary(key, json, { maxKeys: 4, noNullPrototype: true });

/** Every pointer to an existing value in `v`. */
function pointers(v: JSONValue, prefix: string[] = []): string[][] {
  const out = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...pointers(x, [...prefix, String(i)])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...pointers(x, [...prefix, k]));
  return out;
}

test('property: pointers round-trip and every existing pointer tests equal to its value', () => {
  fc.assert(
    fc.property(jsonObject, (d) => {
      for (const tokens of pointers(d)) {
        const p = formatPointer(tokens);
        assert.deepEqual(parsePointer(p), tokens);
        const value = resolve(d, tokens);
        assert.deepEqual(applyJSONPatch(d, [{ op: 'test', path: p, value: value as JSONValue }]), d);
      }
    }),
    { numRuns: 200 },
  );
});

test('property: add of a new member then remove restores the document; move there and back too', () => {
  fc.assert(
    fc.property(jsonObject, key, json, (d, k, v) => {
      fc.pre(!Object.hasOwn(d, k));
      const p = formatPointer([k]);
      const added = applyJSONPatch(d, [{ op: 'add', path: p, value: v }]);
      assert.deepEqual(resolve(added, [k]), v);
      assert.deepEqual(applyJSONPatch(added, [{ op: 'remove', path: p }]), d);
      for (const tokens of pointers(d).filter((t) => t.length > 0)) {
        const from = formatPointer(tokens);
        if (tokens.length === 1 && Object.hasOwn(d, k)) continue;
        const moved = applyJSONPatch(d, [{ op: 'move', from, path: p }]);
        assert.deepEqual(resolve(moved, [k]), resolve(d, tokens));
        if (tokens.length === 1) assert.deepEqual(applyJSONPatch(moved, [{ op: 'move', from: p, path: from }]), d);
      }
    }),
    { numRuns: 200 },
  );
});
