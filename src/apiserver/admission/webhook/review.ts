// AdmissionReview (admission.k8s.io/v1) as webhooks receive and answer it: the request built from a write's
// attributes, the response checked as upstream's request.VerifyAdmissionResponse does.

import { randomUUID } from 'node:crypto';
import type { AdmissionAttributes } from '../interface.js';

export interface AdmissionReviewResponse {
  uid: string;
  allowed: boolean;
  /** base64 of a JSON Patch document (mutating webhooks only). */
  patch?: string;
  patchType?: string;
  result?: { code?: number; status?: string; message?: string; reason?: string; details?: unknown };
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
}

/** The versions of AdmissionReview k8ts speaks, in preference order (the shapes are identical). */
const knownVersions = ['v1', 'v1beta1'];

/** The first version both sides know, or an Error with upstream's message. */
export function reviewVersion(accepted: readonly string[] | undefined): string {
  const v = (accepted ?? []).find((x) => knownVersions.includes(x));
  if (!v) throw new Error('webhook does not accept known AdmissionReview versions (v1, v1beta1)');
  return v;
}

/** The AdmissionRequest of a write (what webhooks get and CEL's `request` is), with `uid` when given. */
export function admissionRequestOf(attrs: AdmissionAttributes, uid?: string): Record<string, unknown> {
  const kind = attrs.kind;
  const resource = attrs.resource;
  return {
    ...(uid ? { uid } : {}),
    kind,
    resource,
    ...(attrs.subresource ? { subResource: attrs.subresource } : {}),
    requestKind: kind,
    requestResource: resource,
    ...(attrs.subresource ? { requestSubResource: attrs.subresource } : {}),
    ...(attrs.name ? { name: attrs.name } : {}),
    ...(attrs.namespace ? { namespace: attrs.namespace } : {}),
    operation: attrs.operation,
    userInfo: {
      username: attrs.user.name,
      ...(attrs.user.uid ? { uid: attrs.user.uid } : {}),
      ...(attrs.user.groups.length ? { groups: attrs.user.groups } : {}),
      ...(attrs.user.extra && Object.keys(attrs.user.extra).length ? { extra: attrs.user.extra } : {}),
    },
    object: attrs.object ?? null,
    oldObject: attrs.oldObject ?? null,
    dryRun: attrs.dryRun,
    ...(attrs.options ? { options: attrs.options } : {}),
  };
}

/** The request body for one webhook call; `uid` ties the answer to it. */
export function newAdmissionReview(attrs: AdmissionAttributes, version: string): { uid: string; body: string } {
  const uid = randomUUID();
  const request = admissionRequestOf(attrs, uid);
  return { uid, body: JSON.stringify({ kind: 'AdmissionReview', apiVersion: `admission.k8s.io/${version}`, request }) };
}

/** Checks a webhook's answer; throws an Error worded as upstream when it is not a usable response. */
export function verifyAdmissionResponse(args: { uid: string; version: string; mutating: boolean; review: unknown }): AdmissionReviewResponse {
  const review = args.review as { apiVersion?: string; kind?: string; response?: AdmissionReviewResponse } | null;
  const gvk = `admission.k8s.io/${args.version}, Kind=AdmissionReview`;
  const got = `${review?.apiVersion ?? ''}, Kind=${review?.kind ?? ''}`;
  if (review?.apiVersion !== `admission.k8s.io/${args.version}` || review.kind !== 'AdmissionReview') {
    throw new Error(`expected webhook response of ${gvk}, got ${got}`);
  }
  const r = review.response;
  if (!r) throw new Error('webhook response was absent');
  if (r.uid !== args.uid) throw new Error(`expected response.uid="${args.uid}", got "${r.uid ?? ''}"`);
  if (args.mutating) {
    if (r.patch && !r.patchType) throw new Error('webhook returned response.patch but not response.patchType');
    if (!r.patch && r.patchType) throw new Error('webhook returned response.patchType but not response.patch');
    if (r.patchType && r.patchType !== 'JSONPatch') throw new Error(`webhook returned invalid response.patchType of "${r.patchType}"`);
  } else {
    if (r.patch) throw new Error('validating webhook may not return response.patch');
    if (r.patchType) throw new Error('validating webhook may not return response.patchType');
  }
  return r;
}
