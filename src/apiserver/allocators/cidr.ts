// IP addresses and CIDR ranges as bigints, for the Service ClusterIP allocator: parsing, canonical
// formatting (RFC 5952 for IPv6) and the usable range of a service CIDR.

export type IPFamily = 'IPv4' | 'IPv6';

export interface ParsedIP {
  family: IPFamily;
  value: bigint;
}

function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p.startsWith('0'))) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseIPv6(text: string): bigint | undefined {
  if (text.includes('.')) {
    // Embedded IPv4 tail (::ffff:1.2.3.4).
    const at = text.lastIndexOf(':');
    const v4 = parseIPv4(text.slice(at + 1));
    if (v4 === undefined) return undefined;
    const hi = (v4 >> 16n).toString(16);
    const lo = (v4 & 0xffffn).toString(16);
    return parseIPv6(`${text.slice(0, at + 1)}${hi}:${lo}`);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const tail = halves.length === 2 ? (halves[1] === '' ? [] : halves[1].split(':')) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  return v;
}

/** Parses an IPv4 or IPv6 address; undefined when it is not one. IPv4-mapped IPv6 stays IPv6. */
export function parseIP(text: string): ParsedIP | undefined {
  if (text.includes(':')) {
    const v = parseIPv6(text);
    return v === undefined ? undefined : { family: 'IPv6', value: v };
  }
  const v = parseIPv4(text);
  return v === undefined ? undefined : { family: 'IPv4', value: v };
}

/** The canonical text of an address (dotted quad, or RFC 5952 compressed lower-case IPv6). */
export function formatIP(ip: ParsedIP): string {
  if (ip.family === 'IPv4') {
    return [24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 0xffn)).join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((ip.value >> BigInt(i * 16)) & 0xffffn));
  // Longest run (length >= 2) of zero groups becomes "::"; the first one wins ties.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export interface CIDR {
  family: IPFamily;
  /** The network address (host bits zero). */
  base: bigint;
  prefixLength: number;
  /** As given, normalised: `10.0.0.0/24`. */
  text: string;
}

/** Parses `10.0.0.0/24` or `fd00::/108`; throws on malformed input (a configuration error). */
export function parseCIDR(text: string): CIDR {
  const slash = text.indexOf('/');
  const ip = slash > 0 ? parseIP(text.slice(0, slash)) : undefined;
  const bits = slash > 0 ? Number(text.slice(slash + 1)) : NaN;
  const width = ip?.family === 'IPv6' ? 128 : 32;
  if (!ip || !Number.isInteger(bits) || bits < 0 || bits > width) throw new Error(`invalid CIDR address: ${text}`);
  const hostBits = BigInt(width - bits);
  const base = (ip.value >> hostBits) << hostBits;
  return { family: ip.family, base, prefixLength: bits, text: `${formatIP({ family: ip.family, value: base })}/${bits}` };
}

export function cidrContains(cidr: CIDR, ip: ParsedIP): boolean {
  if (ip.family !== cidr.family) return false;
  const width = cidr.family === 'IPv6' ? 128 : 32;
  const hostBits = BigInt(width - cidr.prefixLength);
  return ip.value >> hostBits === cidr.base >> hostBits;
}

/**
 * The addresses a service CIDR hands out (upstream ipallocator): never the network address, and for
 * IPv4 never the broadcast address. `first` is what the `kubernetes` Service gets.
 */
export function usableRange(cidr: CIDR): { first: bigint; last: bigint; size: bigint } {
  const width = cidr.family === 'IPv6' ? 128 : 32;
  const total = 1n << BigInt(width - cidr.prefixLength);
  const first = cidr.base + 1n;
  const last = cidr.family === 'IPv4' ? cidr.base + total - 2n : cidr.base + total - 1n;
  const size = last >= first ? last - first + 1n : 0n;
  return { first, last, size };
}

/**
 * KEP-3070: the lowest addresses of a range are kept for static (requested) IPs; dynamic allocation
 * prefers the addresses above them. Upstream: 0 for ranges of at most 16 addresses, else
 * min(max(16, rangeSize/16), 256), where rangeSize counts every address of the CIDR.
 */
export function rangeOffset(cidr: CIDR): bigint {
  const width = cidr.family === 'IPv6' ? 128 : 32;
  const total = 1n << BigInt(width - cidr.prefixLength);
  if (total <= 16n) return 0n;
  const offset = total / 16n;
  return offset < 16n ? 16n : offset > 256n ? 256n : offset;
}
