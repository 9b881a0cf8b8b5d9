// The shape of a protobuf message table (what tools/codegen/protobuf.ts generates for the built-in
// API types) and its compiled, lookup-friendly form. The decoder takes a table as a parameter.

/** Scalar wire types used by Kubernetes' generated.proto files (plus a few for completeness). */
export type ScalarType = 'string' | 'bytes' | 'bool' | 'int32' | 'int64' | 'uint32' | 'uint64' | 'double' | 'float';

/** A field's type: a scalar, a message (ref = message index), or a map<string, V> (ref for message values). */
export type FieldType = ScalarType | 'message' | 'map<string>' | 'map<bytes>' | 'map<message>';

export const fieldRepeated = 1;
/** The Go field is a pointer: a zero value on the wire is an explicit value, not "unset". */
export const fieldPointer = 2;
/** The Go field is an embedded struct whose JSON members are inlined into the parent object. */
export const fieldInline = 4;

/** [field number, JSON name, type, referenced message index (-1 if none), flags]. */
export type FieldTuple = readonly [number, string, FieldType, number, number];

/**
 * Messages whose JSON form is not an object of their fields:
 * time/microtime {seconds,nanos} → RFC 3339 string; quantity {string} → string; intorstring → number or
 * string; raw {bytes of JSON} → the parsed JSON; duration {nanoseconds} → Go duration string;
 * items {repeated items} → the array itself.
 */
export type SpecialMessage = '' | 'time' | 'microtime' | 'quantity' | 'intorstring' | 'raw' | 'duration' | 'items';

/** [full proto name, special encoding, fields]. */
export type MessageTuple = readonly [string, SpecialMessage, readonly FieldTuple[]];

/** [group ('' for core), version, kind, message index]. */
export type KindTuple = readonly [string, string, string, number];

export interface ProtobufTable {
  messages: readonly MessageTuple[];
  kinds: readonly KindTuple[];
}

export interface CompiledField {
  number: number;
  name: string;
  type: FieldType;
  ref: number;
  repeated: boolean;
  pointer: boolean;
  inline: boolean;
}

export interface CompiledMessage {
  name: string;
  special: SpecialMessage;
  /** Fields by number. */
  byNumber: Map<number, CompiledField>;
  /** Fields in declaration order. */
  fields: CompiledField[];
}

export interface CompiledTable {
  messages: CompiledMessage[];
  /** `group/version/kind` → message index. */
  kinds: Map<string, number>;
}

export const kindKey = (group: string, version: string, kind: string): string => `${group}/${version}/${kind}`;

/** Builds the lookup maps once; the result is immutable and shared by all decodes. */
export function compileTable(table: ProtobufTable): CompiledTable {
  const messages = table.messages.map(([name, special, fields]): CompiledMessage => {
    const compiled = fields.map(([number, fieldName, type, ref, flags]): CompiledField => ({
      number,
      name: fieldName,
      type,
      ref,
      repeated: (flags & fieldRepeated) !== 0,
      pointer: (flags & fieldPointer) !== 0,
      inline: (flags & fieldInline) !== 0,
    }));
    return { name, special, fields: compiled, byNumber: new Map(compiled.map((f) => [f.number, f])) };
  });
  return { messages, kinds: new Map(table.kinds.map(([g, v, k, idx]) => [kindKey(g, v, k), idx])) };
}
