// The shared resource scorer (upstream resourceAllocationScorer): per configured resource, what the node
// offers and what it would hold with the pod, handed to a strategy function that turns them into 0–100.
import type { Pod } from '../../../api/generated/core/v1.js';
import type { NodeInfo } from '../../framework/node-info.js';
import {
  ResourceCPU,
  ResourceEphemeralStorage,
  ResourceMemory,
  isScalarResourceName,
  nonZeroDefaults,
  podRequests,
} from '../../framework/resource.js';
import type { ResourceSpec } from './args.js';

/** Turns per-resource requested/allocatable amounts (parallel arrays, 0 allocatable = skip) into a score. */
export type Scorer = (requested: number[], allocatable: number[]) => number;

/**
 * A Scorer that averages `perResource(requested, allocatable)` over the resources with allocatable > 0,
 * weighted by the resources' weights. `skipZero` leaves resources scoring 0 out of the average
 * (RequestedToCapacityRatio); `round` rounds instead of truncating the average.
 */
export function weightedScorer(
  resources: readonly Required<ResourceSpec>[],
  perResource: (requested: number, allocatable: number) => number,
  opts: { skipZero?: boolean; round?: boolean } = {},
): Scorer {
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const s = perResource(requested[i], allocatable[i]);
      if (opts.skipZero && s <= 0) continue;
      nodeScore += s * resources[i].weight;
      weightSum += resources[i].weight;
    }
    if (weightSum === 0) return 0;
    return opts.round ? Math.round(nodeScore / weightSum) : Math.trunc(nodeScore / weightSum);
  };
}

export class ResourceAllocationScorer {
  /** Scratch arrays reused by every score() call (scoring is single-threaded and the scorer keeps no reference). */
  private readonly requested: number[];
  private readonly allocatable: number[];

  constructor(
    readonly resources: Required<ResourceSpec>[],
    readonly scorer: Scorer,
    /** true: count actual requests (BalancedAllocation); false: upstream's non-zero defaults for cpu/memory. */
    readonly useRequested: boolean,
  ) {
    this.requested = new Array<number>(resources.length).fill(0);
    this.allocatable = new Array<number>(resources.length).fill(0);
  }

  /** The pod's request per configured resource, in `resources` order. */
  podRequestList(pod: Pod): number[] {
    const r = podRequests(pod, this.useRequested ? {} : { nonMissingContainerRequests: nonZeroDefaults });
    return this.resources.map((spec) => r.get(spec.name));
  }

  score(nodeInfo: NodeInfo, podRequestList: readonly number[]): number {
    const n = this.resources.length;
    const requested = this.requested;
    const allocatable = this.allocatable;
    for (let i = 0; i < n; i++) {
      requested[i] = 0;
      allocatable[i] = 0;
      const name = this.resources[i].name;
      const podRequest = podRequestList[i];
      // An extended resource the pod does not ask for is left out of the score.
      if (podRequest === 0 && isScalarResourceName(name)) continue;
      const alloc = nodeInfo.allocatable.get(name);
      if (alloc === 0) continue;
      let used: number;
      switch (name) {
        case ResourceCPU:
          used = this.useRequested ? nodeInfo.requested.milliCPU : nodeInfo.nonZeroRequested.milliCPU;
          break;
        case ResourceMemory:
          used = this.useRequested ? nodeInfo.requested.memory : nodeInfo.nonZeroRequested.memory;
          break;
        case ResourceEphemeralStorage:
          used = nodeInfo.requested.ephemeralStorage;
          break;
        default:
          used = nodeInfo.requested.scalar(name);
      }
      allocatable[i] = alloc;
      requested[i] = used + podRequest;
    }
    return this.scorer(requested, allocatable);
  }
}
