// Turns objects into the meta.k8s.io Table sent to clients: columns from the printer, one row per object,
// each row carrying PartialObjectMetadata, the object, or nothing, per the request's includeObject.

import type { APIObject } from '../registry/strategy.js';
import { printerFor } from './printers.js';
import type { IncludeObjectPolicy, PrintedRow, Table, TableGroupVersion, TableListMeta, TablePrinter, TableRow } from './table.js';

export interface RenderTableOptions {
  printer: TablePrinter;
  /** Default `Metadata`. */
  includeObject?: IncludeObjectPolicy;
  /** Current time in epoch milliseconds; ages are computed against it. */
  now: number;
  /** Omit column definitions (every watch event after the first). */
  noHeaders?: boolean;
  /** The Table's group/version as negotiated; default meta.k8s.io/v1. */
  groupVersion?: TableGroupVersion;
}

/**
 * upstream meta.AsPartialObjectMetadata: the whole metadata (managedFields included) under the
 * PartialObjectMetadata kind of the Table's group/version.
 */
export function partialObjectMetadata(obj: APIObject, groupVersion: TableGroupVersion = 'meta.k8s.io/v1'): APIObject {
  return { kind: 'PartialObjectMetadata', apiVersion: groupVersion, metadata: obj.metadata ?? {} };
}

function rowFor(obj: APIObject, opts: RenderTableOptions, printedInList?: PrintedRow): TableRow {
  const printed = printedInList ?? opts.printer.printRow(obj, opts.now);
  const row: TableRow = printed.conditions ? { cells: printed.cells, conditions: printed.conditions } : { cells: printed.cells };
  switch (opts.includeObject ?? 'Metadata') {
    case 'Object':
      row.object = obj;
      break;
    case 'Metadata':
      row.object = partialObjectMetadata(obj, opts.groupVersion);
      break;
    case 'None':
      break;
  }
  return row;
}

function table(rows: TableRow[], metadata: TableListMeta, opts: RenderTableOptions): Table {
  return {
    kind: 'Table',
    apiVersion: opts.groupVersion ?? 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: opts.noHeaders ? null : [...opts.printer.columnDefinitions],
    rows,
  };
}

/**
 * The Table of a list: one row per item (in the printer's list order when it has one, else as given),
 * and the list's resourceVersion, continue token and remainingItemCount.
 */
export function renderListTable(opts: RenderTableOptions & { items: readonly APIObject[]; listMeta?: TableListMeta }): Table {
  const items = opts.printer.sortList ? opts.printer.sortList(opts.items) : opts.items;
  const printed = opts.printer.printList ? opts.printer.printList(items, opts.now) : undefined;
  const metadata: TableListMeta = {};
  if (opts.listMeta?.resourceVersion) metadata.resourceVersion = opts.listMeta.resourceVersion;
  if (opts.listMeta?.continue) metadata.continue = opts.listMeta.continue;
  if (opts.listMeta?.remainingItemCount !== undefined) metadata.remainingItemCount = opts.listMeta.remainingItemCount;
  return table(
    items.map((obj, i) => rowFor(obj, opts, printed?.[i])),
    metadata,
    opts,
  );
}

/** The Table of one object (GET of a name, or a watch event): one row and the object's resourceVersion. */
export function renderObjectTable(opts: RenderTableOptions & { object: APIObject }): Table {
  const rv = opts.object.metadata?.resourceVersion;
  return table([rowFor(opts.object, opts)], rv ? { resourceVersion: rv } : {}, opts);
}

/**
 * The Table of a list of a built-in resource, with the resource's printer (printerFor): the entry
 * point for LIST requests negotiated to `as=Table`.
 */
export function renderTable(
  opts: Omit<RenderTableOptions, 'printer'> & {
    objects: readonly APIObject[];
    resource: { group: string; version: string; kind: string };
    listMeta?: TableListMeta;
  },
): Table {
  return renderListTable({ ...opts, printer: printerFor(opts.resource), items: opts.objects });
}
