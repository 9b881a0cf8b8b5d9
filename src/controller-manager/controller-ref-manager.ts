// Upstream's ControllerRefManager: which objects a controller owns. It adopts orphans its selector matches
// (adding a controller ownerReference), releases owned objects its selector no longer matches, and never
// touches objects another controller owns. Used for ReplicaSet→Pods and Deployment→ReplicaSets.
import { isNotFound } from '../apimachinery/errors.js';
import type { Selector } from '../apimachinery/labels/selector.js';
import type { DeletedFinalStateUnknown, Lister } from '../client/cache/interface.js';
import { isDeletedFinalStateUnknown } from '../client/cache/keys.js';
import type { KubeObject, ResourceInterface } from '../client/rest/interface.js';

export type OwnerReference = NonNullable<NonNullable<KubeObject['metadata']>['ownerReferences']>[number];

/** The ownerReference with `controller: true`, if any (upstream metav1.GetControllerOf). */
export function getControllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** A controller ownerReference to `owner` (blockOwnerDeletion true, as upstream's NewControllerRef). */
export function newControllerRef(owner: KubeObject, gvk: { apiVersion: string; kind: string }): OwnerReference {
  return {
    apiVersion: gvk.apiVersion,
    kind: gvk.kind,
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** "namespace/name", or "name" when cluster-scoped (client-go MetaNamespaceKeyFunc). */
export function keyOf(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  return ns ? `${ns}/${obj.metadata?.name ?? ''}` : (obj.metadata?.name ?? '');
}

export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export interface ClaimOptions<T extends KubeObject> {
  owner: KubeObject;
  ownerKind: { apiVersion: string; kind: string };
  selector: Selector;
  /** Writes to the children (patches of their ownerReferences), in the owner's namespace. */
  children: ResourceInterface<T>;
  /**
   * Checks, against the API server and not a cache, that the owner still exists with the same UID and is not
   * being deleted, before the first adoption (upstream RecheckDeletionTimestamp). Called at most once.
   */
  canAdopt(): Promise<void>;
}

/**
 * Returns the objects of `candidates` that `owner` controls after adopting and releasing as needed.
 * Adoption and release failures with NotFound (the child is gone) are ignored; other failures reject after
 * every candidate was tried, with the first error.
 */
export async function claimObjects<T extends KubeObject>(opts: ClaimOptions<T>, candidates: readonly T[]): Promise<T[]> {
  const { owner, selector } = opts;
  const ownerUID = owner.metadata?.uid;
  const ownerDeleting = Boolean(owner.metadata?.deletionTimestamp);
  let adoptChecked: Promise<void> | undefined;
  const claimed: T[] = [];
  const errors: unknown[] = [];

  for (const obj of candidates) {
    const ref = getControllerOf(obj);
    const matches = selector.matches(obj.metadata?.labels);
    if (ref) {
      if (ref.uid !== ownerUID) continue;
      if (matches) {
        claimed.push(obj);
        continue;
      }
      // Owned but no longer selected: let it go, unless the owner is going away (the GC handles that).
      if (ownerDeleting) continue;
      try {
        await release(opts, obj);
      } catch (err) {
        if (!isNotFound(err)) errors.push(err);
      }
      continue;
    }
    // An orphan: adopt it when selected, alive, and the owner is not being deleted.
    if (ownerDeleting || !matches || obj.metadata?.deletionTimestamp) continue;
    if (obj.metadata?.namespace !== owner.metadata?.namespace) continue;
    try {
      adoptChecked ??= opts.canAdopt();
      await adoptChecked;
      claimed.push(await adopt(opts, obj));
    } catch (err) {
      if (!isNotFound(err)) errors.push(err);
    }
  }
  if (errors.length > 0) throw errors[0];
  return claimed;
}

/** Adds the owner as controller with a strategic merge patch guarded by the child's UID. */
async function adopt<T extends KubeObject>(opts: ClaimOptions<T>, obj: T): Promise<T> {
  const patch = {
    metadata: {
      ownerReferences: [newControllerRef(opts.owner, opts.ownerKind)],
      uid: obj.metadata?.uid,
    },
  };
  return opts.children.patch(obj.metadata?.name ?? '', 'strategic', patch);
}

/** Removes the owner's reference with a strategic merge `$patch: delete` keyed by UID. */
async function release<T extends KubeObject>(opts: ClaimOptions<T>, obj: T): Promise<void> {
  const patch = {
    metadata: {
      ownerReferences: [{ $patch: 'delete', uid: opts.owner.metadata?.uid }],
      uid: obj.metadata?.uid,
    },
  };
  await opts.children.patch(obj.metadata?.name ?? '', 'strategic', patch);
}

/**
 * upstream RecheckDeletionTimestamp: a canAdopt that GETs the owner fresh and refuses (rejects) when it is
 * gone, replaced (another UID) or being deleted.
 */
export function recheckOwner(get: () => Promise<KubeObject>, owner: KubeObject, kind: string): () => Promise<void> {
  return async () => {
    const fresh = await get();
    const name = owner.metadata?.namespace ? `${owner.metadata.namespace}/${owner.metadata?.name}` : owner.metadata?.name;
    if (fresh.metadata?.uid !== owner.metadata?.uid) {
      throw new Error(`original ${kind} ${name} is gone: got uid ${fresh.metadata?.uid}, wanted ${owner.metadata?.uid}`);
    }
    if (fresh.metadata?.deletionTimestamp) {
      throw new Error(`${kind} ${name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
    }
  };
}

/**
 * The owner a controller reference points at, when it is of `kind` and still the same object (same UID) in
 * the cache — upstream's resolveControllerRef, which every owner-tracking controller has.
 */
export function resolveControllerRef<T extends KubeObject>(lister: Lister<T>, namespace: string, ref: OwnerReference, kind: string): T | undefined {
  if (ref.kind !== kind) return undefined;
  const owner = lister.namespace(namespace).get(ref.name);
  return owner && owner.metadata?.uid === ref.uid ? owner : undefined;
}

/**
 * Owners in `namespace` whose selector is valid, not empty, and matches `labels`: the candidates to adopt an
 * orphan with those labels (upstream GetPodReplicaSets, getDeploymentsForReplicaSet).
 */
export function ownersSelecting<T extends KubeObject>(lister: Lister<T>, namespace: string, labels: Record<string, string> | undefined, selectorOf: (owner: T) => Selector): T[] {
  const out: T[] = [];
  for (const owner of lister.namespace(namespace).list()) {
    let selector: Selector;
    try {
      selector = selectorOf(owner);
    } catch {
      continue;
    }
    if (!selector.empty() && selector.matches(labels)) out.push(owner);
  }
  return out;
}

/** The object of a delete notification, also when it is a tombstone for a deletion missed during a watch gap. */
export function deletedObject<T extends KubeObject>(obj: T | DeletedFinalStateUnknown<T>): T {
  return isDeletedFinalStateUnknown(obj) ? obj.obj : obj;
}
