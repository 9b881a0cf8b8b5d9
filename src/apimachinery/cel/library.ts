// CEL's standard functions plus the Kubernetes libraries CRD rules and admission policies use (lists, strings,
// regex, quantity, url, net, format, authorizer), as name → implementation over already evaluated receiver and
// arguments.

import { parseQuantity } from '../quantity/parse.js';
import { Quantity } from '../quantity/quantity.js';
import { authzFunctions } from './authz.js';
import { CELFormat, formatNames, namedFormat } from './formats.js';
import { CELCIDR, CELIP, ipMethod, parseCIDR, parseIP } from './net.js';
import { re2, RE2SyntaxError } from '../regexp/re2.js';
import {
  CELDuration,
  CELEvalError,
  CELOptional,
  CELTimestamp,
  checkedInt,
  equals,
  formatDuration,
  formatTimestamp,
  fromJSON,
  isMap,
  noOverload,
  order,
  parseDuration,
  parseTimestamp,
  typeName,
  type Value,
} from './values.js';

/** One call: `recv` is the receiver of a method call (`x.f()`), absent for a global call (`f(x)`). */
export interface Call {
  fn: string;
  recv?: Value;
  hasReceiver: boolean;
  args: Value[];
}

type Impl = (c: Call) => Value;

const fail = (c: Call) => noOverload(c.fn, ...(c.hasReceiver ? [c.recv] : []), ...c.args);

function str(c: Call, v: Value): string {
  if (typeof v !== 'string') throw fail(c);
  return v;
}

function int(c: Call, v: Value): number {
  if (typeof v !== 'bigint') throw fail(c);
  return Number(v);
}

function list(c: Call, v: Value): Value[] {
  if (!Array.isArray(v)) throw fail(c);
  return v.map(fromJSON);
}

/** The single value of a global call `f(x)` or the receiver of `x.f()`. */
const subject = (c: Call): Value => (c.hasReceiver ? c.recv : c.args[0]);

function size(c: Call): bigint {
  const v = subject(c);
  if (typeof v === 'string') return BigInt([...v].length);
  if (Array.isArray(v) || v instanceof Uint8Array) return BigInt(v.length);
  if (isMap(v)) return BigInt(Object.keys(v).length);
  throw fail(c);
}

/** A CEL (RE2) pattern as a RegExp: apimachinery/regexp/re2.ts translates RE2's syntax (inline flags, \\z, …). */
function regexp(pattern: string, global = false): RegExp {
  try {
    return re2(pattern, { global });
  } catch (e) {
    if (e instanceof RE2SyntaxError) throw new CELEvalError(e.message);
    throw e;
  }
}

/** Why a regular expression would be refused at run time, or undefined: for compile-time checks of literals. */
export function regexpError(pattern: string): string | undefined {
  try {
    regexp(pattern);
    return undefined;
  } catch (e) {
    if (e instanceof CELEvalError) return e.message;
    throw e;
  }
}

function indexOf(c: Call): bigint {
  const last = c.fn === 'lastIndexOf';
  if (Array.isArray(c.recv)) {
    const hits = list(c, c.recv).flatMap((x, i) => (equals(x, c.args[0]) ? [i] : []));
    return BigInt(hits.length === 0 ? -1 : last ? hits[hits.length - 1] : hits[0]);
  }
  const chars = [...str(c, c.recv)];
  const sub = [...str(c, c.args[0])];
  const from = c.args[1] === undefined ? (last ? chars.length - sub.length : 0) : int(c, c.args[1]);
  if (from < 0 || from > chars.length) throw new CELEvalError(`index out of range: ${from}`);
  const at = (i: number) => sub.every((ch, j) => chars[i + j] === ch);
  if (last) {
    for (let i = Math.min(from, chars.length - sub.length); i >= 0; i--) if (at(i)) return BigInt(i);
  } else {
    for (let i = from; i + sub.length <= chars.length; i++) if (at(i)) return BigInt(i);
  }
  return -1n;
}

function splitString(c: Call): string[] {
  const whole = str(c, c.recv);
  const sep = str(c, c.args[0]);
  const limit = c.args[1] === undefined ? -1 : int(c, c.args[1]);
  if (limit === 0) return [];
  const parts = sep === '' ? [...whole] : whole.split(sep);
  if (limit < 0 || parts.length <= limit) return parts;
  return [...parts.slice(0, limit - 1), parts.slice(limit - 1).join(sep)];
}

function replaceString(c: Call): string {
  const parts = str(c, c.recv).split(str(c, c.args[0]));
  const to = str(c, c.args[1]);
  const limit = c.args[2] === undefined ? -1 : int(c, c.args[2]);
  if (limit < 0 || parts.length - 1 <= limit) return parts.join(to);
  return parts.slice(0, limit + 1).join(to) + str(c, c.args[0]) + parts.slice(limit + 1).join(str(c, c.args[0]));
}

function substring(c: Call): string {
  const chars = [...str(c, c.recv)];
  const start = int(c, c.args[0]);
  const end = c.args[1] === undefined ? chars.length : int(c, c.args[1]);
  if (start < 0 || start > chars.length) throw new CELEvalError(`index out of range: ${start}`);
  if (end < 0 || end > chars.length) throw new CELEvalError(`index out of range: ${end}`);
  if (end < start) throw new CELEvalError(`invalid substring range. start: ${start}, end: ${end}`);
  return chars.slice(start, end).join('');
}

function listAggregate(c: Call): Value {
  const items = list(c, subject(c));
  const less = (a: Value, b: Value) => order(c.fn, a, b) < 0;
  switch (c.fn) {
    case 'isSorted':
      return items.every((x, i) => i === 0 || !less(x, items[i - 1]));
    case 'sum':
      return items.reduce((acc: Value, x) => add(acc, x), typeof items[0] === 'number' ? 0 : items[0] instanceof CELDuration ? new CELDuration(0n) : 0n);
    default:
      if (items.length === 0) throw new CELEvalError(`${c.fn}(list) argument must not be empty`);
      return items.reduce((acc, x) => (c.fn === 'min' ? (less(x, acc) ? x : acc) : less(acc, x) ? x : acc));
  }
}

/** `+` over every pair of types CEL defines it for. */
export function add(a: Value, b: Value): Value {
  if (typeof a === 'bigint' && typeof b === 'bigint') return checkedInt(a + b);
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (a instanceof Uint8Array && b instanceof Uint8Array) return new Uint8Array([...a, ...b]);
  if (a instanceof CELDuration && b instanceof CELDuration) return new CELDuration(a.ns + b.ns);
  if (a instanceof CELTimestamp && b instanceof CELDuration) return new CELTimestamp(a.ns + b.ns);
  if (a instanceof CELDuration && b instanceof CELTimestamp) return new CELTimestamp(a.ns + b.ns);
  throw noOverload('_+_', a, b);
}

/** Calendar fields of a timestamp in UTC or a fixed offset (`+01:00`); IANA zone names are not supported. */
function timestampField(c: Call): bigint {
  const t = c.recv;
  if (!(t instanceof CELTimestamp)) throw fail(c);
  let offsetMs = 0;
  if (c.args[0] !== undefined) {
    const tz = str(c, c.args[0]);
    const m = /^([+-])?(\d{2}):(\d{2})$/.exec(tz);
    if (m) offsetMs = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
    else if (tz !== 'UTC') throw new CELEvalError(`unknown time zone ${tz}`);
  }
  const ms = Number(t.ns >= 0n ? t.ns / 1_000_000n : -((-t.ns + 999_999n) / 1_000_000n));
  const d = new Date(ms + offsetMs);
  switch (c.fn) {
    case 'getFullYear':
      return BigInt(d.getUTCFullYear());
    case 'getMonth':
      return BigInt(d.getUTCMonth());
    case 'getDate':
      return BigInt(d.getUTCDate());
    case 'getDayOfMonth':
      return BigInt(d.getUTCDate() - 1);
    case 'getDayOfWeek':
      return BigInt(d.getUTCDay());
    case 'getDayOfYear':
      return BigInt(Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000));
    case 'getHours':
      return BigInt(d.getUTCHours());
    case 'getMinutes':
      return BigInt(d.getUTCMinutes());
    case 'getSeconds':
      return BigInt(d.getUTCSeconds());
    default:
      return BigInt(d.getUTCMilliseconds());
  }
}

function durationField(c: Call): bigint {
  const d = c.recv as CELDuration;
  const unit = { getHours: 3_600_000_000_000n, getMinutes: 60_000_000_000n, getSeconds: 1_000_000_000n, getMilliseconds: 1_000_000n }[c.fn as 'getHours'];
  return c.fn === 'getMilliseconds' ? (d.ns / unit) % 1000n : d.ns / unit;
}

function toInt(c: Call): bigint {
  const v = c.args[0];
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v >= 9223372036854775807 || v <= -9223372036854775808) throw new CELEvalError('double is out of range for int');
    return BigInt(Math.trunc(v));
  }
  if (typeof v === 'string') {
    if (!/^[-+]?[0-9]+$/.test(v)) throw new CELEvalError(`cannot convert string "${v}" to int`);
    return checkedInt(BigInt(v));
  }
  if (v instanceof CELTimestamp) return v.ns / 1_000_000_000n - (v.ns % 1_000_000_000n < 0n ? 1n : 0n);
  if (v instanceof CELDuration) return v.ns;
  throw fail(c);
}

function toDouble(c: Call): number {
  const v = c.args[0];
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    const n = Number(v);
    if (v.trim() === '' || Number.isNaN(n)) throw new CELEvalError(`cannot convert string "${v}" to double`);
    return n;
  }
  throw fail(c);
}

/** Go's %g-like rendering CEL's string(double) produces for common values. */
function formatDouble(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  return String(n).replace(/e\+?/, 'e+').replace('e+-', 'e-');
}

function toStringValue(c: Call): string {
  const v = c.args[0];
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return formatDouble(v);
  if (v instanceof CELTimestamp) return formatTimestamp(v);
  if (v instanceof CELDuration) return formatDuration(v);
  if (v instanceof Quantity || v instanceof CELIP || v instanceof CELCIDR) return v.toString();
  if (v instanceof Uint8Array) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(v);
    } catch {
      throw new CELEvalError('invalid UTF-8 in bytes, cannot convert to string');
    }
  }
  throw fail(c);
}

/** Whether a conversion succeeds (isIP, isCIDR, isURL): only CEL errors count as failure. */
function succeeds(convert: () => unknown): boolean {
  try {
    convert();
    return true;
  } catch (e) {
    if (e instanceof CELEvalError) return false;
    throw e;
  }
}

function ipMethodOf(c: Call): unknown {
  if (!(c.recv instanceof CELIP)) throw fail(c);
  return ipMethod(c.fn, c.recv);
}

function cidrOf(c: Call): CELCIDR {
  if (!(c.recv instanceof CELCIDR)) throw fail(c);
  return c.recv;
}

function optionalOf(c: Call): CELOptional {
  if (!(c.recv instanceof CELOptional)) throw fail(c);
  return c.recv;
}

function quantityOf(c: Call): Quantity {
  const r = parseQuantity(str(c, c.args[0]));
  if (r.error !== undefined) throw new CELEvalError(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  return r.quantity;
}

function quantityMethod(c: Call): Value {
  const q = c.recv;
  if (!(q instanceof Quantity)) throw fail(c);
  const other = () => {
    const o = c.args[0];
    if (o instanceof Quantity) return o;
    if (typeof o === 'bigint') return parseQuantity(String(o)).quantity as Quantity;
    throw fail(c);
  };
  switch (c.fn) {
    case 'sign':
      return BigInt(q.sign());
    case 'isInteger':
      return q.scaledValue(0) * 1_000_000_000n === q.scaledValue(-9);
    case 'asInteger':
      if (q.scaledValue(0) * 1_000_000_000n !== q.scaledValue(-9)) throw new CELEvalError('cannot convert value to integer');
      return checkedInt(q.value());
    case 'asApproximateFloat':
      return Number(q.scaledValue(-9)) / 1e9;
    case 'compareTo':
      return BigInt(q.cmp(other()));
    case 'isGreaterThan':
      return q.cmp(other()) > 0;
    case 'isLessThan':
      return q.cmp(other()) < 0;
    default:
      return c.fn === 'add' ? q.add(other()) : q.sub(other());
  }
}

/** Parsed absolute URL for url(); throws CEL's error for anything else. */
function parseURL(c: Call, text: string): URL {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new CELEvalError(`URL parse error during conversion from string: parse ${JSON.stringify(text)}: invalid URI for request`);
  }
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(text) && !text.startsWith('/')) throw new CELEvalError(`URL parse error during conversion from string: parse ${JSON.stringify(text)}: invalid URI for request`);
  void c;
  return u;
}

/** Methods of url() values (a URL is kept as the parsed object). */
function urlMethod(c: Call): Value {
  const u = c.recv;
  if (!(u instanceof URL)) throw fail(c);
  switch (c.fn) {
    case 'getScheme':
      return u.protocol.replace(/:$/, '');
    case 'getHost':
      return u.host;
    case 'getHostname':
      return u.hostname.replace(/^\[|\]$/g, '');
    case 'getPort':
      return u.port;
    case 'getEscapedPath':
      return u.pathname;
    default: {
      const out: Record<string, string[]> = {};
      for (const [k, v] of u.searchParams) (out[k] ??= []).push(v);
      return out;
    }
  }
}

const impls: Record<string, Impl> = {
  size,
  startsWith: (c) => str(c, c.recv).startsWith(str(c, c.args[0])),
  endsWith: (c) => str(c, c.recv).endsWith(str(c, c.args[0])),
  contains: (c) => str(c, c.recv).includes(str(c, c.args[0])),
  matches: (c) => regexp(str(c, c.hasReceiver ? c.args[0] : c.args[1])).test(str(c, c.hasReceiver ? c.recv : c.args[0])),
  lowerAscii: (c) => str(c, c.recv).replace(/[A-Z]/g, (ch) => ch.toLowerCase()),
  upperAscii: (c) => str(c, c.recv).replace(/[a-z]/g, (ch) => ch.toUpperCase()),
  trim: (c) => str(c, c.recv).replace(/^\s+|\s+$/gu, ''),
  split: splitString,
  join: (c) => {
    const items = list(c, c.recv);
    if (!items.every((x) => typeof x === 'string')) throw fail(c);
    return items.join(c.args[0] === undefined ? '' : str(c, c.args[0]));
  },
  replace: replaceString,
  substring,
  charAt: (c) => {
    const chars = [...str(c, c.recv)];
    const i = int(c, c.args[0]);
    if (i < 0 || i > chars.length) throw new CELEvalError(`index out of range: ${i}`);
    return chars[i] ?? '';
  },
  indexOf,
  lastIndexOf: indexOf,
  find: (c) => str(c, c.recv).match(regexp(str(c, c.args[0])))?.[0] ?? '',
  findAll: (c) => {
    const found = [...str(c, c.recv).matchAll(regexp(str(c, c.args[0]), true))].map((m) => m[0]);
    const limit = c.args[1] === undefined ? -1 : int(c, c.args[1]);
    return limit < 0 ? found : found.slice(0, limit);
  },
  isSorted: listAggregate,
  sum: listAggregate,
  min: listAggregate,
  max: listAggregate,
  int: toInt,
  double: toDouble,
  string: toStringValue,
  bool: (c) => {
    const v = c.args[0];
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string' && ['true', 'True', 'TRUE', 't', '1'].includes(v)) return true;
    if (typeof v === 'string' && ['false', 'False', 'FALSE', 'f', '0'].includes(v)) return false;
    throw new CELEvalError(`type conversion error from 'string' to 'bool'`);
  },
  dyn: (c) => c.args[0],
  bytes: (c) => (c.args[0] instanceof Uint8Array ? c.args[0] : new TextEncoder().encode(str(c, c.args[0]))),
  hasValue: (c) => optionalOf(c).present,
  value: (c) => {
    const o = optionalOf(c);
    if (!o.present) throw new CELEvalError('optional.none() dereference');
    return o.value;
  },
  orValue: (c) => (optionalOf(c).present ? optionalOf(c).value : c.args[0]),
  or: (c) => {
    if (!(c.args[0] instanceof CELOptional)) throw fail(c);
    return optionalOf(c).present ? optionalOf(c) : c.args[0];
  },
  type: (c) => typeName(c.args[0]),
  duration: (c) => (c.args[0] instanceof CELDuration ? c.args[0] : parseDuration(str(c, c.args[0]))),
  timestamp: (c) => (c.args[0] instanceof CELTimestamp ? c.args[0] : typeof c.args[0] === 'bigint' ? new CELTimestamp(c.args[0] * 1_000_000_000n) : parseTimestamp(str(c, c.args[0]))),
  getFullYear: timestampField,
  getMonth: timestampField,
  getDate: timestampField,
  getDayOfMonth: timestampField,
  getDayOfWeek: timestampField,
  getDayOfYear: timestampField,
  getHours: (c) => (c.recv instanceof CELDuration ? durationField(c) : timestampField(c)),
  getMinutes: (c) => (c.recv instanceof CELDuration ? durationField(c) : timestampField(c)),
  getSeconds: (c) => (c.recv instanceof CELDuration ? durationField(c) : timestampField(c)),
  getMilliseconds: (c) => (c.recv instanceof CELDuration ? durationField(c) : timestampField(c)),
  quantity: quantityOf,
  isQuantity: (c) => parseQuantity(str(c, c.args[0])).error === undefined,
  sign: quantityMethod,
  isInteger: quantityMethod,
  asInteger: quantityMethod,
  asApproximateFloat: quantityMethod,
  compareTo: quantityMethod,
  isGreaterThan: quantityMethod,
  isLessThan: quantityMethod,
  add: quantityMethod,
  sub: quantityMethod,
  ip: (c) => {
    if (c.hasReceiver) {
      if (!(c.recv instanceof CELCIDR)) throw fail(c);
      return c.recv.ip;
    }
    return c.args[0] instanceof CELIP ? c.args[0] : parseIP(str(c, c.args[0]));
  },
  isIP: (c) => succeeds(() => parseIP(str(c, c.args[0]))),
  // JSON Pointer escaping of one path segment, for JSONPatch mutations (`/metadata/labels/` + key).
  'jsonpatch.escapeKey': (c) => str(c, c.args[0]).replaceAll('~', '~0').replaceAll('/', '~1'),
  'ip.isCanonical': (c) => {
    const text = str(c, c.args[0]);
    return parseIP(text).toString() === text;
  },
  family: (c) => ipMethodOf(c),
  isUnspecified: (c) => ipMethodOf(c),
  isLoopback: (c) => ipMethodOf(c),
  isLinkLocalMulticast: (c) => ipMethodOf(c),
  isLinkLocalUnicast: (c) => ipMethodOf(c),
  isGlobalUnicast: (c) => ipMethodOf(c),
  cidr: (c) => (c.args[0] instanceof CELCIDR ? c.args[0] : parseCIDR(str(c, c.args[0]))),
  isCIDR: (c) => succeeds(() => parseCIDR(str(c, c.args[0]))),
  containsIP: (c) => cidrOf(c).containsIP(c.args[0] instanceof CELIP ? c.args[0] : parseIP(str(c, c.args[0]))),
  containsCIDR: (c) => cidrOf(c).containsCIDR(c.args[0] instanceof CELCIDR ? c.args[0] : parseCIDR(str(c, c.args[0]))),
  prefixLength: (c) => BigInt(cidrOf(c).prefix),
  masked: (c) => cidrOf(c).masked(),
  'format.named': (c) => {
    const f = namedFormat(str(c, c.args[0]));
    return f ? CELOptional.of(f) : CELOptional.none;
  },
  ...Object.fromEntries(formatNames.map((name) => [`format.${name}`, () => namedFormat(name)])),
  validate: (c) => {
    if (!(c.recv instanceof CELFormat)) throw fail(c);
    return c.recv.validate(str(c, c.args[0]));
  },
  url: (c) => parseURL(c, str(c, c.args[0])),
  isURL: (c) => succeeds(() => parseURL(c, str(c, c.args[0]))),
  getScheme: urlMethod,
  getHost: urlMethod,
  getHostname: urlMethod,
  getPort: urlMethod,
  getEscapedPath: urlMethod,
  getQuery: urlMethod,
  ...authzFunctions,
};

/** Names of every library function, for compile-time checks. */
export const libraryFunctionNames: ReadonlySet<string> = new Set(Object.keys(impls));

/** Runs a library function; unknown names are cel-go's undeclared reference. */
export function callFunction(c: Call): Value {
  const impl = impls[c.fn];
  if (!impl) throw new CELEvalError(`undeclared reference to '${c.fn}'`);
  return impl(c);
}
