// Key order and prefix ranges shared by every backend: keys compare as their UTF-8 bytes (as etcd and
// SQLite's BINARY collation do), so all backends list in the same order.

/**
 * Compares two keys by their UTF-8 byte sequences without encoding them. UTF-16 code-unit order equals
 * code-point (= UTF-8 byte) order except when a surrogate meets a unit in U+E000..U+FFFF; that case is
 * fixed up by moving surrogates above that block.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/**
 * The smallest string greater than every string that starts with `prefix` (in UTF-8 byte order), or
 * undefined when there is none (empty prefix, or a prefix of only U+10FFFF). Used as the exclusive upper
 * bound of a prefix range in SQL.
 */
export function prefixEnd(prefix: string): string | undefined {
  const points = Array.from(prefix, (c) => c.codePointAt(0) as number);
  while (points.length > 0) {
    const last = points.pop() as number;
    if (last === 0x10ffff) continue;
    const next = last === 0xd7ff ? 0xe000 : last + 1;
    return String.fromCodePoint(...points, next);
  }
  return undefined;
}

/** The etcd range_end for a byte prefix: the prefix with its last non-0xff byte incremented. */
export function prefixEndBytes(prefix: Uint8Array): Uint8Array {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i] < 0xff) {
      const end = prefix.slice(0, i + 1);
      end[i]++;
      return end;
    }
  }
  // All 0xff (or empty): etcd reads "\0" as "to the end of the key space".
  return Uint8Array.of(0);
}
