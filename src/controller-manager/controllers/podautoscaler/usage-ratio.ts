// Replica proposals from one total usage instead of per-pod samples: Object metrics and External metrics
// (upstream replica_calculator.go GetObjectMetricReplicas, GetObjectPerPodMetricReplicas,
// GetExternalMetricReplicas, GetExternalPerPodMetricReplicas and getUsageRatioReplicaCount).
import type { CalculatorPod, ReplicaCalculatorOptions } from './replica-calculator.js';
import { noPods } from './replica-calculator.js';

/** A proposal from a total usage, or why it could not be made. `usage` is what the status reports (milli-units). */
export type UsageProposal = { ok: true; replicas: number; usage: number } | { ok: false; message: string };

/** Running pods whose Ready condition is True (upstream getReadyPodsCount). */
export function readyPodCount(pods: readonly CalculatorPod[]): number | { error: string } {
  if (pods.length === 0) return { error: noPods };
  let ready = 0;
  for (const pod of pods) {
    const condition = pod.status?.conditions?.find((c) => c.type === 'Ready');
    if (pod.status?.phase === 'Running' && condition?.status === 'True') ready++;
  }
  return ready;
}

/**
 * A Value target (Object with target.type Value, External with target.value): usage ÷ target scales the ready
 * pods. With no replicas running the ratio alone decides, so an HPA with minReplicas 0 can scale from zero.
 */
export function usageRatioReplicas(
  args: { currentReplicas: number; usage: number; target: number; pods: readonly CalculatorPod[] },
  options: ReplicaCalculatorOptions,
): UsageProposal {
  const ratio = args.usage / args.target;
  if (args.currentReplicas === 0) return { ok: true, replicas: Math.ceil(ratio), usage: args.usage };
  if (Math.abs(1 - ratio) <= options.tolerance) return { ok: true, replicas: args.currentReplicas, usage: args.usage };
  const ready = readyPodCount(args.pods);
  if (typeof ready !== 'number') return { ok: false, message: `unable to calculate ready pods: ${ready.error}` };
  return { ok: true, replicas: Math.ceil(ratio * ready), usage: args.usage };
}

/**
 * An AverageValue target over a total (Object with target.type AverageValue, External with target.averageValue):
 * the total divided by the target gives the replicas, unless the per-replica ratio is within tolerance of 1.
 * The usage reported is the total per current replica, rounded up (the total itself when none is running,
 * where upstream's integer conversion of an infinite quotient is undefined).
 */
export function perPodReplicas(args: { statusReplicas: number; usage: number; targetAverage: number }, options: ReplicaCalculatorOptions): { replicas: number; usage: number } {
  const { statusReplicas, usage, targetAverage } = args;
  let replicas = statusReplicas;
  const ratio = usage / (targetAverage * statusReplicas);
  if (!(Math.abs(1 - ratio) <= options.tolerance)) replicas = Math.ceil(usage / targetAverage);
  return { replicas, usage: statusReplicas > 0 ? Math.ceil(usage / statusReplicas) : usage };
}
