// The resource quota controller (upstream pkg/controller/resourcequota): keeps every ResourceQuota's
// status — hard copied from spec, used summed over the namespace's objects for each hard resource —
// recomputed when the quota or a pod/service/claim in its namespace changes, when an object of any other kind a
// quota counts is deleted (upstream's QuotaMonitor: a metadata-only informer per discovered namespaced resource),
// and all of them periodically.
import type * as corev1 from '../../../api/generated/core/v1.js';
import { preferredVersion } from '../../../api/resources.js';
import { isNotFound } from '../../../apimachinery/errors.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import { isDeletedFinalStateUnknown } from '../../../client/cache/keys.js';
import { discoverResources, type APIResourceInfo } from '../../../client/discovery/discovery-client.js';
import type { GroupVersionResource, Interface, KubeObject } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import type { Controller, ControllerContext, InformerHandle } from '../../controller-context.js';
import type { ControllerMetrics } from '../../metrics.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import { isNamespaceTerminating } from '../../worker-loop.js';
import { deletableVerbs, Monitors } from '../../metadata-monitors.js';
import { addUsage, objectUsage, parseQty, quotaSelects, resourceForQuotaKey, type Usage } from './evaluators.js';

export type ResourceQuota = Typed<corev1.ResourceQuota>;

export const resourceQuotasResource = { group: '', version: 'v1', resource: 'resourcequotas' } as const;
/** The resources whose changes are watched to recompute usage promptly (upstream's replenishment). */
export const replenishedResources = [
  { group: '', version: 'v1', resource: 'pods' },
  { group: '', version: 'v1', resource: 'services' },
  { group: '', version: 'v1', resource: 'persistentvolumeclaims' },
] as const;

/** How stale the discovered custom resource versions may get. */
const rediscoveryIntervalMs = 30_000;

/** upstream --resource-quota-sync-period default. */
export const defaultResyncPeriodMs = 5 * 60_000;

export interface ResourceQuotaDeps {
  client: Interface;
  /**
   * Discovers the namespaced resources other than the typed ones and watches their deletions, so units charged
   * at admission are given back within seconds (default true; unit tests on fakes turn it off).
   */
  monitorDeletions?: boolean;
  quotas: InformerHandle<ResourceQuota>;
  /** Informers of the replenished resources, by resource name; others are listed through the API. */
  watched: Map<string, InformerHandle>;
  queue: RateLimitingQueue<string>;
  resyncPeriodMs: number;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
}

export class ResourceQuotaController implements Controller {
  readonly name = 'resourcequota-controller';
  private discovered: { at: number; resources: APIResourceInfo[] } | undefined;
  private readonly monitors: Monitors;

  constructor(private readonly deps: ResourceQuotaDeps) {
    this.monitors = new Monitors({
      client: deps.client,
      clock: deps.clock,
      logger: deps.logger,
      name: 'quota',
      alsoIgnored: replenishedResources,
      // Creates were charged by admission; a deletion is what gives units back (upstream replenishes on delete).
      onEvent: (e) => {
        if (e.type === 'delete') this.replenish(e.obj, e.resource);
      },
    });
    const enqueue = (q: ResourceQuota): void => deps.queue.add(`${q.metadata!.namespace}/${q.metadata!.name}`);
    deps.quotas.informer.addEventHandler({
      onAdd: enqueue,
      onUpdate: (old, q) => {
        if (JSON.stringify(old.spec) !== JSON.stringify(q.spec) || JSON.stringify(q.status?.hard) !== JSON.stringify(q.spec?.hard)) enqueue(q);
      },
    });
    for (const handle of deps.watched.values()) {
      handle.informer.addEventHandler({
        onAdd: (o) => this.replenish(o),
        onUpdate: (o, n) => {
          if (JSON.stringify(o.spec) !== JSON.stringify(n.spec) || (o.status as { phase?: string } | undefined)?.phase !== (n.status as { phase?: string } | undefined)?.phase) this.replenish(n);
        },
        onDelete: (o) => this.replenish(isDeletedFinalStateUnknown(o) ? o.obj : o),
      });
    }
  }

  /** The quotas of the object's namespace are recomputed: all of them, or those counting `resource`. */
  private replenish(obj: KubeObject, resource?: { group: string; resource: string }): void {
    const ns = obj.metadata?.namespace;
    if (!ns) return;
    for (const q of this.deps.quotas.lister.namespace(ns).list()) {
      const tracks = !resource || Object.keys(q.spec?.hard ?? {}).some((k) => {
        const r = resourceForQuotaKey(k);
        return r?.group === resource.group && r.resource === resource.resource;
      });
      if (tracks) this.deps.queue.add(`${ns}/${q.metadata!.name}`);
    }
  }

  /**
   * Keeps a metadata monitor on every namespaced resource that can be listed, watched and deleted, in its
   * preferred version, rediscovering every 30 s (CRDs come and go).
   */
  private async syncMonitors(signal: AbortSignal): Promise<void> {
    for (;;) {
      try {
        const { resources, failedGroups } = await discoverResources(this.deps.client, { signal });
        this.discovered = { at: this.deps.clock.now(), resources };
        const wanted = resources.filter((r) => r.namespaced && r.preferred && deletableVerbs.every((v) => r.verbs.includes(v)));
        this.monitors.sync(wanted, signal, [...failedGroups.keys()]);
      } catch (err) {
        if (signal.aborted) return;
        this.deps.logger.v(2).info('Quota monitors: discovery failed', { err: (err as Error).message });
      }
      try {
        await this.deps.clock.sleep(rediscoveryIntervalMs, signal);
      } catch {
        return;
      }
    }
  }

  async run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    const monitoring = deps.monitorDeletions === false ? Promise.resolve() : this.syncMonitors(opts.signal);
    const resync = (async () => {
      try {
        for (;;) {
          await deps.clock.sleep(deps.resyncPeriodMs, opts.signal);
          for (const q of deps.quotas.lister.list()) deps.queue.add(`${q.metadata!.namespace}/${q.metadata!.name}`);
        }
      } catch {
        // aborted
      }
    })();
    await runAfterCacheSync({
      name: this.name,
      hasSynced: [() => deps.quotas.informer.hasSynced(), ...[...deps.watched.values()].map((h) => () => h.informer.hasSynced())],
      queue: deps.queue,
      sync: (key) => this.syncResourceQuota(key),
      workers: Math.max(opts.workers, 1),
      signal: opts.signal,
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
      isIgnorable: isNamespaceTerminating,
    });
    await resync;
    await monitoring;
    await this.monitors.stopped();
  }

  /**
   * The version to list `r` in: the built-in group's preferred one, else (custom resources) the preferred
   * version discovery reports, rediscovered at most every 30 s.
   */
  private async versionOf(r: { group: string; resource: string }): Promise<string | undefined> {
    const builtin = preferredVersion(r.group);
    if (builtin) return builtin;
    const now = this.deps.clock.now();
    if (!this.discovered || now - this.discovered.at > rediscoveryIntervalMs) {
      this.discovered = { at: now, resources: (await discoverResources(this.deps.client)).resources };
    }
    return this.discovered.resources.find((x) => x.group === r.group && x.resource === r.resource && x.preferred)?.version;
  }

  private async objectsOf(r: { group: string; resource: string }, namespace: string): Promise<KubeObject[]> {
    const watched = r.group === '' ? this.deps.watched.get(r.resource) : undefined;
    if (watched) return watched.lister.namespace(namespace).list();
    const version = await this.versionOf(r);
    if (!version) return [];
    const gvr: GroupVersionResource = { group: r.group, version, resource: r.resource };
    try {
      return (await this.deps.client.resource(gvr, namespace).list()).items;
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
  }

  /** The quota's usage now: for each hard resource, the sum over the objects its scopes select (0 when none). */
  async computeUsage(quota: ResourceQuota): Promise<Record<string, string>> {
    const namespace = quota.metadata!.namespace!;
    const hard = quota.spec?.hard ?? {};
    const byResource = new Map<string, { group: string; resource: string }>();
    for (const key of Object.keys(hard)) {
      const r = resourceForQuotaKey(key);
      if (r) byResource.set(`${r.group}/${r.resource}`, r);
    }
    const total: Usage = new Map();
    for (const r of byResource.values()) {
      for (const obj of await this.objectsOf(r, namespace)) {
        if (quotaSelects(quota, r.resource, obj)) addUsage(total, objectUsage(r, obj));
      }
    }
    const used: Record<string, string> = {};
    for (const key of Object.keys(hard).sort()) used[key] = (total.get(key) ?? parseQty('0')).toString();
    return used;
  }

  /** Writes status.hard and status.used when they differ from what is stored. */
  async syncResourceQuota(key: string): Promise<void> {
    const [namespace, name] = key.split('/') as [string, string];
    const cached = this.deps.quotas.lister.namespace(namespace).get(name);
    if (!cached || cached.metadata?.deletionTimestamp) return;
    const used = await this.computeUsage(cached);
    const hard = { ...(cached.spec?.hard ?? {}) };
    if (sameResourceList(cached.status?.hard, hard) && sameResourceList(cached.status?.used, used)) return;
    const quota = structuredClone(cached);
    quota.status = { hard, used };
    try {
      await this.deps.client.resource<ResourceQuota>(resourceQuotasResource, namespace).update(quota, { subresource: 'status' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

/** Equal resource lists, comparing quantities semantically ("1000m" = "1"). */
function sameResourceList(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const ak = Object.keys(a ?? {});
  if (ak.length !== Object.keys(b).length) return false;
  for (const k of ak) {
    if (!(k in b)) return false;
    try {
      if (parseQty(String(a![k])).cmp(parseQty(b[k]!)) !== 0) return false;
    } catch {
      if (a![k] !== b[k]) return false;
    }
  }
  return true;
}

/** The registry's constructor. */
export function newResourceQuotaController(ctx: ControllerContext): Controller {
  return new ResourceQuotaController({
    client: ctx.client,
    quotas: ctx.informers.forResource<ResourceQuota>(resourceQuotasResource),
    watched: new Map(replenishedResources.map((r) => [r.resource, ctx.informers.forResource(r)])),
    queue: ctx.newQueue('resourcequota_primary'),
    resyncPeriodMs: ctx.options.resourceQuotaSyncPeriodMs ?? defaultResyncPeriodMs,
    clock: ctx.clock,
    logger: ctx.logger.withName('resourcequota-controller'),
    metrics: ctx.metrics,
  });
}
