import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { APIObject } from '../registry/strategy.js';
import { customResourceDefinitionStrategy, validateCustomResourceDefinition } from './crd-strategy.js';

const good = () => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', kind: 'Widget' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
  },
});

test('CRD validation: the rules serving relies on', () => {
  const cases: Array<[string, (c: ReturnType<typeof good>) => void, string[]]> = [
    ['valid', () => undefined, []],
    ['name must be plural.group', (c) => (c.metadata.name = 'x.example.com'), ['metadata.name: Invalid value: "x.example.com": must be spec.names.plural+"."+spec.group']],
    ['group needs a dot', (c) => ((c.spec.group = 'example'), (c.metadata.name = 'widgets.example')), ['spec.group: Invalid value: "example": should be a domain with at least one dot']],
    ['scope', (c) => (c.spec.scope = 'Global'), ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"']],
    ['one storage version', (c) => c.spec.versions.push({ name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }), ['spec.versions: Invalid value: [{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object"}}},{"name":"v2","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object"}}}]: must have exactly one version marked as storage version']],
    ['duplicate versions', (c) => c.spec.versions.push({ name: 'v1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } }), ['spec.versions[1].name: Duplicate value: "v1"']],
    ['schema required', (c) => delete (c.spec.versions[0] as { schema?: unknown }).schema, ['spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required']],
    ['kind required', (c) => (c.spec.names.kind = ''), ['spec.names.kind: Required value']],
  ];
  for (const [name, mutate, want] of cases) {
    const crd = good();
    mutate(crd);
    assert.deepEqual(validateCustomResourceDefinition(crd).map((e) => `${e.field}: ${e.detail}`), want, name);
  }
});

test('a new CRD gets the cleanup finalizer and an initial status', () => {
  const crd: APIObject = { ...good(), status: { conditions: [{ type: 'Established', status: 'True' }] } };
  customResourceDefinitionStrategy.prepareForCreate?.(crd, { namespace: '', dryRun: false });
  assert.deepEqual(crd.metadata?.finalizers, ['customresourcecleanup.apiextensions.k8s.io']);
  assert.deepEqual(crd.status, { acceptedNames: { plural: '', kind: '' }, storedVersions: ['v1'] });
});
