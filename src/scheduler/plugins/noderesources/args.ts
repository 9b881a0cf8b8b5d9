// NodeResourcesFitArgs and NodeResourcesBalancedAllocationArgs with upstream's v1 defaults and validation
// messages.
import { ResourceCPU, ResourceMemory } from '../../framework/resource.js';

export interface ResourceSpec {
  name: string;
  weight?: number;
}

export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}

export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';

export interface ScoringStrategy {
  type?: ScoringStrategyType;
  resources?: ResourceSpec[];
  requestedToCapacityRatio?: { shape?: UtilizationShapePoint[] };
}

export interface NodeResourcesFitArgs {
  ignoredResources?: string[];
  ignoredResourceGroups?: string[];
  scoringStrategy?: ScoringStrategy;
}

export interface NodeResourcesBalancedAllocationArgs {
  resources?: ResourceSpec[];
}

/** cpu and memory, weight 1 each (upstream defaultResourceSpec). */
export function defaultResourceSpec(): Required<ResourceSpec>[] {
  return [
    { name: ResourceCPU, weight: 1 },
    { name: ResourceMemory, weight: 1 },
  ];
}

/** The highest score a RequestedToCapacityRatio shape point may give (scaled ×10 to MaxNodeScore). */
export const MaxCustomPriorityScore = 10;

function resourcesWithWeights(rs: ResourceSpec[] | undefined): Required<ResourceSpec>[] {
  if (!rs || rs.length === 0) return defaultResourceSpec();
  return rs.map((r) => ({ name: r.name, weight: r.weight ?? 1 }));
}

/** Defaults then validates; throws an Error with upstream-style field paths for invalid args. */
export function completeFitArgs(a: NodeResourcesFitArgs | undefined): Required<Omit<NodeResourcesFitArgs, 'scoringStrategy'>> & {
  scoringStrategy: { type: ScoringStrategyType; resources: Required<ResourceSpec>[]; shape: UtilizationShapePoint[] };
} {
  const s = a?.scoringStrategy ?? {};
  const type = s.type ?? 'LeastAllocated';
  if (!['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'].includes(type)) {
    throw new Error(`scoringStrategy.type: Unsupported value: "${type}": supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"`);
  }
  const resources = resourcesWithWeights(s.resources);
  validateResources(resources, 'scoringStrategy.resources');
  const shape = s.requestedToCapacityRatio?.shape ?? [];
  if (type === 'RequestedToCapacityRatio') validateShape(shape);
  return { ignoredResources: a?.ignoredResources ?? [], ignoredResourceGroups: a?.ignoredResourceGroups ?? [], scoringStrategy: { type, resources, shape } };
}

export function completeBalancedAllocationArgs(a: NodeResourcesBalancedAllocationArgs | undefined): { resources: Required<ResourceSpec>[] } {
  const resources = resourcesWithWeights(a?.resources);
  validateResources(resources, 'resources');
  return { resources };
}

function validateResources(rs: Required<ResourceSpec>[], path: string): void {
  rs.forEach((r, i) => {
    if (r.weight <= 0 || r.weight > 100) throw new Error(`${path}[${i}].weight: Invalid value: ${r.weight}: resource weight of ${r.name} should be in the range of 1-100`);
  });
}

function validateShape(shape: UtilizationShapePoint[]): void {
  const path = 'scoringStrategy.requestedToCapacityRatio.shape';
  if (shape.length === 0) throw new Error(`${path}: Required value: at least one point must be specified`);
  shape.forEach((p, i) => {
    if (p.utilization < 0 || p.utilization > 100) throw new Error(`${path}[${i}].utilization: Invalid value: ${p.utilization}: not in valid range [0, 100]`);
    if (i > 0 && p.utilization <= shape[i - 1].utilization) throw new Error(`${path}[${i}].utilization: Invalid value: ${p.utilization}: utilization values must be sorted in increasing order`);
    if (p.score < 0 || p.score > MaxCustomPriorityScore) throw new Error(`${path}[${i}].score: Invalid value: ${p.score}: not in valid range [0, 10]`);
  });
}
