// Table-shaped watch events for `kubectl get -w`: each event's object becomes a one-row Table; only the
// first event carries the column definitions, later ones send `columnDefinitions: null` (upstream sets
// TableOptions.NoHeaders after the first event of the stream). Status objects (ERROR events) pass through.

import type { APIObject } from '../registry/strategy.js';
import { renderObjectTable } from './render-table.js';
import type { IncludeObjectPolicy, Table, TableGroupVersion, TablePrinter } from './table.js';

export interface WatchEvent {
  type: string;
  object: APIObject | Table;
}

/**
 * Converts the events of ONE watch stream into Table events. Stateful (headers only once): create one
 * per watch request, never share it between streams. Bookmarks are converted like any other event, as
 * upstream does; `kubectl get -w` does not ask for them.
 */
export class TableWatchEncoder {
  private headersSent = false;

  constructor(
    private readonly opts: {
      printer: TablePrinter;
      includeObject?: IncludeObjectPolicy;
      groupVersion?: TableGroupVersion;
      /** Epoch milliseconds at the time each event is sent (inject the clock). */
      now: () => number;
    },
  ) {}

  /** The event to send for `event`: same type, object converted to a Table (Status unchanged). */
  encode(event: { type: string; object: APIObject }): WatchEvent {
    const noHeaders = this.headersSent;
    this.headersSent = true;
    if (event.object.kind === 'Status' && (event.object.apiVersion === 'v1' || event.object.apiVersion === undefined)) {
      return event;
    }
    const table = renderObjectTable({
      object: event.object,
      printer: this.opts.printer,
      includeObject: this.opts.includeObject,
      groupVersion: this.opts.groupVersion,
      now: this.opts.now(),
      noHeaders,
    });
    return { type: event.type, object: table };
  }
}
