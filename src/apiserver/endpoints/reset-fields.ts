// The fields a kind's strategy resets on a write through the main resource or /status (upstream's
// GetResetFields): managedFields leave them unowned, so a write can neither take nor lose them.
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

/** Kinds whose /status strategy resets more than spec, keyed "group/resource" ("" group for core). */
const statusResetFields: Record<string, JSONObject> = {
  // The kubelet may not touch a pod's owners nor start its deletion through /status.
  '/pods': { 'f:spec': {}, 'f:metadata': { 'f:deletionTimestamp': {}, 'f:ownerReferences': {} } },
  // Approval conditions are only written through /approval.
  'certificates.k8s.io/certificatesigningrequests': { 'f:spec': {}, 'f:status': { 'f:conditions': {} } },
};

/**
 * The reset fields of a write, as fieldsV1 paths: /status resets spec (and the extras above), the main
 * resource resets status when a status subresource exists and nothing otherwise, other subresources (such as
 * scale, whose writes own only the replicas field) reset status.
 */
export function resetFieldsFor(req: ResetFieldsRequest): FieldSet {
  if (req.subresource === 'status') {
    return FieldSet.fromFieldsV1(statusResetFields[`${req.groupResource.group}/${req.groupResource.resource}`] ?? { 'f:spec': {} });
  }
  if (req.subresource === '' && !req.hasStatusSubresource) return FieldSet.fromFieldsV1({});
  return FieldSet.fromFieldsV1({ 'f:status': {} });
}
