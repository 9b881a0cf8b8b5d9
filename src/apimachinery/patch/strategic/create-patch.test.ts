import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isConflict } from '../../errors.js';
import type { JSONObject } from '../json-value.js';
import { createThreeWayMergePatch, createTwoWayMergePatch } from './create-patch.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import { testDeploymentSchema as schema, testPDBSchema } from './testdata/test-schema.js';

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
  for (const c of cases) {
    const s = c.original.kind === 'PodDisruptionBudget' ? testPDBSchema : schema;
    const patch = createTwoWayMergePatch({ original: c.original, modified: c.modified, schema: s });
    assert.deepEqual(patch, c.want, c.name);
    if (!c.name.includes('quirk')) assert.deepEqual(applyStrategicMergePatch({ original: c.original, patch, schema: s }), c.modified, `${c.name}: round trip`);
  }
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
