// Apply types from structural schemas (custom resources), and apply on them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isConflict } from '../errors.js';
import type { JSONObject } from '../patch/json-value.js';
import { apply } from './apply.js';
import { applyTypeFromOpenAPIV3, type StructuralSchema } from './openapi-v3-type.js';
import { fieldElement } from './path-element.js';
import { childType } from './typed-value.js';

const widgetSchema: StructuralSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        size: { type: 'integer' },
        port: { 'x-kubernetes-int-or-string': true },
        tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        args: { type: 'array', items: { type: 'string' } },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['port', 'protocol'],
          items: { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' }, name: { type: 'string' } } },
        },
        selector: { type: 'object', additionalProperties: { type: 'string' }, 'x-kubernetes-map-type': 'atomic' },
        env: { type: 'object', additionalProperties: { type: 'string' } },
        raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  },
};
const widget = applyTypeFromOpenAPIV3(widgetSchema);

test('structural schema positions', () => {
  const spec = childType(widget, fieldElement('spec'));
  const at = (name: string) => childType(spec, fieldElement(name));
  const cases: Array<[string, Record<string, unknown>]> = [
    ['size', { kind: 'scalar' }],
    ['port', { kind: 'scalar' }],
    ['tags', { kind: 'list', listType: 'set' }],
    ['args', { kind: 'list', listType: 'atomic', atomic: true }],
    ['ports', { kind: 'list', listType: 'map', listMapKeys: ['port', 'protocol'], listMapKeyDefaults: { protocol: 'TCP' } }],
    ['selector', { kind: 'map', atomic: true }],
    ['env', { kind: 'map', atomic: false }],
    ['raw', { kind: 'untyped' }],
  ];
  for (const [name, want] of cases) {
    const t = at(name) as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(want)) assert.deepEqual(t[k], v, `${name}.${k}`);
  }
  assert.equal(at('undeclared').kind, 'untyped');
});

test('apply on a custom resource: list semantics from the schema, conflicts between managers', () => {
  const cr = (spec: JSONObject): JSONObject => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' }, spec });
  const common = { force: false, apiVersion: 'example.com/v1', schema: widget, now: new Date('2026-11-22T06:00:00Z') };
  const first = apply({ ...common, live: undefined, applied: cr({ size: 1, tags: ['a'], ports: [{ port: 80 }], env: { A: '1' } }), manager: 'one' });
  const second = apply({ ...common, live: first.object, applied: cr({ tags: ['b'], ports: [{ port: 80, protocol: 'TCP', name: 'http' }], env: { B: '2' } }), manager: 'two' });
  assert.deepEqual(second.object.spec, { size: 1, tags: ['a', 'b'], ports: [{ port: 80, name: 'http', protocol: 'TCP' }], env: { A: '1', B: '2' } });
  assert.throws(() => apply({ ...common, live: second.object, applied: cr({ size: 2 }), manager: 'two' }), isConflict);
});
