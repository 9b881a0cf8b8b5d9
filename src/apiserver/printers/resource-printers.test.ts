// Table tests for the resource.k8s.io (DRA) printers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { APIObject } from '../registry/strategy.js';
import { deviceClassPrinter, resourceClaimPrinter, resourceClaimTemplatePrinter, resourceSlicePrinter } from './resource-printers.js';
import type { TablePrinter } from './table.js';

const now = Date.parse('2026-03-01T12:00:00Z');
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, creationTimestamp: '2026-03-01T11:59:50Z', ...extra });

test('DRA printers', () => {
  const cases: Array<{ name: string; printer: TablePrinter; obj: object; want: unknown[] }> = [
    { name: 'device class', printer: deviceClassPrinter, obj: { metadata: meta('gpu') }, want: ['gpu', '10s'] },
    { name: 'pending claim', printer: resourceClaimPrinter, obj: { metadata: meta('c1'), spec: {} }, want: ['c1', 'pending', '10s'] },
    { name: 'allocated and reserved claim', printer: resourceClaimPrinter, obj: { metadata: meta('c2'), status: { allocation: {}, reservedFor: [{ name: 'p' }] } }, want: ['c2', 'allocated,reserved', '10s'] },
    { name: 'deleted allocated claim', printer: resourceClaimPrinter, obj: { metadata: meta('c3', { deletionTimestamp: '2026-03-01T11:59:59Z' }), status: { allocation: {} } }, want: ['c3', 'deleted,allocated', '10s'] },
    { name: 'deleted unallocated claim', printer: resourceClaimPrinter, obj: { metadata: meta('c4', { deletionTimestamp: '2026-03-01T11:59:59Z' }) }, want: ['c4', 'deleted', '10s'] },
    { name: 'claim template', printer: resourceClaimTemplatePrinter, obj: { metadata: meta('t') }, want: ['t', '10s'] },
    {
      name: 'resource slice',
      printer: resourceSlicePrinter,
      obj: { metadata: meta('node-a-gpu-x'), spec: { nodeName: 'node-a', driver: 'gpu.example.com', pool: { name: 'node-a', generation: 1, resourceSliceCount: 1 } } },
      want: ['node-a-gpu-x', 'node-a', 'gpu.example.com', 'node-a', '10s'],
    },
  ];
  for (const c of cases) {
    const row = c.printer.printRow(c.obj as APIObject, now);
    assert.equal(row.cells.length, c.printer.columnDefinitions.length, c.name);
    assert.deepEqual(row.cells, c.want, c.name);
  }
});
