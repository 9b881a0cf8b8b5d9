// Plain JSON values and the two operations every patch engine needs on them: deep copy and deep equality.

export type JSONValue = null | boolean | number | string | JSONValue[] | { [key: string]: JSONValue };
export type JSONObject = { [key: string]: JSONValue };

export function isJSONObject(v: unknown): v is JSONObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Sets an own member. Plain assignment of `__proto__` would change the prototype instead (JSON.parse makes
 * it an ordinary member), so that one key is defined explicitly.
 */
export function setMember(obj: JSONObject, key: string, value: JSONValue): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/** A deep copy; the result shares nothing with the input. */
export function deepCopy<T extends JSONValue>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => deepCopy(x)) as T;
  const out: JSONObject = {};
  for (const k of Object.keys(v)) setMember(out, k, deepCopy((v as JSONObject)[k]));
  return out as T;
}

/** Structural equality of JSON values (object key order does not matter). */
export function deepEqual(a: JSONValue | undefined, b: JSONValue | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as JSONValue[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], bb[i])) return false;
    return true;
  }
  const ao = a as JSONObject;
  const bo = b as JSONObject;
  const keys = Object.keys(ao);
  if (keys.length !== Object.keys(bo).length) return false;
  for (const k of keys) if (!Object.hasOwn(bo, k) || !deepEqual(ao[k], bo[k])) return false;
  return true;
}
