import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configMapStrategy } from '../configmaps/strategy.js';
import type { APIObject, StrategyContext } from '../strategy.js';
import { secretStrategy } from './strategy.js';

const ctx: StrategyContext = { namespace: 'default', dryRun: false };

test('stringData folds into data; type defaults to Opaque', () => {
  const obj: APIObject = { metadata: { name: 's' }, data: { a: 'eA==' }, stringData: { a: 'y', b: 'zz' } };
  secretStrategy.prepareForCreate!(obj, ctx);
  assert.deepEqual(obj.data, { a: 'eQ==', b: 'eno=' });
  assert.equal(obj.stringData, undefined);
  assert.equal(obj.type, 'Opaque');
});

test('secret validation', () => {
  const cases: Array<{ name: string; obj: APIObject; want: string[] }> = [
    { name: 'tls without keys', obj: { metadata: { name: 's' }, type: 'kubernetes.io/tls', data: {} }, want: ['data[tls.crt]: Required value', 'data[tls.key]: Required value'] },
    {
      name: 'bad key',
      obj: { metadata: { name: 's' }, data: { 'a b': 'eA==' } },
      want: [
        `data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
      ],
    },
    { name: 'valid', obj: { metadata: { name: 's' }, data: { 'tls.crt': 'eA==' } }, want: [] },
  ];
  for (const c of cases) assert.deepEqual(secretStrategy.validate!(c.obj, ctx).map((e) => `${e.field}: ${e.detail}`), c.want, c.name);
});

test('immutable data and immutable secret type', () => {
  const cases: Array<{ name: string; strategy: typeof secretStrategy; old: APIObject; next: APIObject; want: string[] }> = [
    {
      name: 'secret data frozen',
      strategy: secretStrategy,
      old: { metadata: { name: 's' }, type: 'Opaque', immutable: true, data: { a: 'eA==' } },
      next: { metadata: { name: 's' }, type: 'Opaque', immutable: true, data: { a: 'eQ==' } },
      want: ['data: Forbidden: field is immutable when `immutable` is set'],
    },
    {
      name: 'immutable cannot be unset',
      strategy: configMapStrategy,
      old: { metadata: { name: 'c' }, immutable: true, data: { a: 'x' } },
      next: { metadata: { name: 'c' }, data: { a: 'x' } },
      want: ['immutable: Forbidden: field is immutable when `immutable` is set'],
    },
    {
      name: 'configmap mutable',
      strategy: configMapStrategy,
      old: { metadata: { name: 'c' }, data: { a: 'x' } },
      next: { metadata: { name: 'c' }, data: { a: 'y' }, immutable: true },
      want: [],
    },
    {
      name: 'secret type change',
      strategy: secretStrategy,
      old: { metadata: { name: 's' }, type: 'Opaque', data: {} },
      next: { metadata: { name: 's' }, type: 'example.com/x', data: {} },
      want: ['type: Invalid value: "example.com/x": field is immutable'],
    },
  ];
  for (const c of cases) {
    c.strategy.prepareForUpdate?.(c.next, c.old, ctx);
    assert.deepEqual(c.strategy.validateUpdate!(c.next, c.old, ctx).map((e) => `${e.field}: ${e.detail}`), c.want, c.name);
  }
});
