// Tests for Table watch events: one row per event, headers only on the first, Status passed through.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodePrinter } from './core-printers.js';
import type { Table } from './table.js';
import { TableWatchEncoder } from './watch-table.js';

test('watch events become one-row Tables with headers only once', () => {
  let now = Date.parse('2026-03-01T12:00:00Z');
  const enc = new TableWatchEncoder({ printer: nodePrinter, now: () => now });
  const node = (rv: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', resourceVersion: rv, creationTimestamp: '2026-03-01T11:59:00Z' } });

  const first = enc.encode({ type: 'ADDED', object: node('5') });
  now += 60_000;
  const second = enc.encode({ type: 'MODIFIED', object: node('6') });
  const status = { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired', message: 'too old resource version: 1 (5)' };
  const third = enc.encode({ type: 'ERROR', object: status });

  const t1 = first.object as Table;
  const t2 = second.object as Table;
  assert.equal(first.type, 'ADDED');
  assert.equal(t1.kind, 'Table');
  assert.equal(t1.columnDefinitions?.length, nodePrinter.columnDefinitions.length);
  assert.deepEqual(t1.metadata, { resourceVersion: '5' });
  assert.equal(t1.rows.length, 1);
  assert.equal(t1.rows[0].cells[3], '60s');
  assert.deepEqual(t1.rows[0].object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: node('5').metadata });

  assert.equal(second.type, 'MODIFIED');
  assert.equal(t2.columnDefinitions, null);
  assert.equal(JSON.stringify(t2).includes('"columnDefinitions":null'), true);
  assert.equal(t2.rows[0].cells[3], '2m', 'ages use the clock at send time');
  assert.deepEqual(third, { type: 'ERROR', object: status });
});

test('each stream has its own header state', () => {
  const now = () => 0;
  const a = new TableWatchEncoder({ printer: nodePrinter, now, includeObject: 'None' });
  const b = new TableWatchEncoder({ printer: nodePrinter, now });
  a.encode({ type: 'ADDED', object: { kind: 'Node', metadata: { name: 'x' } } });
  const fromB = b.encode({ type: 'ADDED', object: { kind: 'Node', metadata: { name: 'x' } } }).object as Table;
  assert.notEqual(fromB.columnDefinitions, null);
  const fromA = a.encode({ type: 'DELETED', object: { kind: 'Node', metadata: { name: 'x' } } }).object as Table;
  assert.equal(fromA.rows[0].object, undefined);
});
