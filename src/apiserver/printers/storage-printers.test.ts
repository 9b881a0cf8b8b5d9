// Table tests for the storage.k8s.io printers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { APIObject } from '../registry/strategy.js';
import {
  csiDriverPrinter,
  csiNodePrinter,
  csiStorageCapacityPrinter,
  storageClassPrinter,
  volumeAttachmentPrinter,
  volumeAttributesClassPrinter,
} from './storage-printers.js';
import { renderListTable, renderObjectTable } from './render-table.js';
import type { TablePrinter } from './table.js';

const now = Date.parse('2026-03-01T12:00:00Z');
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, creationTimestamp: '2026-02-20T12:00:00Z', ...extra });

test('storage printers', () => {
  const cases: Array<{ name: string; printer: TablePrinter; obj: object; want: unknown[] }> = [
    {
      name: 'default storage class',
      printer: storageClassPrinter,
      obj: {
        metadata: meta('standard', { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }),
        provisioner: 'rancher.io/local-path',
        reclaimPolicy: 'Retain',
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
      },
      want: ['standard (default)', 'rancher.io/local-path', 'Retain', 'WaitForFirstConsumer', true, '9d'],
    },
    {
      name: 'storage class with defaults',
      printer: storageClassPrinter,
      obj: { metadata: meta('slow', { annotations: { 'storageclass.beta.kubernetes.io/is-default-class': 'false' } }), provisioner: 'x' },
      want: ['slow', 'x', 'Delete', 'Immediate', false, '9d'],
    },
    { name: 'volume attributes class', printer: volumeAttributesClassPrinter, obj: { metadata: meta('gold'), driverName: 'csi.example.com' }, want: ['gold', 'csi.example.com', '9d'] },
    {
      name: 'volume attachment',
      printer: volumeAttachmentPrinter,
      obj: { metadata: meta('csi-123'), spec: { attacher: 'csi.example.com', nodeName: 'node-a', source: { persistentVolumeName: 'pv1' } }, status: { attached: true } },
      want: ['csi-123', 'csi.example.com', 'pv1', 'node-a', true, '9d'],
    },
    {
      name: 'CSI driver with defaults',
      printer: csiDriverPrinter,
      obj: { metadata: meta('csi.example.com'), spec: {} },
      want: ['csi.example.com', true, false, false, '<unset>', false, '<none>', '9d'],
    },
    {
      name: 'CSI driver with everything set',
      printer: csiDriverPrinter,
      obj: {
        metadata: meta('d'),
        spec: {
          attachRequired: false,
          podInfoOnMount: true,
          storageCapacity: true,
          tokenRequests: [{ audience: 'vault' }, { audience: 'gcp' }],
          requiresRepublish: true,
          volumeLifecycleModes: ['Persistent', 'Ephemeral'],
        },
      },
      want: ['d', false, true, true, 'vault,gcp', true, 'Persistent,Ephemeral', '9d'],
    },
    { name: 'CSI node', printer: csiNodePrinter, obj: { metadata: meta('node-a'), spec: { drivers: [{ name: 'a' }, { name: 'b' }] } }, want: ['node-a', 2, '9d'] },
    { name: 'CSI storage capacity', printer: csiStorageCapacityPrinter, obj: { metadata: meta('cap'), storageClassName: 'fast', capacity: '100Gi' }, want: ['cap', 'fast', '100Gi'] },
    { name: 'CSI storage capacity unset', printer: csiStorageCapacityPrinter, obj: { metadata: meta('cap2'), storageClassName: 'fast' }, want: ['cap2', 'fast', '<unset>'] },
  ];
  for (const c of cases) {
    const row = c.printer.printRow(c.obj as APIObject, now);
    assert.equal(row.cells.length, c.printer.columnDefinitions.length, c.name);
    assert.deepEqual(row.cells, c.want, c.name);
  }
});

test('in a list only the effective default StorageClass (newest, then by name) is marked', () => {
  const sc = (name: string, created: string, isDefault: boolean) => ({
    metadata: { name, creationTimestamp: created, annotations: isDefault ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : {} },
    provisioner: 'p',
  });
  const cases: Array<{ name: string; items: object[]; want: string[] }> = [
    { name: 'no default', items: [sc('a', '2026-01-01T00:00:00Z', false)], want: ['a'] },
    { name: 'one default', items: [sc('a', '2026-01-01T00:00:00Z', false), sc('b', '2026-01-01T00:00:00Z', true)], want: ['a', 'b (default)'] },
    {
      name: 'newest of two defaults wins',
      items: [sc('old', '2026-01-01T00:00:00Z', true), sc('new', '2026-02-01T00:00:00Z', true)],
      want: ['old', 'new (default)'],
    },
    {
      name: 'same age: first by name',
      items: [sc('zeta', '2026-01-01T00:00:00Z', true), sc('alpha', '2026-01-01T00:00:00Z', true)],
      want: ['zeta', 'alpha (default)'],
    },
  ];
  for (const c of cases) {
    const table = renderListTable({ items: c.items as APIObject[], printer: storageClassPrinter, now });
    assert.deepEqual(table.rows.map((r) => r.cells[0]), c.want, c.name);
  }
  // A single object: marked by its own annotation.
  assert.equal(renderObjectTable({ object: sc('old', '2026-01-01T00:00:00Z', true) as APIObject, printer: storageClassPrinter, now }).rows[0].cells[0], 'old (default)');
});
