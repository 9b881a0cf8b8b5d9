// The table of kinds without a printer of their own (roles, cluster roles, limit ranges, CRDs, webhook
// reviews…): NAME and CREATED AT, as upstream's default table convertor prints them.

import { tablePrinter, column, nameColumn } from './table.js';

/** `2026-01-02T03:04:05Z`: the creation time in UTC with second precision (Go's time.RFC3339). */
export function createdAt(value: unknown): string {
  const ms = typeof value === 'string' && value !== '' ? Date.parse(value) : NaN;
  // Go's zero time, what an object without creationTimestamp reports.
  if (Number.isNaN(ms)) return '0001-01-01T00:00:00Z';
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export const defaultTablePrinter = tablePrinter<{ metadata?: { name?: string; creationTimestamp?: string } }>(
  [nameColumn, column('Created At', 'date', 'When the object was created (metadata.creationTimestamp).')],
  (obj) => [obj.metadata?.name ?? '', createdAt(obj.metadata?.creationTimestamp)],
);
