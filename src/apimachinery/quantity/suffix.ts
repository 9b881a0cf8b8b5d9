// Quantity suffixes: what `Ki`, `m`, `e3` mean when parsing, and which suffix a canonical value is printed with.

/** How a quantity is written; kept from parse and used when printing (upstream's resource.Format). */
export type Format = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

export const DecimalExponent: Format = 'DecimalExponent';
export const BinarySI: Format = 'BinarySI';
export const DecimalSI: Format = 'DecimalSI';

/** A suffix's meaning: the value is multiplied by base**exponent. */
export interface SuffixMeaning {
  base: 2 | 10;
  exponent: number;
  format: Format;
}

const decimalSuffixes: ReadonlyMap<string, number> = new Map([
  ['n', -9],
  ['u', -6],
  ['m', -3],
  ['', 0],
  ['k', 3],
  ['M', 6],
  ['G', 9],
  ['T', 12],
  ['P', 15],
  ['E', 18],
]);

const binarySuffixes: ReadonlyMap<string, number> = new Map([
  ['Ki', 10],
  ['Mi', 20],
  ['Gi', 30],
  ['Ti', 40],
  ['Pi', 50],
  ['Ei', 60],
]);

const decimalByExponent = new Map([...decimalSuffixes].map(([s, e]) => [e, s]));
const binaryByExponent = new Map([...binarySuffixes].map(([s, e]) => [e, s]));

const goInt64Syntax = /^[+-]?[0-9]+$/;
const maxInt64 = (1n << 63n) - 1n;

/**
 * The meaning of a suffix, or undefined if it has none. `e<int>`/`E<int>` is a decimal exponent (an optional sign
 * is accepted, and the exponent is truncated to 32 bits as upstream does); plain `E` is exa.
 */
export function interpretSuffix(suffix: string): SuffixMeaning | undefined {
  const dec = decimalSuffixes.get(suffix);
  if (dec !== undefined) return { base: 10, exponent: dec, format: DecimalSI };
  const bin = binarySuffixes.get(suffix);
  if (bin !== undefined) return { base: 2, exponent: bin, format: BinarySI };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const text = suffix.slice(1);
    if (!goInt64Syntax.test(text)) return undefined;
    const parsed = BigInt(text);
    if (parsed > maxInt64 || parsed < -maxInt64 - 1n) return undefined;
    return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: DecimalExponent };
  }
  return undefined;
}

/**
 * The suffix a canonical value is printed with. Exponents outside a format's table print no suffix at all (so a
 * DecimalSI 10**21 prints as `1`), which is upstream's behaviour, kept for wire compatibility.
 */
export function constructSuffix(base: 2 | 10, exponent: number, format: Format): string {
  switch (format) {
    case 'DecimalSI':
      return base === 10 ? (decimalByExponent.get(exponent) ?? '') : '';
    case 'BinarySI':
      return base === 2 ? (binaryByExponent.get(exponent) ?? '') : '';
    case 'DecimalExponent':
      return base === 10 && exponent !== 0 ? `e${exponent}` : '';
  }
}
