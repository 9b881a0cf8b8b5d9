// A Store decorator that times every storage call and reports it as etcd_request_duration_seconds /
// etcd_requests_total / etcd_request_errors_total, labelled with the API resource the key belongs to.
import type { ResourceInfo } from '../../api/resource-info.js';
import { isStorageError, type Store } from '../../storage/interface.js';
import { resourceKeys } from '../storage-keys.js';
import type { APIServerMetrics } from './interface.js';

export interface KeyResource {
  group: string;
  resource: string;
}

/** Maps a storage key (or key prefix) to the resource it belongs to; undefined for keys outside any resource. */
export type KeyResourceResolver = (key: string) => KeyResource | undefined;

/**
 * Resolves keys by their resource's key root (`/registry/services/specs/…` → services), longest root first, so
 * nested roots resolve to the most specific resource. Resources stored under another's key space (events.k8s.io
 * events in core events) resolve to the owner of that space.
 */
export function keyResourceResolver(opts: { etcdPrefix: string; resources: readonly ResourceInfo[] }): KeyResourceResolver {
  const roots = new Map<string, KeyResource>();
  for (const r of opts.resources) {
    const { root } = resourceKeys({ etcdPrefix: opts.etcdPrefix, group: r.group, plural: r.plural, namespaced: r.namespaced });
    if (!roots.has(root)) roots.set(root, { group: r.group, resource: r.plural });
  }
  // Every root ends in '/', so the longest root a key starts with is the longest of its '/'-ended prefixes in
  // `roots`: a few map lookups per storage call instead of a scan over every served resource.
  return (key) => {
    for (let i = key.lastIndexOf('/'); i >= 0; i = key.lastIndexOf('/', i - 1)) {
      const resource = roots.get(key.slice(0, i + 1));
      if (resource) return resource;
      if (i === 0) break;
    }
    return undefined;
  };
}

/** Whether a rejection is a real storage failure rather than an expected outcome (not found, conflict, …). */
function isFailure(err: unknown): boolean {
  return !isStorageError(err) || isStorageError(err, 'Unavailable');
}

/**
 * Wraps `store` so that get, list, create, update, delete and compact report their latency to `metrics`.
 * Watches are not timed (they are long-running; the watch cache reports its own events). Keys that belong to
 * no resource are labelled with resource "" and group "".
 */
export function instrumentStore(store: Store, opts: { metrics: APIServerMetrics; resourceOf: KeyResourceResolver }): Store {
  const { metrics, resourceOf } = opts;
  const timed = async <T>(operation: string, key: string, call: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const labels = resourceOf(key) ?? { group: '', resource: '' };
    try {
      const out = await call();
      metrics.observeStorage({ operation, ...labels, seconds: (performance.now() - start) / 1000 });
      return out;
    } catch (err) {
      metrics.observeStorage({ operation, ...labels, seconds: (performance.now() - start) / 1000, failed: isFailure(err) });
      throw err;
    }
  };
  return {
    get backend() {
      return store.backend;
    },
    currentRevision: () => store.currentRevision(),
    compactedRevision: () => store.compactedRevision(),
    get: (key, o) => timed('get', key, () => store.get(key, o)),
    list: (o) => timed('list', o.prefix, () => store.list(o)),
    create: (key, value) => timed('create', key, () => store.create(key, value)),
    update: (key, value, rev) => timed('update', key, () => store.update(key, value, rev)),
    delete: (key, rev) => timed('delete', key, () => store.delete(key, rev)),
    watch: (o) => store.watch(o),
    compact: (rev) => timed('compact', '', () => store.compact(rev)),
    close: () => store.close(),
  };
}
