// Parsing quantity text (`500m`, `1.5Gi`, `1e3`) exactly as resource.ParseQuantity does, with its error texts, its
// round-up to nano precision, its int64 cap on binary values and its keeping of already-canonical input.

import { cmpDecimal, maxDecimalDigits, pow10, roundUpDecimal, type Decimal } from './decimal.js';
import { int64Multiply, maxInt64 } from './int64.js';
import { Quantity } from './quantity.js';
import { DecimalSI, interpretSuffix } from './suffix.js';

/** The regular expression upstream's format error quotes (the grammar accepts a little more and less; see tests). */
export const quantityRegexp = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

/** upstream's ErrFormatWrong text. */
export const errFormatWrong = `quantities must match the regular expression '${quantityRegexp}'`;
/** upstream's ErrNumeric text. */
export const errNumeric = 'unable to parse numeric part of quantity';
/** upstream's ErrSuffix text. */
export const errSuffix = "unable to parse quantity's suffix";

/** A parse outcome: the quantity, or upstream's error text. */
export type ParseQuantityResult = { quantity: Quantity; error?: undefined } | { quantity?: undefined; error: string };

/** The pieces upstream's parseQuantityString splits a quantity into. */
export interface QuantityParts {
  positive: boolean;
  /** Sign, digits and fraction as written (`-1.025`), the text an exact decimal is read from. */
  value: string;
  /** Integer digits without leading zeros (`0` if none). */
  num: string;
  /** Fraction digits as written (may be empty). */
  denom: string;
  suffix: string;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const suffixLetters = 'eEinumkKMGTP';

/** Splits quantity text into sign, number and suffix; the format error when the suffix part is malformed. */
export function parseQuantityString(str: string): QuantityParts | { error: string } {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (pos < end) {
    if (str[0] === '-') {
      positive = false;
      pos++;
    } else if (str[0] === '+') {
      pos++;
    }
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
  let i = pos;
  while (i < end && isDigit(str.charCodeAt(i))) i++;
  let num = str.slice(pos, i);
  if (i >= end) return { positive, value: str, num, denom: '', suffix: '' };
  pos = i;
  if (num.length === 0) num = '0';
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str.charCodeAt(i))) i++;
    denom = str.slice(pos, i);
    if (i >= end) return { positive, value: str, num, denom, suffix: '' };
    pos = i;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  i = pos;
  while (i < end && suffixLetters.includes(str[i])) i++;
  if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  pos = i;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  i = pos;
  while (i < end && isDigit(str.charCodeAt(i))) i++;
  if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  return { error: errFormatWrong };
}

/**
 * Parses quantity text exactly as upstream's ParseQuantity: no surrounding whitespace, values rounded up (away
 * from zero) to nano precision, binary values capped at the largest int64, and text already in canonical form kept
 * verbatim for printing.
 */
export function parseQuantity(str: string): ParseQuantityResult {
  if (str.length === 0) return { error: errFormatWrong };
  if (str === '0') return { quantity: new Quantity({ amount: { unscaled: 0n, scale: 0 }, format: DecimalSI, int64: true, text: str }) };
  const parts = parseQuantityString(str);
  if ('error' in parts) return parts;
  const { positive, value, num, denom } = parts;
  const meaning = interpretSuffix(parts.suffix);
  if (!meaning) return { error: errSuffix };
  const { base, exponent } = meaning;
  let format = meaning.format;

  // Fast path: the digits fit an int64 at a scale no finer than nano, so nothing needs rounding.
  let precision = 0;
  let scale = 0;
  let mantissa = 1n;
  if (base === 10) {
    scale = exponent;
    precision = 18 - (num.length + denom.length);
  } else if (exponent >= 0 && denom.length === 0) {
    mantissa = 1n << BigInt(exponent);
    precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
  } else {
    precision = -1;
  }
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= -9) {
      const shifted = num + denom;
      const digits = BigInt(shifted);
      const product = int64Multiply(digits, mantissa);
      if (product !== undefined) {
        const amount = { unscaled: positive ? product : -product, scale };
        // Upstream keeps the input text when it is already what canonicalisation would print.
        const canonical =
          base === 2
            ? exponent % 10 === 0 && (digits & 7n) !== 0n
            : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        return { quantity: new Quantity({ amount, format, int64: true, text: canonical ? str : undefined }) };
      }
    }
  }

  // Slow path: exact decimal arithmetic, then round up to nano.
  const read = readDecimal(value);
  if (!read) return { error: errNumeric };
  let amount: Decimal = read;
  if (base === 10) amount = { unscaled: amount.unscaled, scale: amount.scale + exponent };
  else amount = { unscaled: amount.unscaled << BigInt(exponent), scale: amount.scale };
  const negative = amount.unscaled < 0n;
  if (negative) amount = { unscaled: -amount.unscaled, scale: amount.scale };
  if (amount.unscaled !== 0n) {
    // Rounding to nano may have to spell out a huge exponent; upstream would, we refuse past maxDecimalDigits.
    if (amount.scale - -9 + amount.unscaled.toString().length > maxDecimalDigits) return { error: errNumeric };
    amount = roundUpDecimal(amount, -9).value;
  }
  if (format === 'BinarySI') {
    if (amount.unscaled > maxInt64 * pow10(9)) amount = { unscaled: maxInt64, scale: 0 };
    if (amount.unscaled > 0n && cmpDecimal(amount, { unscaled: 1n, scale: 0 }) < 0) format = DecimalSI; // below 1: no binary suffix fits
  }
  if (negative) amount = { unscaled: -amount.unscaled, scale: amount.scale };
  return { quantity: new Quantity({ amount, format, int64: false }) };
}

/** Reads `[+-]digits[.digits]` as inf.Dec.SetString does; undefined when there is no digit at all. */
function readDecimal(text: string): Decimal | undefined {
  let sign = 1n;
  let rest = text;
  if (rest[0] === '+' || rest[0] === '-') {
    if (rest[0] === '-') sign = -1n;
    rest = rest.slice(1);
  }
  const dot = rest.indexOf('.');
  const whole = dot < 0 ? rest : rest.slice(0, dot);
  const fraction = dot < 0 ? '' : rest.slice(dot + 1);
  if (whole.length + fraction.length === 0) return undefined;
  return { unscaled: sign * BigInt(whole + fraction), scale: -fraction.length };
}

/**
 * Parses a quantity as found in decoded JSON or YAML, as upstream's UnmarshalJSON: strings are trimmed, numbers
 * are read from their JavaScript spelling (so a JSON `1e3` arrives as 1000 and prints `1k`, where upstream, which
 * sees the raw text, prints `1e3`), null is undefined (unset). Other types fail with the format error.
 */
export function parseQuantityValue(value: unknown): ParseQuantityResult | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return parseQuantity(value.trim());
  if (typeof value === 'number' && Number.isFinite(value)) return parseQuantity(String(value));
  return { error: errFormatWrong };
}

/** Parses text known to be valid (constants, tests); throws on bad input, like upstream's MustParse. */
export function mustParseQuantity(str: string): Quantity {
  const r = parseQuantity(str);
  if (r.error !== undefined) throw new Error(`cannot parse '${str}': ${r.error}`);
  return r.quantity;
}
