// Zones and their disruption states (upstream nodelifecycle ZoneState, computeZoneStateFunc and the
// per-zone rate-limited tainting queues): how fast NoExecute taints may be put on nodes of one zone.
import type { Node, NodeCondition } from '../../../api/generated/core/v1.js';
import type { Clock } from '../../../base/clock.js';
import { TokenBucketRateLimiter } from '../../../client/rest/rate-limiter.js';

export type ZoneState = 'Initial' | 'Normal' | 'FullDisruption' | 'PartialDisruption';

/** upstream GetZoneKey: region and zone labels joined by ":\x00:", "" when the node has neither. */
export function zoneKey(node: Node): string {
  const labels = node.metadata?.labels ?? {};
  const region = labels['topology.kubernetes.io/region'] ?? labels['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'] ?? '';
  if (!region && !zone) return '';
  return `${region}:\x00:${zone}`;
}

/**
 * upstream ComputeZoneState: FullDisruption when no node of the zone is Ready and some are not,
 * PartialDisruption when more than two are not Ready and they are at least `unhealthyZoneThreshold` of the
 * zone, else Normal. Also returns the count of not-Ready nodes.
 */
export function computeZoneState(conditions: ReadonlyArray<NodeCondition | undefined>, unhealthyZoneThreshold: number): { notReady: number; state: ZoneState } {
  let ready = 0;
  let notReady = 0;
  for (const c of conditions) {
    if (c?.status === 'True') ready++;
    else notReady++;
  }
  if (ready === 0 && notReady > 0) return { notReady, state: 'FullDisruption' };
  if (notReady > 2 && notReady / conditions.length >= unhealthyZoneThreshold) return { notReady, state: 'PartialDisruption' };
  return { notReady, state: 'Normal' };
}

/**
 * The tainting rate for a zone in `state` (upstream setLimiterInZone with ReducedQPSFunc/HealthyQPSFunc):
 * Normal and FullDisruption taint at the primary rate; PartialDisruption at the secondary rate in large
 * zones and not at all in small ones.
 */
export function zoneEvictionRate(state: ZoneState, zoneSize: number, opts: { evictionRate: number; secondaryEvictionRate: number; largeClusterSizeThreshold: number }): number {
  if (state === 'PartialDisruption') return zoneSize <= opts.largeClusterSizeThreshold ? 0 : opts.secondaryEvictionRate;
  return opts.evictionRate;
}

/**
 * Node names waiting for a NoExecute taint, in arrival order, drained at most `qps` per second with a
 * burst of one (upstream RateLimitedTimedQueue; qps 0 stops it).
 */
export class RateLimitedNodeQueue {
  private readonly items: string[] = [];
  private limiter: TokenBucketRateLimiter | undefined;

  constructor(
    qps: number,
    private readonly clock: Clock,
  ) {
    this.swapLimiter(qps);
  }

  swapLimiter(qps: number): void {
    this.limiter = qps > 0 ? new TokenBucketRateLimiter({ qps, burst: 1, clock: this.clock }) : undefined;
  }

  /** Adds `name` unless queued already; false when it was. */
  add(name: string): boolean {
    if (this.items.includes(name)) return false;
    this.items.push(name);
    return true;
  }

  remove(name: string): boolean {
    const i = this.items.indexOf(name);
    if (i < 0) return false;
    this.items.splice(i, 1);
    return true;
  }

  get length(): number {
    return this.items.length;
  }

  /**
   * Hands queued names to `fn` in order while the limiter allows; a name leaves the queue when `fn`
   * resolves true, and stays (at the back) when false.
   */
  async try(fn: (name: string) => Promise<boolean>): Promise<void> {
    let budget = this.items.length;
    while (budget-- > 0 && this.items.length > 0) {
      if (!this.limiter || !this.limiter.tryAccept()) return;
      const name = this.items.shift()!;
      if (!(await fn(name)) && !this.items.includes(name)) this.items.push(name);
    }
  }
}
