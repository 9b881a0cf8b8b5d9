// The LeastAllocated scoring strategy (the default): prefer nodes with more free capacity, weighted per resource.
import { MaxNodeScore } from '../../framework/interface.js';
import type { ResourceSpec } from './args.js';
import { weightedScorer, type Scorer } from './resource-allocation.js';

/** (capacity − requested) × 100 / capacity; 0 when requested exceeds capacity. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MaxNodeScore) / capacity);
}

export function leastResourceScorer(resources: Required<ResourceSpec>[]): Scorer {
  return weightedScorer(resources, leastRequestedScore);
}
