// resource.Quantity: an exact fixed-point amount (CPU, memory, storage…) with the format it was written in, and
// upstream's canonical serialisation (`0.5` → `500m`, `1024Mi` → `1Gi`), comparison and arithmetic.

import {
  addDecimal,
  canonicalDigits,
  cmpDecimal,
  digitCount,
  negDecimal,
  pow10,
  removeFactors1024,
  roundUpDecimal,
  type Decimal,
} from './decimal.js';
import {
  fitsInt64,
  goPow10Int64,
  int64Add,
  int64Multiply,
  maxInt64,
  negativeScaleInt64,
  pow10Small,
  positiveScaleInt64,
  wrapInt64,
} from './int64.js';
import { BinarySI, constructSuffix, DecimalExponent, DecimalSI, type Format } from './suffix.js';

export { BinarySI, DecimalExponent, DecimalSI, type Format } from './suffix.js';
export type { Decimal } from './decimal.js';

/** Powers of ten by name, as resource.Scale: a value v at scale s means v × 10**s. */
export const Scale = {
  Nano: -9,
  Micro: -6,
  Milli: -3,
  Kilo: 3,
  Mega: 6,
  Giga: 9,
  Tera: 12,
  Peta: 15,
  Exa: 18,
} as const;

/** What a Quantity is built from; see the new* constructors and parseQuantity for the usual ways in. */
export interface QuantityInit {
  amount: Decimal;
  format: Format;
  /**
   * True for upstream's int64Amount representation (unscaled fits int64), false for its inf.Dec one. Both mean
   * the same number; the choice only shows in value()/milliValue() for results past int64 and in asInt64().
   */
  int64: boolean;
  /** The exact text to print, when parsing found the input already canonical (upstream keeps it verbatim). */
  text?: string;
}

/**
 * An immutable resource.Quantity. Arithmetic returns new values. `toString()` (and JSON) is what upstream puts on
 * the wire: the original text when it was already canonical, otherwise the canonical form for `format`.
 */
export class Quantity {
  readonly format: Format;
  readonly #amount: Decimal;
  readonly #int64: boolean;
  #text: string | undefined;

  constructor(init: QuantityInit) {
    if (init.int64 && !fitsInt64(init.amount.unscaled)) throw new RangeError('int64 quantity amount out of range');
    this.format = init.format;
    this.#amount = init.amount;
    this.#int64 = init.int64;
    this.#text = init.text;
  }

  /** The exact value as unscaled × 10**scale (one of many equal representations). */
  get amount(): Decimal {
    return this.#amount;
  }

  isZero(): boolean {
    return this.#amount.unscaled === 0n;
  }

  /** −1, 0 or 1. */
  sign(): number {
    const u = this.#amount.unscaled;
    return u === 0n ? 0 : u > 0n ? 1 : -1;
  }

  /** −1, 0 or 1 as this is less than, equal to or greater than y; exact, whatever the formats. */
  cmp(y: Quantity): number {
    return cmpDecimal(this.#amount, y.#amount);
  }

  /** cmp against a whole number. */
  cmpInt64(y: bigint | number): number {
    return cmpDecimal(this.#amount, { unscaled: BigInt(y), scale: 0 });
  }

  equal(y: Quantity): boolean {
    return this.cmp(y) === 0;
  }

  /** this + y exactly. A zero receiver takes y's format (so `0` + `1Gi` prints `1Gi`). */
  add(y: Quantity): Quantity {
    let format = this.format;
    if (this.#int64 && y.#int64) {
      if (this.isZero()) format = y.format;
      const sum = addInt64Amounts(this.#amount, y.#amount);
      if (sum) return new Quantity({ amount: sum, format, int64: true });
    } else if (this.isZero()) {
      format = y.format;
    }
    return new Quantity({ amount: addDecimal(this.#amount, y.#amount), format, int64: false });
  }

  /** this − y exactly. A zero receiver takes y's format. */
  sub(y: Quantity): Quantity {
    const format = this.isZero() ? y.format : this.format;
    if (this.#int64 && y.#int64) {
      // Go negates the int64 with wrap-around, so subtracting the most negative int64 misbehaves there too.
      const diff = addInt64Amounts(this.#amount, { unscaled: wrapInt64(-y.#amount.unscaled), scale: y.#amount.scale });
      if (diff) return new Quantity({ amount: diff, format, int64: true });
    }
    return new Quantity({ amount: addDecimal(this.#amount, negDecimal(y.#amount)), format, int64: false });
  }

  /** −this. */
  neg(): Quantity {
    const a = this.#amount;
    if (this.#int64) return new Quantity({ amount: { unscaled: wrapInt64(-a.unscaled), scale: a.scale }, format: this.format, int64: true });
    return new Quantity({ amount: negDecimal(a), format: this.format, int64: false });
  }

  /**
   * this × y. `ok` is upstream's answer to "does the result still fit the int64 representation" (false means the
   * product is exact but only as a big decimal).
   */
  mul(y: bigint | number): { quantity: Quantity; ok: boolean } {
    const b = BigInt(y);
    if (this.#int64) {
      const product = mulInt64Amount(this.#amount, b);
      if (product) return { quantity: new Quantity({ amount: product, format: this.format, int64: true }), ok: true };
    }
    const unscaled = this.#amount.unscaled * b;
    const quantity = new Quantity({ amount: { unscaled, scale: this.#amount.scale }, format: this.format, int64: false });
    return { quantity, ok: fitsInt64(unscaled) };
  }

  /**
   * The value at `scale`, rounded away from zero (so 1.5 → 2 at scale 0, 1n → 1m at Milli), as int64. Results past
   * int64 follow Go exactly: 0 for the int64 representation, two's-complement wrap for the big-decimal one.
   */
  scaledValue(scale: number): bigint {
    const a = this.#amount;
    if (this.#int64) {
      if (a.scale < scale) return negativeScaleInt64(a.unscaled, scale - a.scale).value;
      return positiveScaleInt64(a.unscaled, a.scale - scale) ?? 0n;
    }
    return decimalScaledValue(a, scale);
  }

  /** scaledValue(0): whole units, rounded up (`1500m` → 2). */
  value(): bigint {
    return this.scaledValue(0);
  }

  /** scaledValue(Milli): thousandths, rounded up (`1.0001` → 1001). */
  milliValue(): bigint {
    return this.scaledValue(Scale.Milli);
  }

  /** The whole value as int64 when it is held as an integer that fits (upstream's AsInt64), else undefined. */
  asInt64(): bigint | undefined {
    if (!this.#int64) return undefined;
    const a = this.#amount;
    if (a.scale === 0) return a.unscaled;
    if (a.scale < 0) return undefined;
    return positiveScaleInt64(a.unscaled, a.scale);
  }

  /** The nearest float64 (upstream's AsApproximateFloat64); fine for display and ratios, not for comparisons. */
  asApproximateFloat64(): number {
    const { unscaled, scale } = this.#amount;
    const base = Number(unscaled);
    return scale === 0 ? base : base * Number(`1e${scale}`);
  }

  /**
   * This value rounded away from zero to `scale` (upstream's RoundUp); `exact` is false when digits were lost. An
   * int64 quantity already at a coarser-or-equal scale is returned as is.
   */
  roundUp(scale: number): { quantity: Quantity; exact: boolean } {
    const a = this.#amount;
    if (this.#int64) {
      if (a.scale >= scale) return { quantity: this, exact: true };
      const r = negativeScaleInt64(a.unscaled, scale - a.scale);
      return { quantity: new Quantity({ amount: { unscaled: r.value, scale }, format: this.format, int64: true }), exact: r.exact };
    }
    const r = roundUpDecimal(a, scale);
    return { quantity: new Quantity({ amount: r.value, format: this.format, int64: false }), exact: r.exact };
  }

  /** The wire form (upstream's String() and MarshalJSON). */
  toString(): string {
    this.#text ??= this.canonical();
    return this.#text;
  }

  toJSON(): string {
    return this.toString();
  }

  /** The canonical form for this value and format, ignoring any text kept from parsing. */
  canonical(): string {
    if (this.isZero()) return '0';
    let format = this.format;
    let whole: Decimal | undefined;
    if (format === BinarySI) {
      if (this.cmpInt64(-1024) > 0 && this.cmpInt64(1024) < 0) {
        format = DecimalSI; // below 1Ki a binary suffix would need a fraction
      } else {
        const r = this.roundUp(0);
        if (r.exact) whole = r.quantity.#amount;
        else format = DecimalSI; // not a whole number: print exactly in decimal rather than round
      }
    } else if (format !== DecimalSI && format !== DecimalExponent) {
      format = DecimalExponent;
    }
    if (whole) {
      const integer = whole.scale > 0 ? whole.unscaled * pow10(whole.scale) : whole.unscaled;
      const { amount, times } = removeFactors1024(integer);
      return amount.toString() + constructSuffix(2, times * 10, BinarySI);
    }
    const { digits, exponent } = canonicalDigits(this.#amount);
    return digits + constructSuffix(10, exponent, format);
  }
}

/** upstream's int64Amount.Add: undefined when the sum leaves int64 (the caller then adds exactly). */
function addInt64Amounts(a: Decimal, b: Decimal): Decimal | undefined {
  if (b.unscaled === 0n) return a;
  if (a.unscaled === 0n) return b;
  if (a.scale === b.scale) {
    const c = int64Add(a.unscaled, b.unscaled);
    return c === undefined ? undefined : { unscaled: c, scale: a.scale };
  }
  if (a.scale > b.scale) {
    const shifted = positiveScaleInt64(a.unscaled, a.scale - b.scale);
    const c = shifted === undefined ? undefined : int64Add(shifted, b.unscaled);
    return c === undefined ? undefined : { unscaled: c, scale: b.scale };
  }
  const shifted = positiveScaleInt64(b.unscaled, b.scale - a.scale);
  const c = shifted === undefined ? undefined : int64Add(a.unscaled, shifted);
  return c === undefined ? undefined : { unscaled: c, scale: a.scale };
}

/** upstream's int64Amount.Mul: undefined when the product leaves the int64 representation. */
function mulInt64Amount(a: Decimal, b: bigint): Decimal | undefined {
  if (a.unscaled === 0n) return a;
  if (b === 0n) return { unscaled: 0n, scale: 0 };
  const c = int64Multiply(a.unscaled, b);
  if (c === undefined) return undefined;
  if (a.scale > 0 && positiveScaleInt64(c, a.scale) === undefined) return undefined;
  if (a.scale < 0 && !negativeScaleInt64(c, -a.scale).exact) return undefined;
  return { unscaled: c, scale: a.scale };
}

/**
 * upstream's scaledValue for the inf.Dec representation, including how it overflows: Go int64 wrap-around,
 * truncating division below int64 and flooring division above it, each then bumped by one if inexact.
 */
function decimalScaledValue(a: Decimal, scale: number): bigint {
  const dif = scale - a.scale; // digits to drop (> 0) or to add (< 0)
  if (dif === 0) return wrapInt64(a.unscaled);
  if (dif < 0) return wrapInt64(wrapInt64(a.unscaled) * goPow10Int64(-dif));
  if (a.unscaled < maxInt64 && dif < 19) {
    const u = wrapInt64(a.unscaled);
    const divisor = pow10Small(dif);
    const q = u / divisor;
    return u % divisor !== 0n ? q + 1n : q;
  }
  if (a.unscaled === 0n) return 0n;
  let q: bigint;
  let exact: boolean;
  if (digitCount(a.unscaled) < dif) {
    q = a.unscaled > 0n ? 0n : -1n; // |a| < 10**dif: floor gives 0 or −1, never exactly
    exact = false;
  } else {
    const divisor = pow10(dif);
    q = a.unscaled / divisor;
    const r = a.unscaled % divisor;
    if (r < 0n) q -= 1n; // floor, as Go's big.Int DivMod
    exact = r === 0n;
  }
  return exact ? wrapInt64(q) : wrapInt64(wrapInt64(q) + 1n);
}

function checkedInt64(value: bigint | number): bigint {
  const v = BigInt(value);
  if (!fitsInt64(v)) throw new RangeError(`${v} does not fit int64`);
  return v;
}

/** value units in `format` (upstream's NewQuantity). */
export function newQuantity(value: bigint | number, format: Format): Quantity {
  return new Quantity({ amount: { unscaled: checkedInt64(value), scale: 0 }, format, int64: true });
}

/** value thousandths in `format` (upstream's NewMilliQuantity). */
export function newMilliQuantity(value: bigint | number, format: Format): Quantity {
  return new Quantity({ amount: { unscaled: checkedInt64(value), scale: Scale.Milli }, format, int64: true });
}

/** value × 10**scale, DecimalSI (upstream's NewScaledQuantity). */
export function newScaledQuantity(value: bigint | number, scale: number): Quantity {
  return new Quantity({ amount: { unscaled: checkedInt64(value), scale }, format: DecimalSI, int64: true });
}

/** An arbitrary exact decimal in `format` (upstream's NewDecimalQuantity). */
export function newDecimalQuantity(amount: Decimal, format: Format): Quantity {
  return new Quantity({ amount, format, int64: false });
}
