// Tests that the registry's deep copy gives what structuredClone gives and shares nothing with its input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyObject } from './object-copy.js';

test('copyObject equals structuredClone and shares no object with its input', () => {
  const cases: Array<{ name: string; v: unknown }> = [
    { name: 'scalars', v: { s: 'x', n: 1.5, b: false, z: null, u: undefined } },
    { name: 'a pod', v: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: 'b' } }, spec: { containers: [{ name: 'c', resources: { requests: { cpu: '100m' } } }] } } },
    { name: 'nested arrays', v: { a: [[1, 2], [{ x: [3] }]], empty: [], o: {} } },
    { name: 'a Date and a Map', v: { when: new Date(0), m: new Map([['k', { v: 1 }]]) } },
    { name: 'a top-level array', v: [{ a: 1 }, 'x', null] },
    { name: 'a scalar', v: 'text' },
  ];
  for (const c of cases) {
    const got = copyObject(c.v);
    assert.deepStrictEqual(got, structuredClone(c.v), c.name);
    const seen = new Set<unknown>();
    const walk = (x: unknown): void => {
      if (x === null || typeof x !== 'object') return;
      seen.add(x);
      for (const y of x instanceof Map ? x.values() : Object.values(x)) walk(y);
    };
    walk(c.v);
    const shared: unknown[] = [];
    const check = (x: unknown): void => {
      if (x === null || typeof x !== 'object') return;
      if (seen.has(x)) shared.push(x);
      for (const y of x instanceof Map ? x.values() : Object.values(x)) check(y);
    };
    check(got);
    assert.deepEqual(shared, [], c.name);
  }
});

test('copyObject keeps a JSON "__proto__" member as data, not as the prototype', () => {
  const v = JSON.parse('{"metadata":{"__proto__":{"polluted":true},"name":"x"}}') as { metadata: Record<string, unknown> };
  const got = copyObject(v);
  assert.equal(Object.getPrototypeOf(got.metadata), Object.prototype);
  assert.deepEqual(Object.keys(got.metadata), ['__proto__', 'name']);
  assert.equal((got.metadata as { polluted?: boolean }).polluted, undefined);
  assert.deepEqual(Object.getOwnPropertyDescriptor(got.metadata, '__proto__')?.value, { polluted: true });
});
