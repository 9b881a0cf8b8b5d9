// The RequestedToCapacityRatio scoring strategy: a user-given piecewise-linear function of utilization
// (shape points 0–100 → 0–10, scaled to 0–100).
import { MaxNodeScore } from '../../framework/interface.js';
import { MaxCustomPriorityScore, type ResourceSpec, type UtilizationShapePoint } from './args.js';
import { weightedScorer, type Scorer } from './resource-allocation.js';

const maxUtilization = 100;

/** The broken-line function through `shape` (sorted by utilization), constant outside its ends. */
export function buildBrokenLinearFunction(shape: readonly UtilizationShapePoint[]): (p: number) => number {
  return (p) => {
    for (let i = 0; i < shape.length; i++) {
      if (p <= shape[i].utilization) {
        if (i === 0) return shape[0].score;
        const a = shape[i - 1];
        const b = shape[i];
        return a.score + Math.trunc(((b.score - a.score) * (p - a.utilization)) / (b.utilization - a.utilization));
      }
    }
    return shape[shape.length - 1].score;
  };
}

export function requestedToCapacityRatioScorer(resources: Required<ResourceSpec>[], shape: readonly UtilizationShapePoint[]): Scorer {
  const scaled = shape.map((p) => ({ utilization: p.utilization, score: p.score * (MaxNodeScore / MaxCustomPriorityScore) }));
  const raw = buildBrokenLinearFunction(scaled);
  const resourceScore = (requested: number, capacity: number): number => {
    if (capacity === 0 || requested > capacity) return raw(maxUtilization);
    return raw(Math.trunc((requested * maxUtilization) / capacity));
  };
  return weightedScorer(resources, resourceScore, { skipZero: true, round: true });
}
