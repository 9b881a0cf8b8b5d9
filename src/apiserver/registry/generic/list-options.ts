// ListOptions from a request's query (list and watch), validated like upstream's ValidateListOptions:
// violations are 422 Invalid on kind ListOptions.meta.k8s.io, malformed numbers 400.

import { newBadRequest, newInvalid } from '../../../apimachinery/errors.js';
import { forbidden, notSupported, type FieldError } from '../../../apimachinery/field-error.js';

export interface ListOptions {
  /** "" = every namespace (or a cluster-scoped resource). */
  namespace: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  /** Seconds after which the server ends the watch; absent = the server's default. */
  timeoutSeconds?: number;
  sendInitialEvents?: boolean;
}

function boolParam(query: URLSearchParams, name: string): boolean | undefined {
  const v = query.get(name);
  if (v === null) return undefined;
  if (v === 'true' || v === '1' || v === 'True' || v === 'TRUE' || v === 't' || v === 'T') return true;
  if (v === 'false' || v === '0' || v === 'False' || v === 'FALSE' || v === 'f' || v === 'F' || v === '') return false;
  throw newBadRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

function intParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?[0-9]+$/.test(v)) throw newBadRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

function str(query: URLSearchParams, name: string): string | undefined {
  const v = query.get(name);
  return v === null || v === '' ? undefined : v;
}

/** Parses and validates list or watch options (`watch` decides which rules apply). */
export function parseListOptions(query: URLSearchParams, namespace: string, watch: boolean): WatchOptions {
  const opts: WatchOptions = {
    namespace,
    labelSelector: str(query, 'labelSelector'),
    fieldSelector: str(query, 'fieldSelector'),
    limit: intParam(query, 'limit'),
    continue: str(query, 'continue'),
    resourceVersion: str(query, 'resourceVersion'),
    resourceVersionMatch: str(query, 'resourceVersionMatch'),
    allowWatchBookmarks: boolParam(query, 'allowWatchBookmarks'),
    timeoutSeconds: intParam(query, 'timeoutSeconds'),
    sendInitialEvents: boolParam(query, 'sendInitialEvents'),
  };
  if (opts.limit !== undefined && opts.limit < 0) opts.limit = 0;
  const errs = watch ? validateWatchOptions(opts) : validateListOptions(opts);
  if (errs.length) throw newInvalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', errs);
  if (!watch && opts.continue && opts.resourceVersion && opts.resourceVersion !== '0') {
    throw newBadRequest('specifying resource version is not allowed when using continue');
  }
  return opts;
}

export function validateListOptions(o: WatchOptions): FieldError[] {
  const errs: FieldError[] = [];
  const match = o.resourceVersionMatch;
  if (match) {
    if (!o.resourceVersion) errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (o.continue) errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    if (match !== 'Exact' && match !== 'NotOlderThan') errs.push(notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
    if (match === 'Exact' && o.resourceVersion === '0') {
      errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
    }
  }
  if (o.sendInitialEvents !== undefined) errs.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  return errs;
}

export function validateWatchOptions(o: WatchOptions): FieldError[] {
  const errs: FieldError[] = [];
  const match = o.resourceVersionMatch;
  if (o.sendInitialEvents !== undefined) {
    if (match !== 'NotOlderThan') errs.push(forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
  }
  if (match) {
    if (o.sendInitialEvents === undefined) errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
    if (match !== 'NotOlderThan') errs.push(notSupported('resourceVersionMatch', match, ['NotOlderThan']));
    if (o.continue) errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
  }
  return errs;
}

/** The `dryRun` query values of a write; 422 Invalid for anything but "All" (upstream's rule). */
export function parseDryRun(query: URLSearchParams, kind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions'): boolean {
  const values = query.getAll('dryRun').flatMap((v) => v.split(',')).filter((v) => v !== '');
  return checkDryRun(values, kind);
}

export function checkDryRun(values: string[], kind: string): boolean {
  const bad = values.filter((v) => v !== 'All');
  if (bad.length) throw newInvalid({ group: 'meta.k8s.io', kind }, '', [notSupported('dryRun', values, ['All'])]);
  return values.length > 0;
}
