// Tests for the shared key order and prefix bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareKeys, prefixEnd, prefixEndBytes } from './key-range.js';

const utf8Order = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

test('compareKeys agrees with UTF-8 byte order', () => {
  const keys = ['', 'a', 'ab', 'a/', 'a/b', 'b', '\u00e9', '\u4e2d', '\uffff', '\u{1F600}', '\u{10FFFF}', '\ue000', 'z\u{1F600}', 'z\uff00'];
  for (const a of keys) {
    for (const b of keys) {
      assert.equal(Math.sign(compareKeys(a, b)), Math.sign(utf8Order(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  }
});

test('prefixEnd bounds exactly the strings with the prefix', () => {
  const cases: { prefix: string; end: string | undefined }[] = [
    { prefix: '/registry/pods/', end: '/registry/pods0' },
    { prefix: 'a', end: 'b' },
    { prefix: '', end: undefined },
    { prefix: 'x\u{10FFFF}', end: 'y' },
    { prefix: '\u{10FFFF}', end: undefined },
    { prefix: 'q\ud7ff', end: 'q\ue000' },
  ];
  for (const c of cases) {
    assert.equal(prefixEnd(c.prefix), c.end, JSON.stringify(c.prefix));
    if (c.end === undefined) continue;
    for (const tail of ['', '\u0000', 'zzz', '\u{10FFFF}\u{10FFFF}']) {
      assert.ok(utf8Order(c.prefix + tail, c.end) < 0, 'every extension is below the end');
    }
  }
});

test('prefixEndBytes follows etcd', () => {
  const cases: { prefix: number[]; end: number[] }[] = [
    { prefix: [0x61], end: [0x62] },
    { prefix: [0x61, 0xff], end: [0x62] },
    { prefix: [0xff, 0xff], end: [0] },
    { prefix: [], end: [0] },
  ];
  for (const c of cases) assert.deepEqual([...prefixEndBytes(Uint8Array.from(c.prefix))], c.end);
});
