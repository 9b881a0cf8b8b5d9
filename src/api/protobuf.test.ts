import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isBadRequest, type StatusError } from '../apimachinery/errors.js';
import { kindKey } from '../apimachinery/protobuf/table.js';
import { builtinProtobufTable, decodeProtobufObject, hasProtobufForm } from './protobuf.js';

const testdata = join(import.meta.dirname, 'testdata/protobuf');

/**
 * kubectl's own `--dry-run=client -o json` rendering, minus what Go's JSON shows for unset values: nulls
 * (`creationTimestamp: null`) and empty structs (`status: {}`, `resources: {}`).
 */
function withoutUnset(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutUnset);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === null) continue;
      const n = withoutUnset(x);
      if (n && typeof n === 'object' && !Array.isArray(n) && Object.keys(n).length === 0) continue;
      out[k] = n;
    }
    return out;
  }
  return v;
}

test('bodies captured from kubectl 1.32 decode to the JSON kubectl shows for them', () => {
  // PodDisruptionBudgetStatus has non-omitempty int32 fields, so kubectl prints a status of zeros;
  // zeros of non-pointer fields are "unset" to us.
  const dropStatus = new Set(['pdb-min-available-zero', 'pdb-max-unavailable-percent']);
  const names = readdirSync(testdata)
    .filter((f) => f.endsWith('.pb') && readdirSync(testdata).includes(`${f.slice(0, -3)}.kubectl.json`))
    .map((f) => f.slice(0, -3));
  assert.ok(names.length >= 15, `expected the captured fixtures, found ${names.length}`);
  for (const name of names) {
    const got = decodeProtobufObject(readFileSync(join(testdata, `${name}.pb`)));
    const want = withoutUnset(JSON.parse(readFileSync(join(testdata, `${name}.kubectl.json`), 'utf8'))) as Record<string, unknown>;
    if (dropStatus.has(name)) delete want.status;
    assert.deepEqual(got, want, name);
  }
});

test('bodies of kubectl commands without a client-side rendering (create token, auth can-i, auth whoami)', () => {
  const cases: Array<{ name: string; want: Record<string, unknown> }> = [
    {
      name: 'token',
      want: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: ['api,vault'], expirationSeconds: 3600 } },
    },
    {
      name: 'can-i',
      want: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods', subresource: 'log' } },
      },
    },
    { name: 'whoami', want: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } },
  ];
  for (const c of cases) assert.deepEqual(decodeProtobufObject(readFileSync(join(testdata, `${c.name}.pb`))), c.want, c.name);
});

test('zero values that are explicit (Go pointers) survive; others are dropped', () => {
  const read = (name: string) => decodeProtobufObject(readFileSync(join(testdata, `${name}.pb`))) as any;
  const cases: Array<{ name: string; check: (o: any) => void }> = [
    { name: 'deployment-zero-replicas', check: (o) => assert.equal(o.spec.replicas, 0) },
    { name: 'pdb-min-available-zero', check: (o) => assert.equal(o.spec.minAvailable, 0) },
    { name: 'pdb-max-unavailable-percent', check: (o) => assert.equal(o.spec.maxUnavailable, '25%') },
    {
      name: 'namespace',
      check: (o) => {
        assert.deepEqual(o, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
      },
    },
    { name: 'secret', check: (o) => assert.equal(Buffer.from(o.data.pass, 'base64').toString('utf8'), 's3cr3t\u00e9') },
    { name: 'quota', check: (o) => assert.deepEqual(o.spec.hard, { cpu: '1500m', memory: '2Gi', pods: '10' }) },
    { name: 'service', check: (o) => assert.deepEqual(o.spec.ports.map((p: any) => p.targetPort), [8080, 443]) },
  ];
  for (const c of cases) c.check(read(c.name));
});

test('the generated table maps GVKs to messages and knows Go pointers and embedded structs', () => {
  const t = builtinProtobufTable();
  const msg = (group: string, version: string, kind: string) => t.messages[t.kinds.get(kindKey(group, version, kind)) as number];
  assert.equal(msg('apps', 'v1', 'Deployment').name, 'k8s.io.api.apps.v1.Deployment');
  assert.equal(msg('rbac.authorization.k8s.io', 'v1', 'Role').name, 'k8s.io.api.rbac.v1.Role');
  assert.equal(msg('', 'v1', 'Namespace').name, 'k8s.io.api.core.v1.Namespace');
  const byName = new Map(t.messages.map((m) => [m.name, m]));
  const field = (m: string, f: string) => byName.get(m)?.fields.find((x) => x.name === f);
  assert.equal(field('k8s.io.api.apps.v1.DeploymentSpec', 'replicas')?.pointer, true);
  assert.equal(field('k8s.io.api.apps.v1.DeploymentSpec', 'minReadySeconds')?.pointer, false);
  assert.equal(field('k8s.io.api.core.v1.VolumeSource', 'emptyDir')?.pointer, true);
  assert.equal(field('k8s.io.api.core.v1.Volume', 'volumeSource')?.inline, true);
  assert.equal(field('k8s.io.api.core.v1.Probe', 'handler')?.inline, true);
  assert.equal(field('k8s.io.api.networking.v1.IngressClassParametersReference', 'apiGroup')?.number, 1);
  assert.equal(byName.get('k8s.io.apimachinery.pkg.apis.meta.v1.Time')?.special, 'time');
  assert.equal(byName.get('k8s.io.api.authentication.v1.ExtraValue')?.special, 'items');
  assert.equal(byName.get('k8s.io.api.core.v1.DownwardAPIProjection')?.special, '');
});

test('malformed bodies and unknown kinds are 400s', () => {
  const env = (apiVersion: string, kind: string, raw: number[]): Uint8Array => {
    const tm = [0x0a, apiVersion.length, ...Buffer.from(apiVersion), 0x12, kind.length, ...Buffer.from(kind)];
    return Uint8Array.from([0x6b, 0x38, 0x73, 0x00, 0x0a, tm.length, ...tm, 0x12, raw.length, ...raw]);
  };
  const cases: Array<{ name: string; body: Uint8Array; want: string }> = [
    {
      name: 'no magic',
      body: Uint8Array.from(Buffer.from('{"kind":"Pod"}')),
      want: 'unable to decode protobuf body: provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    },
    { name: 'unknown kind', body: env('v1', 'Frobnicator', []), want: 'no kind "Frobnicator" is registered for version "v1" in the protobuf table' },
    { name: 'truncated', body: env('v1', 'Namespace', [0x0a, 0x10, 0x0a]), want: 'unable to decode protobuf body: length-delimited value runs past the end of its message' },
    { name: 'no kind', body: env('v1', '', []), want: "Object 'Kind' is missing in protobuf body" },
  ];
  for (const c of cases) {
    assert.throws(
      () => decodeProtobufObject(c.body),
      (err: unknown) => isBadRequest(err) && (err as StatusError).message === c.want,
      c.name,
    );
  }
});

// ---- property: encode/decode round trip over the real table --------------------------------------------

import fc from 'fast-check';
import type { CompiledField, CompiledTable } from '../apimachinery/protobuf/table.js';
import { encodeProtobufObject } from './protobuf.js';

const nonEmpty = fc.string({ minLength: 1, maxLength: 6 });
const seconds = fc.integer({ min: -62135596800, max: 253402300799 }); // years 0001 … 9999

/** A JSON value for a special message as the decoder shows it (undefined = skip the field). */
function specialValue(special: string, pointer: boolean): fc.Arbitrary<unknown> {
  switch (special) {
    case 'time':
      return seconds.map((s) => `${new Date(s * 1000).toISOString().slice(0, 19)}Z`);
    case 'microtime':
      return fc.tuple(seconds, fc.integer({ min: 0, max: 999999 })).map(
        ([s, us]) => `${new Date(s * 1000).toISOString().slice(0, 19)}.${String(us).padStart(6, '0')}Z`,
      );
    case 'quantity':
      return fc.constantFrom('1', '500m', '2Gi', '0.5', '1e3');
    case 'intorstring':
      return pointer ? fc.oneof(fc.integer({ min: -1000, max: 1000 }), nonEmpty) : fc.oneof(fc.integer({ min: 1, max: 65535 }), nonEmpty);
    case 'raw':
      return fc.dictionary(nonEmpty, fc.oneof(fc.integer(), fc.string(), fc.boolean()), { minKeys: 1, maxKeys: 3, noNullPrototype: true });
    case 'duration':
      return fc.integer({ min: 1, max: 10_000_000 }).map((ms) => {
        const s = ms / 1000;
        return `${Math.floor(s / 3600) ? `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m` : Math.floor(s / 60) ? `${Math.floor(s / 60)}m` : ''}${Number((s % 60).toFixed(3))}s`;
      });
    case 'items':
      return fc.array(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 3 });
    default:
      throw new Error(special);
  }
}

function scalarValue(type: CompiledField['type'], pointer: boolean, inList: boolean): fc.Arbitrary<unknown> {
  const mayBeZero = pointer || inList;
  switch (type) {
    case 'string':
      return mayBeZero ? fc.string({ maxLength: 6 }) : nonEmpty;
    case 'bytes':
      return fc.uint8Array({ minLength: mayBeZero ? 0 : 1, maxLength: 6 }).map((b) => Buffer.from(b).toString('base64'));
    case 'bool':
      return mayBeZero ? fc.boolean() : fc.constant(true);
    case 'int32':
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).filter((n) => mayBeZero || n !== 0);
    case 'int64':
      return fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }).filter((n) => mayBeZero || n !== 0);
    default:
      return fc.constant(undefined);
  }
}

const memo = new Map<string, fc.Arbitrary<Record<string, unknown>>>();

/** Random objects of message `index` in exactly the form decodeProtobufObject produces (memoized). */
function objectOf(t: CompiledTable, index: number, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const key = `${index}/${depth}`;
  let arb = memo.get(key);
  if (!arb) {
    arb = buildObjectOf(t, index, depth);
    memo.set(key, arb);
  }
  return arb;
}

function buildObjectOf(t: CompiledTable, index: number, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const msg = t.messages[index];
  const entries: Array<fc.Arbitrary<Array<[string, unknown]>>> = [];
  for (const f of msg.fields) {
    let value: fc.Arbitrary<unknown> | undefined;
    if (f.inline) {
      if (depth > 0) entries.push(objectOf(t, f.ref, depth - 1).map((o) => Object.entries(o)));
      continue;
    }
    if (f.type === 'map<string>' || f.type === 'map<bytes>') {
      value = fc.dictionary(nonEmpty, scalarValue(f.type === 'map<string>' ? 'string' : 'bytes', true, true), { minKeys: 1, maxKeys: 2, noNullPrototype: true });
    } else if (f.type === 'map<message>') {
      const sub = t.messages[f.ref];
      if (sub.special === '' && depth === 0) continue;
      const v = sub.special ? specialValue(sub.special, true) : objectOf(t, f.ref, depth - 1);
      value = fc.dictionary(nonEmpty, v, { minKeys: 1, maxKeys: 2, noNullPrototype: true });
    } else if (f.type === 'message') {
      const sub = t.messages[f.ref];
      if (sub.special === '' && depth === 0) continue;
      const one = sub.special
        ? specialValue(sub.special, f.pointer)
        : objectOf(t, f.ref, depth - 1);
      value = f.repeated ? fc.array(one, { minLength: 1, maxLength: 2 }) : one;
    } else {
      const one = scalarValue(f.type, f.pointer, f.repeated);
      value = f.repeated ? fc.array(one, { minLength: 1, maxLength: 3 }) : one;
    }
    const name = f.name;
    // A non-pointer struct left empty is unset, so it is simply absent.
    const dropsEmpty = f.type === 'message' && !f.pointer && !f.repeated && t.messages[f.ref].special === '';
    const absent = (v: unknown): boolean =>
      v === undefined || (dropsEmpty && typeof v === 'object' && v !== null && Object.keys(v).length === 0);
    entries.push(fc.option(value, { nil: undefined, freq: 4 }).map((v) => (absent(v) ? [] : [[name, v] as [string, unknown]])));
  }
  return fc.tuple(...entries).map((parts) => Object.fromEntries(parts.flat()));
}

test('property: decode(encode(object)) is the object, for every kind in the table', () => {
  const t = builtinProtobufTable();
  const kinds = [...t.kinds.entries()];
  const arb = fc.constantFrom(...kinds).chain(([key, index]) => {
    const [group, version, kind] = key.split('/');
    return objectOf(t, index, 2).map((o) => ({ apiVersion: group ? `${group}/${version}` : version, kind, ...o }));
  });
  fc.assert(
    fc.property(arb, (obj) => {
      assert.deepEqual(decodeProtobufObject(encodeProtobufObject(obj)), obj);
    }),
    { numRuns: 300 },
  );
});

test('encoding what kubectl sent gives back its exact bytes (Go zero values, field order, sorted maps)', () => {
  const names = readdirSync(testdata).filter((f) => f.endsWith('.pb'));
  assert.ok(names.length >= 19, `expected the captured bodies, found ${names.length}`);
  for (const name of names) {
    const body = readFileSync(join(testdata, name));
    const again = Buffer.from(encodeProtobufObject(decodeProtobufObject(body)));
    assert.equal(again.toString('hex'), body.toString('hex'), name);
  }
});

test('map entries are written sorted by key whatever the object order', () => {
  const a = encodeProtobufObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm' }, data: { b: '2', a: '1', c: '3' } });
  const b = encodeProtobufObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm' }, data: { a: '1', c: '3', b: '2' } });
  assert.deepEqual(Buffer.from(a), Buffer.from(b));
});

test('hasProtobufForm: built-in kinds and lists yes, custom resources and meta conversions we do not encode no', () => {
  const cases: Array<[string, string, boolean]> = [
    ['v1', 'Pod', true],
    ['v1', 'PodList', true],
    ['apps/v1', 'Deployment', true],
    ['v1', 'Status', true],
    ['autoscaling/v1', 'Scale', true],
    ['example.com/v1', 'Widget', false],
    ['v1', 'Widget', false],
  ];
  for (const [apiVersion, kind, want] of cases) assert.equal(hasProtobufForm(apiVersion, kind), want, `${apiVersion} ${kind}`);
});
