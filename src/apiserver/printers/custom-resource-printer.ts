// The table of a custom resource, built from its CRD version's additionalPrinterColumns: NAME, then one
// column per definition whose cells come from evaluating the column's JSONPath on the object.

import { humanDuration } from './human-duration.js';
import { findResults, parseJSONPath, type JSONPath } from './jsonpath.js';
import { column, nameColumn, type TableCell, type TableColumnDefinition, type TablePrinter } from './table.js';

/** apiextensions.k8s.io/v1 CustomResourceColumnDefinition. */
export interface CustomResourceColumnDefinition {
  name: string;
  /** OpenAPI type: integer, number, string, boolean or date. */
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** What upstream serves when a CRD version declares no printer columns: AGE from creationTimestamp. */
export const defaultCustomResourceColumns: readonly CustomResourceColumnDefinition[] = [
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'Time since the object was created (metadata.creationTimestamp).' },
];

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Go's json.Marshal of a decoded JSON value: compact, object keys sorted. */
function goJSON(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJSON).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${goJSON(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A `string` column's cell as client-go's jsonpath prints the value: text as is, maps and lists as JSON. */
function stringCell(value: unknown): string {
  if (value === null || value === undefined) return '<no value>';
  if (typeof value === 'object') return goJSON(value);
  return String(value);
}

/** upstream cellForJSONValue: the cell of a non-string column; null when the value has another type. */
export function cellForJSONValue(type: string, value: unknown, now: number): TableCell {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      return stringCell(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      if (value === '' || value === 'null') return '<unknown>';
      if (!rfc3339.test(value)) return '<invalid>';
      const t = Date.parse(value);
      if (Number.isNaN(t)) return '<invalid>';
      if (value.startsWith('0001-01-01T00:00:00')) return '<unknown>';
      return humanDuration(now - t);
    }
    default:
      return null;
  }
}

/**
 * The printer of one CRD version. Columns come from `additionalPrinterColumns` (AGE when the list is
 * empty). A column whose JSONPath does not parse ends the table there, as upstream keeps the columns it
 * built before the bad one. A path that selects nothing gives a null cell; when it selects several
 * values, the first one is shown.
 */
export function customResourcePrinter(columns: readonly CustomResourceColumnDefinition[]): TablePrinter {
  const defs = columns.length > 0 ? columns : defaultCustomResourceColumns;
  const headers: TableColumnDefinition[] = [nameColumn];
  const paths: Array<{ path: JSONPath; type: string }> = [];
  for (const col of defs) {
    let path: JSONPath;
    try {
      path = parseJSONPath(col.jsonPath);
    } catch {
      break;
    }
    paths.push({ path, type: col.type });
    headers.push(
      column(col.name, col.type, col.description || `The value at ${col.jsonPath}.`, {
        format: col.format ?? '',
        priority: col.priority ?? 0,
      }),
    );
  }
  return {
    columnDefinitions: headers,
    printRow(obj, now) {
      const cells: TableCell[] = [obj.metadata?.name ?? ''];
      for (const { path, type } of paths) {
        const results = findResults(path, obj);
        cells.push(results.length === 0 ? null : type === 'string' ? stringCell(results[0]) : cellForJSONValue(type, results[0], now));
      }
      return { cells };
    },
  };
}
