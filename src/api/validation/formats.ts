// Values whose JSON type fits but whose text a Go field cannot decode: quantities, int-or-strings, RFC 3339 times
// and base64 bytes. Upstream fails these while decoding (400, not 422); the message is what the Go decoder says.

import { parseQuantityValue } from '../../apimachinery/quantity/parse.js';

/** resource.Quantity's UnmarshalJSON error, or undefined. */
function quantityError(value: unknown): string | undefined {
  return parseQuantityValue(value)?.error;
}

/** intstr.IntOrString's UnmarshalJSON error: a non-string is decoded into an int32. */
function intOrStringError(value: unknown): string | undefined {
  if (typeof value === 'string') return undefined;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31) return undefined;
    return `json: cannot unmarshal number ${value} into Go value of type int32`;
  }
  const kind = typeof value === 'boolean' ? 'bool' : Array.isArray(value) ? 'array' : 'object';
  return `json: cannot unmarshal ${kind} into Go value of type int32`;
}

const base64Alphabet = /[A-Za-z0-9+/]/;

/**
 * encoding/base64 StdEncoding's CorruptInputError offset for `s`, or undefined when it decodes. Newlines are
 * skipped as Go does; padding must complete the last quantum.
 */
export function base64Error(s: string): string | undefined {
  const fail = (at: number): string => `illegal base64 data at input byte ${at}`;
  let quantum = 0;
  let quantumStart = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\n' || c === '\r') continue;
    if (c === '=') {
      // Padding: only in the third or fourth place of a quantum, and nothing but padding/newlines after it.
      if (quantum < 2) return fail(i);
      let j = i + 1;
      if (quantum === 2) {
        while (j < s.length && (s[j] === '\n' || s[j] === '\r')) j++;
        if (j === s.length) return fail(s.length);
        if (s[j] !== '=') return fail(j - 1);
        j++;
      }
      while (j < s.length && (s[j] === '\n' || s[j] === '\r')) j++;
      return j < s.length ? fail(j) : undefined;
    }
    if (!base64Alphabet.test(c)) return fail(i);
    if (quantum === 0) quantumStart = i;
    quantum = (quantum + 1) % 4;
  }
  return quantum === 0 ? undefined : fail(quantumStart);
}

const rfc3339Layout = '2006-01-02T15:04:05Z07:00';

/**
 * Go's time.Parse(time.RFC3339, s) error text, or undefined when `s` parses. Follows the layout element by
 * element as Go does, so the message names the first element that did not fit (`cannot parse "x" as "2006"`).
 */
export function rfc3339Error(s: string): string | undefined {
  const quoted = JSON.stringify(s);
  const cannot = (rest: string, elem: string): string => `parsing time ${quoted} as "${rfc3339Layout}": cannot parse ${JSON.stringify(rest)} as "${elem}"`;
  const outOfRange = (what: string): string => `parsing time ${quoted}: ${what} out of range`;
  let rest = s;
  const digits = (n: number, elem: string): number | string => {
    if (rest.length < n || !/^\d+$/.test(rest.slice(0, n))) return cannot(rest, elem);
    const v = Number(rest.slice(0, n));
    rest = rest.slice(n);
    return v;
  };
  const literal = (lit: string): string | undefined => {
    if (!rest.startsWith(lit)) return cannot(rest, lit);
    rest = rest.slice(lit.length);
    return undefined;
  };
  const steps: Array<[string, number, string?]> = [
    ['2006', 4],
    ['-', 0],
    ['01', 2, 'month'],
    ['-', 0],
    ['02', 2, 'day'],
    ['T', 0],
    ['15', 2, 'hour'],
    [':', 0],
    ['04', 2, 'minute'],
    [':', 0],
    ['05', 2, 'second'],
  ];
  const parts: number[] = [];
  for (const [elem, n, name] of steps) {
    if (n === 0) {
      const err = literal(elem);
      if (err) return err;
      continue;
    }
    const v = digits(n, elem);
    if (typeof v === 'string') return v;
    const max = { month: 12, day: 31, hour: 23, minute: 59, second: 59 }[name ?? ''] ?? Infinity;
    const min = name === 'month' || name === 'day' ? 1 : 0;
    if (name && (v < min || v > max)) return outOfRange(name);
    parts.push(v);
  }
  // Fractional seconds may follow the seconds even though the layout has none.
  const frac = /^[.,]\d+/.exec(rest);
  if (frac) rest = rest.slice(frac[0].length);
  if (rest.startsWith('Z')) rest = rest.slice(1);
  else if (/^[+-]\d\d:\d\d/.test(rest)) {
    const hh = Number(rest.slice(1, 3));
    const mm = Number(rest.slice(4, 6));
    if (hh > 24 || mm > 59) return outOfRange('time zone offset');
    rest = rest.slice(6);
  } else return cannot(rest, 'Z07:00');
  if (rest !== '') return `parsing time ${quoted}: extra text: ${JSON.stringify(rest)}`;
  const [year, month, day] = parts;
  const daysIn = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysIn) return outOfRange('day');
  return undefined;
}

/** Schema definitions whose values are decoded by a Go type with its own text format. */
const formatOfDefinition: Readonly<Record<string, (value: unknown) => string | undefined>> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': quantityError,
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': intOrStringError,
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': (v) => (typeof v === 'string' ? rfc3339Error(v) : undefined),
};

/**
 * The Go decoder's error for `value` of the scalar definition `definition` (Quantity, IntOrString, Time) or of a
 * plain string field with format "byte", or undefined when it decodes. MicroTime is not checked (its layout
 * demands exactly six fraction digits, which some clients do not send).
 */
export function decodeFormatError(value: unknown, at: { definition?: string; format?: string }): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (at.definition) return formatOfDefinition[at.definition]?.(value);
  if (at.format === 'byte' && typeof value === 'string') return base64Error(value);
  return undefined;
}
