// PersistentVolumeClaims (upstream pkg/registry/core/persistentvolumeclaim): Pending on create, access modes
// and a storage request required, and a spec that only grows its storage request once the claim exists.

import { forbidden, notSupported, required, type FieldError } from '../../../apimachinery/field-error.js';
import { asObject, cloneJSON, equalJSON, readPath } from '../object-paths.js';
import { keepStatus } from '../spec-status.js';
import type { APIObject, ResourceStrategy } from '../strategy.js';

const accessModes = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

function validateClaimSpec(obj: APIObject): FieldError[] {
  const errs: FieldError[] = [];
  const modes = readPath(obj, 'spec.accessModes');
  if (!Array.isArray(modes) || modes.length === 0) errs.push(required('spec.accessModes', 'at least 1 access mode is required'));
  else modes.forEach((m) => {
    if (!accessModes.includes(m as string)) errs.push(notSupported('spec.accessModes', m, accessModes));
  });
  // A claim bound by name to a pre-made volume may omit the request; one to be provisioned may not.
  if (readPath(obj, 'spec.resources.requests.storage') === undefined && !readPath(obj, 'spec.volumeName')) {
    errs.push(required('spec.resources[storage]'));
  }
  return errs;
}

/** After creation only resources.requests, volumeName (binding) and volumeAttributesClassName may change. */
function validateClaimUpdate(obj: APIObject, old: APIObject): FieldError[] {
  const spec = cloneJSON(asObject(obj.spec) ?? {});
  const oldSpec = asObject(old.spec) ?? {};
  const resources = asObject(spec.resources);
  if (resources) resources.requests = asObject(oldSpec.resources)?.requests;
  if (!oldSpec.volumeName) spec.volumeName = oldSpec.volumeName;
  spec.volumeAttributesClassName = oldSpec.volumeAttributesClassName;
  if (equalJSON(spec, oldSpec)) return [];
  return [forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims')];
}

export const persistentVolumeClaimStrategy: ResourceStrategy = {
  hasStatusSubresource: true,
  hasGeneration: false,
  prepareForCreate(obj) {
    obj.status = { phase: 'Pending' };
    const spec = asObject(obj.spec);
    if (spec) spec.volumeMode ??= 'Filesystem';
  },
  prepareForUpdate(obj, old) {
    keepStatus(obj, old);
    const spec = asObject(obj.spec);
    if (spec) spec.volumeMode ??= 'Filesystem';
  },
  validate: validateClaimSpec,
  validateUpdate(obj, old) {
    return [...validateClaimSpec(obj), ...validateClaimUpdate(obj, old)];
  },
};
