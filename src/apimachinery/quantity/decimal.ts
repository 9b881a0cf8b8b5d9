// Exact decimals (unscaled BigInt × 10**scale), the stand-in for upstream's inf.Dec: compare, add, round up to a
// scale, and the canonical digits+exponent split Quantity serialisation starts from.

/**
 * An exact decimal: unscaled × 10**scale. `scale` follows resource.Scale (−3 is milli), the opposite sign of
 * inf.Dec's scale. Values are not normalised: 1 and 1000×10**−3 are distinct representations of one number.
 */
export interface Decimal {
  readonly unscaled: bigint;
  readonly scale: number;
}

/**
 * The most decimal digits any intermediate may need. Upstream has no such bound and will spend unbounded memory on
 * `1e2000000000 + 1`; we refuse instead (RangeError) so one hostile value cannot stall the process.
 */
export const maxDecimalDigits = 100_000;

/** 10**n, refusing results longer than maxDecimalDigits. */
export function pow10(n: number): bigint {
  if (n > maxDecimalDigits) throw new RangeError(`quantity needs more than ${maxDecimalDigits} decimal digits`);
  return 10n ** BigInt(n);
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

function signOf(v: bigint): number {
  return v === 0n ? 0 : v > 0n ? 1 : -1;
}

/** Number of decimal digits of |v| (1 for 0). */
export function digitCount(v: bigint): number {
  return abs(v).toString().length;
}

/** −1, 0 or 1 as a is less than, equal to or greater than b; exact for any scales. */
export function cmpDecimal(a: Decimal, b: Decimal): number {
  const sa = signOf(a.unscaled);
  const sb = signOf(b.unscaled);
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  if (a.scale === b.scale) return a.unscaled === b.unscaled ? 0 : a.unscaled < b.unscaled ? -1 : 1;
  // Same sign: compare magnitudes by order of magnitude first, so far-apart scales never materialise.
  const ea = digitCount(a.unscaled) + a.scale;
  const eb = digitCount(b.unscaled) + b.scale;
  if (ea !== eb) return (ea < eb ? -1 : 1) * sa;
  // Equal orders of magnitude: the scale gap is at most the digit-count gap, so aligning is cheap.
  const [x, y] = a.scale > b.scale ? [a.unscaled * pow10(a.scale - b.scale), b.unscaled] : [a.unscaled, b.unscaled * pow10(b.scale - a.scale)];
  return x === y ? 0 : x < y ? -1 : 1;
}

/** a + b exactly, at the finer of the two scales (as inf.Dec.Add). */
export function addDecimal(a: Decimal, b: Decimal): Decimal {
  if (a.scale === b.scale) return { unscaled: a.unscaled + b.unscaled, scale: a.scale };
  if (a.scale > b.scale) return { unscaled: a.unscaled * pow10(a.scale - b.scale) + b.unscaled, scale: b.scale };
  return { unscaled: a.unscaled + b.unscaled * pow10(b.scale - a.scale), scale: a.scale };
}

/** −a. */
export function negDecimal(a: Decimal): Decimal {
  return { unscaled: -a.unscaled, scale: a.scale };
}

/**
 * a at exactly `scale`, rounding away from zero when digits are dropped (inf.Dec.Round with RoundUp). `exact` is
 * false when a non-zero digit was dropped.
 */
export function roundUpDecimal(a: Decimal, scale: number): { value: Decimal; exact: boolean } {
  if (a.scale >= scale) return { value: { unscaled: a.unscaled * pow10(a.scale - scale), scale }, exact: true };
  const drop = scale - a.scale;
  if (a.unscaled === 0n) return { value: { unscaled: 0n, scale }, exact: true };
  if (drop > digitCount(a.unscaled)) return { value: { unscaled: a.unscaled > 0n ? 1n : -1n, scale }, exact: false };
  const divisor = pow10(drop);
  const q = a.unscaled / divisor;
  if (a.unscaled % divisor === 0n) return { value: { unscaled: q, scale }, exact: true };
  return { value: { unscaled: a.unscaled > 0n ? q + 1n : q - 1n, scale }, exact: false };
}

/**
 * The canonical split of a non-zero decimal: trailing zeros moved into the exponent, then the exponent lowered to a
 * multiple of three (`1500` → `1500`, 0; `15e2` → `1500`, 0; `0.5` → `500`, −3). Returns the signed digits.
 */
export function canonicalDigits(a: Decimal): { digits: string; exponent: number } {
  let digits = a.unscaled.toString();
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 48 /* '0' */) end--;
  let exponent = a.scale + (digits.length - end);
  digits = digits.slice(0, end);
  const down = ((exponent % 3) + 3) % 3;
  if (down === 1) digits += '0';
  else if (down === 2) digits += '00';
  exponent -= down;
  return { digits, exponent };
}

/**
 * Removes factors of 1024 from an integer (upstream's removeBigIntFactors with 1024): `3×1024²` → 3, 2.
 */
export function removeFactors1024(v: bigint): { amount: bigint; times: number } {
  let amount = v;
  let times = 0;
  while (amount !== 0n && (amount & 1023n) === 0n) {
    amount >>= 10n; // exact: the low ten bits are zero, for negative values too
    times++;
  }
  return { amount, times };
}
