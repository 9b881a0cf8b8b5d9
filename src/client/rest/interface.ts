// The contract of our client-go's REST layer: how a component reads, writes and watches API objects.
// Implementations live beside this file (rest-client.ts, resource-client.ts); informers, controllers, the
// scheduler and the kubelet depend only on these interfaces, so tests can hand them fakes that inject errors.

import type { Status } from '../../apimachinery/errors.js';

/**
 * An API object as plain data. Generated interfaces (no index signature) are not assignable to it by
 * themselves: use `Typed<appsv1.Deployment>` (= `appsv1.Deployment & KubeObject`) from src/client/typed.ts.
 */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    generateName?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    deletionGracePeriodSeconds?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }>;
    finalizers?: string[];
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** A list as served: items plus the list's resourceVersion and continue token. */
export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

/** Which resource a client talks to: `{group: 'apps', version: 'v1', resource: 'deployments'}`. */
export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

/** metav1.ListOptions as query parameters (only those set are sent). */
export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  limit?: number;
  continue?: string;
  timeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
}

/** Options of writes: dryRun ("All"), fieldManager, fieldValidation, force (apply). */
export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  /** Server-side apply only: take over conflicting fields. */
  force?: boolean;
}

/** metav1.DeleteOptions. */
export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

/** One watch event. BOOKMARK carries only metadata.resourceVersion; ERROR carries a Status. */
export type WatchEvent<T extends KubeObject = KubeObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: Status };

/**
 * One resource, in one namespace ("" for cluster-scoped resources or for all namespaces on list/watch).
 * Every method rejects with a StatusError (src/apimachinery/errors.ts) carrying the server's Status for HTTP
 * errors, so callers test outcomes with isNotFound/isConflict/isAlreadyExists/…, never by message.
 */
export interface ResourceInterface<T extends KubeObject = KubeObject> {
  get(name: string, opts?: { resourceVersion?: string; signal?: AbortSignal }): Promise<T>;
  list(opts?: ListOptions & { signal?: AbortSignal }): Promise<KubeList<T>>;
  /**
   * Opens a watch. The iterable yields events until the server ends the stream, `signal` aborts (then it
   * ends without error) or the connection breaks (then it throws). A 410 before the stream starts rejects
   * with a StatusError (isGone / isResourceExpired); a 410 during it arrives as an ERROR event.
   */
  watch(opts: ListOptions & { signal: AbortSignal }): Promise<AsyncIterable<WatchEvent<T>>>;
  create(obj: T, opts?: WriteOptions): Promise<T>;
  /** PUT; `subresource` "status" (or "scale", …) writes that subresource. */
  update(obj: T, opts?: WriteOptions & { subresource?: string }): Promise<T>;
  updateStatus(obj: T, opts?: WriteOptions): Promise<T>;
  patch(name: string, type: PatchType, patch: unknown, opts?: WriteOptions & { subresource?: string }): Promise<T>;
  /** Resolves with the server's reply body: the object (still being deleted, or as removed) or a Status. */
  delete(name: string, opts?: DeleteOptions): Promise<T | Status>;
  deleteCollection(opts?: ListOptions & DeleteOptions): Promise<void>;
  /** POST to a subresource (binding, eviction, token) and returns the reply object. */
  createSubresource<R = KubeObject>(name: string, subresource: string, body: unknown, opts?: WriteOptions): Promise<R>;
  /** GET of a subresource that answers with an object (scale, status). */
  getSubresource<R = KubeObject>(name: string, subresource: string): Promise<R>;
}

/** A request below the resource level, for the rare paths resources do not cover (/healthz, /version, logs). */
export interface RawRequest {
  method: string;
  /** Absolute path on the server, e.g. "/api/v1/namespaces/default/pods". */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Default application/json; set for patches. */
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * A connection to one apiserver with one identity (see kubeconfig loading), rate limited by QPS/burst and
 * retrying 429/5xx with Retry-After as client-go does. `resource()` is the dynamic client; typed clients are
 * the same call with a generated type as T.
 */
/** How a resource client reads. */
export interface ResourceOptions {
  /**
   * get, list and watch ask for metadata only (client-go's metadata client): objects arrive as
   * meta.k8s.io/v1 PartialObjectMetadata, lists as PartialObjectMetadataList. Writes are unchanged.
   */
  metadataOnly?: boolean;
}

export interface Interface {
  resource<T extends KubeObject = KubeObject>(gvr: GroupVersionResource, namespace?: string, opts?: ResourceOptions): ResourceInterface<T>;
  /** Sends a request as is; resolves for every HTTP status (no StatusError), rejects on I/O failure. */
  raw(req: RawRequest): Promise<RawResponse>;
  /** The server's address (https://host:port) and the user agent sent. */
  readonly host: string;
  readonly userAgent: string;
  /** Closes idle connections and open streams. */
  close(): void;
}
