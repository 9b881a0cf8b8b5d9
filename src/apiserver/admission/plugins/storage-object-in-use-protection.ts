// StorageObjectInUseProtection (upstream plugin/pkg/admission/storage/storageobjectinuseprotection): every
// new PersistentVolumeClaim and PersistentVolume gets its protection finalizer, so deleting one that a pod (or
// a claim) still uses leaves it Terminating until the pvc-protection / pv-protection controllers see it unused
// and remove the finalizer.

import type { APIObject } from '../../registry/strategy.js';
import type { AdmissionPlugin } from '../interface.js';

export const storageObjectInUseProtectionPluginName = 'StorageObjectInUseProtection';
export const pvcProtectionFinalizer = 'kubernetes.io/pvc-protection';
export const pvProtectionFinalizer = 'kubernetes.io/pv-protection';

const finalizerFor: Readonly<Record<string, string>> = {
  persistentvolumeclaims: pvcProtectionFinalizer,
  persistentvolumes: pvProtectionFinalizer,
};

export function newStorageObjectInUseProtection(): AdmissionPlugin {
  return {
    name: storageObjectInUseProtectionPluginName,
    handles: (op) => op === 'CREATE',
    async admit(attrs) {
      if (attrs.resource.group !== '' || attrs.subresource !== '' || !attrs.object) return;
      const finalizer = finalizerFor[attrs.resource.resource];
      if (!finalizer) return;
      const meta = ((attrs.object as APIObject).metadata ??= {});
      const finalizers = (meta.finalizers as string[] | undefined) ?? [];
      if (!finalizers.includes(finalizer)) meta.finalizers = [...finalizers, finalizer];
    },
  };
}
