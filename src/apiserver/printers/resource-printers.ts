// Printers for resource.k8s.io (dynamic resource allocation): DeviceClasses, ResourceClaims,
// ResourceClaimTemplates and ResourceSlices. Columns and cells follow upstream.

import type { DeviceClass, ResourceClaim, ResourceClaimTemplate, ResourceSlice } from '../../api/generated/resource/v1.js';
import { parseTimestamp, timestampSince } from './human-duration.js';
import { ageColumn, column, nameColumn, tablePrinter } from './table.js';

/** The STATE cell of a claim: `deleted`, `pending`, `allocated`, `reserved`, comma-joined. */
export function resourceClaimState(claim: ResourceClaim): string {
  const states: string[] = [];
  const deleting = parseTimestamp(claim.metadata?.deletionTimestamp) !== undefined;
  if (deleting) states.push('deleted');
  if (!claim.status?.allocation) {
    if (!deleting) states.push('pending');
  } else {
    states.push('allocated');
    if ((claim.status.reservedFor?.length ?? 0) > 0) states.push('reserved');
  }
  return states.join(',');
}

export const deviceClassPrinter = tablePrinter<DeviceClass>([nameColumn, ageColumn], (dc, now) => [
  dc.metadata?.name ?? '',
  timestampSince(dc.metadata?.creationTimestamp, now),
]);

export const resourceClaimPrinter = tablePrinter<ResourceClaim>(
  [nameColumn, column('State', 'string', 'Whether the claim is pending, allocated, reserved or being deleted.'), ageColumn],
  (c, now) => [c.metadata?.name ?? '', resourceClaimState(c), timestampSince(c.metadata?.creationTimestamp, now)],
);

export const resourceClaimTemplatePrinter = tablePrinter<ResourceClaimTemplate>([nameColumn, ageColumn], (t, now) => [
  t.metadata?.name ?? '',
  timestampSince(t.metadata?.creationTimestamp, now),
]);

export const resourceSlicePrinter = tablePrinter<ResourceSlice>(
  [
    nameColumn,
    column('Node', 'string', 'The node whose devices the slice lists.'),
    column('Driver', 'string', 'The DRA driver that published the slice.'),
    column('Pool', 'string', 'The pool the slice belongs to.'),
    ageColumn,
  ],
  (s, now) => [s.metadata?.name ?? '', s.spec?.nodeName ?? '', s.spec?.driver ?? '', s.spec?.pool?.name ?? '', timestampSince(s.metadata?.creationTimestamp, now)],
);
