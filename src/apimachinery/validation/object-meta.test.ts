import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldError } from '../field-error.js';
import { nameIsDNSLabel, nameIsDNSSubdomain } from './name-validators.js';
import { validateFieldManager, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';

const render = (errs: FieldError[]): string[] => errs.map((e) => `${e.type} ${e.field}: ${e.detail}`);

test('validateObjectMeta on create', () => {
  const cases: Array<{ name: string; meta: Record<string, unknown>; namespaced?: boolean; want: string[] }> = [
    { name: 'valid', meta: { name: 'web', namespace: 'default', labels: { app: 'web' } }, want: [] },
    {
      name: 'upper case name',
      meta: { name: 'Foo', namespace: 'default' },
      want: [
        "FieldValueInvalid metadata.name: Invalid value: \"Foo\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      ],
    },
    {
      name: 'no name',
      meta: { namespace: 'default' },
      want: ['FieldValueRequired metadata.name: Required value: name or generateName is required'],
    },
    { name: 'missing namespace', meta: { name: 'a' }, want: ['FieldValueRequired metadata.namespace: Required value'] },
    {
      name: 'namespace on cluster-scoped kind',
      meta: { name: 'a', namespace: 'x' },
      namespaced: false,
      want: ['FieldValueForbidden metadata.namespace: Forbidden: not allowed on this type'],
    },
    {
      name: 'bad generateName',
      meta: { name: 'ab', generateName: 'Web-', namespace: 'default' },
      want: [
        "FieldValueInvalid metadata.generateName: Invalid value: \"Web-\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      ],
    },
    {
      name: 'bad label value',
      meta: { name: 'a', namespace: 'd', labels: { app: 'a b' } },
      want: [
        "FieldValueInvalid metadata.labels: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      ],
    },
    {
      name: 'annotation keys are case-insensitive, size is bounded',
      meta: { name: 'a', namespace: 'd', annotations: { 'Example.COM/Key': 'x'.repeat(256 * 1024) } },
      want: ['FieldValueTooLong metadata.annotations: Too long: may not be more than 262144 bytes'],
    },
    {
      name: 'negative generation',
      meta: { name: 'a', namespace: 'd', generation: -1 },
      want: ['FieldValueInvalid metadata.generation: Invalid value: -1: must be greater than or equal to 0'],
    },
    {
      name: 'owner references',
      meta: {
        name: 'a',
        namespace: 'd',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r1', uid: 'u1', controller: true },
          { apiVersion: 'apps/', kind: '', name: 'r2', uid: 'u2', controller: true },
        ],
      },
      want: [
        'FieldValueInvalid metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty',
        'FieldValueInvalid metadata.ownerReferences.kind: Invalid value: "": must not be empty',
      ],
    },
    {
      name: 'finalizers',
      meta: { name: 'a', namespace: 'd', finalizers: ['orphan', 'foregroundDeletion', 'a/b/c'] },
      want: [
        "FieldValueInvalid metadata.finalizers: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
        'FieldValueInvalid metadata.finalizers: Invalid value: ["orphan","foregroundDeletion","a/b/c"]: finalizer orphan and foregroundDeletion cannot be both set',
      ],
    },
    {
      name: 'managed fields',
      meta: { name: 'a', namespace: 'd', managedFields: [{ manager: 'k', operation: 'Patch', fieldsType: 'FieldsV2' }] },
      want: [
        'FieldValueInvalid metadata.managedFields[0].operation: Invalid value: "Patch": must be `Apply` or `Update`',
        'FieldValueInvalid metadata.managedFields[0].fieldsType: Invalid value: "FieldsV2": must be `FieldsV1`',
      ],
    },
  ];
  for (const c of cases) {
    const got = validateObjectMeta(c.meta, { namespaced: c.namespaced ?? true, nameFn: nameIsDNSSubdomain });
    const gotText = render(got);
    // The owner-reference case also reports the second controller; check it separately below.
    if (c.name === 'owner references') {
      assert.deepEqual(gotText.slice(0, 2), c.want, c.name);
      assert.match(gotText[2], /Only one reference can have Controller set to true\. Found "true" in references for ReplicaSet\/r1 and \/r2$/);
      continue;
    }
    assert.deepEqual(gotText, c.want, c.name);
  }
});

test('namespace names are DNS labels', () => {
  const errs = validateObjectMeta({ name: 'x', namespace: 'a.b' }, { namespaced: true, nameFn: nameIsDNSLabel });
  assert.deepEqual(render(errs), ['FieldValueInvalid metadata.namespace: Invalid value: "a.b": must not contain dots']);
});

test('validateObjectMetaUpdate', () => {
  const old = { name: 'a', namespace: 'd', uid: 'u1', resourceVersion: '5', generation: 2, creationTimestamp: '2024-01-01T00:00:00Z' };
  const cases: Array<{ name: string; meta: Record<string, unknown>; old?: Record<string, unknown>; want: string[] }> = [
    { name: 'unchanged', meta: { ...old }, want: [] },
    {
      name: 'no resourceVersion',
      meta: { ...old, resourceVersion: '' },
      want: ['FieldValueInvalid metadata.resourceVersion: Invalid value: "": must be specified for an update'],
    },
    {
      name: 'uid changed',
      meta: { ...old, uid: 'u2' },
      want: ['FieldValueInvalid metadata.uid: Invalid value: "u2": field is immutable'],
    },
    {
      name: 'generation decremented',
      meta: { ...old, generation: 1 },
      want: ['FieldValueInvalid metadata.generation: Invalid value: 1: must not be decremented'],
    },
    {
      name: 'new finalizer while deleting',
      old: { ...old, deletionTimestamp: '2024-01-02T00:00:00Z', finalizers: ['a'] },
      meta: { ...old, deletionTimestamp: '2024-01-02T00:00:00Z', finalizers: ['a', 'b'] },
      want: [
        'FieldValueForbidden metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b"}',
      ],
    },
  ];
  for (const c of cases) assert.deepEqual(render(validateObjectMetaUpdate(c.meta, c.old ?? old)), c.want, c.name);
});

test('validateFieldManager', () => {
  assert.deepEqual(validateFieldManager('kubectl-client-side-apply', 'fieldManager'), []);
  assert.equal(validateFieldManager('x'.repeat(129), 'fieldManager')[0].type, 'FieldValueTooLong');
  assert.equal(validateFieldManager('a\u0000b', 'fieldManager')[0].detail, 'Invalid value: "a\\u0000b": invalid characters');
});
