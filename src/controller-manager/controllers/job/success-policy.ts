// A Job's successPolicy (upstream pkg/controller/job/success_policy.go): an Indexed Job succeeds as soon as one
// rule holds — every index of its succeededIndexes succeeded, or succeededCount of them did, or (without
// succeededIndexes) succeededCount indexes at all. The Job then gets SuccessCriteriaMet with reason
// SuccessPolicy and `Matched rules at index <i>`, its remaining pods are deleted, and it completes.

import type * as batchv1 from '../../../api/generated/batch/v1.js';
import { parseIndexes } from './indexes.js';

/** The message of the first rule `succeeded` (the completed indexes) satisfies, or undefined. */
export function matchSuccessPolicy(policy: batchv1.SuccessPolicy, completions: number, succeeded: ReadonlySet<number>): string | undefined {
  if (succeeded.size === 0) return undefined;
  for (const [i, rule] of (policy.rules ?? []).entries()) {
    if (rule.succeededIndexes !== undefined && rule.succeededIndexes !== null) {
      const required = parseIndexes(rule.succeededIndexes, completions);
      // A rule whose indexes cannot be parsed never matches (upstream skips it).
      if (required.size === 0) continue;
      let contained = 0;
      for (const index of required) if (succeeded.has(index)) contained++;
      if (contained === required.size || (rule.succeededCount !== undefined && contained >= rule.succeededCount)) return `Matched rules at index ${i}`;
    } else if (rule.succeededCount !== undefined && succeeded.size >= rule.succeededCount) {
      return `Matched rules at index ${i}`;
    }
  }
  return undefined;
}
