import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJSON, findDuplicateKeys, JSONSyntaxError } from './json.js';

test('findDuplicateKeys reports paths of repeated keys', () => {
  const cases: Array<{ in: string; want: string[] }> = [
    { in: '{"a":1,"b":2}', want: [] },
    { in: '{"a":1,"a":2}', want: ['a'] },
    { in: '{"metadata":{"name":"x","name":"y"}}', want: ['metadata.name'] },
    { in: '{"spec":{"containers":[{"name":"a"},{"image":"x","image":"y"}]}}', want: ['spec.containers[1].image'] },
    { in: '[{"a":1},{"a":1,"a":2}]', want: ['[1].a'] },
    { in: '{"a\\"b":1,"a\\u0022b":2}', want: ['a"b'] },
    { in: '{"s":"has \\" and , and { and :","s2":"\\\\","x":{"k":[1,{"k":1}],"k":2}}', want: ['x.k'] },
    { in: '{"a":{"b":1},"c":{"b":1},"a":3,"a":4}', want: ['a', 'a'] },
    { in: '"x"', want: [] },
  ];
  for (const c of cases) assert.deepEqual(findDuplicateKeys(c.in), c.want, c.in);
});

test('decodeJSON keeps the last duplicate and reports it', () => {
  const d = decodeJSON(new TextEncoder().encode('{"metadata":{"name":"a","name":"b"}}'));
  assert.deepEqual(d.value, { metadata: { name: 'b' } });
  assert.deepEqual(d.duplicateFields, ['metadata.name']);
});

test('decodeJSON syntax errors use Go encoding/json wording', () => {
  const cases: Array<{ in: string; want: string }> = [
    { in: '', want: 'unexpected end of JSON input' },
    { in: '{', want: 'unexpected end of JSON input' },
    { in: 'x', want: "invalid character 'x' looking for beginning of value" },
    { in: '{bad}', want: "invalid character 'b' looking for beginning of object key string" },
    { in: '{"a" 1}', want: "invalid character '1' after object key" },
    { in: '{"a":1 "b":2}', want: `invalid character '"' after object key:value pair` },
    { in: '[1 2]', want: "invalid character '2' after array element" },
    { in: '{} {}', want: "invalid character '{' after top-level value" },
    { in: '{"a":tru}', want: "invalid character '}' in literal true (expecting 'e')" },
    { in: '{"a":01}', want: "invalid character '1' after object key:value pair" },
    { in: '{"a":1.}', want: "invalid character '}' after decimal point in numeric literal" },
    { in: '{"a":-}', want: "invalid character '}' in numeric literal" },
    { in: '{"a":"\\q"}', want: "invalid character 'q' in string escape code" },
    { in: '{"a":"x\ny"}', want: "invalid character '\\n' in string literal" },
    { in: "{'a':1}", want: "invalid character '\\'' looking for beginning of object key string" },
  ];
  for (const c of cases) {
    assert.throws(
      () => decodeJSON(c.in),
      (err: unknown) => err instanceof JSONSyntaxError && err.message === c.want,
      `${JSON.stringify(c.in)}`,
    );
  }
});
