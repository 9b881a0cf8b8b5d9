// What the volume plugins read about storage: PVCs, PVs, StorageClasses and CSINodes, by name (upstream's
// listers). Built from the scheduler's informers in production, from arrays in tests.
import type { PersistentVolume, PersistentVolumeClaim, Pod } from '../../../api/generated/core/v1.js';
import type { CSINode, StorageClass } from '../../../api/generated/storage/v1.js';
import type { SharedInformerFactory } from '../../../client/cache/informer-factory.js';
import type { Typed } from '../../../client/typed.js';

export interface VolumeListers {
  pvc(namespace: string, name: string): PersistentVolumeClaim | undefined;
  pv(name: string): PersistentVolume | undefined;
  pvs(): readonly PersistentVolume[];
  storageClass(name: string): StorageClass | undefined;
  csiNode(name: string): CSINode | undefined;
}

/** Listers over `objects` (tests and simulations). */
export function staticVolumeListers(objects: { pvcs?: PersistentVolumeClaim[]; pvs?: PersistentVolume[]; classes?: StorageClass[]; csiNodes?: CSINode[] }): VolumeListers {
  const byName = <T extends { metadata?: { name?: string; namespace?: string } }>(xs: T[] | undefined, key: (x: T) => string): Map<string, T> => new Map((xs ?? []).map((x) => [key(x), x]));
  const pvcs = byName(objects.pvcs, (x) => `${x.metadata?.namespace ?? ''}/${x.metadata?.name ?? ''}`);
  const pvs = byName(objects.pvs, (x) => x.metadata?.name ?? '');
  const classes = byName(objects.classes, (x) => x.metadata?.name ?? '');
  const csiNodes = byName(objects.csiNodes, (x) => x.metadata?.name ?? '');
  return {
    pvc: (ns, name) => pvcs.get(`${ns}/${name}`),
    pv: (name) => pvs.get(name),
    pvs: () => [...pvs.values()],
    storageClass: (name) => classes.get(name),
    csiNode: (name) => csiNodes.get(name),
  };
}

/** Listers over shared informers; asking creates the informers, so call this before the factory starts. */
export function informerVolumeListers(f: SharedInformerFactory): VolumeListers {
  const pvcs = f.forResource<Typed<PersistentVolumeClaim>>({ group: '', version: 'v1', resource: 'persistentvolumeclaims' }).lister;
  const pvs = f.forResource<Typed<PersistentVolume>>({ group: '', version: 'v1', resource: 'persistentvolumes' }).lister;
  const classes = f.forResource<Typed<StorageClass>>({ group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' }).lister;
  const csiNodes = f.forResource<Typed<CSINode>>({ group: 'storage.k8s.io', version: 'v1', resource: 'csinodes' }).lister;
  return {
    pvc: (ns, name) => pvcs.namespace(ns).get(name),
    pv: (name) => pvs.get(name),
    pvs: () => pvs.list(),
    storageClass: (name) => classes.get(name),
    csiNode: (name) => csiNodes.get(name),
  };
}

/** The error text of a missing object, as the API's NotFound says it. */
export function notFoundMessage(resource: string, name: string): string {
  return `${resource} ${JSON.stringify(name)} not found`;
}

/** The PVC names a pod uses: persistentVolumeClaim volumes and generic ephemeral volumes (`<pod>-<volume>`). */
export function podClaimNames(pod: Pod): string[] {
  const out: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim) out.push(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral) out.push(`${pod.metadata?.name ?? ''}-${v.name}`);
  }
  return out;
}

/** spec.storageClassName, else the beta annotation (upstream GetPersistentVolumeClaimClass). */
export function claimClass(pvc: PersistentVolumeClaim): string {
  return pvc.spec?.storageClassName ?? pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '';
}
