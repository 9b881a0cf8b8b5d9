// APIServerMetrics: what the REST core reports about requests, storage calls and watches.
// The Prometheus-backed implementation lives in registry.ts; discardMetrics is for code paths that need none.

/**
 * One finished API request, labelled as upstream's apiserver_request_total / apiserver_request_duration_seconds.
 * Label values follow upstream exactly so existing dashboards and alerts work unchanged.
 */
export interface RequestObservation {
  /**
   * Upstream's reported verb, upper case: GET, LIST, WATCH, POST, PUT, PATCH, APPLY, DELETE, CONNECT.
   * Use reportedVerb() to derive it from the request.
   */
  verb: string;
  /** The sorted, de-duplicated `dryRun` query values joined by ","; "" when absent. */
  dryRun?: string;
  group: string;
  version: string;
  /** Plural resource; "" for non-resource paths. */
  resource: string;
  subresource: string;
  /** "resource" (a named object, or create), "namespace", "cluster", or "" for non-resource requests. */
  scope: string;
  /** HTTP status code sent to the client. */
  code: number;
  /** Wall time from request start to the last byte (for watches: to the end of the stream). */
  seconds: number;
  /**
   * The SLI latency (apiserver_request_sli_duration_seconds): `seconds` without the admission webhooks' time;
   * absent for long-running requests (watches, CONNECT), which upstream leaves out of the SLI.
   */
  sliSeconds?: number;
}

/** One storage call, labelled as upstream's etcd_request_duration_seconds / etcd_requests_total. */
export interface StorageObservation {
  /** e.g. "get", "list", "create", "update", "delete", "listWithCount", "compact". */
  operation: string;
  /** API group of the resource ("" for core). */
  group: string;
  /** Plural resource, e.g. "pods". */
  resource: string;
  seconds: number;
  /** True when the call failed with anything but an expected outcome (not found, conflict): counts into errors. */
  failed?: boolean;
}

/** The labels of a long-running request (watch, log follow, exec) as in apiserver_longrunning_requests. */
export interface LongRunningLabels {
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
}

export interface GroupVersionResourceLabels {
  group: string;
  version: string;
  resource: string;
}

/**
 * The metrics sink of one apiserver. Every method is cheap and synchronous, never throws, and may be called
 * from any request handler; the values appear on /metrics.
 */
export interface APIServerMetrics {
  observeRequest(o: RequestObservation): void;
  /**
   * A request that is not long-running started executing (apiserver_current_inflight_requests); call the
   * returned function once when it finished.
   */
  requestExecuting(kind: 'readOnly' | 'mutating'): () => void;
  observeStorage(o: StorageObservation): void;
  /** A long-running request (normally a watch) started; pair every call with exactly one watchEnded(same labels). */
  watchStarted(labels: LongRunningLabels): void;
  watchEnded(labels: LongRunningLabels): void;
  /** `n` watch events of this resource were sent to one watcher. */
  watchEvents(gvr: GroupVersionResourceLabels, n: number): void;
  /** The number of stored objects of a resource ("pods", "deployments.apps"), as apiserver_storage_objects. */
  setStorageObjects(resource: string, count: number): void;
}

/** An APIServerMetrics that records nothing (unit tests of code that needs a sink). */
export const discardMetrics: APIServerMetrics = {
  observeRequest() {},
  requestExecuting: () => () => {},
  observeStorage() {},
  watchStarted() {},
  watchEnded() {},
  watchEvents() {},
  setStorageObjects() {},
};

/** Subresources upstream reports with the CONNECT verb. */
const connectSubresources = new Set(['log', 'exec', 'portforward', 'attach', 'proxy']);

/**
 * Upstream's reported verb for a request: the HTTP method, except GET on a collection → LIST, `watch=true` →
 * WATCH, PATCH with an apply body → APPLY, and streaming subresources → CONNECT. Like upstream, a collection
 * DELETE stays DELETE and creates/updates keep their methods (POST/PUT).
 */
export function reportedVerb(req: {
  method: string;
  /** The request-info verb (get, list, watch, create, update, patch, delete, deletecollection, …). */
  requestVerb: string;
  subresource: string;
  contentType?: string;
}): string {
  if (connectSubresources.has(req.subresource)) return 'CONNECT';
  switch (req.requestVerb) {
    case 'list':
      return 'LIST';
    case 'watch':
    case 'watchlist':
      return 'WATCH';
  }
  const method = req.method.toUpperCase();
  if (method === 'HEAD') return 'GET';
  if (method === 'PATCH' && req.contentType?.split(';')[0]?.trim() === 'application/apply-patch+yaml') return 'APPLY';
  return method;
}

/** Upstream's `dry_run` label: the distinct dryRun values sorted and joined by ",". */
export function dryRunLabel(query: URLSearchParams): string {
  const values = [...new Set(query.getAll('dryRun'))].sort();
  return values.join(',');
}
