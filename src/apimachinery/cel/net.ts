// The Kubernetes CEL IP and CIDR libraries: ip()/isIP()/ip.isCanonical() and cidr()/isCIDR() values with
// their methods (family, loopback and unicast tests, containment, prefix length, masking).

import { CELEvalError } from './values.js';

/** An IP address as its family and numeric value (128 or 32 bits). */
export class CELIP {
  readonly celType = 'net.IP';
  constructor(
    readonly family: 4 | 6,
    readonly bits: bigint,
  ) {}
  toString(): string {
    if (this.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((this.bits >> s) & 255n)).join('.');
    const groups = Array.from({ length: 8 }, (_, i) => Number((this.bits >> BigInt(112 - 16 * i)) & 0xffffn));
    // RFC 5952: the longest run (≥ 2) of zero groups becomes "::".
    let best = -1;
    let bestLen = 1;
    for (let i = 0; i < 8; ) {
      let j = i;
      while (j < 8 && groups[j] === 0) j++;
      if (j - i > bestLen) [best, bestLen] = [i, j - i];
      i = j === i ? i + 1 : j;
    }
    const hex = groups.map((g) => g.toString(16));
    if (best < 0) return hex.join(':');
    return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
  }
}

/** A CIDR: an address (as written) and a prefix length. */
export class CELCIDR {
  readonly celType = 'net.CIDR';
  constructor(
    readonly ip: CELIP,
    readonly prefix: number,
  ) {}
  toString(): string {
    return `${this.ip.toString()}/${this.prefix}`;
  }
  private mask(): bigint {
    const width = this.ip.family === 4 ? 32 : 128;
    return ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - this.prefix)) - 1n);
  }
  masked(): CELCIDR {
    return new CELCIDR(new CELIP(this.ip.family, this.ip.bits & this.mask()), this.prefix);
  }
  containsIP(ip: CELIP): boolean {
    return ip.family === this.ip.family && (ip.bits & this.mask()) === (this.ip.bits & this.mask());
  }
  containsCIDR(other: CELCIDR): boolean {
    return other.prefix >= this.prefix && this.containsIP(other.ip);
  }
}

function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
}

function parseIPv6(text: string): bigint | undefined {
  if (text.includes('%')) return undefined;
  let head = text;
  let tailV4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tailV4 = parseIPv4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groupsOf(halves[0]);
  const right = halves.length === 2 ? groupsOf(halves[1]) : [];
  const missing = 8 - left.length - right.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const groups = [...left, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...right];
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  let bits = groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  if (tailV4 !== undefined) bits = (bits & ~0xffffffffn) | tailV4;
  return bits;
}

/** Parses an address as the library's ip() does: IPv4 dotted quads or IPv6, no zones, no IPv4-mapped IPv6. */
export function parseIP(text: string): CELIP {
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return new CELIP(4, v4);
  const v6 = text.includes(':') ? parseIPv6(text) : undefined;
  if (v6 === undefined) throw new CELEvalError(`IP Address ${JSON.stringify(text)} parse error during conversion from string: ParseAddr(${JSON.stringify(text)}): unable to parse IP`);
  if (v6 >> 32n === 0xffffn) throw new CELEvalError(`IPv4-mapped IPv6 address ${JSON.stringify(text)} is not allowed`);
  return new CELIP(6, v6);
}

/** Parses `addr/prefix` as cidr() does. */
export function parseCIDR(text: string): CELCIDR {
  const [addr, prefix, extra] = text.split('/');
  const ip = (() => {
    try {
      return addr === undefined ? undefined : parseIP(addr);
    } catch {
      return undefined;
    }
  })();
  const width = ip?.family === 4 ? 32 : 128;
  if (!ip || extra !== undefined || prefix === undefined || !/^(0|[1-9][0-9]*)$/.test(prefix) || Number(prefix) > width) {
    throw new CELEvalError(`network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix(${JSON.stringify(text)}): invalid prefix`);
  }
  return new CELCIDR(ip, Number(prefix));
}

/** Methods of IP values. */
export function ipMethod(fn: string, ip: CELIP): unknown {
  const b = ip.bits;
  const v4 = ip.family === 4;
  switch (fn) {
    case 'family':
      return BigInt(ip.family);
    case 'isUnspecified':
      return b === 0n;
    case 'isLoopback':
      return v4 ? b >> 24n === 127n : b === 1n;
    case 'isLinkLocalMulticast':
      return v4 ? b >> 8n === 0xe00000n : b >> 112n === 0xff02n;
    case 'isLinkLocalUnicast':
      return v4 ? b >> 16n === 0xa9fen : b >> 118n === 0x3fan;
    default: {
      // isGlobalUnicast: not unspecified, loopback, multicast, link-local or broadcast.
      if (b === 0n) return false;
      if (v4) return b !== 0xffffffffn && b >> 24n !== 127n && b >> 28n !== 0xen && b >> 16n !== 0xa9fen;
      return b !== 1n && b >> 120n !== 0xffn && b >> 118n !== 0x3fan;
    }
  }
}
