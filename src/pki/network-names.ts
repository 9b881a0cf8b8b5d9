// Addresses that go into certificate SANs: the first IP of a service CIDR (the `kubernetes` Service's
// ClusterIP), and this host's names and addresses.
import { hostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';

/** The first usable address of a CIDR (network address + 1), e.g. 10.0.0.0/24 → 10.0.0.1. Throws for a bad CIDR. */
export function firstIPInCIDR(cidr: string): string {
  const [addr, bitsText] = cidr.split('/');
  const family = isIP(addr ?? '');
  const bits = Number(bitsText);
  if (family === 4 && bits >= 0 && bits <= 32) {
    const n = addr!.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    const first = ((n & mask) >>> 0) + 1;
    return [24, 16, 8, 0].map((s) => (first >>> s) & 255).join('.');
  }
  if (family === 6 && bits >= 0 && bits <= 128) {
    const n = ipv6ToBigInt(addr!);
    const mask = bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << BigInt(128 - bits);
    const first = (n & mask) + 1n;
    const groups: string[] = [];
    for (let i = 7; i >= 0; i--) groups.push(((first >> BigInt(i * 16)) & 0xffffn).toString(16));
    return compressIPv6(groups);
  }
  throw new Error(`invalid CIDR address: ${cidr}`);
}

function ipv6ToBigInt(addr: string): bigint {
  const [head, tail] = addr.includes('::') ? addr.split('::') : [addr, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

function compressIPv6(groups: string[]): string {
  // Replace the longest run of zero groups with `::` (RFC 5952).
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** DNS names and IP addresses for a certificate's SANs. */
export interface SubjectAltNames {
  dns: string[];
  ips: string[];
}

/**
 * This host's name and its interface addresses (IPv6 link-local ones left out: they need a zone to dial).
 * Loopback addresses are included.
 */
export function hostNamesAndAddresses(): SubjectAltNames {
  const ips: string[] = [];
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.family === 'IPv6' && a.address.toLowerCase().startsWith('fe80:')) continue;
      ips.push(a.address);
    }
  }
  return { dns: [hostname()].filter(Boolean), ips };
}

/** Splits a comma list of names and addresses (e.g. --apiserver-sans) into DNS names and IPs, deduplicated. */
export function splitSANs(values: string[]): SubjectAltNames {
  const dns = new Set<string>();
  const ips = new Set<string>();
  for (const v of values.map((s) => s.trim()).filter(Boolean)) (isIP(v) ? ips : dns).add(v);
  return { dns: [...dns], ips: [...ips] };
}
