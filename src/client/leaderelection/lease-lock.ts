// The Lease resource lock (client-go resourcelock.LeaseLock): a leader election record kept in the spec of
// a coordination.k8s.io/v1 Lease.
import type { Lease } from '../../api/generated/coordination/v1.js';
import type { Typed } from '../typed.js';
import type { ResourceInterface } from '../rest/interface.js';
import { formatMicroTime, parseMicroTime } from './micro-time.js';

export type LeaseObject = Typed<Lease>;

/** Who holds the lock, for how long, since when (client-go LeaderElectionRecord); times in epoch ms. */
export interface LeaderElectionRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: number;
  renewTime: number;
  leaderTransitions: number;
}

export interface LeaseLockOptions {
  /** The leases client of the lock's namespace. */
  leases: ResourceInterface<LeaseObject>;
  namespace: string;
  name: string;
  /** This candidate's identity, e.g. `<hostname>_<uuid>`. */
  identity: string;
}

export class LeaseLock {
  readonly identity: string;
  private readonly opts: LeaseLockOptions;
  /** The lease as last read or written: updates carry its resourceVersion (optimistic concurrency). */
  private lease: LeaseObject | undefined;

  constructor(opts: LeaseLockOptions) {
    this.opts = opts;
    this.identity = opts.identity;
  }

  /** "namespace/name", for logs and events. */
  describe(): string {
    return `${this.opts.namespace}/${this.opts.name}`;
  }

  /** Reads the record; rejects with the client's StatusError (NotFound when there is no lease yet). */
  async get(): Promise<LeaderElectionRecord> {
    this.lease = await this.opts.leases.get(this.opts.name);
    return leaseSpecToRecord(this.lease);
  }

  async create(record: LeaderElectionRecord): Promise<void> {
    this.lease = await this.opts.leases.create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.opts.name, namespace: this.opts.namespace },
      spec: recordToLeaseSpec(record),
    });
  }

  /** Writes the record over the lease last read; a Conflict means someone else wrote in between. */
  async update(record: LeaderElectionRecord): Promise<void> {
    if (!this.lease) throw new Error('lease lock: update before get or create');
    this.lease = await this.opts.leases.update({ ...this.lease, spec: { ...this.lease.spec, ...recordToLeaseSpec(record) } });
  }
}

function leaseSpecToRecord(lease: LeaseObject): LeaderElectionRecord {
  const spec = lease.spec ?? {};
  return {
    holderIdentity: spec.holderIdentity ?? '',
    leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
    acquireTime: spec.acquireTime ? parseMicroTime(spec.acquireTime) : 0,
    renewTime: spec.renewTime ? parseMicroTime(spec.renewTime) : 0,
    leaderTransitions: spec.leaseTransitions ?? 0,
  };
}

function recordToLeaseSpec(r: LeaderElectionRecord): NonNullable<Lease['spec']> {
  return {
    holderIdentity: r.holderIdentity,
    leaseDurationSeconds: r.leaseDurationSeconds,
    acquireTime: formatMicroTime(r.acquireTime),
    renewTime: formatMicroTime(r.renewTime),
    leaseTransitions: r.leaderTransitions,
  };
}
