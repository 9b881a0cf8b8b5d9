// CEL types as the checker sees them (cel-go's checked types): primitives, lists, maps, schema objects with known
// fields, optionals, opaque library types (Quantity, net.IP…) and dyn, with cel-go's names for error texts.

/**
 * `maxSize` (strings and bytes: bytes; lists: items; maps: entries) is the schema's bound where one is known, for
 * static cost estimation (cost.ts); without it a value may be as large as a request.
 */
export type CELType =
  | { kind: 'dyn' | 'int' | 'uint' | 'double' | 'bool' | 'null_type' | 'timestamp' | 'duration' | 'type' }
  | { kind: 'string' | 'bytes'; maxSize?: number }
  | { kind: 'list'; elem: CELType; maxSize?: number }
  | { kind: 'map'; key: CELType; value: CELType; maxSize?: number }
  /** A schema object: `fields` are its declared properties; `open` (preserve-unknown-fields) makes others dyn. */
  | { kind: 'object'; name: string; fields: ReadonlyMap<string, CELType>; open: boolean }
  | { kind: 'optional'; inner: CELType }
  | { kind: 'opaque'; name: string };

export const T = {
  dyn: { kind: 'dyn' },
  int: { kind: 'int' },
  uint: { kind: 'uint' },
  double: { kind: 'double' },
  string: { kind: 'string' },
  bool: { kind: 'bool' },
  bytes: { kind: 'bytes' },
  null: { kind: 'null_type' },
  timestamp: { kind: 'timestamp' },
  duration: { kind: 'duration' },
  type: { kind: 'type' },
} as const satisfies Record<string, CELType>;

export const listOf = (elem: CELType, maxSize?: number): CELType => (maxSize === undefined ? { kind: 'list', elem } : { kind: 'list', elem, maxSize });
export const mapOf = (key: CELType, value: CELType, maxSize?: number): CELType =>
  maxSize === undefined ? { kind: 'map', key, value } : { kind: 'map', key, value, maxSize };
export const optionalOf = (inner: CELType): CELType => ({ kind: 'optional', inner });
export const opaque = (name: string): CELType => ({ kind: 'opaque', name });

/** cel-go's spelling of a type in messages: `int`, `list(string)`, `map(string, int)`, `google.protobuf.Timestamp`. */
export function typeName(t: CELType): string {
  switch (t.kind) {
    case 'list':
      return `list(${typeName(t.elem)})`;
    case 'map':
      return `map(${typeName(t.key)}, ${typeName(t.value)})`;
    case 'object':
    case 'opaque':
      return t.name;
    case 'optional':
      return `optional_type(${typeName(t.inner)})`;
    case 'timestamp':
      return 'google.protobuf.Timestamp';
    case 'duration':
      return 'google.protobuf.Duration';
    default:
      return t.kind;
  }
}

/**
 * Whether values of the two types may meet in `==`, a list literal or a conditional (cel-go's type parameter
 * unification). Deliberately lenient where our model is coarser than upstream's: dyn and null meet anything,
 * objects meet objects and maps.
 */
export function compatible(a: CELType, b: CELType): boolean {
  if (a.kind === 'dyn' || b.kind === 'dyn' || a.kind === 'null_type' || b.kind === 'null_type') return true;
  if ((a.kind === 'object' || a.kind === 'map') && (b.kind === 'object' || b.kind === 'map')) {
    return a.kind === 'map' && b.kind === 'map' ? compatible(a.key, b.key) && compatible(a.value, b.value) : true;
  }
  if (a.kind !== b.kind) return false;
  if (a.kind === 'list' && b.kind === 'list') return compatible(a.elem, b.elem);
  if (a.kind === 'optional' && b.kind === 'optional') return compatible(a.inner, b.inner);
  if (a.kind === 'opaque' && b.kind === 'opaque') return a.name === b.name;
  return true;
}

/** The more specific of two compatible types (the first that is not dyn or null). */
export function join(a: CELType, b: CELType): CELType {
  if (a.kind === 'dyn' || a.kind === 'null_type') return b.kind === 'null_type' ? a : b;
  return a;
}

/** True when `t` is dyn or one of `kinds`. */
export function isKind(t: CELType, ...kinds: CELType['kind'][]): boolean {
  return t.kind === 'dyn' || kinds.includes(t.kind);
}
