import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JSONSchemaProps } from './crd-types.js';
import { newSchemaValidator } from './schema-validation.js';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
        count: { type: 'integer', minimum: 1, maximum: 3, default: 2 },
        ratio: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true },
        mode: { type: 'string', enum: ['a', 'b'] },
        when: { type: 'string', format: 'date-time' },
        note: { type: 'string', nullable: true },
        port: { 'x-kubernetes-int-or-string': true },
        tags: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        ports: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer' } } },
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
        },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: { x: { type: 'string' } } } } },
        nested: { type: 'object', properties: { deep: { type: 'object', properties: { flag: { type: 'boolean', default: true } } } }, default: { deep: {} } },
      },
    },
  },
};

const v = newSchemaValidator({ schema, kind: 'Thing', apiVersion: 'example.com/v1' });

function messages(spec: Record<string, unknown>): string[] {
  return v.validate({ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'x' }, spec }).map((e) => `${e.field}: ${e.detail}`);
}

test('schema validation: upstream field paths and messages', () => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['valid object', { name: 'abc', count: 2, ratio: 0.5, mode: 'a', port: 80, tags: ['x'], labels: { k: 'v' }, note: null }, []],
    ['required', {}, ['spec.name: Required value']],
    ['wrong type', { name: 5 }, ['spec.name: Invalid value: "integer": spec.name in body must be of type string: "integer"']],
    ['too short and no match', { name: 'A' }, ['spec.name: Invalid value: "A": spec.name in body should be at least 2 chars long', "spec.name: Invalid value: \"A\": spec.name in body should match '^[a-z]+$'"]],
    ['too long', { name: 'abcdef' }, ['spec.name: Too long: may not be more than 5 bytes']],
    ['maximum', { name: 'ab', count: 4 }, ['spec.count: Invalid value: 4: spec.count in body should be less than or equal to 3']],
    ['minimum', { name: 'ab', count: 0 }, ['spec.count: Invalid value: 0: spec.count in body should be greater than or equal to 1']],
    ['integer type', { name: 'ab', count: 1.5 }, ['spec.count: Invalid value: "number": spec.count in body must be of type integer: "number"']],
    ['exclusive bounds', { name: 'ab', ratio: 0 }, ['spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0']],
    ['enum', { name: 'ab', mode: 'c' }, ['spec.mode: Unsupported value: "c": supported values: "a", "b"']],
    ['format', { name: 'ab', when: 'yesterday' }, ['spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"']],
    ['null not nullable', { name: 'ab', mode: null }, ['spec.mode: Invalid value: "null": spec.mode in body must be of type string: "null"']],
    ['int-or-string', { name: 'ab', port: 1.5 }, ['spec.port: Invalid value: "number": spec.port in body must be of type integer,string: "number"']],
    ['maxItems', { name: 'ab', tags: ['a', 'b', 'c'] }, ['spec.tags: Too many: 3: must have at most 2 items']],
    ['minItems', { name: 'ab', tags: [] }, ['spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items']],
    ['set duplicates', { name: 'ab', tags: ['a', 'a'] }, ['spec.tags[1]: Duplicate value: "a"']],
    ['map keys duplicates', { name: 'ab', ports: [{ name: 'http', port: 1 }, { name: 'http', port: 2 }] }, ['spec.ports[1]: Duplicate value: {"name":"http"}']],
    ['additionalProperties values', { name: 'ab', labels: { k: 1 } }, ['spec.labels[k]: Invalid value: "integer": spec.labels[k] in body must be of type string: "integer"']],
    ['embedded resource', { name: 'ab', template: { spec: {} } }, ['spec.template.apiVersion: Required value: must not be empty', 'spec.template.kind: Required value: must not be empty']],
  ];
  for (const [name, spec, want] of cases) assert.deepEqual(messages(spec), want, name);
});

test('pruning removes undeclared fields unless preserved; nulls not allowed are dropped; defaults fill absent fields', () => {
  const obj = {
    apiVersion: 'example.com/v1',
    kind: 'Thing',
    metadata: { name: 'x' },
    extra: 1,
    spec: {
      name: 'ab',
      bogus: true,
      free: { anything: { goes: 1 } },
      ports: [{ name: 'a', port: 1, junk: 2 }],
      template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { x: 'y', z: 1 } },
      count: null,
      mode: null,
      note: null,
    },
  };
  assert.deepEqual(v.prune(obj), ['extra', 'spec.bogus', 'spec.ports[0].junk', 'spec.template.spec.z']);
  v.applyDefaults(obj);
  assert.deepEqual(obj, {
    apiVersion: 'example.com/v1',
    kind: 'Thing',
    metadata: { name: 'x' },
    spec: {
      name: 'ab',
      count: 2,
      note: null,
      free: { anything: { goes: 1 } },
      ports: [{ name: 'a', port: 1 }],
      template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { x: 'y' } },
      nested: { deep: { flag: true } },
    },
  });
});

test('a version without a schema prunes and validates nothing', () => {
  const none = newSchemaValidator({ schema: undefined, kind: 'Thing', apiVersion: 'example.com/v1' });
  const obj = { apiVersion: 'example.com/v1', kind: 'Thing', spec: { anything: 1 } };
  assert.deepEqual(none.prune(obj), []);
  assert.deepEqual(none.validate(obj), []);
  assert.deepEqual(obj.spec, { anything: 1 });
});

test("a schema that declares metadata as a bare object (controller-gen's output) prunes nothing from ObjectMeta", () => {
  const gen = newSchemaValidator({
    schema: {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        spec: { type: 'object', properties: { template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { metadata: { type: 'object' }, spec: { type: 'object' } } } } },
      },
    },
    kind: 'Monitor',
    apiVersion: 'example.com/v1',
  });
  const obj = {
    apiVersion: 'example.com/v1',
    kind: 'Monitor',
    metadata: { name: 'm', namespace: 'default', labels: { a: 'b' }, annotations: { x: 'y' } },
    spec: { template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'inner', labels: { c: 'd' } }, spec: {} }, bogus: 1 },
  };
  assert.deepEqual(gen.prune(obj), ['spec.bogus']);
  assert.deepEqual(obj.metadata, { name: 'm', namespace: 'default', labels: { a: 'b' }, annotations: { x: 'y' } });
  assert.deepEqual(obj.spec.template.metadata, { name: 'inner', labels: { c: 'd' } });
});
