// PATCH with application/apply-patch+yaml: server-side apply through the engine in
// src/apimachinery/apply — creates the object when missing, otherwise updates it with retry on conflict.

import { applySchemaFor, zeroObjectFor } from '../../api/apply-schema.js';
import { apply, managerFromUserAgent, updateManagedFields } from '../../apimachinery/apply/apply.js';
import type { FieldFilter } from '../../apimachinery/apply/field-filter.js';
import { patchOptionsError } from '../../apimachinery/apply/patch-options.js';
import { untypedType, type ApplyType } from '../../apimachinery/apply/schema.js';
import { isNotFound, newBadRequest } from '../../apimachinery/errors.js';
import type { JSONObject } from '../../apimachinery/patch/json-value.js';
import type { GenericRegistry } from '../registry/generic/registry.js';
import type { APIObject } from '../registry/strategy.js';
import type { AdmissionHooks } from '../admission/interface.js';
import { resetFieldsFilterFor } from './reset-fields.js';

/** One apply request, already routed to its registry. */
export interface ApplyRequest {
  registry: GenericRegistry;
  namespace: string;
  name: string;
  /** "" for the object itself, "status" for /status. */
  subresource: string;
  dryRun: boolean;
  /** The decoded body (the apply configuration). */
  patch: unknown;
  query: URLSearchParams;
  now: Date;
  /** Field validation and defaulting of the merged object, as for other patches; returns warnings. */
  prepare(obj: APIObject): string[];
  /** Admission for the write (the update, or the create when the object is missing). */
  admission?: AdmissionHooks;
}

/** The outcome: 201 when the apply created the object, 200 otherwise. */
export interface ApplyResponse {
  status: 200 | 201;
  obj: APIObject;
  warnings: string[];
}

/** The apply type of a registry's kind: a custom resource's from its CRD, a built-in's from the schema tables. */
function applySchemaOf(registry: GenericRegistry): ApplyType {
  const r = registry.resource;
  return registry.applySchema ?? applySchemaFor(r.group, r.version, r.kind) ?? untypedType;
}

/** Fields the kind's strategy resets on this (sub)resource, which managedFields leave unowned. */
function ignoredFieldsFor(registry: GenericRegistry, subresource: string): FieldFilter {
  return resetFieldsFilterFor({ groupResource: registry.groupResource, subresource, hasStatusSubresource: registry.hasStatusSubresource });
}

/**
 * Server-side apply of `req.patch`. Patch options are checked before storage is read (422 for a missing
 * fieldManager); conflicts and other engine errors are thrown as the engine's StatusErrors, verbatim.
 */
export async function serveApply(req: ApplyRequest): Promise<ApplyResponse> {
  const { registry } = req;
  const optionsError = patchOptionsError({ apply: true, fieldManager: req.query.get('fieldManager') ?? '', forceGiven: req.query.has('force') });
  if (optionsError) throw optionsError;
  if (typeof req.patch !== 'object' || req.patch === null || Array.isArray(req.patch)) throw newBadRequest('error decoding YAML: apply patch must be an object');
  const applied = req.patch as JSONObject;
  const manager = req.query.get('fieldManager') ?? '';
  const force = req.query.get('force') === 'true';
  const r = registry.resource;
  const apiVersion = registry.apiVersion;
  const schema = applySchemaOf(registry);
  const emptyObject = zeroObjectFor(r.group, r.version, r.kind);
  const common = { applied, manager, force, apiVersion, subresource: req.subresource, schema, now: req.now, ignoredFields: ignoredFieldsFor(registry, req.subresource), emptyObject };
  let warnings: string[] = [];
  try {
    const obj = await registry.patch({
      namespace: req.namespace,
      name: req.name,
      subresource: req.subresource,
      dryRun: req.dryRun,
      setsResourceVersion: hasResourceVersion(applied),
      admission: req.admission,
      apply: (current) => {
        const result = apply({ ...common, live: current as JSONObject });
        const merged = result.object as APIObject;
        warnings = req.prepare(merged);
        return merged;
      },
    });
    return { status: 200, obj, warnings };
  } catch (err) {
    if (!isNotFound(err) || req.subresource) throw err;
  }
  // Missing: the apply creates it (the create path adds uid, creationTimestamp, defaults, validation).
  const result = apply({ ...common, live: undefined });
  const obj = result.object as APIObject;
  const meta = (obj.metadata = obj.metadata ?? {});
  if (meta.name !== undefined && meta.name !== req.name) throw newBadRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${req.name})`);
  meta.name = req.name;
  if (req.namespace && meta.namespace === undefined) meta.namespace = req.namespace;
  warnings = req.prepare(obj);
  const created = await registry.create({ namespace: req.namespace, obj, dryRun: req.dryRun, admission: req.admission });
  return { status: 201, obj: created, warnings };
}

function hasResourceVersion(applied: JSONObject): boolean {
  const meta = applied.metadata as { resourceVersion?: unknown } | undefined;
  return typeof meta?.resourceVersion === 'string' && meta.resourceVersion !== '';
}

/** A non-apply write (create, patch) to record in managedFields. */
export interface TrackWriteRequest {
  registry: GenericRegistry;
  /** The stored object; undefined on create. */
  old: APIObject | undefined;
  /** The object about to be stored (after defaulting). */
  obj: APIObject;
  subresource: string;
  query: URLSearchParams;
  userAgent: string | undefined;
  now: Date;
}

/**
 * Records a create, update or non-apply patch in the object's managedFields, with the manager from the
 * `fieldManager` parameter or else the User-Agent's program name. Returns the object to store.
 */
export function trackWrite(req: TrackWriteRequest): APIObject {
  // A body whose metadata is not an object is refused by the registry right after (400); nothing to record.
  const meta0: unknown = req.obj.metadata;
  if (meta0 !== undefined && (meta0 === null || typeof meta0 !== 'object' || Array.isArray(meta0))) return req.obj;
  const r = req.registry.resource;
  const result = updateManagedFields({
    old: req.old as JSONObject | undefined,
    new: req.obj as JSONObject,
    manager: req.query.get('fieldManager') || managerFromUserAgent(req.userAgent ?? ''),
    apiVersion: req.registry.apiVersion,
    subresource: req.subresource,
    schema: applySchemaOf(req.registry),
    now: req.now,
    emptyObject: zeroObjectFor(r.group, r.version, r.kind),
    ignoredFields: ignoredFieldsFor(req.registry, req.subresource),
  });
  // Set in place: keeping the key order lets the registry recognise an unchanged object (no write).
  const meta = (req.obj.metadata = req.obj.metadata ?? {});
  if (result.managedFields.length > 0) meta.managedFields = result.managedFields;
  else delete meta.managedFields;
  return req.obj;
}

/** A server-side apply of an autoscaling/v1 Scale (PATCH of /scale with an apply patch). */
export interface ScaleApplyRequest {
  registry: GenericRegistry;
  /** The decoded apply configuration: a Scale. */
  patch: unknown;
  query: URLSearchParams;
  now: Date;
}

/**
 * Server-side apply through /scale, as upstream's scale handler maps it: the Scale configuration's
 * spec.replicas becomes an apply of the parent's replicas field (spec.replicas, or a custom resource's
 * specReplicasPath) by the field manager with `subresource: scale`, conflicting with other owners of it unless
 * forced. Returns `scaleFrom` (the new Scale from the current one) and `track` (the parent's managedFields
 * and merged replicas) for GenericRegistry.updateScale.
 */
export function scaleApply(req: ScaleApplyRequest): { replicas: number | undefined; conditional: boolean; track(old: APIObject, next: APIObject): APIObject } {
  const optionsError = patchOptionsError({ apply: true, fieldManager: req.query.get('fieldManager') ?? '', forceGiven: req.query.has('force') });
  if (optionsError) throw optionsError;
  if (typeof req.patch !== 'object' || req.patch === null || Array.isArray(req.patch)) throw newBadRequest('error decoding YAML: apply patch must be an object');
  const config = req.patch as JSONObject;
  if ((config.apiVersion !== undefined && config.apiVersion !== 'autoscaling/v1') || (config.kind !== undefined && config.kind !== 'Scale')) {
    throw newBadRequest(`Incorrect version specified in apply patch. Specified patch version: ${String(config.apiVersion ?? '')}, expected: autoscaling/v1`);
  }
  const replicas = (config.spec as { replicas?: unknown } | undefined)?.replicas;
  const registry = req.registry;
  return {
    replicas: typeof replicas === 'number' ? replicas : undefined,
    conditional: hasResourceVersion(config),
    track(old, next) {
      // The parent-shaped configuration: only the replicas field, where this kind keeps it.
      const parentConfig: APIObject = { apiVersion: registry.apiVersion, kind: registry.resource.kind, metadata: { name: old.metadata?.name } };
      if (typeof replicas === 'number') {
        if (registry.strategy?.scale) registry.strategy.scale.setReplicas(parentConfig, replicas);
        else parentConfig.spec = { replicas };
      }
      const r = registry.resource;
      const result = apply({
        live: old as JSONObject,
        applied: parentConfig as JSONObject,
        manager: req.query.get('fieldManager') ?? '',
        force: req.query.get('force') === 'true',
        apiVersion: registry.apiVersion,
        subresource: 'scale',
        schema: applySchemaOf(registry),
        now: req.now,
        ignoredFields: ignoredFieldsFor(registry, 'scale'),
        emptyObject: zeroObjectFor(r.group, r.version, r.kind),
      });
      const merged = result.object as APIObject;
      const meta = (next.metadata = next.metadata ?? {});
      meta.managedFields = merged.metadata?.managedFields;
      return next;
    },
  };
}
