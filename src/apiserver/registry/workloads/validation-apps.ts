// apps/v1 spec checks beyond selector and template (upstream ValidateDeploymentSpec, ValidateDaemonSetSpec,
// ValidateStatefulSetSpec): update strategies, rolling-update int-or-percent bounds, non-negative counters.

import { forbidden, invalid, notSupported, required, type FieldError } from '../../../apimachinery/field-error.js';
import { validateNonnegativeField } from '../../../apimachinery/validation/object-meta.js';
import { asObject, type JSONObject } from '../object-paths.js';

const percentMessage =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/** `Invalid value: -1: must be greater than or equal to 0` for each of `fields` of `spec` that is negative. */
export function nonNegative(spec: JSONObject, fields: string[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of fields) {
    const v = spec[f];
    if (typeof v === 'number') errs.push(...validateNonnegativeField(v, `${path}.${f}`));
  }
  return errs;
}

/** An int-or-string's number: the integer, or a percent string's digits; 0 for anything else. */
function intOrPercentValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[0-9]+%$/.test(v)) return Number(v.slice(0, -1));
  return 0;
}

/** upstream ValidatePositiveIntOrPercent: a percent string, or a non-negative integer. */
function validatePositiveIntOrPercent(v: unknown, path: string): FieldError[] {
  if (typeof v === 'string') return /^[0-9]+%$/.test(v) ? [] : [invalid(path, v, percentMessage)];
  if (typeof v === 'number') return validateNonnegativeField(v, path);
  return [];
}

/** upstream IsNotMoreThan100Percent. */
function notMoreThan100Percent(v: unknown, path: string): FieldError[] {
  return typeof v === 'string' && /^[0-9]+%$/.test(v) && intOrPercentValue(v) > 100 ? [invalid(path, v, 'must not be greater than 100%')] : [];
}

function validateDeploymentStrategy(strategy: JSONObject, path: string): FieldError[] {
  const rollingUpdate = asObject(strategy.rollingUpdate);
  switch (strategy.type) {
    case 'Recreate':
      return rollingUpdate ? [forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate': {
      if (!rollingUpdate) return [required(`${path}.rollingUpdate`, 'this should be defaulted and never be nil')];
      const ru = `${path}.rollingUpdate`;
      const errs = [
        ...validatePositiveIntOrPercent(rollingUpdate.maxUnavailable, `${ru}.maxUnavailable`),
        ...validatePositiveIntOrPercent(rollingUpdate.maxSurge, `${ru}.maxSurge`),
      ];
      if (intOrPercentValue(rollingUpdate.maxUnavailable) === 0 && intOrPercentValue(rollingUpdate.maxSurge) === 0) {
        errs.push(invalid(`${ru}.maxUnavailable`, rollingUpdate.maxUnavailable ?? null, 'may not be 0 when `maxSurge` is 0'));
      }
      errs.push(...notMoreThan100Percent(rollingUpdate.maxUnavailable, `${ru}.maxUnavailable`));
      return errs;
    }
    default:
      // The schema-driven check reports unsupported types.
      return [];
  }
}

/** A Deployment's strategy, counters, and progress deadline (after defaulting). */
export function validateDeploymentSpecFields(spec: JSONObject): FieldError[] {
  const errs = validateDeploymentStrategy(asObject(spec.strategy) ?? {}, 'spec.strategy');
  errs.push(...nonNegative(spec, ['minReadySeconds', 'revisionHistoryLimit', 'progressDeadlineSeconds'], 'spec'));
  const deadline = spec.progressDeadlineSeconds;
  const minReady = typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0;
  if (typeof deadline === 'number' && deadline >= 0 && deadline <= minReady) {
    errs.push(invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'));
  }
  return errs;
}

/** A DaemonSet's update strategy (exactly one of maxSurge/maxUnavailable non-zero) and counters. */
export function validateDaemonSetSpecFields(spec: JSONObject): FieldError[] {
  const errs = nonNegative(spec, ['minReadySeconds', 'revisionHistoryLimit'], 'spec');
  const strategy = asObject(spec.updateStrategy) ?? {};
  const rollingUpdate = asObject(strategy.rollingUpdate);
  if (strategy.type !== 'RollingUpdate' || !rollingUpdate) return errs;
  const ru = 'spec.updateStrategy.rollingUpdate';
  errs.push(
    ...validatePositiveIntOrPercent(rollingUpdate.maxUnavailable, `${ru}.maxUnavailable`),
    ...validatePositiveIntOrPercent(rollingUpdate.maxSurge, `${ru}.maxSurge`),
    ...notMoreThan100Percent(rollingUpdate.maxUnavailable, `${ru}.maxUnavailable`),
    ...notMoreThan100Percent(rollingUpdate.maxSurge, `${ru}.maxSurge`),
  );
  const hasUnavailable = intOrPercentValue(rollingUpdate.maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(rollingUpdate.maxSurge) !== 0;
  if (hasUnavailable && hasSurge) errs.push(invalid(`${ru}.maxSurge`, rollingUpdate.maxSurge, 'may not be set when maxUnavailable is non-zero'));
  else if (!hasUnavailable && !hasSurge) errs.push(invalid(`${ru}.maxUnavailable`, rollingUpdate.maxUnavailable ?? null, 'cannot be 0 when maxSurge is 0'));
  return errs;
}

const retentionPolicies = ['Retain', 'Delete'];

/** A StatefulSet's partition, counters and PVC retention policy. */
export function validateStatefulSetSpecFields(spec: JSONObject): FieldError[] {
  const errs = nonNegative(spec, ['minReadySeconds', 'revisionHistoryLimit'], 'spec');
  const rollingUpdate = asObject(asObject(spec.updateStrategy)?.rollingUpdate);
  if (rollingUpdate) errs.push(...nonNegative(rollingUpdate, ['partition'], 'spec.updateStrategy.rollingUpdate'));
  const retention = asObject(spec.persistentVolumeClaimRetentionPolicy);
  for (const f of ['whenDeleted', 'whenScaled']) {
    const v = retention?.[f];
    if (typeof v === 'string' && !retentionPolicies.includes(v)) {
      errs.push(notSupported(`spec.persistentVolumeClaimRetentionPolicy.${f}`, v, retentionPolicies));
    }
  }
  const ordinals = asObject(spec.ordinals);
  if (ordinals) errs.push(...nonNegative(ordinals, ['start'], 'spec.ordinals'));
  return errs;
}
