// Delete notifications carry the object or, when the informer missed the delete, a tombstone holding its
// last known state; controllers want the object either way.
import type { DeletedFinalStateUnknown } from '../client/cache/interface.js';
import { isDeletedFinalStateUnknown } from '../client/cache/keys.js';
import type { KubeObject } from '../client/rest/interface.js';

/** The object of a delete notification, whether it came as is or as a tombstone. */
export function deletedObject<T extends KubeObject>(obj: T | DeletedFinalStateUnknown<T>): T {
  return isDeletedFinalStateUnknown(obj) ? obj.obj : obj;
}
