// One step of a field path as server-side apply names it: a struct field or map key, a list-map item by
// its key fields, a set item by value, or a list index. Each step has one canonical FieldsV1 key string.
import type { JSONValue } from '../patch/json-value.js';

export type PathElement =
  | { readonly kind: 'field'; readonly name: string; readonly id: string }
  | { readonly kind: 'key'; readonly key: ReadonlyArray<readonly [string, JSONValue]>; readonly id: string }
  | { readonly kind: 'value'; readonly value: JSONValue; readonly id: string }
  | { readonly kind: 'index'; readonly index: number; readonly id: string };

/** JSON with object members in sorted order, so equal values always have one spelling. */
export function canonicalJSON(v: JSONValue): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON(v[k]!)}`).join(',')}}`;
}

const fieldElements = new Map<string, PathElement>();

/** A struct field or map key: `f:<name>` in FieldsV1. Elements of common names are shared (immutable). */
export function fieldElement(name: string): PathElement {
  let pe = fieldElements.get(name);
  if (!pe) {
    pe = { kind: 'field', name, id: `f:${name}` };
    // Bounded: field names come from schemas, but map keys come from user data.
    if (fieldElements.size < 10_000) fieldElements.set(name, pe);
  }
  return pe;
}

/** A list-map item identified by its key fields: `k:{"name":"c1"}` (key fields in sorted order). */
export function keyElement(key: ReadonlyArray<readonly [string, JSONValue]>): PathElement {
  const sorted = [...key].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const body = sorted.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJSON(v)}`).join(',');
  return { kind: 'key', key: sorted, id: `k:{${body}}` };
}

/** An item of a set list, identified by its value: `v:"a"`. */
export function valueElement(value: JSONValue): PathElement {
  return { kind: 'value', value, id: `v:${canonicalJSON(value)}` };
}

/** A list position, for lists whose items have no identity: `i:0`. */
export function indexElement(index: number): PathElement {
  return { kind: 'index', index, id: `i:${index}` };
}

/** Parses a FieldsV1 key (`f:…`, `k:…`, `v:…`, `i:…`); throws on anything else (the caller reports it). */
export function parsePathElement(id: string): PathElement {
  const body = id.slice(2);
  switch (id.slice(0, 2)) {
    case 'f:':
      return fieldElement(body);
    case 'v:':
      return valueElement(JSON.parse(body) as JSONValue);
    case 'i:': {
      const n = Number(body);
      if (!Number.isInteger(n) || n < 0 || String(n) !== body) throw new Error(`invalid index ${JSON.stringify(body)}`);
      return indexElement(n);
    }
    case 'k:': {
      const parsed = JSON.parse(body) as JSONValue;
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`key ${body} is not an object`);
      return keyElement(Object.entries(parsed));
    }
    default:
      throw new Error(`unknown path element ${JSON.stringify(id)}`);
  }
}

/** Go-style rendering of a value inside a path: strings quoted, the rest as JSON. */
function showValue(v: JSONValue): string {
  return typeof v === 'string' ? JSON.stringify(v) : canonicalJSON(v);
}

/** Upstream's path notation, used in conflict messages: `.spec.containers[name="c1"].image`, `[=5]`, `[0]`. */
export function pathString(path: readonly PathElement[]): string {
  let out = '';
  for (const pe of path) {
    switch (pe.kind) {
      case 'field':
        out += `.${pe.name}`;
        break;
      case 'key':
        out += `[${pe.key.map(([k, v]) => `${k}=${showValue(v)}`).join(',')}]`;
        break;
      case 'value':
        out += `[=${showValue(pe.value)}]`;
        break;
      case 'index':
        out += `[${pe.index}]`;
        break;
    }
  }
  return out;
}

const kindRank = { field: 0, key: 1, value: 2, index: 3 } as const;

function typeRank(v: JSONValue): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (v === null) return 4;
  return 3;
}

function compareValues(a: JSONValue, b: JSONValue): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const ca = canonicalJSON(a);
  const cb = canonicalJSON(b);
  return ca < cb ? -1 : ca > cb ? 1 : 0;
}

/** The order upstream keeps set members in: fields, then keys, values and indexes, each by content. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  if (a.kind !== b.kind) return kindRank[a.kind] - kindRank[b.kind];
  switch (a.kind) {
    case 'field': {
      const bn = (b as typeof a).name;
      return a.name < bn ? -1 : a.name > bn ? 1 : 0;
    }
    case 'key': {
      const bk = (b as typeof a).key;
      for (let i = 0; i < a.key.length && i < bk.length; i++) {
        const [an, av] = a.key[i]!;
        const [bn, bv] = bk[i]!;
        if (an !== bn) return an < bn ? -1 : 1;
        const c = compareValues(av, bv);
        if (c !== 0) return c;
      }
      return a.key.length - bk.length;
    }
    case 'value':
      return compareValues(a.value, (b as typeof a).value);
    case 'index':
      return a.index - (b as typeof a).index;
  }
}
