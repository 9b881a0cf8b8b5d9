// Tests for recognising Table requests from Accept headers and the includeObject parameter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBadRequest, StatusError } from '../../apimachinery/errors.js';
import { tableContentType, tableRequestFor } from './table-request.js';

const kubectlGet = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

test('Accept negotiation for Tables', () => {
  const q = new URLSearchParams();
  const cases: Array<[string | undefined, string | undefined]> = [
    [kubectlGet, 'meta.k8s.io/v1 json'],
    ['application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json', 'meta.k8s.io/v1beta1 json'],
    ['application/yaml;as=Table;v=v1;g=meta.k8s.io', 'meta.k8s.io/v1 yaml'],
    ['application/json', undefined],
    [undefined, undefined],
    ['', undefined],
    ['*/*', undefined],
    ['application/json, application/json;as=Table;v=v1;g=meta.k8s.io', undefined],
    ['application/json;as=Table;v=v1;g=meta.k8s.io;q=0.5, application/json;q=0.9', undefined],
    ['application/json;q=0.5, application/json;as=Table;v=v1;g=meta.k8s.io', 'meta.k8s.io/v1 json'],
    ['application/json;as=Table;v=v2;g=meta.k8s.io, application/json', undefined],
    ['application/json;as=Table;v=v1;g=example.com, application/json', undefined],
    ['application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io, application/json', undefined],
    ['application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io, application/json;as=Table;v=v1;g=meta.k8s.io', 'meta.k8s.io/v1 json'],
    ['text/html, application/json;as=Table;v=v1;g=meta.k8s.io', 'meta.k8s.io/v1 json'],
    ['application/json;as=Table;v=v1;g=meta.k8s.io;q=0', undefined],
  ];
  for (const [accept, want] of cases) {
    const got = tableRequestFor(accept, q);
    assert.equal(got ? `${got.groupVersion} ${got.encoding}` : undefined, want, String(accept));
  }
});

test('includeObject values', () => {
  const cases: Array<[string, string]> = [
    ['', 'Metadata'],
    ['includeObject=Metadata', 'Metadata'],
    ['includeObject=Object', 'Object'],
    ['includeObject=None', 'None'],
    ['includeObject=', 'Metadata'],
  ];
  for (const [query, want] of cases) assert.equal(tableRequestFor(kubectlGet, new URLSearchParams(query))?.includeObject, want, query);

  assert.throws(
    () => tableRequestFor(kubectlGet, new URLSearchParams('includeObject=All')),
    (err: unknown) =>
      err instanceof StatusError &&
      isBadRequest(err) &&
      err.status.message === `Unable to convert to Table as requested: includeObject: Invalid value: "All": must be 'Metadata', 'Object', 'None', or empty`,
  );
  // Not a Table request: the parameter is not looked at.
  assert.equal(tableRequestFor('application/json', new URLSearchParams('includeObject=All')), undefined);
});

test('Content-Type of Table replies', () => {
  assert.equal(tableContentType({ groupVersion: 'meta.k8s.io/v1', encoding: 'json' }), 'application/json;as=Table;v=v1;g=meta.k8s.io');
  assert.equal(tableContentType({ groupVersion: 'meta.k8s.io/v1beta1', encoding: 'yaml' }), 'application/yaml;as=Table;v=v1beta1;g=meta.k8s.io');
});
