// Tests for the Table as sent on the wire: kind/apiVersion, list metadata, column definitions, and the
// row object per includeObject (PartialObjectMetadata, the object, or none).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { customResourcePrinter } from './custom-resource-printer.js';
import { flowSchemaPrinter } from './control-plane-printers.js';
import { podPrinter } from './pod-printer.js';
import { partialObjectMetadata, renderListTable, renderObjectTable, renderTable } from './render-table.js';

const now = Date.parse('2026-03-01T12:00:00Z');
const pod = (name: string, rv: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', resourceVersion: rv, uid: `uid-${name}`, labels: { app: 'web' }, creationTimestamp: '2026-03-01T11:59:00Z', managedFields: [{ manager: 'kubectl' }] },
  spec: { containers: [{ name: 'app', image: 'nginx' }], nodeName: 'node-a' },
  status: { phase: 'Running', podIPs: [{ ip: '10.0.0.1' }], containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: 'nginx', imageID: '', state: { running: {} } }] },
});

test('list table: metadata, columns and PartialObjectMetadata rows by default', () => {
  const t = renderTable({
    objects: [pod('a', '10'), pod('b', '11')],
    resource: { group: '', version: 'v1', kind: 'Pod' },
    now,
    listMeta: { resourceVersion: '12', continue: 'tok', remainingItemCount: 5 },
  });
  assert.equal(t.kind, 'Table');
  assert.equal(t.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(t.metadata, { resourceVersion: '12', continue: 'tok', remainingItemCount: 5 });
  assert.deepEqual(t.columnDefinitions?.map((c) => c.name), podPrinter.columnDefinitions.map((c) => c.name));
  assert.deepEqual(t.rows[0].cells, ['a', '1/1', 'Running', '0', '60s', '10.0.0.1', 'node-a', '<none>', '<none>']);
  assert.deepEqual(t.rows[1].object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod('b', '11').metadata });
  // The wire form: every column definition carries format and priority.
  const wire = JSON.parse(JSON.stringify(t));
  assert.deepEqual(Object.keys(wire.columnDefinitions[0]).sort(), ['description', 'format', 'name', 'priority', 'type']);
  assert.equal(wire.columnDefinitions[1].format, '');
});

test('includeObject policies and the v1beta1 group version', () => {
  const cases = [
    { includeObject: 'Object' as const, want: (o: object) => o },
    { includeObject: 'Metadata' as const, want: (o: { metadata: object }) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1beta1', metadata: o.metadata }) },
    { includeObject: 'None' as const, want: () => undefined },
  ];
  for (const c of cases) {
    const p = pod('a', '10');
    const t = renderListTable({ items: [p], printer: podPrinter, includeObject: c.includeObject, now, groupVersion: 'meta.k8s.io/v1beta1' });
    assert.equal(t.apiVersion, 'meta.k8s.io/v1beta1');
    assert.deepEqual(t.rows[0].object, c.want(p), c.includeObject);
    if (c.includeObject === 'None') assert.equal('object' in t.rows[0], false);
  }
});

test('single object: one row, resourceVersion of the object; empty list: no rows, no metadata', () => {
  const t = renderObjectTable({ object: pod('a', '42'), printer: podPrinter, now });
  assert.equal(t.rows.length, 1);
  assert.deepEqual(t.metadata, { resourceVersion: '42' });
  const empty = renderListTable({ items: [], printer: podPrinter, now });
  assert.deepEqual(empty.rows, []);
  assert.deepEqual(empty.metadata, {});
  assert.equal(renderObjectTable({ object: pod('a', '1'), printer: podPrinter, now, noHeaders: true }).columnDefinitions, null);
});

test('lists follow the printer order (FlowSchemas by precedence); CRD tables render too', () => {
  const fs = (name: string, p: number) => ({ metadata: { name }, spec: { matchingPrecedence: p, priorityLevelConfiguration: { name: 'x' } } });
  const t = renderListTable({ items: [fs('z', 1000), fs('a', 10)], printer: flowSchemaPrinter, now });
  assert.deepEqual(t.rows.map((r) => r.cells[0]), ['a', 'z']);

  const crd = renderListTable({
    items: [{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 'L' } }],
    printer: customResourcePrinter([{ name: 'Size', type: 'string', jsonPath: '.spec.size' }]),
    now,
  });
  assert.deepEqual(crd.rows[0].cells, ['w', 'L']);
});

test('partialObjectMetadata keeps the whole metadata', () => {
  const p = pod('a', '1');
  assert.deepEqual(partialObjectMetadata(p), { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: p.metadata });
  assert.deepEqual(partialObjectMetadata({ kind: 'X' }), { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: {} });
});
