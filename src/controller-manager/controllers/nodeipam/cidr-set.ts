// A cluster CIDR cut into equal node subnets with a bitmap of which are taken (upstream nodeipam's
// cidrset): allocation round-robin from the last one handed out, occupy for subnets already assigned,
// release on node deletion. IPv4 and IPv6, with addresses as bigints.
import { isIPv4, isIPv6 } from 'node:net';

/** An address range: `base` is the first address, `bits` 32 or 128, `prefix` the mask length. */
export interface CIDR {
  base: bigint;
  prefix: number;
  bits: 32 | 128;
}

export function parseCIDR(text: string): CIDR {
  const [addr, len, extra] = text.trim().split('/');
  const bits = isIPv4(addr ?? '') ? 32 : isIPv6(addr ?? '') ? 128 : 0;
  const prefix = Number(len);
  if (!bits || extra !== undefined || !/^\d+$/.test(len ?? '') || prefix > bits) throw new Error(`invalid CIDR address: ${text}`);
  const ip = bits === 32 ? ipv4ToBigInt(addr!) : ipv6ToBigInt(addr!);
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
  return { base: ip & mask, prefix, bits: bits as 32 | 128 };
}

export function formatCIDR(c: CIDR): string {
  return `${c.bits === 32 ? bigIntToIPv4(c.base) : bigIntToIPv6(c.base)}/${c.prefix}`;
}

function ipv4ToBigInt(addr: string): bigint {
  return addr.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function bigIntToIPv4(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
}

function ipv6ToBigInt(addr: string): bigint {
  let text = addr;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4ToBigInt(v4[1]!);
    text = `${text.slice(0, -v4[1]!.length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function bigIntToIPv6(v: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((v >> BigInt((7 - i) * 16)) & 0xffffn));
  // RFC 5952: the longest run (≥ 2) of zero groups becomes "::".
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len && j - i >= 2) best = { at: i, len: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}

/** Whether two ranges share an address. */
export function overlaps(a: CIDR, b: CIDR): boolean {
  if (a.bits !== b.bits) return false;
  const prefix = Math.min(a.prefix, b.prefix);
  const shift = BigInt(a.bits - prefix);
  return a.base >> shift === b.base >> shift;
}

export const errCIDRRangeNoCIDRsRemaining = 'CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range';
export const errCIDRSetSubNetTooBig = 'New CIDR set failed; the node CIDR size is too big';

/** The node subnets of one cluster CIDR. */
export class CIDRSet {
  readonly cluster: CIDR;
  readonly nodeMaskSize: number;
  readonly maxCIDRs: number;
  private readonly used = new Set<number>();
  private nextCandidate = 0;

  constructor(cluster: CIDR, nodeMaskSize: number) {
    if (nodeMaskSize < cluster.prefix || nodeMaskSize > cluster.bits || nodeMaskSize - cluster.prefix > 16) throw new Error(errCIDRSetSubNetTooBig);
    this.cluster = cluster;
    this.nodeMaskSize = nodeMaskSize;
    this.maxCIDRs = 2 ** (nodeMaskSize - cluster.prefix);
  }

  private subnet(i: number): CIDR {
    return { base: this.cluster.base + (BigInt(i) << BigInt(this.cluster.bits - this.nodeMaskSize)), prefix: this.nodeMaskSize, bits: this.cluster.bits };
  }

  /** Indexes of the subnets `c` overlaps (all of them when it covers the whole cluster range). */
  private indexesOf(c: CIDR): [number, number] | undefined {
    if (!overlaps(c, this.cluster)) return undefined;
    const shift = BigInt(this.cluster.bits - this.nodeMaskSize);
    const first = c.prefix <= this.cluster.prefix ? this.cluster.base : c.base;
    const size = c.prefix <= this.cluster.prefix ? BigInt(this.maxCIDRs) << shift : 1n << BigInt(c.bits - c.prefix);
    const lo = Number((first - this.cluster.base) >> shift);
    const hi = Number((first + size - 1n - this.cluster.base) >> shift);
    return [lo, Math.min(hi, this.maxCIDRs - 1)];
  }

  /** The next free subnet, round-robin; throws errCIDRRangeNoCIDRsRemaining when all are taken. */
  allocateNext(): string {
    for (let n = 0; n < this.maxCIDRs; n++) {
      const i = (this.nextCandidate + n) % this.maxCIDRs;
      if (this.used.has(i)) continue;
      this.used.add(i);
      this.nextCandidate = (i + 1) % this.maxCIDRs;
      return formatCIDR(this.subnet(i));
    }
    throw new Error(errCIDRRangeNoCIDRsRemaining);
  }

  /** Marks every subnet overlapping `cidr` taken; false when it lies outside this set. */
  occupy(cidr: string): boolean {
    const range = this.indexesOf(parseCIDR(cidr));
    if (!range) return false;
    for (let i = range[0]; i <= range[1]; i++) this.used.add(i);
    return true;
  }

  release(cidr: string): boolean {
    const range = this.indexesOf(parseCIDR(cidr));
    if (!range) return false;
    for (let i = range[0]; i <= range[1]; i++) this.used.delete(i);
    return true;
  }

  /** Whether `cidr` is one of this set's node subnets. */
  contains(cidr: string): boolean {
    const c = parseCIDR(cidr);
    return c.prefix === this.nodeMaskSize && overlaps(c, this.cluster);
  }

  get allocated(): number {
    return this.used.size;
  }
}
