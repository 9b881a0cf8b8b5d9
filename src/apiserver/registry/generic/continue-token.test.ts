import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBadRequest } from '../../../apimachinery/errors.js';
import { decodeContinue, encodeContinue } from './continue-token.js';

test('continue tokens round-trip in upstream format', () => {
  const token = encodeContinue({ nextKey: '/registry/pods/default/p1\u0000', prefix: '/registry/pods/', rv: 42 });
  const json = JSON.parse(Buffer.from(token, 'base64url').toString());
  assert.deepEqual(json, { v: 'meta.k8s.io/v1', rv: 42, start: 'default/p1\u0000' });
  assert.deepEqual(decodeContinue(token, '/registry/pods/'), { rv: 42, startKey: '/registry/pods/default/p1\u0000' });
});

test('invalid continue tokens are 400', () => {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const bad = [
    'not-base64-json',
    enc({ v: 'x/v1', rv: 1, start: 'a' }),
    enc({ v: 'meta.k8s.io/v1', rv: 0, start: 'a' }),
    enc({ v: 'meta.k8s.io/v1', rv: 3, start: '' }),
    enc({ v: 'meta.k8s.io/v1', rv: 3, start: '../secrets/x' }),
  ];
  for (const t of bad) assert.throws(() => decodeContinue(t, '/registry/pods/'), isBadRequest, t);
});
