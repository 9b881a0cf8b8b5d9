import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeMessageValue } from './decode.js';
import { encodeMessageValue } from './encode.js';
import { formatGoDuration, parseGoDuration } from './go-duration.js';
import { compileTable, fieldInline, fieldPointer, fieldRepeated, type ProtobufTable } from './table.js';
import { Reader, WireError } from './wire.js';
import { Writer } from './writer.js';

// A miniature table exercising every field shape the generated one uses.
const table = compileTable({
  messages: [
    /* 0 */ [
      'test.Thing',
      '',
      [
        [1, 'name', 'string', -1, 0],
        [2, 'count', 'int32', -1, 0],
        [3, 'replicas', 'int32', -1, fieldPointer],
        [4, 'enabled', 'bool', -1, 0],
        [5, 'paused', 'bool', -1, fieldPointer],
        [6, 'tags', 'string', -1, fieldRepeated],
        [7, 'ports', 'int32', -1, fieldRepeated],
        [8, 'labels', 'map<string>', -1, 0],
        [9, 'data', 'map<bytes>', -1, 0],
        [10, 'limits', 'map<message>', 3, 0],
        [11, 'created', 'message', 1, 0],
        [12, 'renewed', 'message', 2, 0],
        [13, 'target', 'message', 4, 0],
        [14, 'min', 'message', 4, fieldPointer],
        [15, 'config', 'message', 5, 0],
        [16, 'period', 'message', 6, 0],
        [17, 'groups', 'message', 7, 0],
        [18, 'source', 'message', 8, fieldInline],
        [19, 'children', 'message', 0, fieldRepeated],
        [20, 'size', 'int64', -1, 0],
        [21, 'blob', 'bytes', -1, 0],
        [22, 'strategy', 'message', 9, 0],
      ],
    ],
    /* 1 */ ['k8s.io.apimachinery.pkg.apis.meta.v1.Time', 'time', [[1, 'seconds', 'int64', -1, 0], [2, 'nanos', 'int32', -1, 0]]],
    /* 2 */ ['k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime', 'microtime', [[1, 'seconds', 'int64', -1, 0], [2, 'nanos', 'int32', -1, 0]]],
    /* 3 */ ['k8s.io.apimachinery.pkg.api.resource.Quantity', 'quantity', [[1, 'string', 'string', -1, 0]]],
    /* 4 */ ['k8s.io.apimachinery.pkg.util.intstr.IntOrString', 'intorstring', [[1, 'type', 'int64', -1, 0], [2, 'intVal', 'int32', -1, 0], [3, 'strVal', 'string', -1, 0]]],
    /* 5 */ ['k8s.io.apimachinery.pkg.runtime.RawExtension', 'raw', [[1, 'raw', 'bytes', -1, 0]]],
    /* 6 */ ['k8s.io.apimachinery.pkg.apis.meta.v1.Duration', 'duration', [[1, 'duration', 'int64', -1, 0]]],
    /* 7 */ ['test.ExtraValue', 'items', [[1, 'items', 'string', -1, fieldRepeated]]],
    /* 8 */ ['test.Source', '', [[1, 'emptyDir', 'message', 9, fieldPointer], [2, 'hostPath', 'string', -1, fieldPointer]]],
    /* 9 */ ['test.Empty', '', [[1, 'medium', 'string', -1, 0]]],
  ],
  kinds: [['test', 'v1', 'Thing', 0]],
} satisfies ProtobufTable);

/** Builds wire bytes from (field, wireType, payload) triples. */
function wire(...parts: Array<[number, 'varint', number] | [number, 'bytes', Uint8Array | string]>): Uint8Array {
  const w = new Writer();
  for (const [num, kind, v] of parts) {
    if (kind === 'varint') {
      w.tag(num, 0);
      w.varint(v);
    } else {
      w.tag(num, 2);
      w.bytes(typeof v === 'string' ? new TextEncoder().encode(v) : v);
    }
  }
  return w.finish();
}
const decode = (bytes: Uint8Array) => decodeMessageValue(table, 0, bytes, 0, bytes.length);

test('decode: Go zero values of non-pointer fields are unset; pointer zeros are values', () => {
  const cases: Array<{ name: string; bytes: Uint8Array; want: unknown }> = [
    { name: 'all zero', bytes: wire([1, 'bytes', ''], [2, 'varint', 0], [4, 'varint', 0], [20, 'varint', 0], [21, 'bytes', '']), want: {} },
    { name: 'pointer zeros', bytes: wire([3, 'varint', 0], [5, 'varint', 0]), want: { replicas: 0, paused: false } },
    { name: 'values', bytes: wire([1, 'bytes', 'x'], [2, 'varint', 7], [4, 'varint', 1]), want: { name: 'x', count: 7, enabled: true } },
    { name: 'negative int32 (10-byte varint)', bytes: wire([2, 'varint', -5]), want: { count: -5 } },
    { name: 'int64 beyond 32 bits', bytes: wire([20, 'varint', 2 ** 40 + 3]), want: { size: 2 ** 40 + 3 } },
    { name: 'negative int64', bytes: wire([20, 'varint', -(2 ** 40)]), want: { size: -(2 ** 40) } },
    { name: 'repeated strings keep empty items', bytes: wire([6, 'bytes', 'a'], [6, 'bytes', ''], [6, 'bytes', 'b']), want: { tags: ['a', '', 'b'] } },
    { name: 'packed repeated ints', bytes: wire([7, 'bytes', Uint8Array.of(1, 0x96, 0x01, 0)]), want: { ports: [1, 150, 0] } },
    { name: 'unpacked repeated ints', bytes: wire([7, 'varint', 80], [7, 'varint', 443]), want: { ports: [80, 443] } },
    {
      name: 'maps',
      bytes: wire(
        [8, 'bytes', wire([1, 'bytes', 'app'], [2, 'bytes', 'web'])],
        [8, 'bytes', wire([1, 'bytes', 'empty'])],
        [9, 'bytes', wire([1, 'bytes', 'k'], [2, 'bytes', Uint8Array.of(0, 255)])],
        [10, 'bytes', wire([1, 'bytes', 'cpu'], [2, 'bytes', wire([1, 'bytes', '500m'])])],
      ),
      want: { labels: { app: 'web', empty: '' }, data: { k: 'AP8=' }, limits: { cpu: '500m' } },
    },
    {
      name: 'non-ASCII strings and a "__proto__" map key',
      bytes: wire([1, 'bytes', 'caf\u00e9-\u2603'], [8, 'bytes', wire([1, 'bytes', '__proto__'], [2, 'bytes', 'x'])]),
      want: { name: 'caf\u00e9-\u2603', labels: JSON.parse('{"__proto__":"x"}') },
    },
    { name: 'bytes are base64', bytes: wire([21, 'bytes', Uint8Array.of(104, 105)]), want: { blob: 'aGk=' } },
    { name: 'empty Time is unset', bytes: wire([11, 'bytes', '']), want: {} },
    { name: 'Time: RFC 3339 seconds, nanos dropped', bytes: wire([11, 'bytes', wire([1, 'varint', 1700000000], [2, 'varint', 5])]), want: { created: '2023-11-14T22:13:20Z' } },
    { name: 'Time at the epoch', bytes: wire([11, 'bytes', wire([1, 'varint', 0])]), want: { created: '1970-01-01T00:00:00Z' } },
    { name: 'Time before the epoch', bytes: wire([11, 'bytes', wire([1, 'varint', -62135596800])]), want: { created: '0001-01-01T00:00:00Z' } },
    { name: 'MicroTime: 6 digits', bytes: wire([12, 'bytes', wire([1, 'varint', 1700000000], [2, 'varint', 123456789])]), want: { renewed: '2023-11-14T22:13:20.123456Z' } },
    { name: 'IntOrString int', bytes: wire([13, 'bytes', wire([1, 'varint', 0], [2, 'varint', 8080])]), want: { target: 8080 } },
    { name: 'IntOrString string', bytes: wire([13, 'bytes', wire([1, 'varint', 1], [3, 'bytes', 'http'])]), want: { target: 'http' } },
    { name: 'IntOrString zero is unset', bytes: wire([13, 'bytes', wire([1, 'varint', 0], [2, 'varint', 0])]), want: {} },
    { name: 'pointer IntOrString zero is 0', bytes: wire([14, 'bytes', wire([1, 'varint', 0], [2, 'varint', 0])]), want: { min: 0 } },
    { name: 'RawExtension is JSON', bytes: wire([15, 'bytes', wire([1, 'bytes', '{"a":[1,{"b":null}]}'])]), want: { config: { a: [1, { b: null }] } } },
    { name: 'Duration', bytes: wire([16, 'bytes', wire([1, 'varint', 90e9])]), want: { period: '1m30s' } },
    { name: 'zero Duration is unset', bytes: wire([16, 'bytes', wire([1, 'varint', 0])]), want: {} },
    { name: 'items wrapper is a list', bytes: wire([17, 'bytes', wire([1, 'bytes', 'a'], [1, 'bytes', 'b'])]), want: { groups: ['a', 'b'] } },
    {
      name: 'embedded struct is inlined; a pointer to an empty struct stays {}',
      bytes: wire([1, 'bytes', 'vol'], [18, 'bytes', wire([1, 'bytes', ''])]),
      want: { name: 'vol', emptyDir: {} },
    },
    { name: 'non-pointer empty struct is unset', bytes: wire([22, 'bytes', '']), want: {} },
    {
      name: 'repeated messages keep empty elements',
      bytes: wire([19, 'bytes', ''], [19, 'bytes', wire([1, 'bytes', 'c'])]),
      want: { children: [{}, { name: 'c' }] },
    },
    { name: 'unknown fields are skipped', bytes: wire([99, 'bytes', 'x'], [98, 'varint', 5], [1, 'bytes', 'k']), want: { name: 'k' } },
    { name: 'last value wins', bytes: wire([1, 'bytes', 'a'], [1, 'bytes', 'b']), want: { name: 'b' } },
  ];
  for (const c of cases) assert.deepEqual(decode(c.bytes), c.want, c.name);
});

test('decode: malformed input is a WireError', () => {
  const cases: Array<{ name: string; bytes: Uint8Array }> = [
    { name: 'truncated varint', bytes: Uint8Array.of(0x10, 0x80) },
    { name: 'length past the end', bytes: Uint8Array.of(0x0a, 0x05, 0x61) },
    { name: 'group wire type', bytes: Uint8Array.of(0x0b) },
    { name: 'string field sent as varint', bytes: Uint8Array.of(0x08, 0x01) },
    { name: 'raw extension that is not JSON', bytes: wire([15, 'bytes', wire([1, 'bytes', 'not json'])]) },
  ];
  for (const c of cases) assert.throws(() => decode(c.bytes), WireError, c.name);
});

test('encode then decode gives back the JSON form', () => {
  const objects = [
    { name: 'x', count: -3, replicas: 0, enabled: true, paused: false, tags: ['a', ''], ports: [80, 0] },
    { labels: { a: 'b' }, data: { k: 'AP8=' }, limits: { cpu: '500m', memory: '1Gi' }, size: 2 ** 45 },
    { created: '2023-11-14T22:13:20Z', renewed: '2023-11-14T22:13:20.000001Z', target: 'http', min: 0, period: '2h0m0.5s' },
    { config: { any: ['json', 1, true, null] }, groups: ['g'], emptyDir: {}, hostPath: '/tmp', children: [{}, { name: 'c' }] },
    { created: '2023-11-14T23:13:20+01:00' },
  ];
  for (const obj of objects) {
    const bytes = encodeMessageValue(table, 0, obj);
    const back = decode(bytes) as Record<string, unknown>;
    if (obj.created === '2023-11-14T23:13:20+01:00') assert.equal(back.created, '2023-11-14T22:13:20Z');
    else assert.deepEqual(back, obj);
  }
});

test('Go durations', () => {
  const cases: Array<[number, string]> = [
    [0, '0s'],
    [1, '1ns'],
    [1500, '1.5µs'],
    [2_000_000, '2ms'],
    [1_500_000_000, '1.5s'],
    [90e9, '1m30s'],
    [3600e9, '1h0m0s'],
    [3723.5e9, '1h2m3.5s'],
    [-61e9, '-1m1s'],
  ];
  for (const [ns, text] of cases) {
    assert.equal(formatGoDuration(ns), text);
    assert.equal(parseGoDuration(text), ns, text);
  }
  assert.equal(parseGoDuration('1h30m'), 5400e9);
  assert.equal(parseGoDuration('1x'), undefined);
});

test('Reader.varint handles the 64-bit range we meet', () => {
  const cases = [0, 1, 127, 128, 300, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 - 1, -1, -(2 ** 31), -(2 ** 53) + 1];
  for (const v of cases) {
    const w = new Writer();
    w.varint(v);
    const bytes = w.finish();
    assert.equal(new Reader(bytes).varint(), v, String(v));
    if (v < 0) assert.equal(bytes.length, 10, `${v} takes 10 bytes`);
  }
});
