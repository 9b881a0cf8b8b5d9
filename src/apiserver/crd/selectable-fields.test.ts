import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JSONSchemaProps } from './crd-types.js';
import { resolveFieldPath } from './field-path.js';
import { selectableFieldGetters, validateSelectableFields } from './selectable-fields.js';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    metadata: { type: 'object', properties: { name: { type: 'string' } } },
    spec: {
      type: 'object',
      properties: {
        color: { type: 'string', enum: ['red', 'blue'] },
        size: { type: 'integer' },
        enabled: { type: 'boolean' },
        ratio: { type: 'number' },
        tags: { type: 'array', items: { type: 'string' } },
        'x-y': { type: 'string' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
  },
};

test('field paths resolve as upstream ValidFieldPath reads them', () => {
  const cases: Array<[string, boolean, string]> = [
    ['.spec.color', false, 'spec.color'],
    [".spec['x-y']", true, 'spec.x-y'],
    [".spec.labels['a.b']", true, 'spec.labels[a.b]'],
    ['.spec.labels.team', false, 'spec.labels[team]'],
    ['.spec.nope', false, 'error: does not refer to a valid field'],
    ['spec.color', false, 'error: expected [ or . but got: spec'],
    [".spec['x-y']", false, 'error: array notation is not allowed'],
    ['.spec.', false, 'error: unexpected end of JSON path'],
    ['.spec[x]', true, 'error: expected single quoted string but got x'],
    [".spec['x-y'", true, 'error: unexpected end of JSON path'],
    ['.spec.color.deeper', false, 'error: does not refer to a valid field'],
  ];
  for (const [path, arrays, want] of cases) {
    const r = resolveFieldPath(path, schema, { allowArrayNotation: arrays });
    const got = 'error' in r ? `error: ${r.error}` : r.steps.map((s, i) => (s.key ? `[${s.name}]` : `${i ? '.' : ''}${s.name}`)).join('');
    assert.equal(got, want, path);
  }
});

test("selectableFields are validated with upstream's paths and messages", () => {
  const errs = validateSelectableFields(
    [{ jsonPath: '.spec.color' }, { jsonPath: '' }, { jsonPath: '.spec.nope' }, { jsonPath: '.metadata.name' }, { jsonPath: '.spec.ratio' }, { jsonPath: '.spec.color' }, { jsonPath: ".spec['x-y']" }],
    schema,
    'spec.versions[0].selectableFields',
  );
  assert.deepEqual(
    errs.map((e) => `${e.field}: ${e.detail}`),
    [
      'spec.versions[0].selectableFields[1].jsonPath: Required value',
      'spec.versions[0].selectableFields[2].jsonPath: Invalid value: ".spec.nope": is an invalid path: does not refer to a valid field',
      'spec.versions[0].selectableFields[3].jsonPath: Invalid value: ".metadata.name": must not point to fields in metadata',
      'spec.versions[0].selectableFields[4].jsonPath: Invalid value: ".spec.ratio": must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.',
      'spec.versions[0].selectableFields[5].jsonPath: Duplicate value: ".spec.color"',
      `spec.versions[0].selectableFields[6].jsonPath: Invalid value: ".spec['x-y']": is an invalid path: array notation is not allowed`,
    ],
  );
  assert.deepEqual(validateSelectableFields([{ jsonPath: '.spec.color' }, { jsonPath: '.spec.size' }, { jsonPath: '.spec.enabled' }], schema, 'p'), []);
});

test('more than eight distinct fields are too many', () => {
  const props = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`f${i}`, { type: 'string' }]));
  const wide: JSONSchemaProps = { type: 'object', properties: { spec: { type: 'object', properties: props } } };
  const errs = validateSelectableFields(
    Object.keys(props).map((k) => ({ jsonPath: `.spec.${k}` })),
    wide,
    'spec.versions[1].selectableFields',
  );
  assert.deepEqual(
    errs.map((e) => `${e.field}: ${e.detail}`),
    ['spec.versions[1].selectableFields: Too many: 9: must have at most 8 items'],
  );
});

test("the getters render values as Go's fmt.Sprint does; a missing field selects as empty", () => {
  const get = selectableFieldGetters([{ jsonPath: '.spec.color' }, { jsonPath: '.spec.size' }, { jsonPath: '.spec.enabled' }], schema);
  assert.deepEqual(Object.keys(get), ['spec.color', 'spec.size', 'spec.enabled']);
  const obj = { apiVersion: 'x/v1', kind: 'X', spec: { color: 'red', size: 42, enabled: false } };
  assert.deepEqual(
    Object.values(get).map((g) => g(obj)),
    ['red', '42', 'false'],
  );
  assert.deepEqual(
    Object.values(get).map((g) => g({ apiVersion: 'x/v1', kind: 'X' })),
    ['', '', ''],
  );
});
