// The schema contract of strategic merge patch (upstream's LookupPatchMeta): for each position in an object,
// how its fields merge. src/api adapts the generated schema tables to it; apimachinery never sees them.

/** The patch metadata of one field, as its Go struct tags or x-kubernetes-patch-* extensions declare it. */
export interface PatchMeta {
  /**
   * The field's patch strategies, at most two: "merge", "replace" and/or "retainKeys"
   * (`x-kubernetes-patch-strategy: merge,retainKeys` is ["merge", "retainKeys"]). Empty: no strategy,
   * which means maps merge and lists are replaced whole.
   */
  readonly patchStrategies: readonly string[];
  /** The item field that identifies list items (x-kubernetes-patch-merge-key); "" for none. */
  readonly patchMergeKey: string;
}

/**
 * The answer to a lookup: the field's metadata plus the schema of the position below it, or the reason the
 * lookup failed (upstream's message, e.g. `unable to find api field in struct PodSpec for the json field "foo"`).
 * A failed lookup is only an error where the engine must recurse into the field.
 */
export type PatchMetaLookup = { schema: LookupPatchMeta; meta: PatchMeta; error?: undefined } | { error: string };

/**
 * One position in an object's schema. `lookupPatchMetadataForStruct(key)` answers for a field holding an
 * object (its schema is that object's); `lookupPatchMetadataForSlice(key)` for a field holding a list (its
 * schema is the schema of the list's items). Implementations are immutable and may be shared.
 */
export interface LookupPatchMeta {
  lookupPatchMetadataForStruct(key: string): PatchMetaLookup;
  lookupPatchMetadataForSlice(key: string): PatchMetaLookup;
  /** Used in upstream's "cannot merge lists without merge key for <name>" message (a Go kind such as "struct"). */
  name(): string;
}

export const noPatchMeta: PatchMeta = Object.freeze({ patchStrategies: Object.freeze([]), patchMergeKey: '' });

/** Splits an x-kubernetes-patch-strategy value ("merge,retainKeys") into strategies. */
export function parsePatchStrategies(value: string | undefined): readonly string[] {
  return value ? value.split(',') : [];
}

/**
 * The schema of a value nothing is known about (free-form JSON, x-kubernetes-preserve-unknown-fields): every
 * field has no strategy, so maps merge recursively, null deletes and lists are replaced, as in a JSON merge
 * patch. Upstream's OpenAPI-driven lookup behaves the same below a position without a schema.
 */
export const opaquePatchMeta: LookupPatchMeta = Object.freeze({
  lookupPatchMetadataForStruct: () => ({ schema: opaquePatchMeta, meta: noPatchMeta }),
  lookupPatchMetadataForSlice: () => ({ schema: opaquePatchMeta, meta: noPatchMeta }),
  name: () => 'Struct',
});

/**
 * Upstream's extractRetainKeysPatchStrategy: whether "retainKeys" is among the strategies, and the other
 * strategy ("" for none). More than one non-retainKeys strategy is an error.
 */
export function splitRetainKeys(strategies: readonly string[]): { retainKeys: boolean; strategy: string } | { error: string } {
  if (strategies.length === 0) return { retainKeys: false, strategy: '' };
  if (strategies.length === 1) {
    return strategies[0] === 'retainKeys' ? { retainKeys: true, strategy: '' } : { retainKeys: false, strategy: strategies[0]! };
  }
  if (strategies.length === 2) {
    if (strategies[0] === 'retainKeys') return { retainKeys: true, strategy: strategies[1]! };
    if (strategies[1] === 'retainKeys') return { retainKeys: true, strategy: strategies[0]! };
  }
  return { error: `unexpected patch strategy: [${strategies.join(' ')}]` };
}
