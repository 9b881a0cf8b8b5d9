// The apply types read from the generated schema tables: list types and keys, atomic maps and structs, scalars
// that are strings on the wire, the patch-strategy fallback, and every served kind resolving without errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApplyType } from '../apimachinery/apply/schema.js';
import { fieldElement } from '../apimachinery/apply/path-element.js';
import { childType } from '../apimachinery/apply/typed-value.js';
import { applySchemaFor, applySchemaForCustomResource, applySchemaNamed, zeroObjectFor } from './apply-schema.js';
import { allDefinitions } from './schema.js';

function at(type: ApplyType, ...path: string[]): ApplyType {
  let t = type;
  for (const p of path) t = p === '[]' ? t.elementType() : childType(t, fieldElement(p));
  return t;
}

test('apply types of built-in positions', () => {
  const deploy = applySchemaFor('apps', 'v1', 'Deployment')!;
  const pod = applySchemaNamed('io.k8s.api.core.v1.PodSpec')!;
  const cases: Array<[string, ApplyType, Partial<Pick<ApplyType, 'kind' | 'atomic' | 'listType' | 'listMapKeys'>>]> = [
    ['deployment', deploy, { kind: 'struct', atomic: false }],
    ['spec.selector (LabelSelector is atomic)', at(deploy, 'spec', 'selector'), { kind: 'struct', atomic: true }],
    ['containers', at(pod, 'containers'), { kind: 'list', listType: 'map', listMapKeys: ['name'] }],
    ['container ports', at(pod, 'containers', '[]', 'ports'), { kind: 'list', listType: 'map', listMapKeys: ['containerPort', 'protocol'] }],
    ['container args', at(pod, 'containers', '[]', 'args'), { kind: 'list', listType: 'atomic', atomic: true }],
    ['nodeSelector', at(pod, 'nodeSelector'), { kind: 'map', atomic: true }],
    ['metadata.labels', at(deploy, 'metadata', 'labels'), { kind: 'map', atomic: false }],
    ['metadata.finalizers', at(deploy, 'metadata', 'finalizers'), { kind: 'list', listType: 'set' }],
    ['strategy.rollingUpdate.maxSurge (int-or-string)', at(deploy, 'spec', 'strategy', 'rollingUpdate', 'maxSurge'), { kind: 'scalar' }],
    ['resources.limits values (quantity)', at(pod, 'containers', '[]', 'resources', 'limits', '[]'), { kind: 'scalar' }],
    ['metadata.creationTimestamp (time)', at(deploy, 'metadata', 'creationTimestamp'), { kind: 'scalar' }],
    ['unknown field', at(deploy, 'spec', 'nope'), { kind: 'untyped' }],
  ];
  for (const [name, t, want] of cases) {
    for (const [k, v] of Object.entries(want)) assert.deepEqual((t as unknown as Record<string, unknown>)[k], v, `${name}: ${k}`);
  }
  assert.equal(applySchemaFor('example.com', 'v1', 'Widget'), undefined, 'custom resources have no built-in type');
});

test('every definition and every field resolves', () => {
  let fields = 0;
  for (const def of Object.values(allDefinitions())) {
    const t = applySchemaNamed(def.name)!;
    assert.ok(t, def.name);
    for (const name of Object.keys(def.fields ?? {})) {
      const f = at(t, name);
      if (f.kind === 'list' || f.kind === 'map') f.elementType();
      fields++;
    }
  }
  assert.ok(fields > 1000, `resolved ${fields} fields`);
});

test('zero objects as Go marshals a new object', () => {
  const cases: Array<[string, string, string, unknown]> = [
    [
      'apps',
      'v1',
      'Deployment',
      { metadata: { creationTimestamp: null }, spec: { selector: null, template: { metadata: { creationTimestamp: null }, spec: { containers: null } }, strategy: {} }, status: {} },
    ],
    ['', 'v1', 'Service', { metadata: { creationTimestamp: null }, spec: {}, status: { loadBalancer: {} } }],
    ['', 'v1', 'ConfigMap', { metadata: { creationTimestamp: null } }],
    ['example.com', 'v1', 'Widget', undefined],
  ];
  for (const [group, version, kind, want] of cases) assert.deepEqual(zeroObjectFor(group, version, kind), want, kind);
});

test('custom resources: their schema plus the built-in ObjectMeta', () => {
  const cr = applySchemaForCustomResource({ type: 'object', properties: { metadata: { type: 'object' }, spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } });
  assert.equal(at(cr, 'metadata', 'labels').kind, 'map');
  assert.equal(at(cr, 'metadata', 'finalizers').listType, 'set');
  assert.deepEqual(at(cr, 'metadata', 'ownerReferences').listMapKeys, ['uid']);
  assert.equal(at(cr, 'spec').kind, 'untyped');
  assert.equal(at(cr, 'kind').kind, 'scalar');
});
