// Table-driven encoding of an object's JSON form into Kubernetes protobuf (the inverse of decode.ts):
// for replies in protobuf and for tests that round-trip through the wire format.

import { parseGoDuration } from './go-duration.js';
import { protobufMagic } from './envelope.js';
import { kindKey, type CompiledField, type CompiledTable } from './table.js';
import { wireBytes, wireFixed32, wireFixed64, wireVarint } from './wire.js';
import { Writer } from './writer.js';

/** A value that does not fit its field (wrong JSON type, unparsable time, …). */
export class EncodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncodeError';
  }
}

const utf8 = new TextEncoder();

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function writeScalar(w: Writer, field: CompiledField, v: unknown, path: string): void {
  switch (field.type) {
    case 'string':
      if (typeof v !== 'string') throw new EncodeError(`${path}: expected a string`);
      w.tag(field.number, wireBytes);
      w.bytes(utf8.encode(v));
      return;
    case 'bytes':
      if (typeof v !== 'string') throw new EncodeError(`${path}: expected base64 data`);
      w.tag(field.number, wireBytes);
      w.bytes(Buffer.from(v, 'base64'));
      return;
    case 'bool':
      if (typeof v !== 'boolean') throw new EncodeError(`${path}: expected a boolean`);
      w.tag(field.number, wireVarint);
      w.varint(v ? 1 : 0);
      return;
    case 'int32':
    case 'int64':
    case 'uint32':
    case 'uint64':
      if (typeof v !== 'number' || !Number.isInteger(v)) throw new EncodeError(`${path}: expected an integer`);
      w.tag(field.number, wireVarint);
      w.varint(v);
      return;
    case 'double':
      if (typeof v !== 'number') throw new EncodeError(`${path}: expected a number`);
      w.tag(field.number, wireFixed64);
      w.fixed64Float(v);
      return;
    case 'float':
      if (typeof v !== 'number') throw new EncodeError(`${path}: expected a number`);
      w.tag(field.number, wireFixed32);
      w.float32(v);
      return;
    default:
      throw new EncodeError(`${path}: ${field.type} is not a scalar`);
  }
}

/** RFC 3339 text → {seconds, nanos}. */
function parseTime(text: unknown, path: string): { seconds: number; nanos: number } {
  if (typeof text !== 'string') throw new EncodeError(`${path}: expected an RFC 3339 time`);
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  const ms = m ? Date.parse(`${m[1]}${m[3]}`) : NaN;
  if (!m || Number.isNaN(ms)) throw new EncodeError(`${path}: ${JSON.stringify(text)} is not an RFC 3339 time`);
  return { seconds: Math.floor(ms / 1000), nanos: m[2] ? Number(m[2].padEnd(9, '0')) : 0 };
}

/** Encodes the JSON value of one message (the inverse of decodeMessageValue). */
export function encodeMessageValue(table: CompiledTable, index: number, value: unknown, path = ''): Uint8Array {
  const msg = table.messages[index];
  const w = new Writer();
  switch (msg.special) {
    case 'time':
    case 'microtime': {
      const t = parseTime(value, path);
      w.tag(1, wireVarint);
      w.varint(t.seconds);
      if (msg.special === 'microtime' && t.nanos) {
        w.tag(2, wireVarint);
        w.varint(Math.floor(t.nanos / 1000) * 1000);
      }
      return w.finish();
    }
    case 'quantity':
      if (typeof value !== 'string' && typeof value !== 'number') throw new EncodeError(`${path}: expected a quantity`);
      w.tag(1, wireBytes);
      w.bytes(utf8.encode(String(value)));
      return w.finish();
    case 'intorstring':
      // Go writes all three fields (type, intVal, strVal): none is a pointer.
      if (typeof value !== 'number' && typeof value !== 'string') throw new EncodeError(`${path}: expected an integer or a string`);
      w.tag(1, wireVarint);
      w.varint(typeof value === 'number' ? 0 : 1);
      w.tag(2, wireVarint);
      w.varint(typeof value === 'number' ? value : 0);
      w.tag(3, wireBytes);
      w.bytes(utf8.encode(typeof value === 'string' ? value : ''));
      return w.finish();
    case 'raw':
      w.tag(1, wireBytes);
      w.bytes(utf8.encode(JSON.stringify(value)));
      return w.finish();
    case 'duration': {
      const ns = typeof value === 'string' ? parseGoDuration(value) : undefined;
      if (ns === undefined) throw new EncodeError(`${path}: ${JSON.stringify(value)} is not a duration`);
      w.tag(1, wireVarint);
      w.varint(ns);
      return w.finish();
    }
    case 'items':
      if (!Array.isArray(value)) throw new EncodeError(`${path}: expected a list`);
      for (const item of value) {
        w.tag(1, wireBytes);
        w.bytes(utf8.encode(String(item)));
      }
      return w.finish();
    case '':
      if (!isObject(value)) throw new EncodeError(`${path}: expected an object`);
      encodeObjectInto(table, index, value, w, path);
      return w.finish();
  }
}

const byNumberCache = new WeakMap<CompiledTable, CompiledField[][]>();

/** A message's fields in field-number order, the order Go's generated marshalers write them in. */
function fieldsInWireOrder(table: CompiledTable, index: number): CompiledField[] {
  let all = byNumberCache.get(table);
  if (!all) byNumberCache.set(table, (all = []));
  return (all[index] ??= [...table.messages[index].fields].sort((a, b) => a.number - b.number));
}

/**
 * Writes the Go zero value of a non-pointer, non-repeated field the object leaves out, as gogo-protobuf's
 * generated marshalers do (they write every non-pointer scalar and struct; nil bytes, slices and maps not).
 */
function writeZero(table: CompiledTable, w: Writer, field: CompiledField): void {
  switch (field.type) {
    case 'string':
      w.tag(field.number, wireBytes);
      w.bytes(new Uint8Array(0));
      return;
    case 'bool':
    case 'int32':
    case 'int64':
    case 'uint32':
    case 'uint64':
      w.tag(field.number, wireVarint);
      w.varint(0);
      return;
    case 'double':
      w.tag(field.number, wireFixed64);
      w.fixed64Float(0);
      return;
    case 'float':
      w.tag(field.number, wireFixed32);
      w.float32(0);
      return;
    case 'message':
      // A list wrapper is a Go slice: nil, not written.
      if (table.messages[field.ref].special === 'items') return;
      w.tag(field.number, wireBytes);
      w.bytes(zeroMessage(table, field.ref));
      return;
    default:
      // bytes and maps: Go's nil is not written.
      return;
  }
}

/** The encoding of a message's Go zero value. */
function zeroMessage(table: CompiledTable, index: number): Uint8Array {
  const msg = table.messages[index];
  switch (msg.special) {
    case 'time':
    case 'microtime':
    case 'raw':
    case 'items':
      // Zero times marshal to nothing; RawExtension's nil Raw is not written.
      return new Uint8Array(0);
    case 'quantity':
      return encodeMessageValue(table, index, '0');
    case 'intorstring':
      return encodeMessageValue(table, index, 0);
    case 'duration': {
      const w = new Writer();
      w.tag(1, wireVarint);
      w.varint(0);
      return w.finish();
    }
    case '':
      return encodeMessageValue(table, index, {});
  }
}

function encodeObjectInto(table: CompiledTable, index: number, obj: Record<string, unknown>, w: Writer, path: string): void {
  for (const field of fieldsInWireOrder(table, index)) {
    const fieldPath = path ? `${path}.${field.name}` : field.name;
    if (field.inline) {
      // The embedded struct's members live in this same object.
      w.tag(field.number, wireBytes);
      const inner = new Writer();
      encodeObjectInto(table, field.ref, obj, inner, path);
      w.bytes(inner.finish());
      continue;
    }
    const v = Object.hasOwn(obj, field.name) ? obj[field.name] : undefined;
    if (v === null || v === undefined) {
      if (!field.pointer && !field.repeated) writeZero(table, w, field);
      continue;
    }
    if (field.type === 'map<string>' || field.type === 'map<bytes>' || field.type === 'map<message>') {
      if (!isObject(v)) throw new EncodeError(`${fieldPath}: expected an object`);
      // gogo-protobuf writes map entries sorted by key.
      for (const [k, x] of Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const entry = new Writer();
        entry.tag(1, wireBytes);
        entry.bytes(utf8.encode(k));
        entry.tag(2, wireBytes);
        if (field.type === 'map<string>') entry.bytes(utf8.encode(String(x)));
        else if (field.type === 'map<bytes>') entry.bytes(Buffer.from(String(x), 'base64'));
        else entry.bytes(encodeMessageValue(table, field.ref, x, `${fieldPath}[${k}]`));
        w.tag(field.number, wireBytes);
        w.bytes(entry.finish());
      }
      continue;
    }
    const values = field.repeated ? v : [v];
    if (!Array.isArray(values)) throw new EncodeError(`${fieldPath}: expected a list`);
    values.forEach((x, i) => {
      const p = field.repeated ? `${fieldPath}[${i}]` : fieldPath;
      if (field.type === 'message') {
        w.tag(field.number, wireBytes);
        w.bytes(encodeMessageValue(table, field.ref, x, p));
      } else writeScalar(w, field, x, p);
    });
  }
}

/**
 * Encodes `{apiVersion, kind, ...}` as an `application/vnd.kubernetes.protobuf` body: "k8s\0" and a
 * runtime.Unknown around the object's message. Throws EncodeError for kinds the table lacks.
 */
export function encodeProtobufBody(table: CompiledTable, obj: Record<string, unknown>): Uint8Array {
  const apiVersion = String(obj.apiVersion ?? '');
  const kind = String(obj.kind ?? '');
  const slash = apiVersion.indexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
  const index = table.kinds.get(kindKey(group, version, kind));
  if (index === undefined) throw new EncodeError(`no protobuf message for ${apiVersion}, Kind=${kind}`);
  const typeMeta = new Writer();
  typeMeta.tag(1, wireBytes);
  typeMeta.bytes(utf8.encode(apiVersion));
  typeMeta.tag(2, wireBytes);
  typeMeta.bytes(utf8.encode(kind));
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  const w = new Writer();
  w.raw(protobufMagic);
  w.tag(1, wireBytes);
  w.bytes(typeMeta.finish());
  w.tag(2, wireBytes);
  w.bytes(encodeMessageValue(table, index, rest, ''));
  w.tag(3, wireBytes);
  w.bytes(new Uint8Array(0));
  w.tag(4, wireBytes);
  w.bytes(new Uint8Array(0));
  return w.finish();
}
