// Protobuf request bodies of the built-in kinds (kubectl 1.32+ sends them for typed creates): the
// generated message table wired to the generic decoder in src/apimachinery/protobuf.

import { encodeProtobufBody } from '../apimachinery/protobuf/encode.js';
import { decodeProtobufBody } from '../apimachinery/protobuf/object.js';
import { compileTable, kindKey, type CompiledTable } from '../apimachinery/protobuf/table.js';
import { protobufTable } from './generated/protobuf-table.js';

let compiled: CompiledTable | undefined;

/** The compiled table of all built-in kinds, built on first use. */
export function builtinProtobufTable(): CompiledTable {
  compiled ??= compileTable(protobufTable);
  return compiled;
}

/**
 * Decodes an `application/vnd.kubernetes.protobuf` body into the object exactly as its JSON form would
 * be (Go zero values of non-pointer fields omitted). Throws 400/415 StatusErrors.
 */
export function decodeProtobufObject(body: Uint8Array): Record<string, unknown> {
  return decodeProtobufBody(builtinProtobufTable(), body);
}

/**
 * Encodes an object (`apiVersion`/`kind` set) of a built-in kind as an
 * `application/vnd.kubernetes.protobuf` body. Throws EncodeError for values that do not fit the schema.
 */
export function encodeProtobufObject(obj: Record<string, unknown>): Uint8Array {
  return encodeProtobufBody(builtinProtobufTable(), obj);
}

/** Whether `apiVersion`/`kind` is a built-in kind with a protobuf message (custom resources have none). */
export function hasProtobufForm(apiVersion: string, kind: string): boolean {
  const slash = apiVersion.indexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
  return builtinProtobufTable().kinds.has(kindKey(group, version, kind));
}

/** The encoder the apiserver writes protobuf replies with (ProtobufEncoder of src/apiserver/negotiation). */
export const builtinProtobufEncoder = { has: hasProtobufForm, encode: encodeProtobufObject };
