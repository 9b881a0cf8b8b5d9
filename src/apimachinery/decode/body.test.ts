import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBadRequest, type StatusError } from '../errors.js';
import { decodeObjectBody, strictDecodingError } from './body.js';

test('decodeObjectBody: JSON and YAML objects with strict errors', () => {
  const cases: Array<{ body: string; format: 'json' | 'yaml'; object: unknown; strict: string[] }> = [
    { body: '{"kind":"Namespace","metadata":{"name":"x"}}', format: 'json', object: { kind: 'Namespace', metadata: { name: 'x' } }, strict: [] },
    {
      body: '{"kind":"Namespace","metadata":{"name":"x","name":"y"}}',
      format: 'json',
      object: { kind: 'Namespace', metadata: { name: 'y' } },
      strict: ['duplicate field "metadata.name"'],
    },
    { body: 'kind: Namespace\nmetadata:\n  name: x\n', format: 'yaml', object: { kind: 'Namespace', metadata: { name: 'x' } }, strict: [] },
    {
      body: 'kind: A\nkind: B\n',
      format: 'yaml',
      object: { kind: 'B' },
      strict: ['yaml: unmarshal errors:\n  line 2: key "kind" already set in map'],
    },
  ];
  for (const c of cases) {
    const d = decodeObjectBody(new TextEncoder().encode(c.body), c.format);
    assert.deepEqual(d.object, c.object, c.body);
    assert.deepEqual(d.strictErrors, c.strict, c.body);
  }
});

test('decodeObjectBody: 400s with upstream wording', () => {
  const cases: Array<{ body: string; format: 'json' | 'yaml'; want: string | RegExp }> = [
    { body: '{bad', format: 'json', want: "couldn't get version/kind; json parse error: invalid character 'b' looking for beginning of object key string" },
    { body: '', format: 'json', want: "couldn't get version/kind; json parse error: unexpected end of JSON input" },
    {
      body: '[]',
      format: 'json',
      want: 'couldn\'t get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }',
    },
    { body: 'null', format: 'json', want: "Object 'Kind' is missing in 'null'" },
    { body: 'a: [1', format: 'yaml', want: /^error converting YAML to JSON: yaml: line 1: / },
  ];
  for (const c of cases) {
    assert.throws(
      () => decodeObjectBody(c.body, c.format),
      (err: unknown) => {
        assert.ok(isBadRequest(err));
        const msg = (err as StatusError).message;
        if (typeof c.want === 'string') assert.equal(msg, c.want);
        else assert.match(msg, c.want);
        return true;
      },
      c.body,
    );
  }
});

test('strictDecodingError joins problems like upstream', () => {
  const err = strictDecodingError(['unknown field "spec.foo"', 'duplicate field "metadata.name"']);
  assert.equal(err.code, 400);
  assert.equal(err.message, 'strict decoding error: unknown field "spec.foo", duplicate field "metadata.name"');
});
