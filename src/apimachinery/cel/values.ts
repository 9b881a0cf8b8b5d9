// CEL's runtime values over JSON data: ints are bigints, doubles numbers, timestamps and durations small
// classes holding nanoseconds, Quantity from apimachinery; equality, ordering and type names as cel-go has them.

import { Quantity } from '../quantity/quantity.js';

export class CELEvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CELEvalError';
  }
}

/** A point in time, nanoseconds since the Unix epoch (UTC), within CEL's years 0001–9999. */
export class CELTimestamp {
  constructor(readonly ns: bigint) {
    if (ns < minTimestampNs || ns > maxTimestampNs) throw new CELEvalError('timestamp overflow');
  }
}

/** A signed span of time in nanoseconds, within ±290 years as CEL requires. */
export class CELDuration {
  constructor(readonly ns: bigint) {
    if (ns > maxInt64 || ns < minInt64) throw new CELEvalError('duration overflow');
  }
}

/** CEL's optional_type: a value that may be absent (`.?field`, `[?key]`, `optional.of`, optionalOldSelf). */
export class CELOptional {
  private constructor(
    readonly present: boolean,
    readonly value: Value,
  ) {}
  static of(v: Value): CELOptional {
    return new CELOptional(true, v);
  }
  static readonly none = new CELOptional(false, undefined);
}

export const maxInt64 = 9223372036854775807n;
export const minInt64 = -9223372036854775808n;
const minTimestampNs = -62135596800n * 1_000_000_000n;
const maxTimestampNs = 253402300799n * 1_000_000_000n + 999_999_999n;

export type Value = unknown;

/** CEL maps are plain JSON objects; class instances (timestamps, quantities, URLs, IPs…) are other types. */
export const isMap = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** JSON numbers that are whole become CEL ints (untyped data, e.g. admission requests). */
export function fromJSON(v: unknown): Value {
  return typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v;
}

/** cel-go's name of a value's type, as overload errors show it. */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'null_type';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'list';
  if (v instanceof CELTimestamp) return 'google.protobuf.Timestamp';
  if (v instanceof CELDuration) return 'google.protobuf.Duration';
  if (v instanceof Quantity) return 'kubernetes.Quantity';
  if (v instanceof Uint8Array) return 'bytes';
  if (v instanceof CELOptional) return 'optional_type';
  if (v instanceof URL) return 'kubernetes.URL';
  if (isMap(v)) return 'map';
  // Library values defined elsewhere (net.ts, formats.ts) carry the type name the Kubernetes libraries use.
  const named = (v as { celType?: unknown }).celType;
  return typeof named === 'string' ? named : 'object';
}

export const noOverload = (fn: string, ...args: unknown[]) => new CELEvalError(`no such overload: ${fn}(${args.map(typeName).join(', ')})`);

const isNumber = (v: unknown): v is bigint | number => typeof v === 'bigint' || typeof v === 'number';

/** Numeric comparison across int and double without losing int64 precision. */
function numericCmp(a: bigint | number, b: bigint | number): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** CEL equality: numbers compare across types, lists and maps deeply, mismatched types are simply unequal. */
export function equals(a: Value, b: Value): boolean {
  if (isNumber(a) && isNumber(b)) return numericCmp(a, b) === 0;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equals(fromJSON(x), fromJSON(b[i])));
  if ((a instanceof CELTimestamp && b instanceof CELTimestamp) || (a instanceof CELDuration && b instanceof CELDuration)) return a.ns === b.ns;
  if (a instanceof Quantity && b instanceof Quantity) return a.equal(b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (a instanceof CELOptional && b instanceof CELOptional) return a.present === b.present && (!a.present || equals(a.value, b.value));
  if (a instanceof URL && b instanceof URL) return a.href === b.href;
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !isMap(a) && a.constructor === b.constructor && 'toString' in a) return String(a) === String(b);
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && equals(fromJSON(a[k]), fromJSON(b[k])));
  }
  return a === b;
}

/** Ordering for <, <=, >, >= (numbers, strings, bools, timestamps, durations); other pairs have no overload. */
export function order(op: string, a: Value, b: Value): number {
  if (isNumber(a) && isNumber(b)) return numericCmp(a, b);
  if ((typeof a === 'string' && typeof b === 'string') || (typeof a === 'boolean' && typeof b === 'boolean')) return a < b ? -1 : a > b ? 1 : 0;
  if ((a instanceof CELTimestamp && b instanceof CELTimestamp) || (a instanceof CELDuration && b instanceof CELDuration)) return a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0;
  throw noOverload(op, a, b);
}

/** CEL ints are int64: results outside its range are errors, not wrapped values. */
export function checkedInt(v: bigint): bigint {
  if (v > maxInt64 || v < minInt64) throw new CELEvalError('integer overflow');
  return v;
}

const unitNs: Record<string, bigint> = { ns: 1n, us: 1000n, µs: 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

/** Parses Go duration text (`1h30m`, `-1.5s`, `300ms`) as CEL's duration() does. */
export function parseDuration(text: string): CELDuration {
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(text);
  if (!m && text !== '0') throw new CELEvalError(`invalid duration format: ${JSON.stringify(text)}`);
  let ns = 0n;
  for (const part of text.matchAll(/(\d*)(?:\.(\d*))?(ns|us|µs|ms|s|m|h)/g)) {
    const unit = unitNs[part[3]];
    const frac = part[2] ?? '';
    ns += BigInt(part[1] || '0') * unit + (frac ? (BigInt(frac) * unit) / 10n ** BigInt(frac.length) : 0n);
  }
  return new CELDuration(m?.[1] === '-' ? -ns : ns);
}

/** Renders a duration as CEL's string(): seconds with up to nine fractional digits (`90s`, `1.5s`). */
export function formatDuration(d: CELDuration): string {
  const neg = d.ns < 0n;
  const abs = neg ? -d.ns : d.ns;
  const frac = (abs % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${abs / 1_000_000_000n}${frac ? `.${frac}` : ''}s`;
}

/** Parses RFC 3339 text as CEL's timestamp() does. */
export function parseTimestamp(text: string): CELTimestamp {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/.exec(text);
  const ms = m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[8].toUpperCase()}`) : NaN;
  if (!m || Number.isNaN(ms)) throw new CELEvalError(`invalid timestamp ${JSON.stringify(text)}`);
  return new CELTimestamp(BigInt(ms) * 1_000_000n + BigInt((m[7] ?? '').padEnd(9, '0') || '0'));
}

/** Renders a timestamp as RFC 3339 in UTC, fractional seconds only when present (CEL's string()). */
export function formatTimestamp(t: CELTimestamp): string {
  const ms = t.ns >= 0n ? t.ns / 1_000_000n : -((-t.ns + 999_999n) / 1_000_000n);
  const base = new Date(Number(ms)).toISOString().slice(0, 19);
  const nanos = ((t.ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  const frac = nanos.toString().padStart(9, '0').replace(/0+$/, '');
  return `${base}${frac ? `.${frac}` : ''}Z`;
}

/**
 * A CEL result as JSON data, for results that become objects or patches (mutations): ints as numbers,
 * timestamps and durations in their string forms, quantities as strings, absent optionals dropped.
 */
export function toJSONValue(v: Value): unknown {
  if (typeof v === 'bigint') {
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw new CELEvalError(`integer ${v} does not fit a JSON number`);
    return Number(v);
  }
  if (v instanceof CELTimestamp) return formatTimestamp(v);
  if (v instanceof CELDuration) return formatDuration(v);
  if (v instanceof Quantity) return v.toString();
  if (v instanceof CELOptional) return v.present ? toJSONValue(v.value) : undefined;
  if (Array.isArray(v)) return v.map(toJSONValue);
  if (isMap(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const j = toJSONValue(x);
      if (j !== undefined) out[k] = j;
    }
    return out;
  }
  return v;
}
