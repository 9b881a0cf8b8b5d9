// The field primitives every defaulter is written with: reading nested JSON, and deciding when a field
// counts as unset the way Go's decoder sees it (absent and null are nil; "", 0 and false are zero values).
import { isJSONObject, type JSONObject, type JSONValue } from '../../apimachinery/patch/json-value.js';

export type { JSONObject, JSONValue };

/** What a defaulter may need besides the object: the time, for the few defaults that record it. */
export interface DefaultingContext {
  /** Milliseconds since the Unix epoch (a Clock's `now()`). */
  now(): number;
}

/** Fills in upstream defaults of one kind, in place. `obj` is owned by the caller and freshly decoded. */
export type Defaulter = (obj: JSONObject, ctx: DefaultingContext) => void;

/**
 * Sets `obj[key]` when the field is nil: absent or null. For Go pointer, slice and map fields, where an
 * explicit zero value (0, "", false) is a choice the user made and stays.
 */
export function defaultNil(obj: JSONObject, key: string, value: JSONValue): void {
  if (obj[key] === undefined || obj[key] === null) obj[key] = value;
}

/**
 * Sets `obj[key]` when the field holds its Go zero value: absent, null, "", 0 or false. For non-pointer
 * scalar fields, which cannot tell "unset" from "set to zero" (so an explicit 0 is replaced, as upstream).
 */
export function defaultZero(obj: JSONObject, key: string, value: JSONValue): void {
  const current = obj[key];
  if (current === undefined || current === null || current === '' || current === 0 || current === false) obj[key] = value;
}

/** Whether a slice or map field is empty in Go terms (absent, null, [] or {}). */
export function isEmpty(value: JSONValue | undefined): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isJSONObject(value)) return Object.keys(value).length === 0;
  return false;
}

/** The object at `obj[key]`, or undefined when the field is absent, null or not an object. */
export function objectField(obj: JSONObject | undefined, key: string): JSONObject | undefined {
  const value = obj?.[key];
  return isJSONObject(value) ? value : undefined;
}

/** The object at `obj[key]`, created (replacing null or a non-object) when it is not one. */
export function ensureObject(obj: JSONObject, key: string): JSONObject {
  const value = obj[key];
  if (isJSONObject(value)) return value;
  const created: JSONObject = {};
  obj[key] = created;
  return created;
}

/** The object items of the list at `obj[key]`; non-object items (invalid, left to validation) are skipped. */
export function objectItems(obj: JSONObject | undefined, key: string): JSONObject[] {
  const value = obj?.[key];
  return Array.isArray(value) ? value.filter(isJSONObject) : [];
}

/** The object at the end of `path` below `obj`, or undefined when any step is missing. */
export function objectAt(obj: JSONObject | undefined, ...path: string[]): JSONObject | undefined {
  let current = obj;
  for (const key of path) current = objectField(current, key);
  return current;
}
