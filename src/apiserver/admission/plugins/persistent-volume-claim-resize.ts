// PersistentVolumeClaimResize (upstream plugin/pkg/admission/storage/persistentvolume/resize): a claim may
// grow only when it is bound and its StorageClass sets allowVolumeExpansion.

import type * as corev1 from '../../../api/generated/core/v1.js';
import type * as storagev1 from '../../../api/generated/storage/v1.js';
import { parseQuantity } from '../../../apimachinery/quantity/parse.js';
import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionPlugin } from '../interface.js';
import type { ObjectReader } from '../object-reader.js';

export const persistentVolumeClaimResizePluginName = 'PersistentVolumeClaimResize';

/** The claim's class: spec.storageClassName, or the beta annotation older claims carry. */
function claimClass(pvc: corev1.PersistentVolumeClaim | undefined): string {
  return pvc?.spec?.storageClassName ?? pvc?.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '';
}

export function newPersistentVolumeClaimResize(opts: { reader: ObjectReader }): AdmissionPlugin {
  return {
    name: persistentVolumeClaimResizePluginName,
    handles: (op) => op === 'UPDATE',
    async validate(attrs) {
      if (attrs.resource.group !== '' || attrs.resource.resource !== 'persistentvolumeclaims' || attrs.subresource !== '') return;
      const pvc = attrs.object as corev1.PersistentVolumeClaim | undefined;
      const old = attrs.oldObject as corev1.PersistentVolumeClaim | undefined;
      const size = (c: typeof pvc) => parseQuantity(String(c?.spec?.resources?.requests?.storage ?? '0')).quantity;
      const next = size(pvc);
      const before = size(old);
      if (!next || !before || next.cmp(before) <= 0) return;
      if (old?.status?.phase !== 'Bound') throw newAdmissionForbidden(attrs, 'Only bound persistent volume claims can be expanded');
      const cls = claimClass(pvc);
      const sc = cls && cls === claimClass(old) ? ((await opts.reader.get({ group: 'storage.k8s.io', resource: 'storageclasses' }, '', cls)) as storagev1.StorageClass | undefined) : undefined;
      if (!sc?.allowVolumeExpansion) {
        throw newAdmissionForbidden(attrs, 'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize');
      }
    },
  };
}
