// CertificateSigningRequests (upstream pkg/registry/certificates/certificates): the main resource may not
// touch status; /approval may change only the Approved/Denied conditions; /status everything in status
// but those. Condition rules and timestamps as upstream validates and fills them.

import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../../apimachinery/field-error.js';
import { rfc3339 } from '../generic/object-meta.js';
import { asObject, asObjectList, cloneJSON, equalJSON, stringField, type JSONObject } from '../object-paths.js';
import { keepStatus } from '../spec-status.js';
import type { APIObject, ResourceStrategy } from '../strategy.js';

const approvalTypes = ['Approved', 'Denied'];
/** Condition types whose status may only be "True". */
const trueOnly = new Set(['Approved', 'Denied', 'Failed']);

function conditionsOf(obj: APIObject): JSONObject[] {
  return asObjectList(asObject(obj.status)?.conditions);
}

function statusOf(obj: APIObject): JSONObject {
  const status = asObject(obj.status);
  if (status) return status;
  const fresh: JSONObject = {};
  obj.status = fresh;
  return fresh;
}

function setConditions(obj: APIObject, conditions: JSONObject[]): void {
  const status = statusOf(obj);
  if (conditions.length) status.conditions = conditions;
  else delete status.conditions;
}

/**
 * upstream preserveConditionInstances: when `obj` has as many conditions of type `t` as `old`, they are
 * replaced by the stored ones; a different count is left for validation to refuse.
 */
function preserveConditionInstances(obj: APIObject, old: APIObject, t: string): void {
  const stored = conditionsOf(old).filter((c) => c.type === t);
  const current = conditionsOf(obj);
  if (current.filter((c) => c.type === t).length !== stored.length) return;
  let i = 0;
  setConditions(obj, current.map((c) => (c.type === t ? cloneJSON(stored[i++]) : c)));
}

/**
 * upstream populateConditionTimestamps: a condition without lastUpdateTime gets now; one without
 * lastTransitionTime keeps the old condition's when its status did not change, else gets now.
 */
function populateConditionTimestamps(obj: APIObject, old: APIObject | undefined, now: number): void {
  const oldByType = new Map(old ? conditionsOf(old).map((c) => [c.type, c]) : []);
  for (const c of conditionsOf(obj)) {
    if (!c.lastUpdateTime) c.lastUpdateTime = rfc3339(now);
    if (!c.lastTransitionTime) {
      const prev = oldByType.get(c.type);
      c.lastTransitionTime = prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(now);
    }
  }
}

/** upstream validateConditions (status.conditions), relaxed where the stored object already breaks a rule. */
function validateConditions(obj: APIObject, old: APIObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const oldConditions = old ? conditionsOf(old) : [];
  const oldTypes = oldConditions.map((c) => c.type);
  const allowBoth = oldTypes.includes('Approved') && oldTypes.includes('Denied');
  const allowDuplicates = new Set(oldTypes).size !== oldTypes.length;
  const allowEmptyType = oldTypes.some((t) => !t);
  const seen = new Set<unknown>();
  let approved = false;
  let denied = false;
  conditionsOf(obj).forEach((c, i) => {
    const path = `status.conditions[${i}]`;
    if (!allowEmptyType && !c.type) errs.push(required(`${path}.type`));
    const allowed = trueOnly.has(String(c.type)) ? ['True'] : ['False', 'True', 'Unknown'];
    if (c.status === undefined || c.status === '') errs.push(required(`${path}.status`));
    else if (!allowed.includes(String(c.status))) errs.push(notSupported(`${path}.status`, c.status, allowed));
    if (!allowBoth) {
      if (c.type === 'Approved') {
        approved = true;
        if (denied) errs.push(invalid(`${path}.type`, c.type, 'Approved and Denied conditions are mutually exclusive'));
      } else if (c.type === 'Denied') {
        denied = true;
        if (approved) errs.push(invalid(`${path}.type`, c.type, 'Approved and Denied conditions are mutually exclusive'));
      }
    }
    if (!allowDuplicates) {
      if (seen.has(c.type)) errs.push(duplicate(`${path}.type`, c.type));
      seen.add(c.type);
    }
  });
  return errs;
}

/** upstream validateCertificateSigningRequestUpdate's condition and certificate rules. */
function validateUpdate(obj: APIObject, old: APIObject, opts: { approval: boolean; certificate: boolean }): FieldError[] {
  const errs = validateConditions(obj, old);
  const ofType = (o: APIObject, t: string) => conditionsOf(o).filter((c) => c.type === t);
  for (const t of ['Approved', 'Denied', 'Failed']) {
    if (ofType(obj, t).length < ofType(old, t).length) errs.push(forbidden('status.conditions', `updates may not remove a condition of type "${t}"`));
  }
  if (!opts.approval) {
    for (const t of approvalTypes) {
      const before = ofType(old, t);
      const after = ofType(obj, t);
      if (after.length > before.length) errs.push(forbidden('status.conditions', `updates may not add a condition of type "${t}"`));
      else if (after.length === before.length && !equalJSON(after, before)) {
        errs.push(forbidden('status.conditions', `updates may not modify a condition of type "${t}"`));
      }
    }
  }
  const cert = asObject(obj.status)?.certificate ?? '';
  const oldCert = asObject(old.status)?.certificate ?? '';
  if (cert !== oldCert) {
    if (!opts.certificate) errs.push(forbidden('status.certificate', 'updates may not set certificate content'));
    else if (oldCert !== '') errs.push(forbidden('status.certificate', 'updates may not modify existing certificate content'));
  }
  return errs;
}

/** The CSR strategy; `now` (ms) stamps condition times. */
export function newCertificateSigningRequestStrategy(opts: { now?: () => number } = {}): ResourceStrategy {
  const now = opts.now ?? Date.now;
  return {
    hasStatusSubresource: true,
    hasGeneration: false,
    selectableFields: { 'spec.signerName': stringField('spec.signerName') },
    prepareForCreate(obj, ctx) {
      // The requester is the server's to record (the approver's SubjectAccessReview reads it), never the
      // client's: whatever the body says is replaced by the authenticated user.
      const spec = asObject(obj.spec) ?? {};
      delete spec.username;
      delete spec.uid;
      delete spec.groups;
      delete spec.extra;
      if (ctx.user) {
        spec.username = ctx.user.name;
        if (ctx.user.uid) spec.uid = ctx.user.uid;
        if (ctx.user.groups.length) spec.groups = [...ctx.user.groups];
        if (ctx.user.extra && Object.keys(ctx.user.extra).length) spec.extra = cloneJSON(ctx.user.extra);
      }
      obj.spec = spec;
      // Upstream serialises the empty status struct as {}: a request is never created approved.
      obj.status = {};
    },
    prepareForUpdate(obj, old) {
      keepStatus(obj, old);
    },
    validateUpdate(obj, old) {
      return validateUpdate(obj, old, { approval: false, certificate: false });
    },
    prepareForStatusUpdate(obj, old) {
      // Everything but status from the stored object; the approval conditions stay as they were.
      const status = cloneJSON(asObject(obj.status) ?? {});
      const rv = obj.metadata?.resourceVersion;
      const managedFields = obj.metadata?.managedFields;
      for (const k of Object.keys(obj)) delete obj[k];
      Object.assign(obj, cloneJSON(old));
      if (obj.metadata) {
        obj.metadata.resourceVersion = rv;
        // The request's managedFields already record this write.
        if (managedFields === undefined) delete obj.metadata.managedFields;
        else obj.metadata.managedFields = managedFields;
      }
      obj.status = status;
      for (const t of approvalTypes) preserveConditionInstances(obj, old, t);
      populateConditionTimestamps(obj, old, now());
    },
    validateStatusUpdate(obj, old) {
      return validateUpdate(obj, old, { approval: false, certificate: true });
    },
    subresourceUpdates: {
      approval(obj, old) {
        // Only the conditions come from the request, and the Failed ones stay as stored.
        const conditions = cloneJSON(conditionsOf(obj));
        obj.spec = cloneJSON(old.spec);
        obj.status = cloneJSON(old.status ?? {});
        setConditions(obj, conditions);
        preserveConditionInstances(obj, old, 'Failed');
        populateConditionTimestamps(obj, old, now());
      },
    },
    validateSubresourceUpdates: {
      approval: (obj, old) => validateUpdate(obj, old, { approval: true, certificate: false }),
    },
  };
}
