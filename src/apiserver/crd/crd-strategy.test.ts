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
    ['no versions', (c) => (c.spec.versions = []), ['spec.versions: Invalid value: []: must have exactly one version marked as storage version']],
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

test('per-version fields identical in every version are reported at the spec-level path, as upstream', () => {
  const bad = { type: 'object', properties: { spec: { type: 'object', properties: { size: { minimum: 1 } } } } };
  const typeless = (path: string) => `${path}.openAPIV3Schema.properties[spec].properties[size].type: Required value: must not be empty for specified object fields`;
  const withVersions = (...versions: Array<Record<string, unknown>>) => {
    const c = good();
    c.spec.versions = versions as (typeof c.spec.versions);
    return validateCustomResourceDefinition(c).map((e) => `${e.field}: ${e.detail}`);
  };
  const v = (name: string, schema: unknown, extra: Record<string, unknown> = {}) => ({ name, served: true, storage: name === 'v1', schema: { openAPIV3Schema: structuredClone(schema) }, ...extra });
  // One version, or several with the same schema: once, under spec.validation.
  assert.deepEqual(withVersions(v('v1', bad)), [typeless('spec.validation')]);
  assert.deepEqual(withVersions(v('v1', bad), v('v2', bad)), [typeless('spec.validation')]);
  // Different schemas: each version's own path.
  assert.deepEqual(withVersions(v('v1', bad), v('v2', { type: 'object' })), [typeless('spec.versions[0].schema')]);
  // An unserved version without a schema needs none; a served one does.
  assert.deepEqual(withVersions(v('v1', { type: 'object' }), { name: 'v0', served: false, storage: false }), []);
  assert.deepEqual(withVersions(v('v1', { type: 'object' }), { name: 'v0', served: true, storage: false }), ['spec.versions[1].schema.openAPIV3Schema: Required value: schemas are required']);
  // Subresources and printer columns shared by every version are spec.subresources / spec.additionalPrinterColumns.
  const scale = { subresources: { scale: { specReplicasPath: '.status.replicas', statusReplicasPath: '.status.replicas' } } };
  const column = { additionalPrinterColumns: [{ name: 'Size', type: 'int', jsonPath: '.spec.size' }] };
  assert.deepEqual(withVersions(v('v1', { type: 'object' }, { ...scale, ...column }), v('v2', { type: 'object' }, { ...scale, ...column })), [
    'spec.subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec',
    'spec.additionalPrinterColumns[0].type: Invalid value: "int": must be one of boolean,date,integer,number,string',
  ]);
  assert.deepEqual(withVersions(v('v1', { type: 'object' }, column), v('v2', { type: 'object' })), [
    'spec.versions[0].additionalPrinterColumns[0].type: Invalid value: "int": must be one of boolean,date,integer,number,string',
  ]);
});

test('defaults are validated when the CRD is written; an update may keep defaults that were never pruned', () => {
  const withSpec = (props: Record<string, unknown>) => {
    const c = good();
    c.spec.versions[0]!.schema.openAPIV3Schema = { type: 'object', properties: { spec: { type: 'object', properties: props } } } as never;
    return c;
  };
  const unpruned = withSpec({ limits: { type: 'object', properties: { cpu: { type: 'string' } }, default: { cpu: '1', gpu: '2' } } });
  const refusal = 'spec.validation.openAPIV3Schema.properties[spec].properties[limits].default: Invalid value: {"cpu":"1","gpu":"2"}: must not have unknown fields';
  assert.deepEqual(validateCustomResourceDefinition(unpruned).map((e) => `${e.field}: ${e.detail}`), [refusal]);
  assert.deepEqual(validateCustomResourceDefinition(unpruned, unpruned), [], 'stored before the rule: kept on update');
  assert.deepEqual(validateCustomResourceDefinition(unpruned, withSpec({})).map((e) => `${e.field}: ${e.detail}`), [refusal]);
});
