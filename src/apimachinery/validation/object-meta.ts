// Generic metav1.ObjectMeta validation for create and update (upstream's ValidateObjectMetaAccessor and
// ValidateObjectMetaAccessorUpdate), returning FieldError values with upstream's paths and wording.

import { forbidden, invalid, required, tooLong, type FieldError } from '../field-error.js';
import type { ValidateNameFunc } from './name-validators.js';
import { validateNamespaceName } from './name-validators.js';
import { isQualifiedName, isValidLabelValue } from './names.js';

/** Upper bound on the summed length of all annotation keys and values: 256 KiB. */
export const totalAnnotationSizeLimitB = 256 * 1024;
/** Upper bound on a field manager name. */
export const fieldManagerMaxLength = 128;
/** Upper bound on `managedFields[].subresource`. */
export const maxSubresourceNameLength = 256;

export const finalizerOrphanDependents = 'orphan';
export const finalizerDeleteDependents = 'foregroundDeletion';

/** The upstream sentence for changed immutable fields. */
export const fieldImmutableErrorMsg = 'field is immutable';

/** ObjectMeta as decoded JSON; fields may be absent or (from bad input) of the wrong type. */
export type ObjectMetaInput = Record<string, unknown>;

export interface ValidateObjectMetaOptions {
  /** Whether the kind is namespaced: namespaced kinds need metadata.namespace, others must not set it. */
  namespaced: boolean;
  /** The kind's name rule; also applied to generateName as a prefix. */
  nameFn: ValidateNameFunc;
  /** Path of the metadata field (default `metadata`). */
  fieldPath?: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const stringMap = (v: unknown): Record<string, string> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {};
const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/**
 * Validates metadata of an object about to be created. The caller has already turned generateName into a
 * name (so an empty name here means neither was given) and set the namespace from the URL.
 */
export function validateObjectMeta(meta: ObjectMetaInput, opts: ValidateObjectMetaOptions): FieldError[] {
  const path = opts.fieldPath ?? 'metadata';
  const errs: FieldError[] = [];
  const generateName = str(meta.generateName);
  if (generateName) {
    for (const msg of opts.nameFn(generateName, true)) errs.push(invalid(`${path}.generateName`, generateName, msg));
  }
  const name = str(meta.name);
  if (!name) errs.push(required(`${path}.name`, 'name or generateName is required'));
  else for (const msg of opts.nameFn(name, false)) errs.push(invalid(`${path}.name`, name, msg));

  const namespace = str(meta.namespace);
  if (opts.namespaced) {
    if (!namespace) errs.push(required(`${path}.namespace`));
    else for (const msg of validateNamespaceName(namespace, false)) errs.push(invalid(`${path}.namespace`, namespace, msg));
  } else if (namespace) {
    errs.push(forbidden(`${path}.namespace`, 'not allowed on this type'));
  }
  errs.push(...validateNonnegativeField(num(meta.generation), `${path}.generation`));
  errs.push(...validateLabels(stringMap(meta.labels), `${path}.labels`));
  errs.push(...validateAnnotations(stringMap(meta.annotations), `${path}.annotations`));
  errs.push(...validateOwnerReferences(list(meta.ownerReferences), `${path}.ownerReferences`));
  errs.push(...validateFinalizers(list(meta.finalizers), `${path}.finalizers`));
  errs.push(...validateManagedFields(list(meta.managedFields), `${path}.managedFields`));
  return errs;
}

/**
 * Validates metadata of an update against the stored object's. `newMeta.resourceVersion` must be set: the
 * registry fills it from the stored object for unconditional updates before calling this.
 */
export function validateObjectMetaUpdate(
  newMeta: ObjectMetaInput,
  oldMeta: ObjectMetaInput,
  opts: { fieldPath?: string } = {},
): FieldError[] {
  const path = opts.fieldPath ?? 'metadata';
  const errs: FieldError[] = [];
  if (oldMeta.deletionTimestamp) {
    errs.push(...validateNoNewFinalizers(list(newMeta.finalizers), list(oldMeta.finalizers), `${path}.finalizers`));
  }
  if (!str(newMeta.resourceVersion)) {
    errs.push(invalid(`${path}.resourceVersion`, str(newMeta.resourceVersion), 'must be specified for an update'));
  }
  if (num(newMeta.generation) < num(oldMeta.generation)) {
    errs.push(invalid(`${path}.generation`, num(newMeta.generation), 'must not be decremented'));
  }
  for (const field of ['name', 'namespace', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds']) {
    errs.push(...validateImmutableField(newMeta[field], oldMeta[field], `${path}.${field}`));
  }
  errs.push(...validateLabels(stringMap(newMeta.labels), `${path}.labels`));
  errs.push(...validateAnnotations(stringMap(newMeta.annotations), `${path}.annotations`));
  errs.push(...validateOwnerReferences(list(newMeta.ownerReferences), `${path}.ownerReferences`));
  errs.push(...validateManagedFields(list(newMeta.managedFields), `${path}.managedFields`));
  return errs;
}

/** "field is immutable" when a JSON value changed (absent and null count as the same). */
export function validateImmutableField(newValue: unknown, oldValue: unknown, fieldPath: string): FieldError[] {
  if (JSON.stringify(newValue ?? null) === JSON.stringify(oldValue ?? null)) return [];
  return [invalid(fieldPath, newValue ?? null, fieldImmutableErrorMsg)];
}

export function validateNonnegativeField(value: number, fieldPath: string): FieldError[] {
  return value < 0 ? [invalid(fieldPath, value, 'must be greater than or equal to 0')] : [];
}

/** Label keys must be qualified names and values valid label values; errors are reported on the map's path. */
export function validateLabels(labels: Record<string, string>, fieldPath: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    for (const msg of isQualifiedName(k)) errs.push(invalid(fieldPath, k, msg));
    for (const msg of isValidLabelValue(String(v))) errs.push(invalid(fieldPath, v, msg));
  }
  return errs;
}

/** Annotation keys are qualified names (case-insensitive); all keys and values together at most 256 KiB. */
export function validateAnnotations(annotations: Record<string, string>, fieldPath: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid(fieldPath, k, msg));
    total += Buffer.byteLength(k, 'utf8') + Buffer.byteLength(String(v), 'utf8');
  }
  if (total > totalAnnotationSizeLimitB) errs.push(tooLong(fieldPath, totalAnnotationSizeLimitB));
  return errs;
}

interface OwnerReferenceInput {
  apiVersion?: unknown;
  kind?: unknown;
  name?: unknown;
  uid?: unknown;
  controller?: unknown;
}

/** Kinds that may never own other objects, as `group/version, Kind=kind` (upstream's GVK spelling). */
const bannedOwners = new Set(['/v1, Kind=Event']);

/** Every reference needs apiVersion (with a version), kind, name and uid; at most one may be the controller. */
export function validateOwnerReferences(refs: OwnerReferenceInput[], fieldPath: string): FieldError[] {
  const errs: FieldError[] = [];
  let controllerName = '';
  for (const ref of refs) {
    const apiVersion = str(ref.apiVersion);
    const slash = apiVersion.indexOf('/');
    const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
    const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
    if (!version) errs.push(invalid(`${fieldPath}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!str(ref.kind)) errs.push(invalid(`${fieldPath}.kind`, str(ref.kind), 'must not be empty'));
    if (!str(ref.name)) errs.push(invalid(`${fieldPath}.name`, str(ref.name), 'must not be empty'));
    if (!str(ref.uid)) errs.push(invalid(`${fieldPath}.uid`, str(ref.uid), 'must not be empty'));
    const gvk = `${group}/${version}, Kind=${str(ref.kind)}`;
    if (bannedOwners.has(gvk)) errs.push(invalid(fieldPath, ref, `${gvk} is disallowed from being an owner`));
    if (ref.controller === true) {
      const current = `${str(ref.kind)}/${str(ref.name)}`;
      if (controllerName) {
        errs.push(
          invalid(
            fieldPath,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${controllerName} and ${current}`,
          ),
        );
      } else {
        controllerName = current;
      }
    }
  }
  return errs;
}

/** Finalizers are qualified names; `orphan` and `foregroundDeletion` exclude each other. */
export function validateFinalizers(finalizers: string[], fieldPath: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers) for (const msg of isQualifiedName(String(f))) errs.push(invalid(fieldPath, f, msg));
  if (finalizers.includes(finalizerOrphanDependents) && finalizers.includes(finalizerDeleteDependents)) {
    errs.push(
      invalid(fieldPath, finalizers, `finalizer ${finalizerOrphanDependents} and ${finalizerDeleteDependents} cannot be both set`),
    );
  }
  return errs;
}

/** Once deletionTimestamp is set, an update may remove finalizers but not add any. */
export function validateNoNewFinalizers(newFinalizers: string[], oldFinalizers: string[], fieldPath: string): FieldError[] {
  const old = new Set(oldFinalizers);
  const extra = [...new Set(newFinalizers.filter((f) => !old.has(f)))].sort();
  if (extra.length === 0) return [];
  return [forbidden(fieldPath, `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(extra)}`)];
}

/** Checks the `fieldManager` request parameter and managedFields[].manager: at most 128 printable characters. */
export function validateFieldManager(manager: string, fieldPath: string): FieldError[] {
  if ([...manager].length > fieldManagerMaxLength) return [tooLong(fieldPath, fieldManagerMaxLength)];
  // Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
  if (/[^\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(manager)) return [invalid(fieldPath, manager, 'invalid characters')];
  return [];
}

interface ManagedFieldsInput {
  operation?: unknown;
  fieldsType?: unknown;
  manager?: unknown;
  subresource?: unknown;
}

/** managedFields entries: operation Apply|Update, fieldsType FieldsV1, a valid manager name. */
export function validateManagedFields(entries: ManagedFieldsInput[], fieldPath: string): FieldError[] {
  const errs: FieldError[] = [];
  entries.forEach((e, i) => {
    const p = `${fieldPath}[${i}]`;
    const op = str(e.operation);
    if (op !== 'Apply' && op !== 'Update') errs.push(invalid(`${p}.operation`, op, 'must be `Apply` or `Update`'));
    const ft = str(e.fieldsType);
    if (ft && ft !== 'FieldsV1') errs.push(invalid(`${p}.fieldsType`, ft, 'must be `FieldsV1`'));
    errs.push(...validateFieldManager(str(e.manager), `${p}.manager`));
    if (str(e.subresource).length > maxSubresourceNameLength) errs.push(tooLong(`${p}.subresource`, maxSubresourceNameLength));
  });
  return errs;
}

/** Go's %#v of a []string, which upstream formats into some detail sentences: `[]string{"a", "b"}`. */
function goStringSlice(values: string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}
