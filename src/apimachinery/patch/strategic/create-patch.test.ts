import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { strategicMergePatchSchema } from '../../../api/strategic-schema.js';
import { isConflict } from '../../errors.js';
import { deepCopy, type JSONObject } from '../json-value.js';
import { createThreeWayMergePatch, createTwoWayMergePatch } from './create-patch.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import { deployment, lastAppliedAnnotation, lastAppliedOf } from './testdata/arbitraries.js';
import type { CapturedApplyCase } from './testdata/capture-kubectl.js';
import { kubectlStrategicPatch, oracleKubectl } from './testdata/kubectl-oracle.js';

const schema = strategicMergePatchSchema('apps', 'v1', 'Deployment')!;
const kubectl = oracleKubectl();

const deploy = (podSpec: JSONObject, extra: JSONObject = {}): JSONObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { template: { spec: podSpec }, ...extra },
});

test('createTwoWayMergePatch', () => {
  const cases: Array<{ name: string; original: JSONObject; modified: JSONObject; want: JSONObject }> = [
    { name: 'equal', original: deploy({ containers: [{ name: 'a' }] }), modified: deploy({ containers: [{ name: 'a' }] }), want: {} },
    { name: 'scalar change and removal', original: deploy({ containers: [] }, { replicas: 1, paused: true }), modified: deploy({ containers: [] }, { replicas: 2 }), want: { spec: { replicas: 2, paused: null } } },
    {
      name: 'merged list: changed item, new item, deleted item, and the order',
      original: deploy({ containers: [{ name: 'a', image: '1' }, { name: 'b', image: '1' }] }),
      modified: deploy({ containers: [{ name: 'c', image: '1' }, { name: 'a', image: '2' }] }),
      want: {
        spec: {
          template: {
            spec: {
              containers: [{ name: 'c', image: '1' }, { name: 'a', image: '2' }, { name: 'b', $patch: 'delete' }],
              '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }],
            },
          },
        },
      },
    },
    { name: 'reordering alone', original: deploy({ containers: [{ name: 'a' }, { name: 'b' }] }), modified: deploy({ containers: [{ name: 'b' }, { name: 'a' }] }), want: { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] } } } } },
    {
      name: 'primitive merge list: additions, deletions list and order',
      original: { metadata: { finalizers: ['x', 'y'] } },
      modified: { metadata: { finalizers: ['z', 'x'] } },
      want: { metadata: { finalizers: ['z'], '$deleteFromPrimitiveList/finalizers': ['y'], '$setElementOrder/finalizers': ['z', 'x'] } },
    },
    { name: 'upstream quirk: an unchanged unsorted primitive merge list still gets an order', original: { metadata: { finalizers: ['y', 'x'] } }, modified: { metadata: { finalizers: ['y', 'x'] } }, want: { metadata: { '$setElementOrder/finalizers': ['y', 'x'] } } },
    { name: 'upstream quirk: sorting a primitive merge list yields no patch', original: { metadata: { finalizers: ['y', 'x'] } }, modified: { metadata: { finalizers: ['x', 'y'] } }, want: {} },
    { name: 'lists without strategy are replaced', original: deploy({ containers: [{ name: 'a', args: ['x'] }] }), modified: deploy({ containers: [{ name: 'a', args: ['y'] }] }), want: { spec: { template: { spec: { containers: [{ name: 'a', args: ['y'] }], '$setElementOrder/containers': [{ name: 'a' }] } } } } },
    {
      name: 'retainKeys strategy',
      original: deploy({ containers: [] }, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } }),
      modified: deploy({ containers: [] }, { strategy: { type: 'Recreate' } }),
      want: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } },
    },
    {
      name: 'replace strategy sends the whole value',
      original: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', spec: { selector: { matchLabels: { a: '1', b: '2' } } } },
      modified: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', spec: { selector: { matchLabels: { a: '1' } } } },
      want: { spec: { selector: { matchLabels: { a: '1' } } } },
    },
  ];
  const pdb = strategicMergePatchSchema('policy', 'v1', 'PodDisruptionBudget')!;
  for (const c of cases) {
    const s = c.original.kind === 'PodDisruptionBudget' ? pdb : schema;
    assert.deepEqual(createTwoWayMergePatch({ original: c.original, modified: c.modified, schema: s }), c.want, c.name);
  }
});

/** Strategic merge patch cannot tell apart list items sharing a merge key (ports on one containerPort). */
function mergeKeysUnique(d: JSONObject): boolean {
  const podSpec = ((d.spec as JSONObject).template as JSONObject).spec as JSONObject;
  const all = [...((podSpec.containers as JSONObject[]) ?? []), ...((podSpec.initContainers as JSONObject[]) ?? [])];
  return all.every((c) => {
    const ports = ((c.ports as JSONObject[]) ?? []).map((p) => p.containerPort);
    return new Set(ports).size === ports.length;
  });
}

/**
 * Upstream sorts the original primitive list in place before comparing it with the modified one, so turning
 * an unsorted list into its sorted order produces no patch at all (see the table above).
 */
function sortsFinalizers(a: JSONObject, b: JSONObject): boolean {
  const fa = (a.metadata as JSONObject).finalizers as string[] | undefined;
  const fb = (b.metadata as JSONObject).finalizers as string[] | undefined;
  return !!fa && !!fb && JSON.stringify([...fa].sort()) === JSON.stringify(fb);
}

test('createTwoWayMergePatch: applying the patch to original gives modified', () => {
  fc.assert(
    fc.property(deployment, deployment, (a, b) => {
      fc.pre(mergeKeysUnique(a) && mergeKeysUnique(b) && !sortsFinalizers(a, b));
      const patch = createTwoWayMergePatch({ original: a, modified: b, schema });
      assert.deepEqual(applyStrategicMergePatch({ original: a, patch, schema }), b);
      // Not always {}: upstream orders unsorted primitive merge lists (finalizers) even when unchanged.
      assert.deepEqual(applyStrategicMergePatch({ original: b, patch: createTwoWayMergePatch({ original: b, modified: b, schema }), schema }), b);
    }),
    { numRuns: 300 },
  );
});

test('createTwoWayMergePatch: kubectl applies our patches the same way', { skip: !kubectl && 'no kubectl' }, () => {
  fc.assert(
    fc.property(deployment, deployment, (a, b) => {
      fc.pre(mergeKeysUnique(a) && mergeKeysUnique(b) && !sortsFinalizers(a, b));
      const patch = createTwoWayMergePatch({ original: a, modified: b, schema });
      assert.deepEqual(kubectlStrategicPatch(kubectl!, a, patch), { result: b });
    }),
    { numRuns: 15 },
  );
});

test('createThreeWayMergePatch: the PATCH bodies real kubectl apply sent', () => {
  const captured = JSON.parse(readFileSync(new URL('./testdata/kubectl-apply-cases.json', import.meta.url), 'utf8')) as CapturedApplyCase[];
  assert.ok(captured.length >= 30);
  const versions = new Set<string>();
  for (const [i, c] of captured.entries()) {
    versions.add(c.kubectl);
    const live = c.live as JSONObject;
    const annotation = lastAppliedOf(c.fileObject as JSONObject);
    const modified = JSON.parse(annotation) as JSONObject;
    (modified.metadata as JSONObject).annotations = { [lastAppliedAnnotation]: annotation };
    const original = JSON.parse(((live.metadata as JSONObject).annotations as JSONObject)[lastAppliedAnnotation] as string) as JSONObject;
    const before = deepCopy(live);
    const patch = createThreeWayMergePatch({ original, modified, current: live, schema });
    assert.deepEqual(patch, c.patch ?? {}, `case ${i} (${c.kubectl})`);
    assert.deepEqual(live, before, `case ${i}: current modified`);
  }
  assert.deepEqual([...versions].sort(), ['kubectl.1.27', 'kubectl.1.30', 'kubectl.1.33']);
});

test('createThreeWayMergePatch: keeps other writers’ fields, deletes only what was applied before', () => {
  const original = deploy({ containers: [{ name: 'a', image: '1' }] }, { replicas: 1, paused: true });
  const current = deploy({ containers: [{ name: 'a', image: '1', imagePullPolicy: 'Always' }, { name: 'sidecar', image: 's' }] }, { replicas: 5, paused: true, progressDeadlineSeconds: 600 });
  const modified = deploy({ containers: [{ name: 'a', image: '2' }] }, { replicas: 1 });
  assert.deepEqual(createThreeWayMergePatch({ original, modified, current, schema }), {
    spec: {
      replicas: 1,
      paused: null,
      template: { spec: { containers: [{ name: 'a', image: '2' }], '$setElementOrder/containers': [{ name: 'a' }] } },
    },
  });
});

test('createThreeWayMergePatch: overwrite=false reports conflicting changes', () => {
  const cases: Array<{ name: string; original: JSONObject; current: JSONObject; modified: JSONObject; conflict: boolean }> = [
    { name: 'both changed replicas differently', original: { replicas: 1 }, current: { replicas: 2 }, modified: { replicas: 3 }, conflict: true },
    { name: 'both set the same value', original: { replicas: 1 }, current: { replicas: 2 }, modified: { replicas: 2 }, conflict: false },
    { name: 'the live change is to another field', original: {}, current: { replicas: 2 }, modified: { paused: true }, conflict: false },
    { name: 'deleting a field the live object changed', original: { replicas: 1 }, current: { replicas: 2 }, modified: {}, conflict: true },
  ];
  for (const c of cases) {
    const run = () =>
      createThreeWayMergePatch({
        original: deploy({ containers: [] }, c.original),
        modified: deploy({ containers: [] }, c.modified),
        current: deploy({ containers: [] }, c.current),
        schema,
        overwrite: false,
      });
    if (c.conflict) assert.throws(run, (err: unknown) => isConflict(err) && /conflicts with changes made from original to current/.test((err as Error).message), c.name);
    else assert.doesNotThrow(run, c.name);
  }
});
