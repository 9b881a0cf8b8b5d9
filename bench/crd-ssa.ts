// Server-side apply of a custom resource with a 100-entry `x-kubernetes-list-type: map` list: a second
// manager's re-apply over an object a first manager created, typed by the CRD schema (what the apiserver
// does) vs untyped (the list treated as one atomic value, as before CR types existed). Prints JSON.
// Run: node --import tsx bench/crd-ssa.ts
import { applySchemaForCustomResource } from '../src/api/apply-schema.js';
import { apply } from '../src/apimachinery/apply/apply.js';
import { untypedType, type ApplyType } from '../src/apimachinery/apply/schema.js';
import type { JSONObject } from '../src/apimachinery/patch/json-value.js';
import { microsPerOp } from './micro-timing.js';

const entries = 100;
const schema = applySchemaForCustomResource({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer' }, protocol: { type: 'string' } } },
        },
      },
    },
  },
});

function gateway(first: number, count: number, port: number): JSONObject {
  const ports = Array.from({ length: count }, (_, i) => ({ name: `p${first + i}`, port: port + i, protocol: 'TCP' }));
  return { apiVersion: 'net.k8ts.dev/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'default' }, spec: { ports } };
}

const now = new Date('2026-01-01T00:00:00Z');
const common = { apiVersion: 'net.k8ts.dev/v1', now, force: true, emptyObject: {} };

/** The object team-a created with all entries, then team-b's apply of the same entries with new ports. */
function measureWith(type: ApplyType): number {
  const created = apply({ ...common, live: undefined, applied: gateway(0, entries, 8000), manager: 'team-a', schema: type }).object;
  const update = gateway(0, entries, 9000);
  return microsPerOp(() => apply({ ...common, live: created, applied: update, manager: 'team-b', schema: type }), 2);
}

const typed = measureWith(schema);
const untyped = measureWith(untypedType);
process.stdout.write(`${JSON.stringify({ benchmark: 'crd-ssa', listEntries: entries, typedApplyMicros: typed, untypedApplyMicros: untyped, typedOverUntyped: Math.round((typed / untyped) * 100) / 100 }, null, 2)}\n`);
