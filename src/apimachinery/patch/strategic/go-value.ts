// How upstream (Go) sees a decoded JSON value: its reflect type name and its `%v` text. Strategic merge
// patch sorts list items by that text and prints values that way in its error messages, so both must match.
import { isJSONObject, type JSONValue } from '../json-value.js';

/**
 * The reflect kind classes strategic merge patch distinguishes. Numbers are one class: upstream's server
 * decodes integers as int64 and the rest as float64, but no patch decision depends on that difference
 * except a list mixing both, which this engine then treats as uniform.
 */
export type ValueKind = 'map' | 'slice' | 'string' | 'number' | 'bool' | 'nil';

export function kindOf(v: JSONValue | undefined): ValueKind {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'slice';
  switch (typeof v) {
    case 'object':
      return 'map';
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    default:
      return 'bool';
  }
}

const int64Limit = 2 ** 63;

/** True when the apiserver's decoder would keep `n` as an int64 (a whole number that fits). */
function isInt64(n: number): boolean {
  return Number.isInteger(n) && n >= -int64Limit && n < int64Limit;
}

/** `reflect.TypeOf(v).String()` for a value decoded by the apiserver (nil prints as fmt's `%!s(<nil>)`). */
export function goTypeName(v: JSONValue | undefined): string {
  switch (kindOf(v)) {
    case 'map':
      return 'map[string]interface {}';
    case 'slice':
      return '[]interface {}';
    case 'string':
      return 'string';
    case 'number':
      return isInt64(v as number) ? 'int64' : 'float64';
    case 'bool':
      return 'bool';
    case 'nil':
      return '%!s(<nil>)';
  }
}

/**
 * Go's `%v` of a float64: the shortest digits that round-trip, in exponent form when the decimal
 * exponent is below -4 or at least 6 (`1.2345675e+06`, `1e-05`), otherwise plain (`123456.5`).
 */
function formatFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, expText] = n.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    const digits = String(Math.abs(exp)).padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return String(n);
}

/** Go's `%v` of a decoded JSON value: maps as `map[k:v …]` with sorted keys, lists as `[a b]`, nil as `<nil>`. */
export function formatGoValue(v: JSONValue | undefined): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(formatGoValue).join(' ')}]`;
  if (isJSONObject(v)) {
    const keys = Object.keys(v).sort(compareGoStrings);
    return `map[${keys.map((k) => `${k}:${formatGoValue(v[k])}`).join(' ')}]`;
  }
  if (typeof v === 'number') return isInt64(v) ? BigInt(v).toString() : formatFloat(v);
  return String(v);
}

/** Go's byte-wise string order (UTF-8), which differs from JavaScript's UTF-16 order only beyond the BMP. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/**
 * Go's `==` on two decoded JSON scalars (interface values): equal when of the same class and value. Maps
 * and lists are never equal here (Go would panic comparing them; upstream never compares them on purpose).
 */
export function goScalarEqual(a: JSONValue | undefined, b: JSONValue | undefined): boolean {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a === 'object' || typeof b === 'object') return false;
  return a === b;
}
