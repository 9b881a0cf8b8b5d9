// upstream GraphBuilder: turns metadata-informer events into changes of the dependency graph and decides
// which nodes the garbage collector must look at (attemptToDelete) or orphan (attemptToOrphan).
// JavaScript runs one handler at a time, so events are applied as they arrive instead of through a queue.
import type { Logger } from '../../../base/logger.js';
import type { KubeObject } from '../../../client/rest/interface.js';
import type { EventRecorder } from '../../controller-context.js';
import type { OwnerReference } from '../../controller-ref-manager.js';
import {
  Node,
  deletionStartsWithFinalizer,
  finalizerDeleteDependents,
  finalizerOrphanDependents,
  hasFinalizer,
  isBeingDeleted,
  referenceString,
  referencesDiffs,
  sameIdentity,
  type ObjectReference,
} from './graph.js';

/** One change seen by a monitor (or, `virtual`, concluded by the collector from a live GET). */
export interface GraphEvent {
  type: 'add' | 'update' | 'delete';
  obj: KubeObject;
  oldObj?: KubeObject;
  /** The kind the object was observed as (metadata lists do not carry it). */
  gvk: { apiVersion: string; kind: string };
  virtual?: boolean;
}

export interface GraphBuilderOptions {
  /** Receives uids of nodes to check for deletion. */
  attemptToDelete(uid: string): void;
  /** Receives uids of owners whose dependents must be orphaned. */
  attemptToOrphan(uid: string): void;
  recorder: EventRecorder;
  logger: Logger;
  /** Size of the cache of owners verified absent (upstream: 500). */
  absentOwnerCacheSize?: number;
}

/** A bounded set of owners verified absent, so that many dependents of one deleted owner cost one GET. */
export class AbsentOwnerCache {
  private readonly keys = new Set<string>();
  constructor(private readonly max: number) {}

  static key(ref: ObjectReference): string {
    return JSON.stringify([ref.namespace, ref.apiVersion, ref.kind, ref.name, ref.uid]);
  }

  add(ref: ObjectReference): void {
    const k = AbsentOwnerCache.key(ref);
    this.keys.delete(k);
    this.keys.add(k);
    if (this.keys.size > this.max) this.keys.delete(this.keys.values().next().value as string);
  }

  has(ref: ObjectReference): boolean {
    return this.keys.has(AbsentOwnerCache.key(ref));
  }
}

export function identityOf(obj: KubeObject, gvk: { apiVersion: string; kind: string }): ObjectReference {
  const m = obj.metadata ?? {};
  return { apiVersion: gvk.apiVersion, kind: gvk.kind, name: m.name ?? '', uid: m.uid ?? '', namespace: m.namespace ?? '' };
}

export class GraphBuilder {
  private readonly uidToNode = new Map<string, Node>();
  readonly absentOwnerCache: AbsentOwnerCache;
  private readonly opts: GraphBuilderOptions;

  constructor(opts: GraphBuilderOptions) {
    this.opts = opts;
    this.absentOwnerCache = new AbsentOwnerCache(opts.absentOwnerCacheSize ?? 500);
  }

  node(uid: string): Node | undefined {
    return this.uidToNode.get(uid);
  }

  get size(): number {
    return this.uidToNode.size;
  }

  /** Applies one event to the graph (upstream processGraphChanges). */
  process(event: GraphEvent): void {
    const { obj } = event;
    const uid = obj.metadata?.uid ?? '';
    if (!uid) return;
    const existing = this.uidToNode.get(uid);
    if (existing && !event.virtual && existing.virtual) this.observe(existing, identityOf(obj, event.gvk));

    if (event.type !== 'delete') {
      const owners = (obj.metadata?.ownerReferences ?? []) as OwnerReference[];
      if (!existing) {
        const node = new Node({
          identity: identityOf(obj, event.gvk),
          owners,
          beingDeleted: isBeingDeleted(obj),
          deletingDependents: isBeingDeleted(obj) && hasFinalizer(obj, finalizerDeleteDependents),
        });
        this.uidToNode.set(uid, node);
        this.addDependentToOwners(node, owners);
        this.processTransitions(event.oldObj, obj, node);
        return;
      }
      if (!event.virtual) {
        existing.identity = { ...existing.identity, apiVersion: event.gvk.apiVersion, kind: event.gvk.kind };
      }
      const { added, removed, changed } = referencesDiffs(existing.owners, owners);
      if (added.length || removed.length || changed.length) {
        this.addUnblockedOwnersToDeleteQueue(removed, changed);
        existing.owners = owners;
        this.addDependentToOwners(existing, added);
        this.removeDependentFromOwners(existing, removed);
      }
      if (isBeingDeleted(obj)) existing.beingDeleted = true;
      this.processTransitions(event.oldObj, obj, existing);
      return;
    }

    if (!existing) return;
    if (event.virtual) {
      const deleted = identityOf(obj, event.gvk);
      if (!sameIdentity(existing.identity, deleted)) {
        // A live GET disproved only one of the identities the node is referred to by: the dependents using
        // that one lose their owner, the node stays.
        this.absentOwnerCache.add(deleted);
        const refersByDeleted = (r: OwnerReference): boolean => r.uid === uid && r.apiVersion === deleted.apiVersion && r.kind === deleted.kind && r.name === deleted.name;
        for (const dep of existing.dependents) if (dep.owners.some(refersByDeleted)) this.opts.attemptToDelete(dep.identity.uid);
        return;
      }
    }
    this.removeNode(existing);
    if (existing.dependents.size > 0) this.absentOwnerCache.add(existing.identity);
    for (const dep of existing.dependents) this.opts.attemptToDelete(dep.identity.uid);
    for (const owner of existing.owners) {
      const ownerNode = this.uidToNode.get(owner.uid);
      // An owner deleting in the foreground may now have no blocking dependents left.
      if (ownerNode?.deletingDependents) this.opts.attemptToDelete(ownerNode.identity.uid);
    }
  }

  /** A virtual node was seen by an informer: take its real identity; dependents in other namespaces were wrong. */
  private observe(node: Node, observed: ObjectReference): void {
    if (!sameIdentity(node.identity, observed)) {
      for (const dep of node.dependents) {
        if (observed.namespace && dep.identity.namespace !== observed.namespace) this.reportInvalidNamespaceOwnerRef(dep, observed.uid);
        this.opts.attemptToDelete(dep.identity.uid);
      }
      node.identity = observed;
    }
    node.virtual = false;
  }

  private processTransitions(oldObj: KubeObject | undefined, obj: KubeObject, node: Node): void {
    if (deletionStartsWithFinalizer(oldObj, obj, finalizerOrphanDependents)) {
      this.opts.attemptToOrphan(node.identity.uid);
      return;
    }
    if (deletionStartsWithFinalizer(oldObj, obj, finalizerDeleteDependents)) {
      node.deletingDependents = true;
      node.beingDeleted = true;
      for (const dep of node.dependents) this.opts.attemptToDelete(dep.identity.uid);
      this.opts.attemptToDelete(node.identity.uid);
    }
  }

  /**
   * Links `node` under each owner; an owner not in the graph becomes a virtual node queued for a live check.
   * A namespaced owner observed in another namespace than a namespaced dependent is an invalid reference.
   */
  private addDependentToOwners(node: Node, owners: readonly OwnerReference[]): void {
    for (const ref of owners) {
      let owner = this.uidToNode.get(ref.uid);
      if (!owner) {
        owner = new Node({
          identity: { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace: node.identity.namespace },
          virtual: true,
        });
        this.uidToNode.set(ref.uid, owner);
        owner.dependents.add(node);
        this.opts.attemptToDelete(ref.uid);
        continue;
      }
      owner.dependents.add(node);
      if (!owner.virtual && owner.identity.namespace && owner.identity.namespace !== node.identity.namespace) {
        this.reportInvalidNamespaceOwnerRef(node, ref.uid);
        this.opts.attemptToDelete(node.identity.uid);
      }
    }
  }

  private removeDependentFromOwners(node: Node, owners: readonly OwnerReference[]): void {
    for (const ref of owners) this.uidToNode.get(ref.uid)?.dependents.delete(node);
  }

  private removeNode(node: Node): void {
    this.uidToNode.delete(node.identity.uid);
    this.removeDependentFromOwners(node, node.owners);
  }

  /** A blocking reference removed or made non-blocking may let an owner's foreground deletion finish. */
  private addUnblockedOwnersToDeleteQueue(removed: readonly OwnerReference[], changed: ReadonlyArray<{ oldRef: OwnerReference; newRef: OwnerReference }>): void {
    for (const ref of removed) if (ref.blockOwnerDeletion && this.uidToNode.has(ref.uid)) this.opts.attemptToDelete(ref.uid);
    for (const { oldRef, newRef } of changed) {
      if (oldRef.blockOwnerDeletion && !newRef.blockOwnerDeletion && this.uidToNode.has(newRef.uid)) this.opts.attemptToDelete(newRef.uid);
    }
  }

  /** upstream reportInvalidNamespaceOwnerRef: a Warning event on the dependent naming the bad reference. */
  reportInvalidNamespaceOwnerRef(dep: Node, ownerUID: string): void {
    const ref = dep.owners.find((r) => r.uid === ownerUID);
    if (!ref) return;
    const invalid: ObjectReference = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace: dep.identity.namespace };
    const obj: KubeObject = {
      apiVersion: dep.identity.apiVersion,
      kind: dep.identity.kind,
      metadata: { name: dep.identity.name, namespace: dep.identity.namespace || undefined, uid: dep.identity.uid },
    };
    this.opts.recorder.event(obj, 'Warning', 'OwnerRefInvalidNamespace', `ownerRef ${referenceString(invalid)} does not exist in namespace ${JSON.stringify(dep.identity.namespace)}`);
  }
}
