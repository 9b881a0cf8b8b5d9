import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JSONSchemaProps } from './crd-types.js';
import { validateSchemaJunctors } from './schema-junctors.js';

test('anyOf/allOf/oneOf/not hold value validations only', () => {
  const cases: Array<[string, unknown, string[]]> = [
    ['value validations are fine', { type: 'object', properties: { a: { type: 'string', anyOf: [{ pattern: '^a' }, { maxLength: 3 }], not: { enum: ['x'] } } } }, []],
    ['int-or-string anyOf', { type: 'object', properties: { p: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } } }, []],
    ['int-or-string anyOf under allOf[0]', { type: 'object', properties: { p: { 'x-kubernetes-int-or-string': true, allOf: [{ anyOf: [{ type: 'integer' }, { type: 'string' }] }] } } }, []],
    ['type in anyOf without int-or-string', { type: 'object', properties: { p: { anyOf: [{ type: 'integer' }, { type: 'string' }] } } }, ['.properties[p].anyOf[0].type: Forbidden: must be empty to be structural', '.properties[p].anyOf[1].type: Forbidden: must be empty to be structural']],
    ['default, nullable and extensions', { type: 'object', oneOf: [{ default: 1, nullable: true, 'x-kubernetes-preserve-unknown-fields': true }] }, ['.oneOf[0].default: Forbidden: must be undefined to be structural', '.oneOf[0].nullable: Forbidden: must be false to be structural', '.oneOf[0].x-kubernetes-preserve-unknown-fields: Forbidden: must be false to be structural']],
    ['title, description and additionalProperties', { type: 'object', anyOf: [{ title: 't', description: 'd', additionalProperties: { pattern: 'x' } }] }, ['.anyOf[0].additionalProperties: Forbidden: must be undefined to be structural', '.anyOf[0].title: Forbidden: must be empty to be structural', '.anyOf[0].description: Forbidden: must be empty to be structural']],
    ['nested properties inside not', { type: 'object', not: { properties: { a: { type: 'string' } } } }, ['.not.properties[a].type: Forbidden: must be empty to be structural']],
  ];
  for (const [name, schema, want] of cases) {
    const got = validateSchemaJunctors(schema as JSONSchemaProps, 'schema').map((e) => `${e.field.slice('schema'.length)}: ${e.detail}`);
    assert.deepEqual(got, want, name);
  }
});
