// The schema table module parses back to exactly the definitions the generator normalised.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { definitions } from '../../src/api/generated/definitions.js';
import { servedDefinitions } from '../../tools/codegen/definitions.js';
import { defaultGenerateOptions } from '../../tools/codegen/generate.js';
import { loadOpenAPI } from '../../tools/codegen/openapi.js';
import { emitSchemaTable } from '../../tools/codegen/schema-table.js';

test('committed schema table equals the normalised document', { skip: !existsSync(defaultGenerateOptions().openapiPath) && 'no ../shared here' }, () => {
  const defs = servedDefinitions(loadOpenAPI(defaultGenerateOptions().openapiPath));
  assert.deepEqual(definitions, Object.fromEntries(defs.map((d) => [d.name, d])));
});

test('schema table text survives characters special to template literals', async () => {
  const tricky = { name: 'x.y.v1.Tricky', type: 'object' as const, fields: { 'a`b': { type: 'string' as const, enum: ['${x}', 'back\\slash', 'quote"'] } } };
  const source = emitSchemaTable([tricky]);
  const body = source.slice(source.indexOf('JSON.parse(') + 'JSON.parse('.length, source.lastIndexOf(');'));
  const parsed: unknown = JSON.parse(new Function(`return ${body};`)() as string);
  assert.deepEqual(parsed, { 'x.y.v1.Tricky': tricky });
});
