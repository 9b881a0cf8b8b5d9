// PriorityClasses (upstream pkg/apis/scheduling/validation): the system- prefix is reserved for the two built-in
// classes with their fixed values, user classes stay at or below one billion, and the value never changes.

import { forbidden, type FieldError } from '../../../apimachinery/field-error.js';
import { validateImmutableField } from '../../../apimachinery/validation/object-meta.js';
import type { APIObject, ResourceStrategy } from '../strategy.js';

/** upstream scheduling.HighestUserDefinablePriority. */
export const highestUserDefinablePriority = 1_000_000_000;

/** The system priority classes and their values (upstream scheduling.SystemPriorityClasses). */
export const systemPriorityClasses: Readonly<Record<string, number>> = {
  'system-node-critical': 2_000_001_000,
  'system-cluster-critical': 2_000_000_000,
};

const systemPrefix = 'system-';

/** Why `name` with `value`/`globalDefault` is not a known system class (upstream IsKnownSystemPriorityClass). */
function systemClassError(name: string, value: unknown, globalDefault: unknown): string | undefined {
  const want = systemPriorityClasses[name];
  if (want === undefined) return `${name} is not a known system priority class`;
  if (value !== want) return `value of ${name} PriorityClass must be ${want}`;
  if (globalDefault === true) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

function validatePriorityClass(obj: APIObject): FieldError[] {
  const name = obj.metadata?.name ?? '';
  if (name.startsWith(systemPrefix)) {
    const err = systemClassError(name, obj.value, obj.globalDefault);
    return err ? [forbidden('metadata.name', `priority class names with '${systemPrefix}' prefix are reserved for system use only. error: ${err}`)] : [];
  }
  if (typeof obj.value === 'number' && obj.value > highestUserDefinablePriority) {
    return [forbidden('value', `maximum allowed value of a user defined priority is ${highestUserDefinablePriority}`)];
  }
  return [];
}

function validatePriorityClassUpdate(obj: APIObject, old: APIObject): FieldError[] {
  const errs: FieldError[] = [];
  if (obj.value !== old.value) errs.push(forbidden('value', 'may not be changed in an update.'));
  errs.push(...validateImmutableField(obj.preemptionPolicy, old.preemptionPolicy, 'preemptionPolicy'));
  return errs;
}

export const priorityClassStrategy: ResourceStrategy = {
  hasGeneration: false,
  validate: validatePriorityClass,
  validateUpdate: (obj, old) => [...validatePriorityClass(obj), ...validatePriorityClassUpdate(obj, old)],
};
