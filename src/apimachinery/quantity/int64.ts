// Go int64 arithmetic on BigInt, as resource.Quantity's fast path does it: checked multiply/add, decimal shifts
// that report overflow or inexactness, and the two's-complement wrap Go applies where upstream does not check.

export const maxInt64 = (1n << 63n) - 1n;
export const minInt64 = -(1n << 63n);

/** Whether v fits an int64. */
export function fitsInt64(v: bigint): boolean {
  return v >= minInt64 && v <= maxInt64;
}

/** Go's silent int64 wrap (what `int64(x)` and big.Int.Int64() give for out-of-range values). */
export function wrapInt64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** 10**n for the small n of int64 work (n ≤ 19). */
const smallPowers: bigint[] = Array.from({ length: 20 }, (_, n) => 10n ** BigInt(n));

export function pow10Small(n: number): bigint {
  return smallPowers[n] ?? 10n ** BigInt(n);
}

/** a + b, or undefined when the exact sum leaves int64 (Go's int64Add). */
export function int64Add(a: bigint, b: bigint): bigint | undefined {
  const c = a + b;
  return fitsInt64(c) ? c : undefined;
}

/** a × b, or undefined when the exact product leaves int64 (Go's int64Multiply). */
export function int64Multiply(a: bigint, b: bigint): bigint | undefined {
  const c = a * b;
  return fitsInt64(c) ? c : undefined;
}

/** base × 10**scale for scale ≥ 0, or undefined on overflow (upstream's positiveScaleInt64). */
export function positiveScaleInt64(base: bigint, scale: number): bigint | undefined {
  if (scale === 0 || base === 0n) return base;
  if (scale > 18) return undefined; // |base| ≥ 1 times 10**19 is past int64 already
  return int64Multiply(base, pow10Small(scale));
}

/**
 * base ÷ 10**scale for scale ≥ 0, rounded away from zero when digits are lost (upstream's negativeScaleInt64).
 * `exact` is false when a non-zero digit was dropped.
 */
export function negativeScaleInt64(base: bigint, scale: number): { value: bigint; exact: boolean } {
  if (scale === 0 || base === 0n) return { value: base, exact: true };
  if (scale > 19) return { value: base > 0n ? 1n : -1n, exact: false };
  const divisor = pow10Small(scale);
  const q = base / divisor; // BigInt division truncates toward zero, like Go's
  if (base % divisor === 0n) return { value: q, exact: true };
  return { value: base > 0n ? q + 1n : q - 1n, exact: false };
}

/**
 * Truncated division of base by 10**scale (scale ≥ 0) as upstream's divideByScaleInt64: `exact` false means the
 * caller must fall back to exact decimals (scale ≥ 18).
 */
export function divideByScaleInt64(base: bigint, scale: number): { result: bigint; remainder: bigint; exact: boolean } {
  if (scale === 0) return { result: base, remainder: 0n, exact: true };
  if (scale >= 18) return { result: 0n, remainder: base, exact: false };
  const divisor = pow10Small(scale);
  return { result: base / divisor, remainder: base % divisor, exact: true };
}

/**
 * `int64(math.Pow10(n))` for n ≥ 0 as Go computes it on amd64: exact up to 10**18, and the out-of-range
 * conversion result (the most negative int64) above that.
 */
export function goPow10Int64(n: number): bigint {
  return n <= 18 ? pow10Small(n) : minInt64;
}
