import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LookupPatchMeta, PatchMetaLookup } from '../apimachinery/patch/strategic/patch-meta.js';
import { allDefinitions } from './schema.js';
import { strategicMergePatchSchema, strategicMergePatchSchemaNamed } from './strategic-schema.js';

/** Follows `path` (struct fields; a trailing "[]" step enters a list's items) and returns the last lookup. */
function lookup(schema: LookupPatchMeta, path: string[]): PatchMetaLookup {
  let current = schema;
  let result: PatchMetaLookup | undefined;
  for (const step of path) {
    const list = step.endsWith('[]');
    const key = list ? step.slice(0, -2) : step;
    result = list ? current.lookupPatchMetadataForSlice(key) : current.lookupPatchMetadataForStruct(key);
    if (result.error !== undefined) return result;
    current = result.schema;
  }
  return result!;
}

test('strategicMergePatchSchema: patch metadata of built-in kinds (the Go struct tags)', () => {
  const deployment = strategicMergePatchSchema('apps', 'v1', 'Deployment')!;
  const pod = strategicMergePatchSchema('', 'v1', 'Pod')!;
  const cases: Array<{ name: string; schema: LookupPatchMeta; path: string[]; strategies: string[]; mergeKey: string }> = [
    { name: 'containers', schema: pod, path: ['spec', 'containers[]'], strategies: ['merge'], mergeKey: 'name' },
    { name: 'volumes merge and retain keys', schema: pod, path: ['spec', 'volumes[]'], strategies: ['merge', 'retainKeys'], mergeKey: 'name' },
    { name: 'ports merge on containerPort', schema: deployment, path: ['spec', 'template', 'spec', 'containers[]', 'ports[]'], strategies: ['merge'], mergeKey: 'containerPort' },
    { name: 'env', schema: deployment, path: ['spec', 'template', 'spec', 'initContainers[]', 'env[]'], strategies: ['merge'], mergeKey: 'name' },
    { name: 'finalizers: primitive merge list', schema: pod, path: ['metadata', 'finalizers[]'], strategies: ['merge'], mergeKey: '' },
    { name: 'ownerReferences by uid', schema: pod, path: ['metadata', 'ownerReferences[]'], strategies: ['merge'], mergeKey: 'uid' },
    { name: 'deployment strategy retains keys', schema: deployment, path: ['spec', 'strategy'], strategies: ['retainKeys'], mergeKey: '' },
    { name: 'tolerations: no strategy', schema: pod, path: ['spec', 'tolerations[]'], strategies: [], mergeKey: '' },
    { name: 'status conditions by type', schema: pod, path: ['status', 'conditions[]'], strategies: ['merge'], mergeKey: 'type' },
    { name: 'PDB selector is replaced', schema: strategicMergePatchSchema('policy', 'v1', 'PodDisruptionBudget')!, path: ['spec', 'selector'], strategies: ['replace'], mergeKey: '' },
    { name: 'service ports merge on port', schema: strategicMergePatchSchema('', 'v1', 'Service')!, path: ['spec', 'ports[]'], strategies: ['merge'], mergeKey: 'port' },
  ];
  for (const c of cases) {
    const r = lookup(c.schema, c.path);
    assert.equal(r.error, undefined, c.name);
    if (r.error === undefined) {
      assert.deepEqual([...r.meta.patchStrategies], c.strategies, c.name);
      assert.equal(r.meta.patchMergeKey, c.mergeKey, c.name);
    }
  }
});

test('strategicMergePatchSchema: upstream lookup errors and opaque positions', () => {
  const pod = strategicMergePatchSchema('', 'v1', 'Pod')!;
  const cases: Array<{ name: string; path: string[]; error?: string }> = [
    { name: 'unknown field', path: ['spec', 'foo'], error: 'unable to find api field in struct PodSpec for the json field "foo"' },
    { name: 'inside a map', path: ['metadata', 'labels', 'x'], error: 'merging an object in json but data type is not struct, instead is: map' },
    { name: 'a struct field as a list', path: ['spec', 'affinity[]'], error: 'expected slice or array type, but got: struct' },
  ];
  for (const c of cases) assert.equal(lookup(pod, c.path).error, c.error, c.name);

  // runtime.RawExtension is free-form JSON: every key below it merges like a JSON merge patch.
  const revision = strategicMergePatchSchema('apps', 'v1', 'ControllerRevision')!;
  const deep = lookup(revision, ['data', 'spec', 'anything[]']);
  assert.equal(deep.error, undefined);
  if (deep.error === undefined) assert.deepEqual([...deep.meta.patchStrategies], []);

  assert.equal(strategicMergePatchSchema('example.com', 'v1', 'Widget'), undefined, 'custom resources have no SMP schema');
  assert.ok(strategicMergePatchSchemaNamed('io.k8s.api.core.v1.PodSpec'));
});

test('strategicMergePatchSchema: every field of every served definition resolves', () => {
  let fields = 0;
  for (const def of Object.values(allDefinitions())) {
    const schema = strategicMergePatchSchemaNamed(def.name)!;
    for (const [name, field] of Object.entries(def.fields ?? {})) {
      const r = field.type === 'array' ? schema.lookupPatchMetadataForSlice(name) : schema.lookupPatchMetadataForStruct(name);
      assert.equal(r.error, undefined, `${def.name}.${name}`);
      if (r.error === undefined) {
        assert.equal(r.meta.patchMergeKey, field.patchMergeKey ?? '', `${def.name}.${name}`);
        assert.equal(r.meta.patchStrategies.join(','), field.patchStrategy ?? '', `${def.name}.${name}`);
      }
      fields++;
    }
    for (const gvk of def.gvks ?? []) assert.equal(strategicMergePatchSchema(gvk.group, gvk.version, gvk.kind) !== undefined, true, `${gvk.kind}`);
  }
  assert.ok(fields > 1000, `only ${fields} fields`);
});
