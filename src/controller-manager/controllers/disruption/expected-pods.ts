// How many pods a PodDisruptionBudget expects and needs healthy (upstream disruption controller's
// getExpectedPodCount/getExpectedScale): minAvailable as a number counts the selected pods; percentages and
// maxUnavailable scale against the replicas of the pods' controllers.
import type * as corev1 from '../../../api/generated/core/v1.js';
import type * as policyv1 from '../../../api/generated/policy/v1.js';
import type { Typed } from '../../../client/typed.js';

type Pod = Typed<corev1.Pod>;

export type IntOrString = number | string;

/**
 * upstream GetScaledValueFromIntOrPercent: a number as is; "N%" of `total`, rounded up or down. Throws
 * for strings that are not percentages.
 */
export function scaledValue(v: IntOrString, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/**
 * A pod's controller and the replicas it wants; undefined when the pod has no controller (unmanaged),
 * 'not-found' when its controller cannot be found or has no scale.
 */
export type ScaleOf = (pod: Pod) => Promise<{ controllerUID: string; replicas: number } | undefined | 'not-found'>;

export interface ExpectedCount {
  expectedCount: number;
  desiredHealthy: number;
  /** Pods without a controller, ignored for percentage budgets (upstream warns about them). */
  unmanagedPods: string[];
}

/** Rejects with "found no controllers for pod …" when a pod's controller cannot be resolved. */
export async function expectedPodCount(spec: policyv1.PodDisruptionBudgetSpec, pods: Pod[], scaleOf: ScaleOf): Promise<ExpectedCount> {
  const expectedScale = async (): Promise<{ total: number; unmanaged: string[] }> => {
    const seen = new Map<string, number>();
    const unmanaged: string[] = [];
    for (const pod of pods) {
      const s = await scaleOf(pod);
      if (s === undefined) {
        unmanaged.push(pod.metadata?.name ?? '');
        continue;
      }
      if (s === 'not-found') throw new Error(`found no controllers for pod "${pod.metadata?.name}"`);
      seen.set(s.controllerUID, s.replicas);
    }
    return { total: [...seen.values()].reduce((a, b) => a + b, 0), unmanaged };
  };
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    const { total, unmanaged } = await expectedScale();
    const maxUnavailable = scaledValue(spec.maxUnavailable, total, true);
    return { expectedCount: total, desiredHealthy: Math.max(0, total - maxUnavailable), unmanagedPods: unmanaged };
  }
  if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    if (typeof spec.minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: spec.minAvailable, unmanagedPods: [] };
    const { total, unmanaged } = await expectedScale();
    return { expectedCount: total, desiredHealthy: scaledValue(spec.minAvailable, total, true), unmanagedPods: unmanaged };
  }
  return { expectedCount: pods.length, desiredHealthy: 0, unmanagedPods: [] };
}
