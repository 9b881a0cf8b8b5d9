// Cache keys (client-go MetaNamespaceKeyFunc and friends) and the tombstone of a deletion the watch missed.
import type { KubeObject } from '../rest/interface.js';
import type { DeletedFinalStateUnknown } from './interface.js';

/** "namespace/name", or "name" for cluster-scoped objects. Throws for an object without a name (a bug). */
export function metaNamespaceKeyFunc(obj: KubeObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new Error('object has no meta: metadata.name is empty');
  const ns = obj.metadata?.namespace;
  return ns ? `${ns}/${name}` : name;
}

/** Splits a key made by metaNamespaceKeyFunc. Throws for a key with more than one "/". */
export function splitMetaNamespaceKey(key: string): { namespace: string; name: string } {
  const parts = key.split('/');
  if (parts.length === 1) return { namespace: '', name: key };
  if (parts.length === 2) return { namespace: parts[0] as string, name: parts[1] as string };
  throw new Error(`unexpected key format: "${key}"`);
}

export function isDeletedFinalStateUnknown<T extends KubeObject>(obj: T | DeletedFinalStateUnknown<T>): obj is DeletedFinalStateUnknown<T> {
  return (obj as Partial<DeletedFinalStateUnknown<T>>).deletedFinalStateUnknown === true;
}

export function newDeletedFinalStateUnknown<T extends KubeObject>(key: string, obj: T): DeletedFinalStateUnknown<T> {
  return { key, obj, deletedFinalStateUnknown: true };
}

/**
 * The key of an object or of a tombstone (client-go DeletionHandlingMetaNamespaceKeyFunc): what
 * controllers use in onDelete, where they may receive either.
 */
export function deletionHandlingMetaNamespaceKeyFunc<T extends KubeObject>(obj: T | DeletedFinalStateUnknown<T>): string {
  return isDeletedFinalStateUnknown(obj) ? obj.key : metaNamespaceKeyFunc(obj);
}
