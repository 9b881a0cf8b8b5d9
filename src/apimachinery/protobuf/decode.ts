// Table-driven decoding of Kubernetes protobuf messages into their JSON form, as the Go types would
// marshal them: special messages (Time, Quantity, IntOrString, …) become their JSON spelling and Go
// zero values of non-pointer fields count as unset.

import { formatGoDuration } from './go-duration.js';
import type { CompiledField, CompiledMessage, CompiledTable } from './table.js';
import { Reader, WireError, wireBytes, wireFixed32, wireFixed64, wireVarint } from './wire.js';

type JSONish = unknown;

const utf8 = new TextDecoder('utf-8');

function base64(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('base64');
}

/** RFC 3339 in UTC; `fractionDigits` 0 for metav1.Time, 6 for metav1.MicroTime. */
function formatTime(seconds: number, nanos: number, fractionDigits: 0 | 6): string {
  const iso = new Date(seconds * 1000).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z
  const base = iso.slice(0, 19);
  if (fractionDigits === 0) return `${base}Z`;
  return `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

/** UTF-8 text; short ASCII strings (most names, keys, labels) skip TextDecoder's call overhead. */
function decodeString(buf: Uint8Array, start: number, end: number): string {
  if (end - start > 64) return utf8.decode(buf.subarray(start, end));
  let out = '';
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c >= 0x80) return utf8.decode(buf.subarray(start, end));
    out += String.fromCharCode(c);
  }
  return out;
}

/** Sets an own member; `__proto__` needs defineProperty to stay data rather than a prototype. */
function setMember(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

function readScalar(r: Reader, type: CompiledField['type'], wireType: number): JSONish {
  switch (type) {
    case 'string': {
      const { start, end } = r.bytes();
      return decodeString(r.buf, start, end);
    }
    case 'bytes': {
      const { start, end } = r.bytes();
      return base64(r.buf, start, end);
    }
    case 'bool':
      return r.varint() !== 0;
    case 'int32':
      return r.varint() | 0;
    case 'uint32':
      return r.varint() >>> 0;
    case 'int64':
    case 'uint64':
      return r.varint();
    case 'double':
      return r.fixed64().getFloat64(0, true);
    case 'float':
      if (wireType !== wireFixed32) throw new WireError('float field with a wrong wire type');
      return r.float32();
    default:
      throw new WireError(`field type ${type} is not a scalar`);
  }
}

const isScalarWireType = (t: CompiledField['type'], wire: number): boolean =>
  t === 'string' || t === 'bytes' ? wire === wireBytes : t === 'double' ? wire === wireFixed64 : t === 'float' ? wire === wireFixed32 : wire === wireVarint;

function isZero(v: JSONish): boolean {
  return v === '' || v === 0 || v === false;
}

/** Decodes a map entry message {1: key, 2: value}. */
function readMapEntry(table: CompiledTable, r: Reader, field: CompiledField): [string, JSONish] {
  const { start, end } = r.bytes();
  const er = new Reader(r.buf, start, end);
  let key = '';
  let value: JSONish;
  while (!er.done()) {
    const tag = er.varint();
    const num = tag >>> 3;
    const wire = tag & 7;
    if (num === 1 && wire === wireBytes) key = readScalar(er, 'string', wire) as string;
    else if (num === 2 && wire === wireBytes) {
      if (field.type === 'map<string>') value = readScalar(er, 'string', wire);
      else if (field.type === 'map<bytes>') value = readScalar(er, 'bytes', wire);
      else {
        const b = er.bytes();
        value = decodeMessageValue(table, field.ref, er.buf, b.start, b.end);
      }
    } else er.skipField(wire);
  }
  if (value === undefined) {
    // An absent value is the type's zero value.
    value = field.type === 'map<message>' ? (decodeMessageValue(table, field.ref, r.buf, 0, 0) ?? {}) : '';
  }
  return [key, value];
}

/**
 * The JSON value of one message; `undefined` for special messages holding their zero value (empty
 * Time, "" Quantity, …) so the caller can treat them as unset. Plain messages always give an object.
 */
export function decodeMessageValue(table: CompiledTable, index: number, buf: Uint8Array, start: number, end: number): JSONish {
  const msg = table.messages[index];
  if (!msg) throw new WireError(`message #${index} is not in the table`);
  switch (msg.special) {
    case '':
      return decodeObject(table, msg, buf, start, end);
    case 'items': {
      const items: JSONish[] = [];
      const r = new Reader(buf, start, end);
      while (!r.done()) {
        const tag = r.varint();
        if (tag >>> 3 === 1 && (tag & 7) === wireBytes) items.push(readScalar(r, 'string', wireBytes));
        else r.skipField(tag & 7);
      }
      return items;
    }
    default: {
      // Small fixed-layout messages: read their fields by number.
      const f = readFlatFields(msg, buf, start, end);
      switch (msg.special) {
        case 'time':
        case 'microtime':
          if (f.size === 0) return undefined;
          return formatTime(Number(f.get(1) ?? 0), Number(f.get(2) ?? 0), msg.special === 'time' ? 0 : 6);
        case 'quantity':
          return f.get(1) ? f.get(1) : undefined;
        case 'intorstring': {
          const type = Number(f.get(1) ?? 0);
          if (type === 1) return (f.get(3) as string | undefined) ?? '';
          return Number(f.get(2) ?? 0);
        }
        case 'raw': {
          const raw = f.get(1) as Uint8Array | undefined;
          if (!raw || raw.length === 0) return undefined;
          const text = utf8.decode(raw);
          try {
            return JSON.parse(text);
          } catch {
            throw new WireError(`embedded raw object is not JSON: ${text.slice(0, 30)}`);
          }
        }
        case 'duration':
          return formatGoDuration(Number(f.get(1) ?? 0));
      }
    }
  }
}

/** Reads a message whose fields are all scalars; bytes fields come back as Uint8Array. */
function readFlatFields(msg: CompiledMessage, buf: Uint8Array, start: number, end: number): Map<number, unknown> {
  const out = new Map<number, unknown>();
  const r = new Reader(buf, start, end);
  while (!r.done()) {
    const tag = r.varint();
    const num = tag >>> 3;
    const wire = tag & 7;
    const field = msg.byNumber.get(num);
    if (!field || !isScalarWireType(field.type, wire)) {
      r.skipField(wire);
      continue;
    }
    if (field.type === 'bytes') {
      const b = r.bytes();
      out.set(num, buf.subarray(b.start, b.end));
    } else out.set(num, readScalar(r, field.type, wire));
  }
  return out;
}

function decodeObject(table: CompiledTable, msg: CompiledMessage, buf: Uint8Array, start: number, end: number): Record<string, unknown> {
  const values = new Map<CompiledField, JSONish>();
  const r = new Reader(buf, start, end);
  while (!r.done()) {
    const tag = r.varint();
    const num = tag >>> 3;
    const wire = tag & 7;
    const field = msg.byNumber.get(num);
    if (!field) {
      r.skipField(wire); // a field this table does not know (newer client): ignored, as Go ignores it
      continue;
    }
    if (field.type === 'map<string>' || field.type === 'map<bytes>' || field.type === 'map<message>') {
      if (wire !== wireBytes) throw new WireError(`${msg.name}.${field.name}: map entry with wire type ${wire}`);
      const map = (values.get(field) as Record<string, JSONish> | undefined) ?? {};
      const [k, v] = readMapEntry(table, r, field);
      setMember(map, k, v);
      values.set(field, map);
    } else if (field.type === 'message') {
      if (wire !== wireBytes) throw new WireError(`${msg.name}.${field.name}: message with wire type ${wire}`);
      const b = r.bytes();
      const v = decodeMessageValue(table, field.ref, buf, b.start, b.end);
      if (field.repeated) {
        const list = (values.get(field) as JSONish[] | undefined) ?? [];
        list.push(v ?? zeroOfSpecial(table, field.ref));
        values.set(field, list);
      } else values.set(field, v);
    } else if (field.repeated) {
      const list = (values.get(field) as JSONish[] | undefined) ?? [];
      if (wire === wireBytes && field.type !== 'string' && field.type !== 'bytes') {
        const b = r.bytes(); // packed scalars
        const pr = new Reader(buf, b.start, b.end);
        while (!pr.done()) list.push(readScalar(pr, field.type, field.type === 'double' ? wireFixed64 : wireVarint));
      } else if (isScalarWireType(field.type, wire)) {
        list.push(readScalar(r, field.type, wire));
      } else throw new WireError(`${msg.name}.${field.name}: wire type ${wire} for ${field.type}`);
      values.set(field, list);
    } else {
      if (!isScalarWireType(field.type, wire)) throw new WireError(`${msg.name}.${field.name}: wire type ${wire} for ${field.type}`);
      values.set(field, readScalar(r, field.type, wire));
    }
  }

  // Emit in declaration order (the Go struct's order), dropping what Go's JSON would not show.
  const out: Record<string, unknown> = {};
  for (const field of msg.fields) {
    if (!values.has(field)) continue;
    let v = values.get(field);
    if (field.inline) {
      if (v && typeof v === 'object') Object.assign(out, v);
      continue;
    }
    if (v === undefined) {
      if (!field.pointer) continue;
      v = zeroOfSpecial(table, field.ref); // e.g. a pointer to an empty Quantity
      if (v === null) continue; // a pointer to a zero Time is JSON null: leave it unset
    }
    if (!field.repeated && !field.pointer) {
      if (isZero(v)) continue;
      if (field.type === 'message') {
        const special = table.messages[field.ref].special;
        if (special === '' && isEmptyObject(v)) continue;
        if (special === 'duration' && v === '0s') continue;
      }
    }
    out[field.name] = v;
  }
  return out;
}

function isEmptyObject(v: JSONish): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
}

/** The JSON of a special message's zero value where one must be shown (list elements, pointers). */
function zeroOfSpecial(table: CompiledTable, index: number): JSONish {
  switch (table.messages[index]?.special) {
    case 'quantity':
      return '0';
    case 'intorstring':
      return 0;
    case 'duration':
      return '0s';
    case 'items':
      return [];
    case '':
      return {};
    default:
      return null;
  }
}
