// PodDisruptionBudgets (upstream pkg/registry/policy/poddisruptionbudget): zeroed status on create,
// generation, and minAvailable / maxUnavailable being mutually exclusive.

import { invalid, type FieldError } from '../../../apimachinery/field-error.js';
import { asObject } from '../object-paths.js';
import { statusStrategy } from '../spec-status.js';
import type { ResourceStrategy } from '../strategy.js';

const base = statusStrategy({
  hasGeneration: true,
  initialStatus: () => ({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }),
});

function validatePDB(spec: Record<string, unknown>): FieldError[] {
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    return [invalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set')];
  }
  return [];
}

export const podDisruptionBudgetStrategy: ResourceStrategy = {
  ...base,
  validate: (obj) => validatePDB(asObject(obj.spec) ?? {}),
  validateUpdate: (obj) => validatePDB(asObject(obj.spec) ?? {}),
};
