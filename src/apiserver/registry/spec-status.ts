// The spec/status split most kinds share (upstream: the PrepareForCreate/PrepareForUpdate pair that
// resets status on create and keeps the stored status on a main-resource update), as a strategy builder.

import type { APIObject, ResourceStrategy } from './strategy.js';
import { cloneJSON } from './object-paths.js';

export interface StatusStrategyOptions {
  /**
   * The status a new object starts with, as upstream serialises an empty status struct (fields without
   * `omitempty` appear as zeros, e.g. ReplicaSet `{replicas: 0}`). Undefined: status is dropped on create.
   */
  initialStatus?: (obj: APIObject) => unknown;
  /** Whether spec changes bump metadata.generation (upstream sets Generation = 1 for these kinds). */
  hasGeneration: boolean;
  selectableFields?: ResourceStrategy['selectableFields'];
}

/** Replaces `obj.status` with the kind's initial status (or removes it). */
export function resetStatus(obj: APIObject, initialStatus: StatusStrategyOptions['initialStatus']): void {
  if (initialStatus) obj.status = initialStatus(obj);
  else delete obj.status;
}

/** Makes `obj.status` equal to the stored object's status: the main resource may not change it. */
export function keepStatus(obj: APIObject, old: APIObject): void {
  if (old.status === undefined) delete obj.status;
  else obj.status = cloneJSON(old.status);
}

/** A strategy for a kind with a status subresource and no further kind-specific behaviour. */
export function statusStrategy(opts: StatusStrategyOptions): ResourceStrategy {
  return {
    hasStatusSubresource: true,
    hasGeneration: opts.hasGeneration,
    selectableFields: opts.selectableFields,
    prepareForCreate(obj) {
      resetStatus(obj, opts.initialStatus);
    },
    prepareForUpdate(obj, old) {
      keepStatus(obj, old);
    },
  };
}
