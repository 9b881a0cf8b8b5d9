// The dynamic client: one resource (group/version/resource) in one namespace, mapped onto REST paths and
// query parameters as client-go's dynamic client and typed clients build them.
import type { Status } from '../../apimachinery/errors.js';
import { resourceFor } from '../../api/resources.js';
import type {
  DeleteOptions,
  GroupVersionResource,
  KubeList,
  KubeObject,
  ListOptions,
  PatchType,
  ResourceInterface,
  ResourceOptions,
  WatchEvent,
  WriteOptions,
} from './interface.js';
import type { ClientRequest, Requester } from './request.js';
import { decodeWatchEvents } from './watch-decoder.js';

/** The Content-Type of each patch type. */
export const patchContentTypes: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

type Query = NonNullable<ClientRequest['query']>;

function listQuery(opts: ListOptions = {}): Query {
  return {
    labelSelector: opts.labelSelector || undefined,
    fieldSelector: opts.fieldSelector || undefined,
    resourceVersion: opts.resourceVersion || undefined,
    resourceVersionMatch: opts.resourceVersionMatch,
    limit: opts.limit || undefined,
    continue: opts.continue || undefined,
    timeoutSeconds: opts.timeoutSeconds,
    allowWatchBookmarks: opts.allowWatchBookmarks || undefined,
    sendInitialEvents: opts.sendInitialEvents,
  };
}

function writeQuery(opts: WriteOptions = {}): Query {
  return {
    dryRun: opts.dryRun ? 'All' : undefined,
    fieldManager: opts.fieldManager,
    fieldValidation: opts.fieldValidation,
    force: opts.force === undefined ? undefined : opts.force,
  };
}

/** metav1.DeleteOptions as a request body. */
function deleteBody(opts: DeleteOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
  if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
  if (opts.propagationPolicy !== undefined) body.propagationPolicy = opts.propagationPolicy;
  if (opts.preconditions !== undefined) body.preconditions = opts.preconditions;
  if (opts.dryRun) body.dryRun = ['All'];
  return body;
}

/** What client-go's metadata client accepts: PartialObjectMetadata(List) as JSON (protobuf is not sent). */
const metadataAccept = {
  object: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json',
  list: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
};

/**
 * Whether paths of `gvr` carry a namespace: built-in resources as the generated resource table says (a
 * namespace given for a cluster-scoped one is ignored); unknown resources (custom resources) whenever a
 * namespace is given.
 */
export function isNamespaced(gvr: GroupVersionResource, namespace: string): boolean {
  if (!namespace) return false;
  const info = resourceFor(gvr.group, gvr.version, gvr.resource);
  return info ? info.namespaced : true;
}

export class ResourceClient<T extends KubeObject> implements ResourceInterface<T> {
  constructor(
    private readonly client: Requester,
    private readonly gvr: GroupVersionResource,
    private readonly namespace: string,
    private readonly opts: ResourceOptions = {},
  ) {}

  /** /api/v1[/namespaces/<ns>]/<resource>[/<name>[/<subresource>]] (or /apis/<group>/<version>/…). */
  path(opts: { namespace?: string; name?: string; subresource?: string } = {}): string {
    const { group, version, resource } = this.gvr;
    const ns = opts.namespace ?? this.namespace;
    let p = group ? `/apis/${group}/${version}` : `/api/${version}`;
    if (isNamespaced(this.gvr, ns)) p += `/namespaces/${encodeURIComponent(ns)}`;
    p += `/${resource}`;
    if (opts.name !== undefined) {
      if (opts.name === '') throw new Error(`resource name may not be empty (${resource})`);
      p += `/${encodeURIComponent(opts.name)}`;
      if (opts.subresource) p += `/${opts.subresource}`;
    }
    return p;
  }

  private about(name?: string) {
    return { resource: { group: this.gvr.group, resource: this.gvr.resource }, name };
  }

  /** Writes go to the client's namespace, else to the object's own (a dynamic client used across namespaces). */
  private namespaceOf(obj: KubeObject): string {
    return this.namespace || obj.metadata?.namespace || '';
  }

  private nameOf(obj: KubeObject): string {
    const name = obj.metadata?.name;
    if (!name) throw new Error(`${this.gvr.resource}: the object has no metadata.name`);
    return name;
  }

  get(name: string, opts: { resourceVersion?: string; signal?: AbortSignal } = {}): Promise<T> {
    const accept = this.opts.metadataOnly ? metadataAccept.object : undefined;
    return this.client.json<T>({ method: 'GET', path: this.path({ name }), query: { resourceVersion: opts.resourceVersion }, signal: opts.signal, accept }, this.about(name));
  }

  list(opts: ListOptions & { signal?: AbortSignal } = {}): Promise<KubeList<T>> {
    const accept = this.opts.metadataOnly ? metadataAccept.list : undefined;
    return this.client.json<KubeList<T>>({ method: 'GET', path: this.path(), query: listQuery(opts), signal: opts.signal, accept }, this.about());
  }

  async watch(opts: ListOptions & { signal: AbortSignal }): Promise<AsyncIterable<WatchEvent<T>>> {
    const { signal } = opts;
    const accept = this.opts.metadataOnly ? metadataAccept.object : undefined;
    const resp = await this.client.stream({ method: 'GET', path: this.path(), query: { ...listQuery(opts), watch: true }, signal, accept }, this.about());
    async function* events(): AsyncGenerator<WatchEvent<T>> {
      try {
        yield* decodeWatchEvents<T>(resp.body);
      } catch (err) {
        // Aborting is how callers stop a watch: the stream then ends quietly.
        if (!signal.aborted) throw err;
      } finally {
        resp.cancel();
      }
    }
    return events();
  }

  create(obj: T, opts?: WriteOptions): Promise<T> {
    return this.client.json<T>({ method: 'POST', path: this.path({ namespace: this.namespaceOf(obj) }), query: writeQuery(opts), body: obj }, this.about());
  }

  update(obj: T, opts: WriteOptions & { subresource?: string } = {}): Promise<T> {
    const name = this.nameOf(obj);
    return this.client.json<T>(
      { method: 'PUT', path: this.path({ namespace: this.namespaceOf(obj), name, subresource: opts.subresource }), query: writeQuery(opts), body: obj },
      this.about(name),
    );
  }

  updateStatus(obj: T, opts?: WriteOptions): Promise<T> {
    return this.update(obj, { ...opts, subresource: 'status' });
  }

  patch(name: string, type: PatchType, patch: unknown, opts: WriteOptions & { subresource?: string } = {}): Promise<T> {
    return this.client.json<T>(
      { method: 'PATCH', path: this.path({ name, subresource: opts.subresource }), query: writeQuery(opts), body: patch, contentType: patchContentTypes[type] },
      this.about(name),
    );
  }

  delete(name: string, opts: DeleteOptions = {}): Promise<T | Status> {
    return this.client.json<T | Status>({ method: 'DELETE', path: this.path({ name }), body: deleteBody(opts) }, this.about(name));
  }

  async deleteCollection(opts: ListOptions & DeleteOptions = {}): Promise<void> {
    await this.client.json<unknown>({ method: 'DELETE', path: this.path(), query: listQuery(opts), body: deleteBody(opts) }, this.about());
  }

  createSubresource<R = KubeObject>(name: string, subresource: string, body: unknown, opts?: WriteOptions): Promise<R> {
    return this.client.json<R>({ method: 'POST', path: this.path({ name, subresource }), query: writeQuery(opts), body }, this.about(name));
  }

  getSubresource<R = KubeObject>(name: string, subresource: string): Promise<R> {
    return this.client.json<R>({ method: 'GET', path: this.path({ name, subresource }) }, this.about(name));
  }
}
