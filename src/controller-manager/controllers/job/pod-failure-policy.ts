// spec.podFailurePolicy: which rule, if any, a failed pod matches (upstream matchPodFailurePolicy), by
// container exit codes or pod conditions such as DisruptionTarget, and the message the Job then carries.
import type * as batchv1 from '../../../api/generated/batch/v1.js';
import type * as corev1 from '../../../api/generated/core/v1.js';

export type PodFailurePolicyAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';

export interface PodFailurePolicyMatch {
  action: PodFailurePolicyAction;
  /** For FailJob, the message of the Job's failure condition (upstream wording). */
  message: string;
}

/**
 * The first rule the failed pod matches, or undefined (the failure counts against backoffLimit as usual).
 * Exit-code rules look at terminated containers (init containers too) with a non-zero code; condition rules
 * at the pod's conditions (status default "True").
 */
export function matchPodFailurePolicy(policy: batchv1.PodFailurePolicy | undefined, pod: corev1.Pod): PodFailurePolicyMatch | undefined {
  if (!policy) return undefined;
  const ref = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
  for (const [index, rule] of policy.rules.entries()) {
    const action = rule.action as PodFailurePolicyAction;
    if (rule.onExitCodes) {
      const container = matchingContainer(rule.onExitCodes, pod);
      if (container) {
        return { action, message: `Container ${container.name} for pod ${ref} failed with exit code ${container.exitCode} matching ${action} rule at index ${index}` };
      }
    }
    for (const pattern of rule.onPodConditions ?? []) {
      const want = pattern.status ?? 'True';
      if (pod.status?.conditions?.some((c) => c.type === pattern.type && c.status === want)) {
        return { action, message: `Pod ${ref} has condition ${pattern.type} matching ${action} rule at index ${index}` };
      }
    }
  }
  return undefined;
}

function matchingContainer(req: batchv1.PodFailurePolicyOnExitCodesRequirement, pod: corev1.Pod): { name: string; exitCode: number } | undefined {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const s of statuses) {
    if (req.containerName && req.containerName !== s.name) continue;
    const exitCode = s.state?.terminated?.exitCode;
    if (exitCode === undefined || exitCode === 0) continue;
    const listed = req.values.includes(exitCode);
    if (req.operator === 'In' ? listed : !listed) return { name: s.name, exitCode };
  }
  return undefined;
}
