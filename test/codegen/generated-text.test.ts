// The generated code must not carry upstream description texts: every description in the OpenAPI
// document is checked against every generated file (skipped where ../shared is absent).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { defaultGenerateOptions, generateAll } from '../../tools/codegen/generate.js';
import { loadOpenAPI, type SchemaObject } from '../../tools/codegen/openapi.js';

/** The first 60 characters of every sentence of five or more words in the document's descriptions. */
function descriptionFragments(value: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) descriptionFragments(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as SchemaObject)) {
      if (k === 'description' && typeof v === 'string') {
        for (const sentence of v.split(/(?<=\.)\s+|\n/)) {
          const s = sentence.trim();
          if (s.split(/\s+/).length >= 5) out.add(s.slice(0, 60));
        }
      } else descriptionFragments(v, out);
    }
  }
  return out;
}

test('generated files contain no upstream description text', { skip: !existsSync(defaultGenerateOptions().openapiPath) && 'no ../shared here' }, async () => {
  const options = defaultGenerateOptions();
  const files = await generateAll(options);
  const fragments = descriptionFragments(loadOpenAPI(options.openapiPath), new Set());
  assert.ok(fragments.size > 1000, `only ${fragments.size} description fragments found`);
  for (const [path, content] of files) {
    for (const fragment of fragments) assert.ok(!content.includes(fragment), `${path} contains upstream text: ${fragment}`);
  }
});
