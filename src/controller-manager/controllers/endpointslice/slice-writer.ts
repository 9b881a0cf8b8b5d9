// Writes planned EndpointSlice changes and remembers them (upstream endpointSliceTracker), so a sync that
// sees an informer cache older than its own writes retries instead of creating duplicates, and the
// controller can tell its own writes from changes made by others.
import { isNotFound } from '../../../apimachinery/errors.js';
import type { SharedInformer } from '../../../client/cache/interface.js';
import { isDeletedFinalStateUnknown } from '../../../client/cache/keys.js';
import type { Interface } from '../../../client/rest/interface.js';
import type { EndpointSlice, SlicePlan } from './slice-plan.js';

export const endpointSlicesGVR = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' } as const;

/** A resourceVersion as a number when it is one (k8ts and etcd use decimal counters). */
function rvNumber(rv: string | undefined): bigint | undefined {
  return rv && /^\d+$/.test(rv) ? BigInt(rv) : undefined;
}

/** Whether `seen` is at least `expected` (unknown forms: only when equal). */
function caughtUp(seen: string | undefined, expected: string): boolean {
  const a = rvNumber(seen);
  const b = rvNumber(expected);
  return a !== undefined && b !== undefined ? a >= b : seen === expected;
}

export class StaleInformerCacheError extends Error {
  override readonly name = 'StaleInformerCacheError';
}

interface ServiceWrites {
  /** slice name → resourceVersion of our last write. */
  written: Map<string, string>;
  /** Names of slices we deleted. */
  deleted: Set<string>;
}

export class SliceWriter {
  private readonly byService = new Map<string, ServiceWrites>();
  /** `ns/slice` → resourceVersion we wrote, for isOwnWrite. */
  private readonly own = new Map<string, string>();

  constructor(private readonly client: Interface) {}

  private writes(namespace: string, service: string): ServiceWrites {
    const key = `${namespace}/${service}`;
    let w = this.byService.get(key);
    if (!w) this.byService.set(key, (w = { written: new Map(), deleted: new Set() }));
    return w;
  }

  /** True for the object exactly as this controller last wrote it. */
  isOwnWrite(slice: EndpointSlice): boolean {
    return this.own.get(`${slice.metadata?.namespace}/${slice.metadata?.name}`) === slice.metadata?.resourceVersion;
  }

  /**
   * Throws StaleInformerCacheError when `cached` (the informer's slices of the Service) does not yet show
   * our earlier writes: a slice we wrote is missing or older, or one we deleted is still there.
   */
  checkFresh(namespace: string, service: string, cached: EndpointSlice[]): void {
    const w = this.byService.get(`${namespace}/${service}`);
    if (!w) return;
    const byName = new Map(cached.map((s) => [s.metadata?.name ?? '', s]));
    for (const [name, rv] of w.written) {
      const seen = byName.get(name);
      if (!seen || !caughtUp(seen.metadata?.resourceVersion, rv)) throw new StaleInformerCacheError(`EndpointSlice informer cache is out of date`);
      w.written.delete(name);
    }
    for (const name of w.deleted) {
      if (byName.has(name)) throw new StaleInformerCacheError(`EndpointSlice informer cache is out of date`);
      w.deleted.delete(name);
    }
  }

  /**
   * Queues "namespace/service" when a slice managed by `managedBy` changes other than by our own write, or
   * is deleted: someone else touched it, so the Service is reconciled again.
   */
  queueOnForeignChanges(informer: SharedInformer<EndpointSlice>, managedBy: string, queue: { add(key: string): void }): void {
    const changed = (slice: EndpointSlice, deleted: boolean) => {
      const service = slice.metadata?.labels?.['kubernetes.io/service-name'];
      if (slice.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'] !== managedBy || !service) return;
      if (!deleted && this.isOwnWrite(slice)) return;
      queue.add(`${slice.metadata?.namespace}/${service}`);
    };
    informer.addEventHandler({
      onAdd: (s) => changed(s, false),
      onUpdate: (_old, s) => changed(s, false),
      onDelete: (obj) => changed(isDeletedFinalStateUnknown(obj) ? obj.obj : obj, true),
    });
  }

  forgetService(namespace: string, service: string): void {
    this.byService.delete(`${namespace}/${service}`);
  }

  /** Creates, then updates, then deletes (upstream finalize order). Stops at the first failure. */
  async apply(namespace: string, service: string, plan: SlicePlan): Promise<void> {
    const slices = this.client.resource<EndpointSlice>(endpointSlicesGVR, namespace);
    const w = this.writes(namespace, service);
    const remember = (s: EndpointSlice) => {
      const name = s.metadata?.name ?? '';
      w.written.set(name, s.metadata?.resourceVersion ?? '');
      this.own.set(`${namespace}/${name}`, s.metadata?.resourceVersion ?? '');
    };
    for (const s of plan.create) remember(await slices.create(s));
    for (const s of plan.update) remember(await slices.update(s));
    for (const s of plan.delete) {
      const name = s.metadata?.name ?? '';
      try {
        await slices.delete(name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      w.written.delete(name);
      w.deleted.add(name);
      this.own.delete(`${namespace}/${name}`);
    }
  }
}
