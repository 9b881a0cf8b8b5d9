// Property test for checkUnknownFields over the real schema tables: objects generated from a kind's schema have no
// unknown fields, and one extra key planted anywhere a schema declares fields is reported at exactly its path.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { DefinitionSchema, FieldSchema } from '../../api/definition.js';
import { definitionFor, definitionNamed } from '../../api/schema.js';
import { checkUnknownFields } from './unknown-fields.js';

const kinds = [
  { group: 'apps', version: 'v1', kind: 'Deployment' },
  { group: '', version: 'v1', kind: 'Pod' },
  { group: 'batch', version: 'v1', kind: 'CronJob' },
  { group: '', version: 'v1', kind: 'Service' },
  { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole' },
];

/** A small deterministic PRNG so one fast-check integer seeds a whole object. */
function prng(seed: number) {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

interface Site {
  /** The object an unknown key can be planted into, and that object's path. */
  target: Record<string, unknown>;
  path: string;
}

/** Generates a value valid for `schema`, recording every object whose keys the schema declares. */
function generate(schema: FieldSchema | DefinitionSchema, rand: (n: number) => number, depth: number, path: string, sites: Site[]): unknown {
  if (schema.type === 'ref') {
    const def = definitionNamed((schema as FieldSchema).ref!)!;
    return generate(def, rand, depth, path, sites);
  }
  switch (schema.type) {
    case 'string':
      return schema.enum ? schema.enum[rand(schema.enum.length)] : `s${rand(100)}`;
    case 'integer':
      return rand(1000);
    case 'number':
      return rand(1000) / 10;
    case 'boolean':
      return rand(2) === 1;
    case 'array': {
      const items = (schema as FieldSchema).items;
      if (!items || depth <= 0) return [];
      return Array.from({ length: rand(3) }, (_, i) => generate(items, rand, depth - 1, `${path}[${i}]`, sites));
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      if (!schema.values || depth <= 0) return out;
      for (let i = rand(3); i > 0; i--) {
        const key = `k${rand(50)}.example/x`;
        out[key] = generate(schema.values, rand, depth - 1, path ? `${path}.${key}` : key, sites);
      }
      return out;
    }
    case 'object': {
      const fields = 'fields' in schema ? schema.fields : undefined;
      const out: Record<string, unknown> = {};
      if (!fields || schema.preserveUnknownFields) return out;
      sites.push({ target: out, path });
      if (depth <= 0) return out;
      for (const [name, f] of Object.entries(fields)) {
        if (rand(3) === 0) continue;
        out[name] = generate(f, rand, depth - 1, path ? `${path}.${name}` : name, sites);
      }
      return out;
    }
    default:
      return null;
  }
}

test('generated objects have no unknown fields; a planted key is found at its path', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constantFrom(...kinds), (seed, gvk) => {
      const rand = prng(seed);
      const sites: Site[] = [];
      const obj = generate(definitionFor(gvk.group, gvk.version, gvk.kind)!, rand, 6, '', sites);
      assert.deepEqual(checkUnknownFields(obj, gvk), []);

      const site = sites[rand(sites.length)]!;
      const key = `zz_unknown_${rand(1000)}`;
      site.target[key] = { nested: rand(2) === 1 ? [1] : 'x' };
      const expected = site.path ? `${site.path}.${key}` : key;
      assert.deepEqual(
        checkUnknownFields(obj, gvk).map((u) => u.path),
        [expected],
      );
    }),
    { numRuns: 300 },
  );
});
