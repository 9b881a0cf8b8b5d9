// Service ClusterIP allocation as upstream does it since 1.33 (MultiCIDRServiceAllocator): every allocated
// IP is a networking.k8s.io/v1 IPAddress object named after the IP, so the allocation IS a storage create
// that fails when the name exists — safe across restarts and across apiservers sharing one store.

import { StatusError } from '../../apimachinery/errors.js';
import { cidrContains, formatIP, parseIP, rangeOffset, usableRange, type CIDR, type IPFamily } from './cidr.js';

export const ipAllocatorManagedBy = 'ipallocator.k8s.io';
export const labelIPAddressFamily = 'ipaddress.kubernetes.io/ip-family';
export const labelManagedBy = 'ipaddress.kubernetes.io/managed-by';

/** The networking.k8s.io/v1 IPAddress fields the allocator reads and writes. */
export interface IPAddress {
  apiVersion: 'networking.k8s.io/v1';
  kind: 'IPAddress';
  metadata: { name: string; labels?: Record<string, string>; creationTimestamp?: string; [k: string]: unknown };
  spec: { parentRef: { group: string; resource: string; namespace?: string; name: string } };
}

/**
 * Where IPAddress objects live: the apiserver's own ipaddresses registry (so `kubectl get ipaddresses`
 * shows them and watches see them).
 */
export interface IPAddressClient {
  /** Creates the object; resolves false (and changes nothing) when an IPAddress of that name exists. */
  create(ip: IPAddress): Promise<boolean>;
  /** Deletes it; absent is not an error. */
  delete(name: string): Promise<void>;
  list(): Promise<IPAddress[]>;
}

export interface ServiceRef {
  namespace: string;
  name: string;
}

/** Why an allocation failed, in upstream's words (they end up in 422 Invalid / 500 messages). */
export class AllocationError extends Error {
  constructor(
    readonly reason: 'NotInRange' | 'Allocated' | 'Full',
    message: string,
  ) {
    super(message);
    this.name = 'AllocationError';
  }
}

export interface ClusterIPAllocatorOptions {
  cidr: CIDR;
  client: IPAddressClient;
  /** Random source in [0, 1) for the starting offset (injectable for tests). */
  random?: () => number;
}

function randomBigInt(below: bigint, random: () => number): bigint {
  if (below <= 0n) return 0n;
  if (below <= BigInt(Number.MAX_SAFE_INTEGER)) return BigInt(Math.floor(random() * Number(below)));
  // Wide IPv6 ranges: combine 48-bit chunks.
  let v = 0n;
  for (let i = 0; i < 3; i++) v = (v << 48n) | BigInt(Math.floor(random() * 2 ** 48));
  return v % below;
}

/** Hands out ClusterIPs of one family from one service CIDR. */
export class ClusterIPAllocator {
  readonly cidr: CIDR;
  readonly family: IPFamily;
  private readonly client: IPAddressClient;
  private readonly random: () => number;
  private readonly first: bigint;
  private readonly last: bigint;
  private readonly offset: bigint;

  constructor(opts: ClusterIPAllocatorOptions) {
    this.cidr = opts.cidr;
    this.family = opts.cidr.family;
    this.client = opts.client;
    this.random = opts.random ?? Math.random;
    const { first, last } = usableRange(opts.cidr);
    this.first = first;
    this.last = last;
    this.offset = rangeOffset(opts.cidr);
  }

  /** The range in upstream's error messages. */
  get rangeText(): string {
    return this.cidr.text;
  }

  /** The address the `kubernetes` Service gets: the first usable one. */
  firstAddress(): string {
    return formatIP({ family: this.family, value: this.first });
  }

  private ipObject(name: string, svc: ServiceRef): IPAddress {
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IPAddress',
      metadata: { name, labels: { [labelIPAddressFamily]: this.family, [labelManagedBy]: ipAllocatorManagedBy } },
      spec: { parentRef: { group: '', resource: 'services', namespace: svc.namespace, name: svc.name } },
    };
  }

  /** Whether `ip` may be requested from this range (validity and range only; no storage access). */
  checkInRange(ip: string): AllocationError | undefined {
    const parsed = parseIP(ip);
    if (!parsed || !cidrContains(this.cidr, parsed) || parsed.value < this.first || parsed.value > this.last) {
      return new AllocationError(
        'NotInRange',
        `provided IP ${ip} is not in the valid range`,
      );
    }
    return undefined;
  }

  /** Reserves a requested IP for `svc`. Rejects with AllocationError NotInRange or Allocated. */
  async allocate(ip: string, svc: ServiceRef): Promise<string> {
    const err = this.checkInRange(ip);
    if (err) throw err;
    const name = formatIP(parseIP(ip)!);
    if (!(await this.client.create(this.ipObject(name, svc)))) {
      throw new AllocationError('Allocated', 'provided IP is already allocated');
    }
    return name;
  }

  /**
   * Reserves a free IP for `svc`: from a random point of the upper subrange first, then of the lower one
   * (KEP-3070), skipping known allocations and retrying past creates that lose a race.
   */
  async allocateNext(svc: ServiceRef): Promise<string> {
    const taken = new Set((await this.client.list()).map((o) => o.metadata.name));
    const offsetStart = this.first + this.offset;
    const ranges: Array<[bigint, bigint]> = [];
    if (offsetStart <= this.last) ranges.push([offsetStart, this.last]);
    if (this.offset > 0n) ranges.push([this.first, offsetStart - 1n <= this.last ? offsetStart - 1n : this.last]);
    for (const [lo, hi] of ranges) {
      const size = hi - lo + 1n;
      const start = randomBigInt(size, this.random);
      for (let i = 0n; i < size; i++) {
        const value = lo + ((start + i) % size);
        const name = formatIP({ family: this.family, value });
        if (taken.has(name)) continue;
        if (await this.client.create(this.ipObject(name, svc))) return name;
        taken.add(name); // Another apiserver won the race for it: move on.
      }
    }
    throw new AllocationError('Full', 'range is full');
  }

  /** Frees `ip`; releasing an unallocated or foreign IP is a no-op (as upstream). */
  async release(ip: string): Promise<void> {
    const parsed = parseIP(ip);
    if (!parsed || !cidrContains(this.cidr, parsed)) return;
    await this.client.delete(formatIP(parsed));
  }
}

/** A 500 for an allocator failure that is not the user's fault (upstream wording). */
export function allocationInternalError(what: string, err: unknown): StatusError {
  const text = err instanceof Error ? err.message : String(err);
  return new StatusError({
    code: 500,
    reason: 'InternalError',
    message: `Internal error occurred: failed to allocate a ${what}: ${text}`,
    details: { causes: [{ message: `failed to allocate a ${what}: ${text}` }] },
  });
}
