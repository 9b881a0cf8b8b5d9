// Defaults of core/v1 volume sources (pod volumes and persistent volume sources) and of claims, shared by
// pods, pod templates, PersistentVolumes, PersistentVolumeClaims, StatefulSet claim templates and
// VolumeAttachments (upstream SetDefaults_Volume, _SecretVolumeSource, _PersistentVolumeClaimSpec, …).
import { defaultPullPolicy } from './image-reference.js';
import { defaultNil, defaultZero, ensureObject, objectAt, objectField, objectItems, type JSONObject } from './fields.js';

/** File mode of projected files when a volume does not set defaultMode (0644). */
export const defaultVolumeFileMode = 0o644;

/** Lifetime of a projected service account token when the volume does not say (one hour). */
export const defaultTokenExpirationSeconds = 3600;

/** Every VolumeSource member of core/v1 Volume: a volume with none of them set becomes an emptyDir. */
const volumeSourceFields = [
  'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'configMap', 'csi', 'downwardAPI',
  'emptyDir', 'ephemeral', 'fc', 'flexVolume', 'flocker', 'gcePersistentDisk', 'gitRepo', 'glusterfs',
  'hostPath', 'image', 'iscsi', 'nfs', 'persistentVolumeClaim', 'photonPersistentDisk', 'portworxVolume',
  'projected', 'quobyte', 'rbd', 'scaleIO', 'secret', 'storageos', 'vsphereVolume',
];

/** `fieldRef.apiVersion` of downward API selectors (upstream SetDefaults_ObjectFieldSelector). */
export function defaultObjectFieldSelector(selector: JSONObject | undefined): void {
  if (selector) defaultZero(selector, 'apiVersion', 'v1');
}

function defaultDownwardAPIItems(source: JSONObject | undefined): void {
  for (const item of objectItems(source, 'items')) defaultObjectFieldSelector(objectField(item, 'fieldRef'));
}

/** Sources a Volume and a PersistentVolumeSpec share, with the same defaults in both. */
function defaultSharedSources(source: JSONObject): void {
  const hostPath = objectField(source, 'hostPath');
  if (hostPath) defaultNil(hostPath, 'type', '');
  const iscsi = objectField(source, 'iscsi');
  if (iscsi) defaultZero(iscsi, 'iscsiInterface', 'default');
  const rbd = objectField(source, 'rbd');
  if (rbd) {
    defaultZero(rbd, 'pool', 'rbd');
    defaultZero(rbd, 'user', 'admin');
    defaultZero(rbd, 'keyring', '/etc/ceph/keyring');
  }
  const azureDisk = objectField(source, 'azureDisk');
  if (azureDisk) {
    defaultNil(azureDisk, 'cachingMode', 'ReadWrite');
    defaultNil(azureDisk, 'fsType', 'ext4');
    defaultNil(azureDisk, 'readOnly', false);
    defaultNil(azureDisk, 'kind', 'Shared');
  }
  const scaleIO = objectField(source, 'scaleIO');
  if (scaleIO) {
    defaultZero(scaleIO, 'storageMode', 'ThinProvisioned');
    defaultZero(scaleIO, 'fsType', 'xfs');
  }
}

/** Defaults of one pod volume (upstream SetDefaults_Volume and the defaulters of its source). */
export function defaultVolume(volume: JSONObject): void {
  if (volumeSourceFields.every((field) => volume[field] === undefined || volume[field] === null)) volume.emptyDir = {};
  defaultSharedSources(volume);
  for (const field of ['secret', 'configMap']) {
    const source = objectField(volume, field);
    if (source) defaultNil(source, 'defaultMode', defaultVolumeFileMode);
  }
  const downwardAPI = objectField(volume, 'downwardAPI');
  if (downwardAPI) {
    defaultNil(downwardAPI, 'defaultMode', defaultVolumeFileMode);
    defaultDownwardAPIItems(downwardAPI);
  }
  const projected = objectField(volume, 'projected');
  if (projected) {
    defaultNil(projected, 'defaultMode', defaultVolumeFileMode);
    for (const source of objectItems(projected, 'sources')) {
      defaultDownwardAPIItems(objectField(source, 'downwardAPI'));
      const token = objectField(source, 'serviceAccountToken');
      if (token) defaultNil(token, 'expirationSeconds', defaultTokenExpirationSeconds);
    }
  }
  const image = objectField(volume, 'image');
  if (image) defaultZero(image, 'pullPolicy', defaultPullPolicy(typeof image.reference === 'string' ? image.reference : ''));
  const claimSpec = objectAt(volume, 'ephemeral', 'volumeClaimTemplate', 'spec');
  if (claimSpec) defaultPersistentVolumeClaimSpec(claimSpec);
}

/** Defaults of the volume source inside a PersistentVolumeSpec (also a VolumeAttachment's inline spec). */
export function defaultPersistentVolumeSource(spec: JSONObject): void {
  defaultSharedSources(spec);
}

/** Upstream SetDefaults_PersistentVolumeClaimSpec: claims mount a filesystem unless they ask for a block device. */
export function defaultPersistentVolumeClaimSpec(spec: JSONObject): void {
  defaultNil(spec, 'volumeMode', 'Filesystem');
}

/** A whole PersistentVolumeClaim (also a StatefulSet's claim template): spec, and status phase Pending. */
export function defaultPersistentVolumeClaim(claim: JSONObject): void {
  defaultZero(ensureObject(claim, 'status'), 'phase', 'Pending');
  defaultPersistentVolumeClaimSpec(ensureObject(claim, 'spec'));
}
