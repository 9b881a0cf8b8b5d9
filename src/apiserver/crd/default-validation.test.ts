import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JSONSchemaProps } from './crd-types.js';
import { hasUnprunedDefaults, validateDefaults } from './default-validation.js';

const P = 'spec.validation.openAPIV3Schema';
const spec = (props: Record<string, unknown>): JSONSchemaProps =>
  ({ type: 'object', properties: { spec: { type: 'object', properties: props } } }) as JSONSchemaProps;
const check = (props: Record<string, unknown>) => validateDefaults(spec(props), P, { requirePruned: true }).map((e) => `${e.field}: ${e.detail}`);
const at = (field: string) => `${P}.properties[spec].properties[${field}]`;

test('a default of the wrong type: the empty name of a value validated on its own (two spaces)', () => {
  assert.deepEqual(check({ mode: { type: 'string', default: true } }), [`${at('mode')}.default: Invalid value: "boolean":  in body must be of type string: "boolean"`]);
  assert.deepEqual(check({ mode: { type: 'string', enum: ['On', 'Off'], default: 'on' } }), [`${at('mode')}.default: Unsupported value: "on": supported values: "On", "Off"`]);
  assert.deepEqual(check({ size: { type: 'integer', minimum: 1, default: 0 } }), [`${at('size')}.default: Invalid value: 0:  in body should be greater than or equal to 1`]);
});

test('fields inside an object default are named relative to it', () => {
  const limits = { type: 'object', required: ['cpu'], properties: { cpu: { type: 'string', maxLength: 2 }, mem: { type: 'string' } } };
  assert.deepEqual(check({ limits: { ...limits, default: { cpu: 'four', mem: 7 } } }), [
    `${at('limits')}.default.cpu: Too long: may not be more than 2 bytes`,
    `${at('limits')}.default.mem: Invalid value: "integer": mem in body must be of type string: "integer"`,
  ]);
  assert.deepEqual(check({ limits: { ...limits, default: { mem: '1Gi' } } }), [`${at('limits')}.default.cpu: Required value`]);
});

test('a default must already be pruned, unless it sits where unknown fields are kept', () => {
  const obj = { type: 'object', properties: { cpu: { type: 'string' } } };
  assert.deepEqual(check({ limits: { ...obj, default: { cpu: '1', gpu: '2' } } }), [`${at('limits')}.default: Invalid value: {"cpu":"1","gpu":"2"}: must not have unknown fields`]);
  assert.deepEqual(check({ limits: { ...obj, 'x-kubernetes-preserve-unknown-fields': true, default: { cpu: '1', gpu: '2' } } }), []);
  assert.deepEqual(validateDefaults(spec({ limits: { ...obj, default: { gpu: '2' } } }), P, { requirePruned: false }), []);
  assert.equal(hasUnprunedDefaults(spec({ limits: { ...obj, default: { gpu: '2' } } })), true);
  assert.equal(hasUnprunedDefaults(spec({ limits: { ...obj, default: { cpu: '2' } } })), false);
});

test('defaults of list items and of nested fields are each checked (a list default\'s item is `default.[1]`, as upstream)', () => {
  const ports = { type: 'array', items: { type: 'object', properties: { port: { type: 'integer', default: 'http' } } } };
  assert.deepEqual(check({ ports }), [`${at('ports')}.items.properties[port].default: Invalid value: "string":  in body must be of type integer: "string"`]);
  assert.deepEqual(check({ tags: { type: 'array', items: { type: 'string' }, default: ['a', 1] } }), [`${at('tags')}.default.[1]: Invalid value: "integer": [1] in body must be of type string: "integer"`]);
});

test('x-kubernetes-validations rules run on the default itself, not on a default filled with nested defaults', () => {
  const worker = {
    type: 'object',
    default: {},
    'x-kubernetes-validations': [{ rule: 'self.min <= self.max' }],
    properties: { min: { type: 'integer', default: 1 }, max: { type: 'integer', default: 2 } },
  };
  assert.deepEqual(check({ worker }), [`${at('worker')}.default: Invalid value: "object": no such key: min evaluating rule: self.min <= self.max`]);
  assert.deepEqual(check({ worker: { ...worker, default: { min: 1, max: 2 } } }), []);
  assert.deepEqual(check({ worker: { ...worker, default: { min: 3, max: 2 } } }), [`${at('worker')}.default: Invalid value: "object": failed rule: self.min <= self.max`]);
  // Rules of nested fields see the nested part of the default.
  const name = { type: 'string', 'x-kubernetes-validations': [{ rule: "self.startsWith('kube')", message: 'must start with kube' }] };
  assert.deepEqual(check({ owner: { type: 'object', properties: { name }, default: { name: 'etcd' } } }), [`${at('owner')}.default.name: Invalid value: "string": must start with kube`]);
});

test('transition rules see the default as oldSelf; optionalOldSelf rules also run without an old value', () => {
  const immutable = { type: 'string', default: 'a', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'immutable' }] };
  assert.deepEqual(check({ mode: immutable }), []);
  const needsOld = { type: 'string', default: 'a', 'x-kubernetes-validations': [{ rule: 'oldSelf.hasValue()', optionalOldSelf: true, message: 'needs an old value' }] };
  assert.deepEqual(check({ mode: needsOld }), [`${at('mode')}.default: Invalid value: "string": needs an old value`]);
});
