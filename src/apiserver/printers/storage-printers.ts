// Printers for storage.k8s.io: StorageClasses, VolumeAttributesClasses, VolumeAttachments, CSIDrivers,
// CSINodes and CSIStorageCapacities. Columns and cells follow upstream pkg/printers/internalversion.

import type {
  CSIDriver,
  CSINode,
  CSIStorageCapacity,
  StorageClass,
  VolumeAttachment,
  VolumeAttributesClass,
} from '../../api/generated/storage/v1.js';
import { parseTimestamp, timestampSince } from './human-duration.js';
import { ageColumn, column, nameColumn, tablePrinter, type TableCell } from './table.js';

const defaultClassAnnotations = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

/** Whether a StorageClass is marked as the cluster default (GA or beta annotation set to "true"). */
export function isDefaultStorageClass(sc: StorageClass): boolean {
  return defaultClassAnnotations.some((a) => sc.metadata?.annotations?.[a] === 'true');
}

/**
 * The one StorageClass a list marks "(default)" when several carry the annotation: the newest, ties
 * broken by name (upstream's effective default, used by the DefaultStorageClass admission plugin).
 */
export function effectiveDefaultStorageClass(classes: readonly StorageClass[]): string | undefined {
  let best: { name: string; created: number } | undefined;
  for (const sc of classes) {
    if (!isDefaultStorageClass(sc)) continue;
    const name = sc.metadata?.name ?? '';
    const created = parseTimestamp(sc.metadata?.creationTimestamp) ?? 0;
    if (!best || created > best.created || (created === best.created && name < best.name)) best = { name, created };
  }
  return best?.name;
}

function storageClassCells(sc: StorageClass, isDefault: boolean, now: number): TableCell[] {
  return [
    (sc.metadata?.name ?? '') + (isDefault ? ' (default)' : ''),
    sc.provisioner ?? '',
    sc.reclaimPolicy ?? 'Delete',
    sc.volumeBindingMode ?? 'Immediate',
    sc.allowVolumeExpansion ?? false,
    timestampSince(sc.metadata?.creationTimestamp, now),
  ];
}

/**
 * StorageClasses. In a list only the effective default is marked; a single object is marked when it has
 * the annotation (upstream's behaviour when it cannot list the other classes).
 */
export const storageClassPrinter = tablePrinter<StorageClass>(
  [
    nameColumn,
    column('Provisioner', 'string', 'The volume plugin that provisions volumes of the class.'),
    column('ReclaimPolicy', 'string', 'Reclaim policy of provisioned volumes.'),
    column('VolumeBindingMode', 'string', 'When volumes are bound: Immediate or WaitForFirstConsumer.'),
    column('AllowVolumeExpansion', 'string', 'Whether claims of the class may grow.'),
    ageColumn,
  ],
  (sc, now) => storageClassCells(sc, isDefaultStorageClass(sc), now),
  {
    printList(objects, now) {
      const classes = objects as readonly unknown[] as readonly StorageClass[];
      const effective = effectiveDefaultStorageClass(classes);
      return classes.map((sc) => ({ cells: storageClassCells(sc, effective !== undefined && sc.metadata?.name === effective, now) }));
    },
  },
);

export const volumeAttributesClassPrinter = tablePrinter<VolumeAttributesClass>(
  [nameColumn, column('DriverName', 'string', 'The CSI driver the class is for.'), ageColumn],
  (vac, now) => [vac.metadata?.name ?? '', vac.driverName ?? '', timestampSince(vac.metadata?.creationTimestamp, now)],
);

export const volumeAttachmentPrinter = tablePrinter<VolumeAttachment>(
  [
    nameColumn,
    column('Attacher', 'string', 'The driver that attaches the volume.', { format: 'name' }),
    column('PV', 'string', 'The persistent volume being attached.'),
    column('Node', 'string', 'The node the volume is attached to.'),
    column('Attached', 'boolean', 'Whether the attach operation succeeded.'),
    ageColumn,
  ],
  (va, now) => [
    va.metadata?.name ?? '',
    va.spec?.attacher ?? '',
    va.spec?.source?.persistentVolumeName ?? '',
    va.spec?.nodeName ?? '',
    va.status?.attached ?? false,
    timestampSince(va.metadata?.creationTimestamp, now),
  ],
);

export const csiDriverPrinter = tablePrinter<CSIDriver>(
  [
    nameColumn,
    column('AttachRequired', 'boolean', 'Whether volumes need an attach step.'),
    column('PodInfoOnMount', 'boolean', 'Whether pod information is passed on mount.'),
    column('StorageCapacity', 'boolean', 'Whether the driver reports storage capacity.'),
    column('TokenRequests', 'string', 'Audiences of service account tokens passed to the driver.'),
    column('RequiresRepublish', 'boolean', 'Whether volumes are republished periodically.'),
    column('Modes', 'string', 'Volume lifecycle modes: Persistent, Ephemeral.'),
    ageColumn,
  ],
  (d, now) => {
    const spec = d.spec;
    const tokens = spec?.tokenRequests;
    const modes = (spec?.volumeLifecycleModes ?? []).join(',');
    return [
      d.metadata?.name ?? '',
      spec?.attachRequired ?? true,
      spec?.podInfoOnMount ?? false,
      spec?.storageCapacity ?? false,
      tokens === undefined ? '<unset>' : tokens.map((t) => t.audience).join(','),
      spec?.requiresRepublish ?? false,
      modes === '' ? '<none>' : modes,
      timestampSince(d.metadata?.creationTimestamp, now),
    ];
  },
);

export const csiNodePrinter = tablePrinter<CSINode>(
  [nameColumn, column('Drivers', 'integer', 'Number of CSI drivers registered on the node.'), ageColumn],
  (n, now) => [n.metadata?.name ?? '', n.spec?.drivers?.length ?? 0, timestampSince(n.metadata?.creationTimestamp, now)],
);

export const csiStorageCapacityPrinter = tablePrinter<CSIStorageCapacity>(
  [
    nameColumn,
    column('StorageClassName', 'string', 'The storage class the capacity is for.'),
    column('Capacity', 'string', 'Available capacity.'),
  ],
  (c) => [c.metadata?.name ?? '', c.storageClassName ?? '', c.capacity ?? '<unset>'],
);
