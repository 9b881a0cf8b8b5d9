// StorageClasses (upstream pkg/apis/storage/validation ValidateStorageClass / ValidateStorageClassUpdate): a
// qualified provisioner name, supported reclaim policy and binding mode; parameters, provisioner, reclaim
// policy and binding mode fixed after creation.

import { forbidden, invalid, notSupported, required, type FieldError } from '../../../apimachinery/field-error.js';
import { validateImmutableField } from '../../../apimachinery/validation/object-meta.js';
import { isQualifiedName } from '../../../apimachinery/validation/names.js';
import { equalJSON } from '../object-paths.js';
import type { APIObject, ResourceStrategy } from '../strategy.js';

const reclaimPolicies = ['Delete', 'Retain'];
const bindingModes = ['Immediate', 'WaitForFirstConsumer'];
/** upstream maxProvisionerParameterLen. */
const maxParameters = 512;

function validateStorageClass(obj: APIObject): FieldError[] {
  const errs: FieldError[] = [];
  const provisioner = typeof obj.provisioner === 'string' ? obj.provisioner : '';
  if (provisioner === '') errs.push(required('provisioner'));
  else for (const msg of isQualifiedName(provisioner.toLowerCase())) errs.push(invalid('provisioner', provisioner, msg));
  const params = obj.parameters && typeof obj.parameters === 'object' ? Object.keys(obj.parameters) : [];
  if (params.length > maxParameters) {
    errs.push({ type: 'FieldValueTooLong', field: 'parameters', detail: `Too long: Provisioner Parameters exceeded max allowed: may not be more than ${maxParameters} items` });
  }
  if (obj.reclaimPolicy !== undefined && !reclaimPolicies.includes(obj.reclaimPolicy as string)) {
    errs.push(notSupported('reclaimPolicy', obj.reclaimPolicy, reclaimPolicies));
  }
  if (obj.volumeBindingMode === undefined || obj.volumeBindingMode === null) errs.push(required('volumeBindingMode'));
  else if (!bindingModes.includes(obj.volumeBindingMode as string)) errs.push(notSupported('volumeBindingMode', obj.volumeBindingMode, bindingModes));
  return errs;
}

function validateStorageClassUpdate(obj: APIObject, old: APIObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!equalJSON(obj.parameters ?? {}, old.parameters ?? {})) errs.push(forbidden('parameters', 'updates to parameters are forbidden.'));
  if ((obj.provisioner ?? '') !== (old.provisioner ?? '')) errs.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if ((obj.reclaimPolicy ?? '') !== (old.reclaimPolicy ?? '')) errs.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  errs.push(...validateImmutableField(obj.volumeBindingMode, old.volumeBindingMode, 'volumeBindingMode'));
  return errs;
}

export const storageClassStrategy: ResourceStrategy = {
  hasGeneration: false,
  validate: validateStorageClass,
  validateUpdate: (obj, old) => [...validateStorageClass(obj), ...validateStorageClassUpdate(obj, old)],
};
