// DefaultStorageClass (upstream plugin/pkg/admission/storage/storageclass/setdefault): a new
// PersistentVolumeClaim that names no storage class gets the default one (the StorageClass annotated
// storageclass.kubernetes.io/is-default-class=true; the newest when several are). An explicit "" stays.

import type * as corev1 from '../../../api/generated/core/v1.js';
import type { AdmissionPlugin } from '../interface.js';
import type { ObjectReader } from '../object-reader.js';
import type { APIObject } from '../../registry/strategy.js';

export const defaultStorageClassPluginName = 'DefaultStorageClass';

/** The default among objects flagged by `annotations` = "true": newest first, then by name (upstream's tie-break). */
export function newestDefault(objects: readonly APIObject[], annotations: readonly string[]): APIObject | undefined {
  const defaults = objects.filter((o) => annotations.some((a) => o.metadata?.annotations?.[a] === 'true'));
  defaults.sort((a, b) => (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  return defaults[0];
}

export function newDefaultStorageClass(opts: { reader: ObjectReader }): AdmissionPlugin {
  return {
    name: defaultStorageClassPluginName,
    handles: (op) => op === 'CREATE',
    async admit(attrs) {
      if (attrs.resource.group !== '' || attrs.resource.resource !== 'persistentvolumeclaims' || attrs.subresource !== '' || !attrs.object) return;
      const spec = ((attrs.object as corev1.PersistentVolumeClaim).spec ??= {});
      if (spec.storageClassName !== undefined && spec.storageClassName !== null) return;
      const classes = await opts.reader.list({ group: 'storage.k8s.io', resource: 'storageclasses' });
      const def = newestDefault(classes, ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class']);
      if (def?.metadata?.name) spec.storageClassName = def.metadata.name;
    },
  };
}
