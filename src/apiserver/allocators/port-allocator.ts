// Service NodePort allocation with one storage key per allocated port
// (`<prefix>/ranges/servicenodeports/<port>`): reserving a port is a storage create that fails when the key
// exists, so neither restarts nor several apiservers on one store can hand a port out twice.

import { isStorageError, type Store } from '../../storage/interface.js';
import { AllocationError, type ServiceRef } from './ip-allocator.js';

/** What a port key holds: who owns the port, and since when (the repair pass reads both). */
export interface NodePortRecord {
  port: number;
  service: ServiceRef;
  allocatedAt: string;
}

export interface PortRange {
  base: number;
  size: number;
}

export interface NodePortAllocatorOptions {
  store: Store;
  /** --etcd-prefix, e.g. `/registry`. */
  prefix: string;
  range: PortRange;
  random?: () => number;
  now?: () => Date;
}

/** `base-last`, as upstream prints port ranges. */
export function portRangeText(r: PortRange): string {
  return `${r.base}-${r.base + r.size - 1}`;
}

/**
 * KEP-3668: the lowest ports are kept for static requests; dynamic allocation prefers the ones above.
 * Upstream: min(max(16, size/32), 128), and 0 for ranges of at most 16 ports.
 */
export function nodePortOffset(size: number): number {
  if (size <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(size / 32)), 128);
}

export class NodePortAllocator {
  readonly range: PortRange;
  private readonly store: Store;
  private readonly keyPrefix: string;
  private readonly random: () => number;
  private readonly now: () => Date;

  constructor(opts: NodePortAllocatorOptions) {
    this.range = opts.range;
    this.store = opts.store;
    this.keyPrefix = `${opts.prefix.replace(/\/$/, '')}/ranges/servicenodeports/`;
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? (() => new Date());
  }

  keyFor(port: number): string {
    return `${this.keyPrefix}${port}`;
  }

  contains(port: number): boolean {
    return Number.isInteger(port) && port >= this.range.base && port < this.range.base + this.range.size;
  }

  /** Range check only, for dry runs and validation. */
  checkInRange(port: number): AllocationError | undefined {
    return this.contains(port)
      ? undefined
      : new AllocationError(
          'NotInRange',
          `provided port is not in the valid range. The range of valid ports is ${portRangeText(this.range)}`,
        );
  }

  private async tryCreate(port: number, svc: ServiceRef): Promise<boolean> {
    const record: NodePortRecord = { port, service: svc, allocatedAt: this.now().toISOString() };
    try {
      await this.store.create(this.keyFor(port), JSON.stringify(record));
      return true;
    } catch (err) {
      if (isStorageError(err, 'AlreadyExists')) return false;
      throw err;
    }
  }

  /** Reserves a requested port. Rejects with AllocationError NotInRange or Allocated. */
  async allocate(port: number, svc: ServiceRef): Promise<number> {
    const err = this.checkInRange(port);
    if (err) throw err;
    if (!(await this.tryCreate(port, svc))) throw new AllocationError('Allocated', 'provided port is already allocated');
    return port;
  }

  /** Every allocated port with its record. */
  async list(): Promise<NodePortRecord[]> {
    const out: NodePortRecord[] = [];
    let startKey: string | undefined;
    for (;;) {
      const page = await this.store.list({ prefix: this.keyPrefix, startKey, limit: 1000 });
      for (const kv of page.kvs) out.push(JSON.parse(kv.value) as NodePortRecord);
      if (!page.more || page.kvs.length === 0) return out;
      startKey = page.kvs[page.kvs.length - 1].key + '\0';
    }
  }

  /** Reserves a free port: a random one of the upper band first, then of the lower band. */
  async allocateNext(svc: ServiceRef): Promise<number> {
    const taken = new Set((await this.list()).map((r) => r.port));
    const offset = nodePortOffset(this.range.size);
    const bands: Array<[number, number]> = [[this.range.base + offset, this.range.base + this.range.size - 1]];
    if (offset > 0) bands.push([this.range.base, this.range.base + offset - 1]);
    for (const [lo, hi] of bands) {
      const size = hi - lo + 1;
      if (size <= 0) continue;
      const start = Math.floor(this.random() * size);
      for (let i = 0; i < size; i++) {
        const port = lo + ((start + i) % size);
        if (taken.has(port)) continue;
        if (await this.tryCreate(port, svc)) return port;
        taken.add(port);
      }
    }
    throw new AllocationError('Full', 'range is full');
  }

  /**
   * Frees `port`; freeing an unallocated or out-of-range port is a no-op. With `owner`, only a port that
   * `owner` holds is freed, so a late release never takes a port another Service got meanwhile.
   */
  async release(port: number, owner?: ServiceRef): Promise<void> {
    if (!this.contains(port)) return;
    const key = this.keyFor(port);
    try {
      const kv = await this.store.get(key);
      if (!kv) return;
      if (owner) {
        const rec = JSON.parse(kv.value) as NodePortRecord;
        if (rec.service.namespace !== owner.namespace || rec.service.name !== owner.name) return;
      }
      await this.store.delete(key, kv.modRevision);
    } catch (err) {
      if (!isStorageError(err, 'NotFound') && !isStorageError(err, 'Conflict')) throw err;
    }
  }
}
