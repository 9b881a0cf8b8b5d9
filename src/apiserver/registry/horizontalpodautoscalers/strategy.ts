// HorizontalPodAutoscalers (upstream pkg/registry/autoscaling/horizontalpodautoscaler), served as
// autoscaling/v1 and v2 from one v2 storage: status reset, generation, and v2 defaults on v2 writes.

import { invalid, type FieldError } from '../../../apimachinery/field-error.js';
import { keepStatus } from '../spec-status.js';
import type { APIObject, ResourceStrategy } from '../strategy.js';
import { defaultHPAv2 } from './convert.js';

/** The empty status as each version serialises it (v1 has no omitempty on either replica count). */
function initialStatus(obj: APIObject): Record<string, number> {
  return obj.apiVersion === 'autoscaling/v1' ? { currentReplicas: 0, desiredReplicas: 0 } : { desiredReplicas: 0 };
}

function applyDefaults(obj: APIObject): void {
  if (obj.apiVersion === 'autoscaling/v1') {
    const spec = obj.spec as Record<string, unknown> | undefined;
    if (spec) spec.minReplicas ??= 1;
  } else defaultHPAv2(obj);
}

/** Replica bounds (upstream validateHorizontalPodAutoscalerSpec, scale-to-zero off). */
function validateReplicaBounds(obj: APIObject): FieldError[] {
  const spec = (obj.spec ?? {}) as { minReplicas?: number; maxReplicas?: number };
  const errs: FieldError[] = [];
  const max = spec.maxReplicas ?? 0;
  if (spec.minReplicas !== undefined && spec.minReplicas < 1) errs.push(invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'));
  if (max < 1) errs.push(invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (spec.minReplicas !== undefined && max < spec.minReplicas) {
    errs.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  }
  return errs;
}

export const hpaStrategy: ResourceStrategy = {
  hasStatusSubresource: true,
  hasGeneration: true,
  prepareForCreate(obj) {
    obj.status = initialStatus(obj);
    applyDefaults(obj);
  },
  prepareForUpdate(obj, old) {
    keepStatus(obj, old);
    applyDefaults(obj);
  },
  validate: validateReplicaBounds,
  validateUpdate: validateReplicaBounds,
};
