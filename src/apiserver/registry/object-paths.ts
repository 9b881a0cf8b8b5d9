// Reading nested fields of plain API objects, the way upstream's field selectors and printers see them:
// an absent field reads as its Go zero value ('' for strings, 'false' for booleans, '0' for numbers).

import type { APIObject } from './strategy.js';

/** A plain JSON object, as found inside API objects. */
export type JSONObject = Record<string, unknown>;

/** `value` as a JSON object, or undefined when it is not one. */
export function asObject(value: unknown): JSONObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JSONObject) : undefined;
}

/** `value` as an array of JSON objects (non-objects dropped), or [] when it is not an array. */
export function asObjectList(value: unknown): JSONObject[] {
  return Array.isArray(value) ? value.map(asObject).filter((v): v is JSONObject => v !== undefined) : [];
}

/** The value at a dotted path (`spec.nodeName`), or undefined when any step is missing. */
export function readPath(obj: APIObject | JSONObject, path: string): unknown {
  let cur: unknown = obj;
  for (const step of path.split('.')) {
    const o = asObject(cur);
    if (!o) return undefined;
    cur = o[step];
  }
  return cur;
}

/** A string field as a field selector sees it ('' when absent). */
export function stringField(path: string): (obj: APIObject) => string {
  return (obj) => {
    const v = readPath(obj, path);
    return typeof v === 'string' ? v : '';
  };
}

/** A boolean field as a field selector sees it (`strconv.FormatBool`: 'false' when absent). */
export function boolField(path: string): (obj: APIObject) => string {
  return (obj) => (readPath(obj, path) === true ? 'true' : 'false');
}

/** An integer field as a field selector sees it ('0' when absent). */
export function intField(path: string): (obj: APIObject) => string {
  return (obj) => {
    const v = readPath(obj, path);
    return typeof v === 'number' ? String(v) : '0';
  };
}

/** The object at `obj[key]`, created (as {}) when absent or not an object. */
export function ensureObject(obj: JSONObject, key: string): JSONObject {
  const existing = asObject(obj[key]);
  if (existing) return existing;
  const created: JSONObject = {};
  obj[key] = created;
  return created;
}

/** A deep copy of plain JSON data. */
export function cloneJSON<T>(value: T): T {
  return value === undefined ? value : (structuredClone(value) as T);
}

/** Structural equality of plain JSON data (key order ignored). */
export function equalJSON(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => equalJSON(v, b[i]));
  }
  const oa = asObject(a);
  const ob = asObject(b);
  if (!oa || !ob) return false;
  const ka = Object.keys(oa).filter((k) => oa[k] !== undefined);
  const kb = Object.keys(ob).filter((k) => ob[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => equalJSON(oa[k], ob[k]));
}
