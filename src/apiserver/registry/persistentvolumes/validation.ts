// PersistentVolumes (upstream ValidatePersistentVolume, a subset): access modes and capacity required, exactly
// one volume source. The object starts Pending (status subresource), as before.

import { forbidden, notSupported, required, type FieldError } from '../../../apimachinery/field-error.js';
import { asObject } from '../object-paths.js';
import { statusStrategy } from '../spec-status.js';
import type { APIObject, ResourceStrategy } from '../strategy.js';

const accessModes = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

/** The PersistentVolumeSpec fields that name where the volume lives. */
const volumeSources = [
  'gcePersistentDisk', 'awsElasticBlockStore', 'hostPath', 'glusterfs', 'nfs', 'rbd', 'quobyte', 'cephfs', 'iscsi', 'cinder',
  'fc', 'flocker', 'flexVolume', 'azureFile', 'vsphereVolume', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO',
  'local', 'storageos', 'csi',
];

function validatePersistentVolume(obj: APIObject): FieldError[] {
  const spec = asObject(obj.spec) ?? {};
  const errs: FieldError[] = [];
  const modes = Array.isArray(spec.accessModes) ? spec.accessModes : [];
  if (modes.length === 0) errs.push(required('spec.accessModes'));
  for (const m of modes) if (!accessModes.includes(m as string)) errs.push(notSupported('spec.accessModes', m, accessModes));
  if (Object.keys(asObject(spec.capacity) ?? {}).length === 0) errs.push(required('spec.capacity'));
  let sources = 0;
  for (const s of volumeSources) {
    if (spec[s] === undefined || spec[s] === null) continue;
    if (sources > 0) errs.push(forbidden(`spec.${s}`, 'may not specify more than 1 volume type'));
    sources++;
  }
  if (sources === 0) errs.push(required('spec', 'must specify a volume type'));
  return errs;
}

const base = statusStrategy({ hasGeneration: false, initialStatus: () => ({ phase: 'Pending' }) });

export const persistentVolumeStrategy: ResourceStrategy = {
  ...base,
  validate: validatePersistentVolume,
  validateUpdate: validatePersistentVolume,
};
