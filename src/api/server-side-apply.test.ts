// Server-side apply and managedFields on the generated schema tables: Deployment scenarios (apply twice, conflicts
// with a client-side-apply owner, force, co-ownership, pruning, CSA upgrade) and fast-check properties.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { apply, lastAppliedConfigAnnotation, managerFromUserAgent, updateManagedFields } from '../apimachinery/apply/apply.js';
import { excludeFields } from '../apimachinery/apply/field-filter.js';
import { FieldSet } from '../apimachinery/apply/field-set.js';
import type { ManagedFieldsEntry } from '../apimachinery/apply/managed-fields.js';
import { pathString } from '../apimachinery/apply/path-element.js';
import { isConflict, StatusError } from '../apimachinery/errors.js';
import type { JSONObject, JSONValue } from '../apimachinery/patch/json-value.js';
import { applySchemaFor, zeroObjectFor } from './apply-schema.js';

const schema = applySchemaFor('apps', 'v1', 'Deployment')!;
const emptyObject = zeroObjectFor('apps', 'v1', 'Deployment')!;
const t0 = new Date('2026-11-22T06:00:00Z');
const t1 = new Date('2026-11-22T06:05:00.700Z');

interface DeploymentShape {
  replicas?: number;
  image?: string;
  containers?: JSONObject[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function deployment(s: DeploymentShape = {}): JSONObject {
  const labels = s.labels ?? { app: 'web' };
  const meta: JSONObject = { name: 'web', namespace: 'default', labels };
  if (s.annotations) meta.annotations = s.annotations;
  const spec: JSONObject = {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: s.containers ?? [{ name: 'nginx', image: s.image ?? 'nginx:1.25' }] },
    },
  };
  if (s.replicas !== undefined) spec.replicas = s.replicas;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec };
}

/** What the stored object looks like after a create by `manager` (with a uid, as storage assigns). */
function created(obj: JSONObject, manager: string): JSONObject {
  const withUID = { ...obj, metadata: { ...(obj.metadata as JSONObject), uid: 'uid-1' } };
  return updateManagedFields({ old: undefined, new: withUID, manager, apiVersion: 'apps/v1', schema, now: t0, emptyObject }).object;
}

function entries(obj: JSONObject): ManagedFieldsEntry[] {
  return ((obj.metadata as JSONObject).managedFields ?? []) as unknown as ManagedFieldsEntry[];
}

function entry(obj: JSONObject, manager: string, operation = 'Apply'): ManagedFieldsEntry | undefined {
  return entries(obj).find((e) => e.manager === manager && e.operation === operation);
}

function at(obj: JSONValue, ...path: Array<string | number>): JSONValue | undefined {
  let v: JSONValue | undefined = obj;
  for (const p of path) v = v === undefined || v === null ? undefined : (v as Record<string, JSONValue>)[p];
  return v;
}

function conflictOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    assert.ok(isConflict(err), `expected a Conflict, got ${String(err)}`);
    return err as StatusError;
  }
  assert.fail('expected a conflict');
}

test('apply creates, then applies changes; the applier owns exactly its configuration', () => {
  const first = apply({ live: undefined, applied: deployment({ replicas: 2 }), manager: 'kubectl', force: false, apiVersion: 'apps/v1', schema, now: t0 });
  assert.equal(first.changed, true);
  assert.equal(at(first.object, 'spec', 'replicas'), 2);
  assert.deepEqual(first.managedFields, [
    {
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: '2026-11-22T06:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': {
          'f:replicas': {},
          'f:selector': {},
          'f:template': {
            'f:metadata': { 'f:labels': { 'f:app': {} } },
            'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
          },
        },
      },
    },
  ]);
  const second = apply({ live: first.object, applied: deployment({ replicas: 3, image: 'nginx:1.26' }), manager: 'kubectl', force: false, apiVersion: 'apps/v1', schema, now: t1 });
  assert.equal(at(second.object, 'spec', 'replicas'), 3);
  assert.equal(at(second.object, 'spec', 'template', 'spec', 'containers', 0, 'image'), 'nginx:1.26');
  assert.equal(second.managedFields.length, 1);
  assert.equal(second.managedFields[0]!.time, '2026-11-22T06:05:00Z', 'time in whole seconds');
});

test('conflicts with a client-side-apply owner: 409 in upstream format; force takes ownership', () => {
  const live = created(deployment({ replicas: 2 }), 'kubectl-client-side-apply');
  const cases: Array<{ name: string; applied: JSONObject; message: string; fields: string[] }> = [
    {
      name: 'one conflict',
      applied: deployment({ replicas: 3 }),
      message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
      fields: ['.spec.replicas'],
    },
    {
      name: 'two conflicts',
      applied: deployment({ replicas: 3, image: 'nginx:2' }),
      message:
        'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image',
      fields: ['.spec.replicas', '.spec.template.spec.containers[name="nginx"].image'],
    },
  ];
  for (const c of cases) {
    const err = conflictOf(() => apply({ live, applied: c.applied, manager: 'ssa', force: false, apiVersion: 'apps/v1', schema, now: t1 }));
    assert.equal(err.status.code, 409, c.name);
    assert.equal(err.status.message, c.message, c.name);
    assert.deepEqual(
      err.status.details?.causes,
      c.fields.map((field) => ({ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field })),
      c.name,
    );
    const forced = apply({ live, applied: c.applied, manager: 'ssa', force: true, apiVersion: 'apps/v1', schema, now: t1 });
    assert.equal(at(forced.object, 'spec', 'replicas'), 3, c.name);
    const csa = JSON.stringify(entry(forced.object, 'kubectl-client-side-apply', 'Update')?.fieldsV1);
    assert.ok(!csa.includes('f:replicas'), `${c.name}: the old owner lost .spec.replicas`);
    assert.ok(JSON.stringify(entry(forced.object, 'ssa')?.fieldsV1).includes('f:replicas'), c.name);
  }
});

test('equal values are co-owned without conflict, and a co-owned field survives when one owner drops it', () => {
  const live = created(deployment({ replicas: 2 }), 'kubectl-client-side-apply');
  const r = apply({ live, applied: deployment({ replicas: 2 }), manager: 'ssa', force: false, apiVersion: 'apps/v1', schema, now: t1 });
  assert.equal(r.changed, false);
  assert.ok(JSON.stringify(entry(r.object, 'ssa')?.fieldsV1).includes('f:replicas'));
  assert.ok(JSON.stringify(entry(r.object, 'kubectl-client-side-apply', 'Update')?.fieldsV1).includes('f:replicas'));
  const dropped = apply({ live: r.object, applied: deployment({}), manager: 'ssa', force: false, apiVersion: 'apps/v1', schema, now: t1 });
  assert.equal(at(dropped.object, 'spec', 'replicas'), 2, 'still owned by the client-side-apply manager');
  assert.ok(!JSON.stringify(entry(dropped.object, 'ssa')?.fieldsV1).includes('f:replicas'));
});

test('fields the applier stops applying are removed when no one else owns them', () => {
  const cases: Array<{ name: string; before: DeploymentShape; after: DeploymentShape; check: (o: JSONObject) => void }> = [
    { name: 'scalar', before: { replicas: 4 }, after: {}, check: (o) => assert.equal(at(o, 'spec', 'replicas'), undefined) },
    {
      name: 'list-map item',
      before: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] },
      after: { containers: [{ name: 'b', image: 'b:1' }] },
      check: (o) => assert.deepEqual(at(o, 'spec', 'template', 'spec', 'containers'), [{ name: 'b', image: 'b:1' }]),
    },
    {
      name: 'map key',
      before: { labels: { app: 'web', tier: 'fe' } },
      after: { labels: { app: 'web' } },
      check: (o) => assert.deepEqual(at(o, 'metadata', 'labels'), { app: 'web' }),
    },
    {
      name: 'field inside a list item',
      before: { containers: [{ name: 'a', image: 'a:1', command: ['run'] }] },
      after: { containers: [{ name: 'a', image: 'a:1' }] },
      check: (o) => assert.deepEqual(at(o, 'spec', 'template', 'spec', 'containers'), [{ name: 'a', image: 'a:1' }]),
    },
  ];
  for (const c of cases) {
    const first = apply({ live: undefined, applied: deployment(c.before), manager: 'm', force: false, apiVersion: 'apps/v1', schema, now: t0 });
    const second = apply({ live: first.object, applied: deployment(c.after), manager: 'm', force: false, apiVersion: 'apps/v1', schema, now: t1 });
    c.check(second.object);
    assert.ok(second.changed, c.name);
  }
});

test('fields set by an Update manager are kept when the applier never owned them', () => {
  const first = apply({ live: undefined, applied: deployment({}), manager: 'm', force: false, apiVersion: 'apps/v1', schema, now: t0 });
  const scaled = structuredClone(first.object);
  (scaled.spec as JSONObject).replicas = 5;
  const afterScale = updateManagedFields({ old: first.object, new: scaled, manager: 'kubectl', apiVersion: 'apps/v1', subresource: 'scale', schema, now: t1 });
  const e = entry(afterScale.object, 'kubectl', 'Update')!;
  assert.equal(e.subresource, 'scale');
  assert.deepEqual(e.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  const again = apply({ live: afterScale.object, applied: deployment({ labels: { app: 'web', v: '2' } }), manager: 'm', force: false, apiVersion: 'apps/v1', schema, now: t1 });
  assert.equal(at(again.object, 'spec', 'replicas'), 5);
  const conflict = conflictOf(() => apply({ live: afterScale.object, applied: deployment({ replicas: 1 }), manager: 'm', force: false, apiVersion: 'apps/v1', schema, now: t1 }));
  assert.equal(conflict.status.message, 'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas');
});

test('list-map merge keeps the order of both sides', () => {
  const live = apply({
    live: undefined,
    applied: deployment({ containers: [{ name: 'a', image: '1' }, { name: 'b', image: '1' }, { name: 'c', image: '1' }] }),
    manager: 'one',
    force: false,
    apiVersion: 'apps/v1',
    schema,
    now: t0,
  }).object;
  const r = apply({
    live,
    applied: deployment({ containers: [{ name: 'c', image: '1' }, { name: 'd', image: '1' }, { name: 'a', image: '1' }] }),
    manager: 'two',
    force: false,
    apiVersion: 'apps/v1',
    schema,
    now: t1,
  });
  const names = (at(r.object, 'spec', 'template', 'spec', 'containers') as JSONObject[]).map((c) => c.name);
  // b (live only) stays before c, where it was; c, d, a follow in the applied order.
  assert.deepEqual(names, ['b', 'c', 'd', 'a']);
});

test('bad configurations are 400', () => {
  const withManaged = deployment();
  (withManaged.metadata as JSONObject).managedFields = [];
  const cases: Array<[JSONObject, string]> = [
    [withManaged, 'metadata.managedFields must be nil'],
    [{ ...deployment(), apiVersion: 'apps/v1beta1' }, 'Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1'],
  ];
  for (const [applied, message] of cases) {
    assert.throws(
      () => apply({ live: undefined, applied, manager: 'm', force: false, apiVersion: 'apps/v1', schema, now: t0 }),
      (err: unknown) => err instanceof StatusError && err.status.code === 400 && err.status.message === message,
    );
  }
});

test('an object without managedFields is owned by before-first-apply on its first apply', () => {
  const live = { ...deployment({ replicas: 1 }), metadata: { name: 'web', namespace: 'default', uid: 'u', labels: { app: 'web' } } };
  const err = conflictOf(() => apply({ live, applied: deployment({ replicas: 2 }), manager: 'm', force: false, apiVersion: 'apps/v1', schema, now: t1 }));
  assert.match(err.status.message!, /conflict with "before-first-apply" using apps\/v1: \.spec\.replicas$/);
});

test('kubectl upgrades from client-side apply: conflicts on fields last-applied still matches are taken over', () => {
  const config = deployment({ replicas: 2 });
  const annotated = deployment({ replicas: 2, annotations: { [lastAppliedConfigAnnotation]: JSON.stringify(config) } });
  const live = created(annotated, 'kubectl-client-side-apply');
  const next = deployment({ replicas: 3 });
  // Another manager name gets the conflict …
  conflictOf(() => apply({ live, applied: next, manager: 'other', force: false, apiVersion: 'apps/v1', schema, now: t1 }));
  // … kubectl takes replicas over, and rewrites the annotation to its configuration.
  const r = apply({ live, applied: next, manager: 'kubectl', force: false, apiVersion: 'apps/v1', schema, now: t1 });
  assert.equal(at(r.object, 'spec', 'replicas'), 3);
  assert.deepEqual(JSON.parse(at(r.object, 'metadata', 'annotations', lastAppliedConfigAnnotation) as string), next);
  // A field whose live value no longer matches last-applied still conflicts.
  const drifted = structuredClone(live);
  (drifted.spec as JSONObject).replicas = 7;
  conflictOf(() => apply({ live: drifted, applied: next, manager: 'kubectl', force: false, apiVersion: 'apps/v1', schema, now: t1 }));
});

test('updateManagedFields on create: compared with the zero Deployment, so its non-pointer structs are not owned themselves', () => {
  const obj = created(deployment({ replicas: 2 }), 'kubectl-client-side-apply');
  assert.deepEqual(entries(obj), [
    {
      manager: 'kubectl-client-side-apply',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2026-11-22T06:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
        'f:spec': {
          'f:replicas': {},
          'f:selector': {},
          'f:template': {
            'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
            'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
          },
        },
      },
    },
  ]);
});

test('updateManagedFields: entries per manager, version and subresource; no entry for a write that changes nothing', () => {
  const live = created(deployment({ replicas: 1 }), 'kubectl-create');
  const edited = structuredClone(live);
  (edited.spec as JSONObject).replicas = 2;
  const r = updateManagedFields({ old: live, new: edited, manager: 'kubectl-edit', apiVersion: 'apps/v1', schema, now: t1 });
  assert.deepEqual(
    entries(r.object).map((e) => [e.manager, e.operation, e.time]),
    [
      ['kubectl-create', 'Update', '2026-11-22T06:00:00Z'],
      ['kubectl-edit', 'Update', '2026-11-22T06:05:00Z'],
    ],
  );
  assert.ok(!JSON.stringify(entry(r.object, 'kubectl-create', 'Update')!.fieldsV1).includes('f:replicas'), 'ownership moves on update');
  const same = updateManagedFields({ old: r.object, new: structuredClone(r.object), manager: 'someone', apiVersion: 'apps/v1', schema, now: t1 });
  assert.deepEqual(entries(same.object), entries(r.object));
});

test('updateManagedFields: client-written managedFields are used (CSA→SSA migration), [] resets them, subresources cannot write them', () => {
  const live = created(deployment({ replicas: 1 }), 'kubectl-client-side-apply');
  const migrated = structuredClone(live);
  const csa = entry(live, 'kubectl-client-side-apply', 'Update')!;
  (migrated.metadata as JSONObject).managedFields = [{ ...csa, manager: 'kubectl', operation: 'Apply' }] as unknown as JSONValue;
  const r = updateManagedFields({ old: live, new: migrated, manager: 'kubectl', apiVersion: 'apps/v1', schema, now: t1 });
  assert.deepEqual(entries(r.object).map((e) => [e.manager, e.operation]), [['kubectl', 'Apply']]);

  const reset = structuredClone(live);
  (reset.metadata as JSONObject).managedFields = [];
  assert.deepEqual(entries(updateManagedFields({ old: live, new: reset, manager: 'x', apiVersion: 'apps/v1', schema, now: t1 }).object), []);

  const viaStatus = updateManagedFields({ old: live, new: reset, manager: 'x', apiVersion: 'apps/v1', subresource: 'status', schema, now: t1 });
  assert.deepEqual(entries(viaStatus.object).map((e) => e.manager), ['kubectl-client-side-apply']);
});

test('updateManagedFields: more than ten Update managers fold the oldest into ancient-changes', () => {
  let obj = created(deployment({ replicas: 0 }), 'creator');
  for (let i = 1; i <= 11; i++) {
    const next = structuredClone(obj);
    ((next.metadata as JSONObject).labels as JSONObject)[`l${i}`] = 'x';
    obj = updateManagedFields({ old: obj, new: next, manager: `m${i}`, apiVersion: 'apps/v1', schema, now: new Date(t0.getTime() + i * 1000) }).object;
  }
  const names = entries(obj).map((e) => e.manager);
  assert.equal(names.length, 10);
  assert.ok(names.includes('ancient-changes'));
  assert.ok(!names.includes('creator') && !names.includes('m1'));
  const bucket = entry(obj, 'ancient-changes', 'Update')!;
  assert.equal(bucket.time, '2026-11-22T06:00:02Z', 'the bucket carries the time of the newest folded entry');
  assert.ok(JSON.stringify(bucket.fieldsV1).includes('f:l1') && JSON.stringify(bucket.fieldsV1).includes('f:replicas'));
});

test('managerFromUserAgent', () => {
  const cases: Array<[string, string]> = [
    ['kubectl/v1.33.0 (linux/amd64) kubernetes/abc', 'kubectl'],
    ['kube-controller-manager/v1.33.0 (linux/amd64) kubernetes/abc/system:serviceaccount:kube-system:deployment-controller', 'kube-controller-manager'],
    ['curl', 'curl'],
    ['', ''],
  ];
  for (const [ua, want] of cases) assert.equal(managerFromUserAgent(ua), want);
});

// Containers are never empty: an applied empty list owns nothing (upstream's ToFieldSet), so pruning the
// items the applier owned before also prunes the struct fields above them, and a second apply differs.
const shape: fc.Arbitrary<DeploymentShape> = fc.record(
  {
    replicas: fc.integer({ min: 0, max: 5 }),
    labels: fc.dictionary(fc.constantFrom('app', 'tier', 'env', 'x'), fc.constantFrom('a', 'b'), { noNullPrototype: true }),
    containers: fc.uniqueArray(
      fc.record({ name: fc.constantFrom('a', 'b', 'c', 'd'), image: fc.constantFrom('i:1', 'i:2'), args: fc.array(fc.constantFrom('-v', '-q'), { maxLength: 2 }) }, { noNullPrototype: true }),
      { selector: (c) => c.name, minLength: 1, maxLength: 3 },
    ),
  },
  { requiredKeys: [], noNullPrototype: true },
);

test('property: applying the same configuration twice is a no-op', () => {
  fc.assert(
    fc.property(shape, shape, (s1, s2) => {
      const first = apply({ live: undefined, applied: deployment(s1), manager: 'm', force: false, apiVersion: 'apps/v1', schema, now: t0 });
      const second = apply({ live: first.object, applied: deployment(s2), manager: 'm', force: false, apiVersion: 'apps/v1', schema, now: t1 });
      const third = apply({ live: second.object, applied: deployment(s2), manager: 'm', force: false, apiVersion: 'apps/v1', schema, now: new Date(t1.getTime() + 60_000) });
      assert.equal(third.changed, false);
      assert.deepEqual(third.object, second.object);
    }),
    { numRuns: 150 },
  );
});

test('property: a sole applier ends up with exactly what it applied', () => {
  fc.assert(
    fc.property(shape, shape, (s1, s2) => {
      const first = apply({ live: undefined, applied: deployment(s1), manager: 'm', force: false, apiVersion: 'apps/v1', schema, now: t0 });
      const second = apply({ live: first.object, applied: deployment(s2), manager: 'm', force: false, apiVersion: 'apps/v1', schema, now: t1 });
      const { managedFields: _, ...meta } = second.object.metadata as JSONObject;
      assert.deepEqual({ ...second.object, metadata: meta }, deployment(s2));
    }),
    { numRuns: 150 },
  );
});

test('configurations whose list items cannot be identified fail as upstream (500, message verbatim)', () => {
  const cases: Array<[string, JSONObject[], string]> = [
    [
      'duplicate key',
      [{ name: 'a', image: '1' }, { name: 'a', image: '2' }],
      '.spec.template.spec.containers: duplicate entries for key [name="a"]',
    ],
    [
      'no key field',
      [{ image: '1' }],
      '.spec.template.spec.containers: element 0: associative list with keys has an element that omits all key fields ["name"] (and doesn\'t have default values for any key fields)',
    ],
  ];
  for (const [name, containers, detail] of cases) {
    assert.throws(
      () => apply({ live: undefined, applied: deployment({ containers }), manager: 'm', force: false, apiVersion: 'apps/v1', schema, now: t0 }),
      (err: unknown) =>
        err instanceof StatusError &&
        err.status.code === 500 &&
        err.status.message === `failed to create typed patch object (default/web; apps/v1, Kind=Deployment): ${detail}`,
      name,
    );
  }
});

test('kubectl rewrites an existing last-applied annotation as Go writes it: sorted keys, HTML characters escaped', () => {
  const old = deployment({ replicas: 1, annotations: { [lastAppliedConfigAnnotation]: '{}' } });
  const live = created(old, 'kubectl-client-side-apply');
  const next = deployment({ replicas: 1, labels: { app: 'web', note: 'a<b' } });
  const r = apply({ live, applied: next, manager: 'kubectl', force: true, apiVersion: 'apps/v1', schema, now: t1 });
  const text = at(r.object, 'metadata', 'annotations', lastAppliedConfigAnnotation) as string;
  assert.ok(text.startsWith('{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":{"app":"web","note":"a\\u003cb"},"name":"web","namespace":"default"}'), text);
  assert.deepEqual(JSON.parse(text), next);
  // Other managers leave the annotation alone.
  const other = apply({ live, applied: next, manager: 'other', force: true, apiVersion: 'apps/v1', schema, now: t1 });
  assert.equal(at(other.object, 'metadata', 'annotations', lastAppliedConfigAnnotation), '{}');
});

/** Whether `path` (FieldsV1 path elements) leads to something in `obj`. */
function exists(obj: JSONValue, path: ReadonlyArray<{ kind: string; name?: string; key?: ReadonlyArray<readonly [string, JSONValue]>; value?: JSONValue }>): boolean {
  let v: JSONValue | undefined = obj;
  for (const pe of path) {
    if (pe.kind === 'field') {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, pe.name!)) return false;
      v = v[pe.name!];
    } else if (pe.kind === 'key') {
      if (!Array.isArray(v)) return false;
      v = v.find((item) => item !== null && typeof item === 'object' && !Array.isArray(item) && pe.key!.every(([k, kv]) => JSON.stringify(item[k]) === JSON.stringify(kv)));
      if (v === undefined) return false;
    } else if (pe.kind === 'value') {
      if (!Array.isArray(v) || !v.some((item) => JSON.stringify(item) === JSON.stringify(pe.value))) return false;
      v = pe.value;
    } else return false;
  }
  return true;
}

type Step = { op: 'apply'; manager: 'a' | 'b'; shape: DeploymentShape; force: boolean } | { op: 'update'; manager: 'u'; replicas: number; label: string };

test('property: with several managers, every owned path exists, no entry is empty, and unforced applies never change what only others own', () => {
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ op: fc.constant('apply' as const), manager: fc.constantFrom('a' as const, 'b' as const), shape, force: fc.boolean() }, { noNullPrototype: true }),
    fc.record({ op: fc.constant('update' as const), manager: fc.constant('u' as const), replicas: fc.integer({ min: 0, max: 3 }), label: fc.constantFrom('x', 'y') }, { noNullPrototype: true }),
  );
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), (steps) => {
      let obj: JSONObject | undefined;
      let clock = t0.getTime();
      for (const s of steps) {
        clock += 1000;
        const now = new Date(clock);
        if (s.op === 'update') {
          if (!obj) continue;
          const next = structuredClone(obj);
          (next.spec as JSONObject).replicas = s.replicas;
          ((next.metadata as JSONObject).labels as JSONObject)[s.label] = 'u';
          obj = updateManagedFields({ old: obj, new: next, manager: s.manager, apiVersion: 'apps/v1', schema, now, emptyObject }).object;
          continue;
        }
        const before = obj;
        let r;
        try {
          r = apply({ live: before, applied: deployment(s.shape), manager: s.manager, force: s.force, apiVersion: 'apps/v1', schema, now, emptyObject });
        } catch (err) {
          assert.ok(isConflict(err) && !s.force, `only unforced applies conflict: ${String(err)}`);
          continue;
        }
        obj = r.object;
        if (before && !s.force) {
          // Leaves other managers owned keep their value (co-owned ones may only be set to the same value).
          for (const e of entries(before)) {
            if (e.manager === s.manager && e.operation === 'Apply') continue;
            for (const p of FieldSet.fromFieldsV1(e.fieldsV1!).paths()) {
              if (p.some((pe) => pe.kind !== 'field')) continue;
              const names = p.map((pe) => (pe as { name: string }).name);
              // Owning a granular map or struct only means owning its existence; compare leaves.
              const was = at(before, ...names);
              if (was !== null && typeof was === 'object') continue;
              assert.deepEqual(at(obj, ...names), at(before, ...names), `${e.manager} owns .${names.join('.')}`);
            }
          }
        }
      }
      if (!obj) return;
      for (const e of entries(obj)) {
        assert.ok(e.fieldsV1 && Object.keys(e.fieldsV1).length > 0, `${e.manager} has an empty entry`);
        for (const p of FieldSet.fromFieldsV1(e.fieldsV1).paths()) assert.ok(exists(obj, p), `${e.manager} owns ${pathString(p)}, which is missing`);
      }
    }),
    { numRuns: 150 },
  );
});

test('reset fields (ignoredFields) are never owned; subresource appliers get their own entry', () => {
  const status = excludeFields(FieldSet.fromFieldsV1({ 'f:status': {} }));
  const spec = excludeFields(FieldSet.fromFieldsV1({ 'f:spec': {} }));
  const withStatus = { ...deployment({ replicas: 1 }), status: { replicas: 1 } };
  const main = apply({ live: undefined, applied: withStatus, manager: 'm', force: false, apiVersion: 'apps/v1', schema, now: t0, ignoredFields: status });
  assert.ok(!JSON.stringify(main.managedFields).includes('f:status'));
  const viaStatus = apply({
    live: main.object,
    applied: { ...deployment({ replicas: 9 }), status: { replicas: 2 } },
    manager: 'controller',
    force: false,
    apiVersion: 'apps/v1',
    subresource: 'status',
    schema,
    now: t1,
    ignoredFields: spec,
  });
  const e = entry(viaStatus.object, 'controller')!;
  assert.equal(e.subresource, 'status');
  assert.deepEqual(e.fieldsV1, { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:status': { 'f:replicas': {} } });
});

test('list-map keys with schema defaults: a port without protocol is the port with protocol TCP', () => {
  const withPorts = (ports: JSONObject[]) => deployment({ containers: [{ name: 'nginx', image: 'nginx:1.25', ports }] });
  const first = apply({ live: undefined, applied: withPorts([{ containerPort: 80 }]), manager: 'm', force: false, apiVersion: 'apps/v1', schema, now: t0 });
  assert.ok(JSON.stringify(first.managedFields).includes('k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}'));
  // The stored object after the apiserver's defaulting: protocol filled in.
  const live = structuredClone(first.object);
  ((at(live, 'spec', 'template', 'spec', 'containers', 0, 'ports') as JSONObject[])[0]!).protocol = 'TCP';
  const r = apply({ live, applied: withPorts([{ containerPort: 80, name: 'http' }]), manager: 'm', force: false, apiVersion: 'apps/v1', schema, now: t1 });
  assert.deepEqual(at(r.object, 'spec', 'template', 'spec', 'containers', 0, 'ports'), [{ containerPort: 80, protocol: 'TCP', name: 'http' }]);
  const fields = JSON.stringify(r.managedFields[0]!.fieldsV1);
  assert.ok(fields.includes('"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}"'), fields);
  assert.ok(!fields.includes('f:protocol'), 'the applier did not set protocol itself');
});
