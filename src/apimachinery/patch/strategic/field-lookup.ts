// One step down the schema for the patch engines: a field's sub-schema with its strategy already split
// into the retainKeys flag and the list/map strategy, or the lookup's error text.
import type { LookupPatchMeta, PatchMetaLookup } from './patch-meta.js';
import { splitRetainKeys } from './patch-meta.js';
import { unconvertedError } from './patch-errors.js';

export interface ResolvedField {
  schema: LookupPatchMeta;
  /** The field carries the retainKeys strategy. */
  retainKeys: boolean;
  /** "merge", "replace" or "" (none). */
  strategy: string;
  mergeKey: string;
}

export function resolveField(lookup: PatchMetaLookup): ResolvedField | { error: string } {
  if (lookup.error !== undefined) return { error: lookup.error };
  const split = splitRetainKeys(lookup.meta.patchStrategies);
  if ('error' in split) return { error: split.error };
  return { schema: lookup.schema, retainKeys: split.retainKeys, strategy: split.strategy, mergeKey: lookup.meta.patchMergeKey };
}

/** Like resolveField, but a failed lookup is thrown as the 500 upstream's apiserver answers with. */
export function mustResolveField(lookup: PatchMetaLookup): ResolvedField {
  const r = resolveField(lookup);
  if ('error' in r) throw unconvertedError(r.error);
  return r;
}
