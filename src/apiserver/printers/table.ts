// meta.k8s.io/v1 Table as the apiserver sends it for `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`,
// and the TablePrinter contract every per-kind printer in this folder implements.

import type { APIObject } from '../registry/strategy.js';

/** OpenAPI type of a column: what kubectl uses to align and format cells. */
export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | (string & {});

/** metav1.TableColumnDefinition. Every field is always present on the wire (`format: ""`, `priority: 0`). */
export interface TableColumnDefinition {
  name: string;
  type: ColumnType;
  /** `name` marks the column holding the object name; otherwise usually empty. */
  format: string;
  description: string;
  /** 0 = always printed; 1 and above only with `kubectl get -o wide`. */
  priority: number;
}

/** A cell: a string, number, boolean or null (upstream also allows simple maps and lists). */
export type TableCell = string | number | boolean | null | Record<string, unknown> | unknown[];

/** metav1.TableRowCondition; the only defined type is `Completed` (pods that succeeded or failed). */
export interface TableRowCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

/** metav1.TableRow: cells in column order, and the object according to `includeObject`. */
export interface TableRow {
  cells: TableCell[];
  conditions?: TableRowCondition[];
  /** PartialObjectMetadata (includeObject=Metadata, the default), the object itself (Object), absent (None). */
  object?: APIObject;
}

/** The list metadata of a Table: copied from the list (or the single object's resourceVersion). */
export interface TableListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

/** Group/version the client asked the Table in (the `g` and `v` media type parameters). */
export type TableGroupVersion = 'meta.k8s.io/v1' | 'meta.k8s.io/v1beta1';

/** metav1.Table. */
export interface Table {
  kind: 'Table';
  apiVersion: TableGroupVersion;
  metadata: TableListMeta;
  /** null when headers are suppressed: every watch event after the first (upstream TableOptions.NoHeaders). */
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
}

/** metav1.IncludeObjectPolicy: what `rows[].object` carries. */
export type IncludeObjectPolicy = 'None' | 'Metadata' | 'Object';

/** What a printer produces for one object: cells (one per column definition) and optional row conditions. */
export interface PrintedRow {
  cells: TableCell[];
  conditions?: TableRowCondition[];
}

/**
 * Turns objects of one kind into table rows (upstream printers.TableHandler / rest.TableConvertor).
 * Contract: `printRow` returns exactly `columnDefinitions.length` cells, in column order. Objects are
 * assumed to have their kind's schema (the registry validated them before storing), but any field may
 * be missing: missing fields print as upstream prints Go zero values. The server always prints wide:
 * columns of every priority are included.
 */
export interface TablePrinter {
  readonly columnDefinitions: readonly TableColumnDefinition[];
  /** `now` is the current time in milliseconds since the epoch; ages are measured against it. */
  printRow(obj: APIObject, now: number): PrintedRow;
  /** Optional order for lists (upstream sorts FlowSchemas by precedence); returns a new array. */
  sortList?(objects: readonly APIObject[]): APIObject[];
  /**
   * Optional rows of a whole list, for kinds where a row depends on the other items (only the effective
   * default StorageClass is marked "(default)"). Same length and order as `objects`.
   */
  printList?(objects: readonly APIObject[], now: number): PrintedRow[];
}

/** A column definition; `format` and `priority` default to upstream's zero values. */
export function column(
  name: string,
  type: ColumnType,
  description: string,
  options: { format?: string; priority?: number } = {},
): TableColumnDefinition {
  return { name, type, format: options.format ?? '', description, priority: options.priority ?? 0 };
}

/** The first column of almost every printer. */
export const nameColumn = column('Name', 'string', 'Name of the object, unique within its namespace (or cluster).', { format: 'name' });

/** The AGE column: a human duration since metadata.creationTimestamp. */
export const ageColumn = column('Age', 'string', 'Time since the object was created (metadata.creationTimestamp).');

/** The `-o wide` columns of workload printers. */
export const containersColumn = column('Containers', 'string', 'Names of the containers in the pod template.', { priority: 1 });
export const imagesColumn = column('Images', 'string', 'Images of the containers in the pod template.', { priority: 1 });

/**
 * Builds a TablePrinter from column definitions and a print function over the kind's typed shape. The
 * cast from APIObject is the printer's assumption about the kind it is registered for.
 */
export function tablePrinter<T>(
  columnDefinitions: readonly TableColumnDefinition[],
  print: (obj: T, now: number) => TableCell[] | PrintedRow,
  options: Pick<TablePrinter, 'sortList' | 'printList'> = {},
): TablePrinter {
  return {
    columnDefinitions,
    printRow(obj: APIObject, now: number): PrintedRow {
      const printed = print(obj as T, now);
      return Array.isArray(printed) ? { cells: printed } : printed;
    },
    sortList: options.sortList,
    printList: options.printList,
  };
}
