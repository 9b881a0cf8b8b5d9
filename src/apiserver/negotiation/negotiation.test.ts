import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../apimachinery/errors.js';
import { negotiateConversion, negotiateOutput } from './media-type.js';
import { decodeObjectBody, patchTypeOf } from './request-body.js';

const code = (fn: () => unknown): number | string => {
  try {
    const v = fn();
    return JSON.stringify(v);
  } catch (err) {
    return err instanceof StatusError ? err.code : String(err);
  }
};

test('negotiateOutput and negotiateConversion walk Accept like upstream', () => {
  const cases: Array<[string | undefined, string, string | number]> = [
    [undefined, 'json', '{"as":"none","encoding":"json"}'],
    ['application/yaml', 'yaml', '{"as":"none","encoding":"yaml"}'],
    ['application/vnd.kubernetes.protobuf,application/json', 'json', '{"as":"none","encoding":"json"}'],
    ['application/vnd.kubernetes.protobuf, */*', 'json', '{"as":"none","encoding":"json"}'],
    ['application/json;as=Table;v=v1;g=meta.k8s.io,application/json', 'json', '{"as":"Table","encoding":"json","groupVersion":"meta.k8s.io/v1"}'],
    ['application/json;q=0.5,application/yaml', 'yaml', '{"as":"none","encoding":"yaml"}'],
    ['application/json;as=APIGroupDiscoveryList;v=v2;g=apidiscovery.k8s.io,application/json', 'json', '{"as":"none","encoding":"json"}'],
    ['application/vnd.kubernetes.protobuf', '406', 406],
    ['text/html', '406', 406],
  ];
  for (const [accept, out, conv] of cases) {
    assert.equal(String(code(() => negotiateOutput(accept))).replace(/"/g, ''), out, `output ${accept}`);
    assert.equal(code(() => negotiateConversion(accept)), conv, `conversion ${accept}`);
  }
});

test('protobuf is chosen only when the reply has a protobuf form and it is the first acceptable range', () => {
  const pb = { protobuf: true };
  const cases: Array<[string | undefined, { protobuf?: boolean }, string | number, string | number]> = [
    ['application/vnd.kubernetes.protobuf,application/json', pb, 'protobuf', '{"as":"none","encoding":"protobuf"}'],
    ['application/vnd.kubernetes.protobuf,application/json', {}, 'json', '{"as":"none","encoding":"json"}'],
    ['application/json,application/vnd.kubernetes.protobuf', pb, 'json', '{"as":"none","encoding":"json"}'],
    ['application/vnd.kubernetes.protobuf;q=0.5,application/json', pb, 'json', '{"as":"none","encoding":"json"}'],
    ['application/vnd.kubernetes.protobuf', pb, 'protobuf', '{"as":"none","encoding":"protobuf"}'],
    ['application/vnd.kubernetes.protobuf', {}, '406', 406],
    // Watch framing and conversions are not written in protobuf: the next range serves.
    ['application/vnd.kubernetes.protobuf;stream=watch,application/json', pb, 'json', '{"as":"none","encoding":"json"}'],
    ['application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/json', pb, 'json', '{"as":"none","encoding":"json"}'],
    [undefined, pb, 'json', '{"as":"none","encoding":"json"}'],
  ];
  for (const [accept, opts, out, conv] of cases) {
    assert.equal(String(code(() => negotiateOutput(accept, opts))).replace(/"/g, ''), out, `output ${accept}`);
    assert.equal(code(() => negotiateConversion(accept, opts)), conv, `conversion ${accept}`);
  }
});

test('request bodies: JSON, YAML, errors and patch types', () => {
  const enc = (t: string) => new TextEncoder().encode(t);
  const decode = (contentType: string | undefined, text: string) => code(() => decodeObjectBody({ contentType, body: enc(text), expectedKind: 'Pod' }));
  assert.equal(decode(undefined, '{"a":1}'), '{"a":1}');
  assert.equal(decode('application/json; charset=utf-8', '{"a":1}'), '{"a":1}');
  assert.equal(decode('application/yaml', 'a: 1'), '{"a":1}');
  assert.equal(decode('application/json', '[1]'), 400);
  assert.equal(decode('application/json', '{'), 400);
  assert.equal(decode('application/yaml', 'a: 1\n---\nb: 2'), 400);
  assert.equal(decode('application/vnd.kubernetes.protobuf', 'k8s'), 415, 'no protobuf decoder configured');
  assert.equal(decode('text/plain', 'x'), 415);
  const patch: Array<[string | undefined, string | number]> = [
    ['application/json-patch+json', '"json"'],
    ['application/merge-patch+json', '"merge"'],
    ['application/strategic-merge-patch+json', '"strategic"'],
    ['application/apply-patch+yaml', '"apply"'],
    ['application/apply-patch+cbor', 415],
    ['application/json', 415],
    [undefined, 415],
  ];
  for (const [ct, want] of patch) assert.equal(code(() => patchTypeOf(ct)), want, String(ct));
});
