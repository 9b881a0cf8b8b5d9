import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generatedResources } from '../generated/resources.js';
import { definitionFor, fieldsOf, referencedDefinition, type DefinitionSchema, type FieldSchema } from '../schema.js';
import type { JSONObject, JSONValue } from './fields.js';
import { applyDefaults, builtinDefaulters, defaulterFor } from './registry.js';

function splitKey(key: string): [group: string, version: string, kind: string] {
  const [group, version, kind] = key.split('/') as [string, string, string];
  return [group, version, kind];
}

/**
 * An object of `def` with every nested object present, recursively (lists with one item, maps with one
 * entry) and no scalar set: the input that drives every branch of a defaulter that depends on nesting.
 */
function skeleton(def: DefinitionSchema, path: ReadonlySet<string> = new Set()): JSONObject {
  const out: JSONObject = {};
  const inner = new Set(path).add(def.name);
  for (const [name, field] of Object.entries(fieldsOf(def))) {
    const value = skeletonValue(field, inner);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function skeletonValue(field: FieldSchema, path: ReadonlySet<string>): JSONValue | undefined {
  if (field.type === 'ref') {
    const def = referencedDefinition(field)!;
    return def.type === 'object' && def.fields && !path.has(def.name) ? skeleton(def, path) : undefined;
  }
  if (field.type === 'array' && field.items) {
    const item = skeletonValue(field.items, path);
    return item === undefined ? undefined : [item];
  }
  if (field.type === 'map' && field.values) {
    const value = skeletonValue(field.values, path);
    return value === undefined ? undefined : { key: value };
  }
  return undefined;
}

/** Schema violations of `value` at `path`: unknown fields, wrong JSON types, values outside an enum. */
function violations(value: JSONValue, schema: FieldSchema | DefinitionSchema, path: string): string[] {
  if (value === null) return [];
  if (schema.type === 'ref') return violations(value, referencedDefinition(schema as FieldSchema)!, path);
  const errors: string[] = [];
  const expect = (ok: boolean, what: string): void => {
    if (!ok) errors.push(`${path}: ${JSON.stringify(value)} is not ${what}`);
  };
  switch (schema.type) {
    case 'string':
      if (schema.intOrString) expect(typeof value === 'string' || Number.isInteger(value), 'an int-or-string');
      else expect(typeof value === 'string', 'a string');
      if (typeof value === 'string' && schema.enum) expect(schema.enum.includes(value), `one of ${schema.enum.join(', ')}`);
      break;
    case 'integer':
      expect(Number.isInteger(value), 'an integer');
      break;
    case 'number':
      expect(typeof value === 'number', 'a number');
      break;
    case 'boolean':
      expect(typeof value === 'boolean', 'a boolean');
      break;
    case 'array':
      if (!Array.isArray(value)) expect(false, 'a list');
      else value.forEach((item, i) => errors.push(...violations(item, (schema as FieldSchema).items!, `${path}[${i}]`)));
      break;
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value)) expect(false, 'a map');
      else for (const [k, v] of Object.entries(value)) errors.push(...violations(v, schema.values!, `${path}[${k}]`));
      break;
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        expect(false, 'an object');
        break;
      }
      const fields = 'fields' in schema ? schema.fields : undefined;
      if (!fields) break;
      for (const [k, v] of Object.entries(value)) {
        if (!Object.hasOwn(fields, k)) errors.push(`${path}.${k}: no such field`);
        else errors.push(...violations(v, fields[k]!, `${path}.${k}`));
      }
      break;
    }
    default:
      break;
  }
  return errors;
}

test('every table entry is a served built-in kind', () => {
  const served = new Set(generatedResources.map((r) => `${r.group}/${r.version}/${r.kind}`));
  for (const key of builtinDefaulters.keys()) {
    assert.ok(served.has(key), `${key} is not served`);
    assert.ok(definitionFor(...splitKey(key)), `${key} has no schema`);
  }
});

test('defaults write only fields of the 1.36 schema, with its types and enums, and are idempotent', () => {
  for (const key of builtinDefaulters.keys()) {
    const def = definitionFor(...splitKey(key))!;
    for (const input of [skeleton(def), {}]) {
      const obj = structuredClone(input);
      applyDefaults(...splitKey(key), obj, { clock: { now: () => 0 } });
      assert.deepEqual(violations(obj, def, key), [], key);
      const again = structuredClone(obj);
      applyDefaults(...splitKey(key), again, { clock: { now: () => 1e12 } });
      assert.deepEqual(again, obj, `${key} is not idempotent`);
    }
  }
});

test('applyDefaults dispatch', () => {
  const pod = (): JSONObject => ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'c:1' }] } });
  const cases: Array<{ name: string; gvk: [string, string, string]; obj: JSONObject; check: (obj: JSONObject) => void }> = [
    {
      name: 'a core kind',
      gvk: ['', 'v1', 'Pod'], obj: pod(),
      check: (obj) => assert.equal((obj.spec as JSONObject).enableServiceLinks, true),
    },
    {
      name: 'a list defaults its items',
      gvk: ['', 'v1', 'PodList'], obj: { items: [pod(), pod()] },
      check: (obj) => {
        for (const item of obj.items as JSONObject[]) assert.equal((item.spec as JSONObject).restartPolicy, 'Always');
      },
    },
    {
      name: 'kinds without defaults are untouched',
      gvk: ['', 'v1', 'ConfigMap'], obj: { metadata: { name: 'c' } },
      check: (obj) => assert.deepEqual(obj, { metadata: { name: 'c' } }),
    },
    {
      name: 'custom resources are untouched, even when they look like pods',
      gvk: ['stable.example.com', 'v1', 'Pod'], obj: pod(),
      check: (obj) => assert.deepEqual(obj, pod()),
    },
    {
      name: 'the same kind in another version is another entry',
      gvk: ['autoscaling', 'v1', 'HorizontalPodAutoscaler'], obj: { spec: { maxReplicas: 3 } },
      check: (obj) => assert.deepEqual(obj, { spec: { maxReplicas: 3, minReplicas: 1 } }),
    },
    {
      name: 'the clock comes from the options',
      gvk: ['resource.k8s.io', 'v1', 'ResourceSlice'], obj: { spec: { devices: [{ name: 'd', taints: [{ key: 'k', effect: 'NoSchedule' }] }] } },
      check: (obj) => assert.deepEqual(obj, { spec: { devices: [{ name: 'd', taints: [{ key: 'k', effect: 'NoSchedule', timeAdded: '2001-09-09T01:46:40Z' }] }] } }),
    },
  ];
  for (const c of cases) {
    applyDefaults(...c.gvk, c.obj, { clock: { now: () => 1e12 + 999 } });
    c.check(c.obj);
  }
  assert.equal(defaulterFor('apps', 'v1', 'Deployment'), builtinDefaulters.get('apps/v1/Deployment'));
  assert.equal(defaulterFor('apps', 'v1', 'ControllerRevision'), undefined);
});
