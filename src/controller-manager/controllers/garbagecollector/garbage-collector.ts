// The garbage collector (upstream garbagecollector.go): deletes objects whose owners are all gone
// (background), finishes foreground deletions (dependents first, then the `foregroundDeletion` finalizer)
// and orphaning (ownerReferences removed from dependents, then the `orphan` finalizer). The graph comes
// from metadata informers over every deletable resource, re-discovered every 30 s and on CRD changes.
import { isConflict, isNotFound } from '../../../apimachinery/errors.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import { discoverResources, preferredResourcesWithVerbs, RESTMapper, type DiscoveryResult } from '../../../client/discovery/discovery-client.js';
import type { DeleteOptions, Interface, KubeObject, ResourceInterface } from '../../../client/rest/interface.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import type { Controller, ControllerContext, EventRecorder, InformerHandle } from '../../controller-context.js';
import type { OwnerReference } from '../../controller-ref-manager.js';
import type { ControllerMetrics } from '../../metrics.js';
import { runWorkers, TerminalError, type SyncResult } from '../../worker-loop.js';
import { finalizerDeleteDependents, finalizerOrphanDependents, hasFinalizer, isBeingDeleted, type Node, type ObjectReference } from './graph.js';
import { GraphBuilder, type GraphEvent } from './graph-builder.js';
import { deletableVerbs, Monitors } from '../../metadata-monitors.js';

export const garbageCollectorControllerName = 'garbage-collector-controller';

/** upstream ResourceResyncTime: how often discovery is re-read for new or removed resources. */
export const defaultResyncPeriodMs = 30_000;

/**
 * How long work waits for new monitors to sync before going ahead without them (upstream's GC sync timeout):
 * a resource whose list keeps failing must not stop all collection. Owners are verified live anyway.
 */
export const monitorSyncTimeoutMs = 30_000;

export interface GarbageCollectorDeps {
  client: Interface;
  attemptToDelete: RateLimitingQueue<string>;
  attemptToOrphan: RateLimitingQueue<string>;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
  resyncPeriodMs?: number;
  /** Changes to CRDs trigger an early re-discovery. */
  customResourceDefinitions?: InformerHandle;
  /** Discovery (default: the client's /api and /apis). Injected by tests to make groups fail. */
  discover?: (signal: AbortSignal) => Promise<DiscoveryResult>;
}

/** A cluster-scoped dependent names a namespaced owner: retrying cannot resolve it (upstream namespacedOwnerOfClusterScopedObjectErr). */
class NamespacedOwnerOfClusterScopedObjectError extends TerminalError {}

/** The owner of a reference, looked up live. */
type OwnerLookup = { dangling: true } | { dangling: false; owner: KubeObject };

export class GarbageCollector implements Controller {
  readonly name = garbageCollectorControllerName;
  readonly graph: GraphBuilder;
  readonly monitors: Monitors;
  private mapper = new RESTMapper([]);
  private readonly deps: GarbageCollectorDeps;
  /** Aborted by CRD events to end the resync loop's wait early; a fresh one per wait. */
  private wake = new AbortController();
  /** When monitors were last added (their sync is waited for up to monitorSyncTimeoutMs from then). */
  private monitorsAddedAt = 0;
  private warnedUnsynced = false;

  constructor(deps: GarbageCollectorDeps) {
    this.deps = deps;
    this.graph = new GraphBuilder({
      attemptToDelete: (uid) => deps.attemptToDelete.add(uid),
      attemptToOrphan: (uid) => deps.attemptToOrphan.add(uid),
      recorder: deps.recorder,
      logger: deps.logger,
    });
    this.monitors = new Monitors({ client: deps.client, clock: deps.clock, logger: deps.logger, name: 'gc', onEvent: (e: GraphEvent) => this.graph.process(e) });
    // A CRD added, established or removed changes what can be watched: look again soon, not in 30 s.
    const wake = (): void => this.wake.abort();
    deps.customResourceDefinitions?.informer.addEventHandler({ onAdd: wake, onUpdate: wake, onDelete: wake });
  }

  async run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    const { signal } = opts;
    const stopQueues = (): void => {
      deps.attemptToDelete.shutDown();
      deps.attemptToOrphan.shutDown();
    };
    try {
      while (!(await this.resync(signal))) await deps.clock.sleep(1000, signal);
      while (!this.readyToAct()) await deps.clock.sleep(100, signal);
    } catch {
      stopQueues();
      await this.monitors.stopped();
      return;
    }
    deps.logger.info('Starting controller', { controller: this.name, workers: opts.workers, monitors: this.monitors.count });
    const common = { workers: opts.workers, signal, logger: deps.logger, clock: deps.clock, metrics: deps.metrics };
    await Promise.all([
      runWorkers({ ...common, name: 'garbage_collector_attempt_to_delete', queue: deps.attemptToDelete, sync: (uid) => this.syncAttemptToDelete(uid) }),
      runWorkers({ ...common, name: 'garbage_collector_attempt_to_orphan', queue: deps.attemptToOrphan, sync: (uid) => this.syncAttemptToOrphan(uid) }),
      this.resyncLoop(signal),
    ]);
    await this.monitors.stopped();
  }

  /**
   * Re-reads discovery every resync period, or soon after a CRD changed. A CRD event during a pass ends
   * the next wait at once, so no change is left for the periodic pass.
   */
  private async resyncLoop(signal: AbortSignal): Promise<void> {
    const period = this.deps.resyncPeriodMs ?? defaultResyncPeriodMs;
    while (!signal.aborted) {
      const woken = this.wake.signal;
      try {
        await this.deps.clock.sleep(period, AbortSignal.any([signal, woken]));
      } catch {
        if (signal.aborted) return;
        // Woken by a CRD event: re-arm for later events, and let the apiserver's discovery catch up first.
        this.wake = new AbortController();
        try {
          await this.deps.clock.sleep(200, signal);
        } catch {
          return;
        }
      }
      await this.resync(signal);
    }
  }

  /** One discovery pass: refreshes the REST mapper and the monitors. False when discovery failed outright. */
  async resync(signal: AbortSignal): Promise<boolean> {
    let result: DiscoveryResult;
    try {
      result = await (this.deps.discover ?? ((s) => discoverResources(this.deps.client, { signal: s })))(signal);
    } catch (err) {
      if (signal.aborted) throw err;
      this.deps.logger.error('Failed to discover resources', err);
      return false;
    }
    this.mapper = new RESTMapper(result.resources);
    const deletable = preferredResourcesWithVerbs(result, deletableVerbs);
    // A group that failed discovery keeps its monitors: its resources did not go away.
    const failing = [...result.failedGroups.keys()];
    const { added } = this.monitors.sync(deletable, signal, failing);
    if (added > 0) {
      this.monitorsAddedAt = this.deps.clock.now();
      this.warnedUnsynced = false;
    }
    return true;
  }

  /** Every monitor has synced, or the newest ones had monitorSyncTimeoutMs to do so. */
  private readyToAct(): boolean {
    if (this.monitors.isSynced()) return true;
    if (this.deps.clock.now() - this.monitorsAddedAt < monitorSyncTimeoutMs) return false;
    if (!this.warnedUnsynced) {
      this.warnedUnsynced = true;
      this.deps.logger.info('Timed out waiting for the dependency graph builder to sync; collecting without the unsynced monitors', { controller: this.name });
    }
    return true;
  }

  private async syncAttemptToDelete(uid: string): Promise<SyncResult | void> {
    if (!this.readyToAct()) return { requeueAfterMs: 1000 };
    const node = this.graph.node(uid);
    if (!node) return;
    await this.attemptToDeleteItem(node);
    // A virtual owner that exists is looked at again until an informer shows it.
    if (node.virtual && this.graph.node(uid) === node) throw new Error(`item ${uid} is not yet observed by an informer`);
  }

  private async syncAttemptToOrphan(uid: string): Promise<SyncResult | void> {
    if (!this.readyToAct()) return { requeueAfterMs: 1000 };
    const owner = this.graph.node(uid);
    if (!owner) return;
    for (const dep of [...owner.dependents]) await this.removeOwnerReferences(dep.identity, new Set([uid]));
    await this.removeFinalizer(owner.identity, finalizerOrphanDependents);
  }

  private client(identity: { apiVersion: string; kind: string; namespace: string }, metadataOnly = false): ResourceInterface {
    const mapping = this.mapper.resourceFor(identity.apiVersion, identity.kind);
    if (!mapping) throw new Error(`unable to get REST mapping for ${identity.apiVersion}/${identity.kind}`);
    return this.deps.client.resource(mapping, mapping.namespaced ? identity.namespace : '', { metadataOnly });
  }

  /** The object's current metadata, or undefined when it is gone or was replaced (another uid). */
  private async getLatest(identity: ObjectReference): Promise<KubeObject | undefined> {
    try {
      const latest = await this.client(identity, true).get(identity.name);
      return latest.metadata?.uid === identity.uid ? latest : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Tells the graph that a live GET found the object absent (upstream enqueueVirtualDeleteEvent). */
  private virtualDelete(identity: ObjectReference): void {
    this.graph.process({
      type: 'delete',
      virtual: true,
      gvk: { apiVersion: identity.apiVersion, kind: identity.kind },
      obj: { metadata: { name: identity.name, namespace: identity.namespace || undefined, uid: identity.uid } },
    });
  }

  /** upstream attemptToDeleteItem. */
  private async attemptToDeleteItem(item: Node): Promise<void> {
    if (item.beingDeleted && !item.deletingDependents) return;
    const latest = await this.getLatest(item.identity);
    if (!latest) {
      this.virtualDelete(item.identity);
      return;
    }
    if (item.deletingDependents) return this.processDeletingDependentsItem(item);

    const ownerReferences = (latest.metadata?.ownerReferences ?? []) as OwnerReference[];
    if (ownerReferences.length === 0) return;
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of ownerReferences) {
      let lookup: OwnerLookup;
      try {
        lookup = await this.lookupOwner(ref, item);
      } catch (err) {
        if (err instanceof NamespacedOwnerOfClusterScopedObjectError) this.graph.reportInvalidNamespaceOwnerRef(item, ref.uid);
        throw err;
      }
      if (lookup.dangling) dangling.push(ref);
      else if (isBeingDeleted(lookup.owner) && hasFinalizer(lookup.owner, finalizerDeleteDependents)) waiting.push(ref);
      else solid.push(ref);
    }

    if (solid.length > 0) {
      // Some owner still holds the item: only the references to absent or foreground-deleting owners go.
      if (dangling.length || waiting.length) await this.removeOwnerReferences(item.identity, new Set([...dangling, ...waiting].map((r) => r.uid)));
      return;
    }
    if (waiting.length > 0 && item.dependents.size > 0) {
      // An owner waits for this item, which has dependents of its own: delete it in the foreground too. A
      // dependent already deleting in the foreground may be waiting for the item: unblock to avoid a cycle.
      if ([...item.dependents].some((d) => d.deletingDependents)) await this.unblockOwnerReferences(item.identity);
      await this.deleteObject(item.identity, 'Foreground');
      return;
    }
    let policy: DeleteOptions['propagationPolicy'] = 'Background';
    if (hasFinalizer(latest, finalizerOrphanDependents)) policy = 'Orphan';
    else if (hasFinalizer(latest, finalizerDeleteDependents)) policy = 'Foreground';
    await this.deleteObject(item.identity, policy);
  }

  /** An owner deleting in the foreground: done (finalizer removed) once no dependent blocks it. */
  private async processDeletingDependentsItem(item: Node): Promise<void> {
    const blocking = item.blockingDependents();
    if (blocking.length === 0) {
      await this.removeFinalizer(item.identity, finalizerDeleteDependents);
      return;
    }
    for (const dep of blocking) if (!dep.deletingDependents) this.deps.attemptToDelete.add(dep.identity.uid);
  }

  /** upstream isDangling: a live GET of the owner; absent or another uid means dangling. */
  private async lookupOwner(ref: OwnerReference, item: Node): Promise<OwnerLookup> {
    const mapping = this.mapper.resourceFor(ref.apiVersion, ref.kind);
    const namespace = mapping && !mapping.namespaced ? '' : item.identity.namespace;
    const coordinates: ObjectReference = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace };
    if (this.graph.absentOwnerCache.has({ ...coordinates, namespace: '' }) || this.graph.absentOwnerCache.has(coordinates)) return { dangling: true };
    if (!mapping) throw new Error(`unable to get REST mapping for ${ref.apiVersion}/${ref.kind}`);
    if (!item.identity.namespace && mapping.namespaced) {
      throw new NamespacedOwnerOfClusterScopedObjectError(`cluster-scoped ${item.identity.kind} ${item.identity.name} refers to a namespaced owner ${ref.kind} ${ref.name}`);
    }
    const owner = await this.getLatest(coordinates);
    if (!owner) {
      this.graph.absentOwnerCache.add(coordinates);
      return { dangling: true };
    }
    return { dangling: false, owner };
  }

  private async deleteObject(identity: ObjectReference, propagationPolicy: DeleteOptions['propagationPolicy']): Promise<void> {
    this.deps.logger.v(2).info('Deleting item', { item: identity, propagationPolicy });
    try {
      await this.client(identity).delete(identity.name, { preconditions: { uid: identity.uid }, propagationPolicy });
    } catch (err) {
      // Gone, or replaced by an object of another uid: nothing of ours is left to delete.
      if (isNotFound(err) || isConflict(err)) return;
      throw err;
    }
  }

  /**
   * Rewrites an object's metadata from its latest state with a JSON merge patch that carries the
   * resourceVersion (so a concurrent change makes it fail with a conflict, and it is retried on fresh data).
   */
  private async patchMetadata(identity: ObjectReference, change: (latest: KubeObject) => Record<string, unknown> | undefined): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const latest = await this.getLatest(identity);
      if (!latest) return;
      const meta = change(latest);
      if (!meta) return;
      try {
        await this.client(identity).patch(identity.name, 'merge', { metadata: { ...meta, uid: identity.uid, resourceVersion: latest.metadata?.resourceVersion } });
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err) || attempt >= 4) throw err;
      }
    }
  }

  private removeOwnerReferences(identity: ObjectReference, ownerUIDs: ReadonlySet<string>): Promise<void> {
    return this.patchMetadata(identity, (latest) => {
      const refs = latest.metadata?.ownerReferences ?? [];
      const kept = refs.filter((r) => !ownerUIDs.has(r.uid));
      return kept.length === refs.length ? undefined : { ownerReferences: kept };
    });
  }

  private unblockOwnerReferences(identity: ObjectReference): Promise<void> {
    return this.patchMetadata(identity, (latest) => {
      const refs = latest.metadata?.ownerReferences ?? [];
      if (!refs.some((r) => r.blockOwnerDeletion)) return undefined;
      return { ownerReferences: refs.map((r) => ({ ...r, blockOwnerDeletion: false })) };
    });
  }

  private removeFinalizer(identity: ObjectReference, finalizer: string): Promise<void> {
    return this.patchMetadata(identity, (latest) => {
      if (!hasFinalizer(latest, finalizer)) return undefined;
      return { finalizers: (latest.metadata?.finalizers ?? []).filter((f) => f !== finalizer) };
    });
  }
}

export const customResourceDefinitionsResource = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' } as const;

/** The registry's constructor: queues named as upstream's. */
export function newGarbageCollector(ctx: ControllerContext): Controller {
  return new GarbageCollector({
    client: ctx.client,
    customResourceDefinitions: ctx.informers.forResource(customResourceDefinitionsResource),
    attemptToDelete: ctx.newQueue('garbage_collector_attempt_to_delete'),
    attemptToOrphan: ctx.newQueue('garbage_collector_attempt_to_orphan'),
    recorder: ctx.recorder(garbageCollectorControllerName),
    clock: ctx.clock,
    logger: ctx.logger.withName('garbagecollector'),
    metrics: ctx.metrics,
  });
}
