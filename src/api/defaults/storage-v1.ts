// Defaulters of storage.k8s.io/v1 (upstream pkg/apis/storage/v1/defaults.go plus the core/v1 volume
// source defaults inside a VolumeAttachment's inline PersistentVolumeSpec).
import { defaultNil, isEmpty, objectAt, objectField, type JSONObject } from './fields.js';
import { defaultPersistentVolumeSource } from './volumes.js';

/** Upstream SetDefaults_StorageClass: dynamically provisioned volumes are deleted with their claim and bound at once. */
export function defaultStorageClass(obj: JSONObject): void {
  defaultNil(obj, 'reclaimPolicy', 'Delete');
  defaultNil(obj, 'volumeBindingMode', 'Immediate');
}

/** Upstream SetDefaults_CSIDriver (every gate it consults is on by default in 1.36). */
export function defaultCSIDriver(obj: JSONObject): void {
  const spec = objectField(obj, 'spec');
  if (!spec) return;
  defaultNil(spec, 'attachRequired', true);
  defaultNil(spec, 'podInfoOnMount', false);
  defaultNil(spec, 'storageCapacity', false);
  defaultNil(spec, 'fsGroupPolicy', 'ReadWriteOnceWithFSType');
  if (isEmpty(spec.volumeLifecycleModes)) spec.volumeLifecycleModes = ['Persistent'];
  defaultNil(spec, 'requiresRepublish', false);
  defaultNil(spec, 'seLinuxMount', false);
}

export function defaultVolumeAttachment(obj: JSONObject): void {
  const inline = objectAt(obj, 'spec', 'source', 'inlineVolumeSpec');
  if (inline) defaultPersistentVolumeSource(inline);
}
