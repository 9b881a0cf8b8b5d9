// The MostAllocated scoring strategy (bin packing): prefer nodes that are already busier.
import { MaxNodeScore } from '../../framework/interface.js';
import type { ResourceSpec } from './args.js';
import { weightedScorer, type Scorer } from './resource-allocation.js';

/** requested × 100 / capacity, with requested capped at capacity. */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  const r = requested > capacity ? capacity : requested;
  return Math.trunc((r * MaxNodeScore) / capacity);
}

export function mostResourceScorer(resources: Required<ResourceSpec>[]): Scorer {
  return weightedScorer(resources, mostRequestedScore);
}
