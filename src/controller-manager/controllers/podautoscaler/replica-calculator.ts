// The HPA's replica calculator: from per-pod metric samples and the target's pods, the replica count a metric
// proposes (upstream pkg/controller/podautoscaler/replica_calculator.go semantics, written for k8ts).
import { parseQuantity } from '../../../apimachinery/quantity/parse.js';

/** One pod's sample of a metric, in milli-units (millicores for cpu, milli-bytes for memory). */
export interface PodMetric {
  value: number;
  /** When the sample was taken (ms since the epoch). */
  timestamp: number;
  /** The window the sample covers (ms). */
  windowMs: number;
}

/** The pod fields the calculator reads (a structural subset of core/v1 Pod). */
export interface CalculatorPod {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { containers: { name: string; resources?: { requests?: Record<string, string> } }[] };
  status?: {
    phase?: string;
    startTime?: string;
    conditions?: { type: string; status: string; lastTransitionTime?: string }[];
  };
}

/** Tuning shared by every calculation; the controller manager's --horizontal-pod-autoscaler-* flags. */
export interface ReplicaCalculatorOptions {
  /** Ratios within 1 ± tolerance keep the current size (default 0.1). */
  tolerance: number;
  /** Cpu samples of pods younger than this are trusted only once ready for a full window (default 5 min). */
  cpuInitializationPeriodMs: number;
  /** A pod that turned unready this soon after start never became ready (default 30 s). */
  delayOfInitialReadinessStatusMs: number;
}

export const defaultReplicaCalculatorOptions: ReplicaCalculatorOptions = {
  tolerance: 0.1,
  cpuInitializationPeriodMs: 5 * 60_000,
  delayOfInitialReadinessStatusMs: 30_000,
};

/** A metric's proposal, or why it could not make one. */
export type ReplicaProposal =
  | { ok: true; replicas: number; utilization?: number; rawAverageValue: number; timestamp: number }
  | { ok: false; message: string };

export interface ResourceCalculation {
  currentReplicas: number;
  /** Samples keyed by pod name; the calculator does not modify the map given. */
  metrics: Map<string, PodMetric>;
  pods: CalculatorPod[];
  resource: string;
  /** Only this container's requests and samples count (ContainerResource metrics). */
  container?: string;
  now: number;
}

interface PodGroups {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

/** Splits pods as upstream's groupPods: ignored (deleting/failed), unready, missing a sample, or ready. */
export function groupPods(pods: CalculatorPod[], metrics: Map<string, PodMetric>, resource: string, options: ReplicaCalculatorOptions, now: number): PodGroups {
  const groups: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = pod.metadata.name;
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed') { groups.ignored.add(name); continue; }
    if (pod.status?.phase === 'Pending') { groups.unready.add(name); continue; }
    const metric = metrics.get(name);
    if (!metric) { groups.missing.add(name); continue; }
    if (resource === 'cpu') {
      const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
      const startTime = pod.status?.startTime ? Date.parse(pod.status.startTime) : undefined;
      let unready: boolean;
      if (!ready || startTime === undefined) {
        unready = true;
      } else {
        const transition = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : 0;
        if (startTime + options.cpuInitializationPeriodMs > now) {
          // Young pod: distrust its sample unless it is ready and a whole window passed since it became so.
          unready = ready.status === 'False' || metric.timestamp < transition + metric.windowMs;
        } else {
          // Older pod: ignore it only if it is unready and was never ready.
          unready = ready.status === 'False' && startTime + options.delayOfInitialReadinessStatusMs > transition;
        }
      }
      if (unready) { groups.unready.add(name); continue; }
    }
    groups.readyPodCount++;
  }
  return groups;
}

/** Sums each pod's container requests for a resource in milli-units; a container without one is an error. */
export function calculatePodRequests(pods: CalculatorPod[], resource: string, container?: string): Map<string, number> | { error: string } {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    let total = 0;
    for (const c of pod.spec.containers) {
      if (container !== undefined && c.name !== container) continue;
      const text = c.resources?.requests?.[resource];
      const quantity = text === undefined ? undefined : parseQuantity(text).quantity;
      if (!quantity) return { error: `missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}` };
      total += Number(quantity.milliValue());
    }
    requests.set(pod.metadata.name, total);
  }
  return requests;
}

/** Usage ÷ request over pods with both, as upstream's GetResourceUtilizationRatio (utilization is a whole percent). */
export function resourceUtilizationRatio(metrics: Map<string, PodMetric>, requests: Map<string, number>, targetUtilization: number):
  { ratio: number; utilization: number; rawAverageValue: number } | { error: string } {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entities = 0;
  for (const [name, metric] of metrics) {
    const request = requests.get(name);
    if (request === undefined) continue;
    metricsTotal += metric.value;
    requestsTotal += request;
    entities++;
  }
  if (requestsTotal === 0) return { error: 'no metrics returned matched known pods' };
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / targetUtilization, utilization, rawAverageValue: Math.trunc(metricsTotal / entities) };
}

function averageUsageRatio(metrics: Map<string, PodMetric>, targetUsage: number): { ratio: number; usage: number } {
  let total = 0;
  for (const m of metrics.values()) total += m.value;
  const usage = Math.trunc(total / metrics.size);
  return { ratio: usage / targetUsage, usage };
}

function withoutPods(metrics: Map<string, PodMetric>, ...sets: Set<string>[]): Map<string, PodMetric> {
  const kept = new Map(metrics);
  for (const set of sets) for (const name of set) kept.delete(name);
  return kept;
}

export const noPods = 'no pods returned by selector while calculating replica count';
const noMetrics = 'did not receive metrics for targeted pods (pods might be unready)';
const noReadyMetrics = 'did not receive metrics for any ready pods';

/**
 * The shared second pass: once missing pods are assumed at a conservative value and unready pods at zero, the
 * proposal holds only if it still points the same way as the first ratio and leaves the tolerance band.
 */
function settle(args: { currentReplicas: number; ratio: number; newRatio: number; samples: number; tolerance: number }): number {
  const { currentReplicas, ratio, newRatio, samples, tolerance } = args;
  if (Math.abs(1 - newRatio) <= tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return currentReplicas;
  const replicas = Math.ceil(newRatio * samples);
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas)) return currentReplicas;
  return replicas;
}

/** Replicas for a Resource/ContainerResource metric with a target averageUtilization (percent of request). */
export function resourceReplicas(calc: ResourceCalculation, targetUtilization: number, options: ReplicaCalculatorOptions): ReplicaProposal {
  if (calc.pods.length === 0) return { ok: false, message: noPods };
  const groups = groupPods(calc.pods, calc.metrics, calc.resource, options, calc.now);
  const metrics = withoutPods(calc.metrics, groups.ignored, groups.unready);
  if (metrics.size === 0) return { ok: false, message: noMetrics };
  const requests = calculatePodRequests(calc.pods, calc.resource, calc.container);
  if ('error' in requests) return { ok: false, message: requests.error };
  const first = resourceUtilizationRatio(metrics, requests, targetUtilization);
  if ('error' in first) return { ok: false, message: first.error };
  const timestamp = oldestTimestamp(metrics);
  const done = (replicas: number): ReplicaProposal => ({ ok: true, replicas, utilization: first.utilization, rawAverageValue: first.rawAverageValue, timestamp });
  const scaleUpWithUnready = groups.unready.size > 0 && first.ratio > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (Math.abs(1 - first.ratio) <= options.tolerance) return done(calc.currentReplicas);
    return done(Math.ceil(first.ratio * groups.readyPodCount));
  }
  if (first.ratio < 1) {
    const fallback = Math.max(100, targetUtilization);
    for (const name of groups.missing) metrics.set(name, { value: Math.trunc(((requests.get(name) ?? 0) * fallback) / 100), timestamp, windowMs: 0 });
  } else if (first.ratio > 1) {
    for (const name of groups.missing) metrics.set(name, { value: 0, timestamp, windowMs: 0 });
  }
  if (scaleUpWithUnready) for (const name of groups.unready) metrics.set(name, { value: 0, timestamp, windowMs: 0 });
  const second = resourceUtilizationRatio(metrics, requests, targetUtilization);
  if ('error' in second) return { ok: false, message: second.error };
  return done(settle({ currentReplicas: calc.currentReplicas, ratio: first.ratio, newRatio: second.ratio, samples: metrics.size, tolerance: options.tolerance }));
}

/** Replicas for a per-pod average target in milli-units (Resource averageValue, Pods metrics). */
export function plainMetricReplicas(calc: ResourceCalculation, targetAverageMilli: number, options: ReplicaCalculatorOptions): ReplicaProposal {
  if (calc.pods.length === 0) return { ok: false, message: noPods };
  const groups = groupPods(calc.pods, calc.metrics, calc.resource, options, calc.now);
  const metrics = withoutPods(calc.metrics, groups.ignored, groups.unready);
  if (metrics.size === 0) return { ok: false, message: noReadyMetrics };
  const first = averageUsageRatio(metrics, targetAverageMilli);
  const timestamp = oldestTimestamp(metrics);
  const done = (replicas: number): ReplicaProposal => ({ ok: true, replicas, rawAverageValue: first.usage, timestamp });
  const scaleUpWithUnready = groups.unready.size > 0 && first.ratio > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (Math.abs(1 - first.ratio) <= options.tolerance) return done(calc.currentReplicas);
    return done(Math.ceil(first.ratio * groups.readyPodCount));
  }
  if (first.ratio < 1) {
    for (const name of groups.missing) metrics.set(name, { value: targetAverageMilli, timestamp, windowMs: 0 });
  } else {
    for (const name of groups.missing) metrics.set(name, { value: 0, timestamp, windowMs: 0 });
  }
  if (scaleUpWithUnready) for (const name of groups.unready) metrics.set(name, { value: 0, timestamp, windowMs: 0 });
  const second = averageUsageRatio(metrics, targetAverageMilli);
  return done(settle({ currentReplicas: calc.currentReplicas, ratio: first.ratio, newRatio: second.ratio, samples: metrics.size, tolerance: options.tolerance }));
}

function oldestTimestamp(metrics: Map<string, PodMetric>): number {
  let oldest = Infinity;
  for (const m of metrics.values()) if (m.timestamp < oldest) oldest = m.timestamp;
  return oldest;
}
