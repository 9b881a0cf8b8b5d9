// The schema view server-side apply needs: for each position, whether it is a scalar, a struct, a map or a
// list, and how apply treats it (atomic, granular, set, map keyed by fields). Adapters live in src/api.
import type { JSONValue } from '../patch/json-value.js';

/**
 * How apply treats one position of an object.
 * - scalar: replaced whole; owned as one field.
 * - struct: named fields (`fieldType`); `atomic` ones (x-kubernetes-map-type: atomic) are replaced whole.
 * - map: free keys with values of `elementType()`; `atomic` maps are replaced whole.
 * - list: `listType` "atomic" (replaced whole), "set" (scalar items by value) or "map" (items by `listMapKeys`).
 * - untyped: no schema (custom resources without one, free-form JSON): objects merge key by key, lists
 *   and scalars are atomic, as upstream's deduced type.
 */
export interface ApplyType {
  readonly kind: 'scalar' | 'struct' | 'map' | 'list' | 'untyped';
  readonly atomic: boolean;
  readonly listType?: 'atomic' | 'set' | 'map';
  readonly listMapKeys?: readonly string[];
  /**
   * Values of key fields an item may omit (their schema default): an item without the field is keyed as
   * if it had it, so `{containerPort: 80}` and `{containerPort: 80, protocol: "TCP"}` are one item.
   */
  readonly listMapKeyDefaults?: Readonly<Record<string, JSONValue>>;
  /** A struct's field; undefined for a field the schema does not declare (treated as untyped). */
  fieldType(name: string): ApplyType | undefined;
  /** Values of a map, items of a list. Resolved lazily: schemas are recursive. */
  elementType(): ApplyType;
}

class UntypedType implements ApplyType {
  readonly kind = 'untyped';
  readonly atomic = false;
  fieldType(): ApplyType {
    return this;
  }
  elementType(): ApplyType {
    return this;
  }
}

/** The type of positions without a schema. */
export const untypedType: ApplyType = new UntypedType();
