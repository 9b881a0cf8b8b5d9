// Metadata monitors (upstream's GraphBuilder.syncMonitors and QuotaMonitor.SyncMonitors): one metadata-only
// informer per resource of a discovered set, reporting adds, updates and deletes; resources appear and
// disappear (CRDs) when discovery changes. The garbage collector feeds its graph from them, the resource quota
// controller its replenishment.
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import { apiVersionOf, type APIResourceInfo } from '../client/discovery/discovery-client.js';
import type { DeletedFinalStateUnknown } from '../client/cache/interface.js';
import { isDeletedFinalStateUnknown } from '../client/cache/keys.js';
import { newListWatchFromClient } from '../client/cache/list-watch.js';
import { SharedIndexInformer } from '../client/cache/shared-informer.js';
import type { Interface, KubeObject } from '../client/rest/interface.js';

/** Resources neither monitor set watches (upstream's DefaultIgnoredResources): events. */
export const ignoredResources: ReadonlyArray<{ group: string; resource: string }> = [
  { group: '', resource: 'events' },
  { group: 'events.k8s.io', resource: 'events' },
];

/** What a resource must support to be monitored (upstream GetDeletableResources). */
export const deletableVerbs = ['delete', 'list', 'watch'] as const;

/** One observed change of a monitored resource. */
export interface MonitorEvent {
  type: 'add' | 'update' | 'delete';
  obj: KubeObject;
  oldObj?: KubeObject;
  /** The kind the object was observed as (metadata lists do not carry it). */
  gvk: { apiVersion: string; kind: string };
  resource: APIResourceInfo;
}

interface Monitor {
  resource: APIResourceInfo;
  informer: SharedIndexInformer<KubeObject>;
  stop: AbortController;
  done: Promise<void>;
}

export interface MonitorsOptions {
  client: Interface;
  clock: Clock;
  logger: Logger;
  /** Names the informers (`gc`, `quota`). */
  name: string;
  /** Resources never monitored besides `ignoredResources` (e.g. those watched by typed informers already). */
  alsoIgnored?: ReadonlyArray<{ group: string; resource: string }>;
  /** Receives every observed change, in order per resource. */
  onEvent(event: MonitorEvent): void;
}

export function monitorKey(r: { group: string; version: string; resource: string }): string {
  return `${r.group}/${r.version}/${r.resource}`;
}

export class Monitors {
  private readonly monitors = new Map<string, Monitor>();
  private readonly opts: MonitorsOptions;

  constructor(opts: MonitorsOptions) {
    this.opts = opts;
  }

  /**
   * Makes the set of running monitors equal to `resources` (ignored ones left out): starts informers for new
   * resources under `signal`, stops those of resources no longer served — except in the group versions
   * `keepGroupVersions` (their discovery failed; their resources did not go away). Returns how many were
   * added and removed.
   */
  sync(resources: readonly APIResourceInfo[], signal: AbortSignal, keepGroupVersions: readonly string[] = []): { added: number; removed: number } {
    const wanted = new Map<string, APIResourceInfo>();
    for (const r of resources) {
      const ignored = [...ignoredResources, ...(this.opts.alsoIgnored ?? [])];
      if (ignored.some((i) => i.group === r.group && i.resource === r.resource)) continue;
      wanted.set(monitorKey(r), r);
    }
    let removed = 0;
    for (const [key, m] of this.monitors) {
      if (wanted.has(key) || keepGroupVersions.includes(apiVersionOf(m.resource))) continue;
      m.stop.abort();
      this.monitors.delete(key);
      removed++;
    }
    let added = 0;
    for (const [key, r] of wanted) {
      if (this.monitors.has(key)) continue;
      this.monitors.set(key, this.start(r, signal));
      added++;
    }
    if (added || removed) this.opts.logger.v(2).info('Synced monitors', { added, removed, total: this.monitors.size });
    return { added, removed };
  }

  private start(resource: APIResourceInfo, signal: AbortSignal): Monitor {
    const gvk = { apiVersion: apiVersionOf(resource), kind: resource.kind };
    const client = this.opts.client.resource(resource, '', { metadataOnly: true });
    const informer = new SharedIndexInformer<KubeObject>({
      name: `${this.opts.name} ${monitorKey(resource)}`,
      listerWatcher: newListWatchFromClient(client),
      clock: this.opts.clock,
      logger: this.opts.logger,
    });
    const { onEvent } = this.opts;
    informer.addEventHandler({
      onAdd: (obj) => onEvent({ type: 'add', obj, gvk, resource }),
      onUpdate: (oldObj, obj) => onEvent({ type: 'update', obj, oldObj, gvk, resource }),
      onDelete: (obj: KubeObject | DeletedFinalStateUnknown<KubeObject>) => onEvent({ type: 'delete', obj: isDeletedFinalStateUnknown(obj) ? obj.obj : obj, gvk, resource }),
    });
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const done = informer.run(stop.signal).finally(() => signal.removeEventListener('abort', onAbort));
    return { resource, informer, stop, done };
  }

  /** Every monitor has delivered its first list. */
  isSynced(): boolean {
    for (const m of this.monitors.values()) if (!m.informer.hasSynced()) return false;
    return true;
  }

  get count(): number {
    return this.monitors.size;
  }

  /** Resolves once every started informer has stopped (after the signals aborted). */
  async stopped(): Promise<void> {
    await Promise.all([...this.monitors.values()].map((m) => m.done));
  }
}
