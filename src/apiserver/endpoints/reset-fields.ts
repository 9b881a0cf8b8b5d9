// The fields a kind's strategy resets on a write through the main resource or /status (upstream's
// GetResetFields): managedFields leave them unowned, so a write can neither take nor lose them.
import { anyElement, excludeFields, includeOnly, type FieldFilter, type PathPrefix } from '../../apimachinery/apply/field-filter.js';
import { FieldSet } from '../../apimachinery/apply/field-set.js';
import type { GroupResource } from '../../apimachinery/errors.js';
import type { JSONObject } from '../../apimachinery/patch/json-value.js';

/** What decides a kind's reset fields. */
export interface ResetFieldsRequest {
  groupResource: GroupResource;
  /** "" for the main resource, "status", or another subresource. */
  subresource: string;
  /** Whether the kind has a status subresource (the main resource then cannot change status). */
  hasStatusSubresource: boolean;
}

/** Subresource writes whose strategy resets other fields than the default, keyed "group/resource/subresource". */
const specialResetFields: Record<string, JSONObject> = {
  // The kubelet may not touch a pod's owners nor start its deletion through /status.
  '/pods/status': { 'f:spec': {}, 'f:metadata': { 'f:deletionTimestamp': {}, 'f:ownerReferences': {} } },
  // Approval conditions are only written through /approval, the certificate only through /status.
  'certificates.k8s.io/certificatesigningrequests/status': { 'f:spec': {}, 'f:status': { 'f:conditions': {} } },
  'certificates.k8s.io/certificatesigningrequests/approval': { 'f:spec': {}, 'f:status': { 'f:certificate': {} } },
};

/**
 * The reset fields of a write, as a field set: the special cases above; otherwise /status resets spec, the
 * main resource resets status when a status subresource exists and nothing otherwise, and other subresources
 * (scale, whose writes own only the replicas field; namespaces/finalize) reset status.
 */
export function resetFieldsFor(req: ResetFieldsRequest): FieldSet {
  const special = specialResetFields[`${req.groupResource.group}/${req.groupResource.resource}/${req.subresource}`];
  if (special) return FieldSet.fromFieldsV1(special);
  if (req.subresource === 'status') return FieldSet.fromFieldsV1({ 'f:spec': {} });
  if (req.subresource === '' && !req.hasStatusSubresource) return FieldSet.fromFieldsV1({});
  return FieldSet.fromFieldsV1({ 'f:status': {} });
}

/**
 * Subresources whose strategy keeps only some fields of the request (everything else comes from the stored
 * object), so a write through them may own only those: upstream's include filters.
 */
const keptFields: Record<string, PathPrefix[]> = {
  '/pods/ephemeralcontainers': [['spec', 'ephemeralContainers']],
  '/pods/resize': [
    ['spec', 'containers', anyElement, 'resources'],
    ['spec', 'containers', anyElement, 'resizePolicy'],
    ['spec', 'initContainers', anyElement, 'resources'],
    ['spec', 'initContainers', anyElement, 'resizePolicy'],
  ],
};

/** What a write may own (upstream GetResetFieldsFilter): the kept fields of the subresources above, else all but the reset fields. */
export function resetFieldsFilterFor(req: ResetFieldsRequest): FieldFilter {
  const kept = keptFields[`${req.groupResource.group}/${req.groupResource.resource}/${req.subresource}`];
  return kept ? includeOnly(kept) : excludeFields(resetFieldsFor(req));
}
