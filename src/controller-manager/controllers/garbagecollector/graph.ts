// The garbage collector's dependency graph (upstream garbagecollector/graph.go): one node per object seen
// by a metadata informer or named by an ownerReference, linked from owners to dependents.
import type { KubeObject } from '../../../client/rest/interface.js';
import type { OwnerReference } from '../../controller-ref-manager.js';

/** The finalizers the apiserver adds for `propagationPolicy: Orphan` and `Foreground`. */
export const finalizerOrphanDependents = 'orphan';
export const finalizerDeleteDependents = 'foregroundDeletion';

/** Which object a node is: an owner reference's coordinates plus the namespace ("" when cluster-scoped). */
export interface ObjectReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  namespace: string;
}

/** upstream objectReference.String(), as events and logs print it. */
export function referenceString(ref: ObjectReference): string {
  return `[${ref.apiVersion}/${ref.kind}, namespace: ${ref.namespace}, name: ${ref.name}, uid: ${ref.uid}]`;
}

export function sameIdentity(a: ObjectReference, b: ObjectReference): boolean {
  return a.uid === b.uid && a.apiVersion === b.apiVersion && a.kind === b.kind && a.name === b.name && a.namespace === b.namespace;
}

export class Node {
  identity: ObjectReference;
  readonly dependents = new Set<Node>();
  owners: OwnerReference[];
  /**
   * True while only ownerReferences name the object (it has not been seen by an informer): its existence is
   * verified with a live GET before dependents are acted on.
   */
  virtual: boolean;
  beingDeleted: boolean;
  /** Being deleted in the foreground: waits for dependents that block it. */
  deletingDependents: boolean;

  constructor(opts: { identity: ObjectReference; owners?: OwnerReference[]; virtual?: boolean; beingDeleted?: boolean; deletingDependents?: boolean }) {
    this.identity = opts.identity;
    this.owners = opts.owners ?? [];
    this.virtual = opts.virtual ?? false;
    this.beingDeleted = opts.beingDeleted ?? false;
    this.deletingDependents = opts.deletingDependents ?? false;
  }

  /** Dependents whose reference to this node has blockOwnerDeletion (they hold up a foreground deletion). */
  blockingDependents(): Node[] {
    const out: Node[] = [];
    for (const dep of this.dependents) {
      if (dep.owners.some((r) => r.uid === this.identity.uid && r.blockOwnerDeletion === true)) out.push(dep);
    }
    return out;
  }
}

export function isBeingDeleted(obj: KubeObject | undefined): boolean {
  return !!obj?.metadata?.deletionTimestamp;
}

export function hasFinalizer(obj: KubeObject | undefined, finalizer: string): boolean {
  return obj?.metadata?.finalizers?.includes(finalizer) ?? false;
}

/** The deletion of `cur` started with `finalizer` present (in this change, or `old` is unknown). */
export function deletionStartsWithFinalizer(old: KubeObject | undefined, cur: KubeObject, finalizer: string): boolean {
  if (!isBeingDeleted(cur) || !hasFinalizer(cur, finalizer)) return false;
  if (!old) return true;
  return !isBeingDeleted(old) || !hasFinalizer(old, finalizer);
}

/** How the ownerReferences of an object changed, by owner uid. */
export function referencesDiffs(old: readonly OwnerReference[], cur: readonly OwnerReference[]): {
  added: OwnerReference[];
  removed: OwnerReference[];
  changed: Array<{ oldRef: OwnerReference; newRef: OwnerReference }>;
} {
  const oldByUID = new Map(old.map((r) => [r.uid, r]));
  const added: OwnerReference[] = [];
  const changed: Array<{ oldRef: OwnerReference; newRef: OwnerReference }> = [];
  for (const r of cur) {
    const o = oldByUID.get(r.uid);
    if (!o) added.push(r);
    else {
      oldByUID.delete(r.uid);
      if (JSON.stringify(o) !== JSON.stringify(r)) changed.push({ oldRef: o, newRef: r });
    }
  }
  return { added, removed: [...oldByUID.values()], changed };
}
