// Server-side apply and managedFields tracking for every other write: the field manager of upstream's
// apiserver (fieldmanager) over the structured merge engine, as pure functions of objects and time.
import { newBadRequest, StatusError } from '../errors.js';
import { deepEqual, isJSONObject, type JSONObject, type JSONValue } from '../patch/json-value.js';
import { conflictsFromManagers, newApplyConflict, type Conflict } from './conflict.js';
import { FieldSet } from './field-set.js';
import type { FieldFilter } from './field-filter.js';
import {
  capUpdateManagers,
  decodeManagedFields,
  encodeManagedFields,
  managerIdentifier,
  type ManagedFieldsEntry,
  type ManagerFields,
  type Managers,
} from './managed-fields.js';
import { allowedFromLastApplied, syncLastApplied } from './last-applied.js';
import { fieldElement, pathString as pathStringOf } from './path-element.js';
import type { ApplyType } from './schema.js';
import { compare, ensureNamedFieldsAreMembers, fieldSetOf, merge, removeItems, validateListItems, type Comparison } from './typed-value.js';

export { lastAppliedConfigAnnotation } from './last-applied.js';

/** The manager that owns everything an object had when it is first applied without any managedFields. */
export const beforeFirstApplyManager = 'before-first-apply';

/** Fields no manager owns: identity, bookkeeping and managedFields itself (upstream's stripMeta set). */
const strippedFields = FieldSet.of([
  [fieldElement('apiVersion')],
  [fieldElement('kind')],
  [fieldElement('metadata')],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map(
    (f) => [fieldElement('metadata'), fieldElement(f)],
  ),
]);

/** RFC 3339 in whole seconds, as metav1.Time. */
function formatTime(now: Date): string {
  return new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function metadataOf(obj: JSONObject): JSONObject | undefined {
  return isJSONObject(obj.metadata) ? obj.metadata : undefined;
}

/** A shallow copy of `obj` whose metadata lacks managedFields (the engine never sees them as fields). */
function withoutManagedFields(obj: JSONObject): JSONObject {
  const meta = metadataOf(obj);
  if (!meta || !Object.hasOwn(meta, 'managedFields')) return obj;
  const { managedFields: _, ...rest } = meta;
  return { ...obj, metadata: rest };
}

/**
 * `obj` with the object-valued members of `zero` (a kind's zero value: its non-pointer structs) added where
 * `obj` lacks them, recursively; nothing present is changed and `obj` itself is not modified.
 */
function withZeroStructs(obj: JSONObject, zero: JSONObject): JSONObject {
  let out: JSONObject | undefined;
  for (const [k, z] of Object.entries(zero)) {
    if (z === null || typeof z !== 'object' || Array.isArray(z)) continue;
    const v = obj[k];
    const filled = v === undefined ? withZeroStructs({}, z) : v !== null && typeof v === 'object' && !Array.isArray(v) ? withZeroStructs(v, z) : v;
    if (filled !== v) (out ??= { ...obj })[k] = filled;
  }
  return out ?? obj;
}

function withManagedFields(obj: JSONObject, entries: ManagedFieldsEntry[]): JSONObject {
  const meta = { ...(metadataOf(obj) ?? {}) };
  delete meta.managedFields;
  if (entries.length > 0) meta.managedFields = entries as unknown as JSONValue;
  return { ...obj, metadata: meta };
}

function stripMeta(managers: Managers, id: string): void {
  const m = managers.get(id);
  if (!m) return;
  const set = m.set.difference(strippedFields);
  if (set.isEmpty()) managers.delete(id);
  else managers.set(id, { ...m, set });
}

interface UpdateStep {
  live: JSONObject;
  next: JSONObject;
  managers: Managers;
  /** The acting manager: skipped when looking for conflicts. */
  workflowId: string;
  force: boolean;
  type: ApplyType;
  ignored: FieldFilter | undefined;
}

/**
 * Upstream's Updater.update: compares live and next; other managers owning modified or added fields
 * conflict (returned when not forced, otherwise they lose those fields); removed fields leave every
 * other manager; managers left with nothing are dropped.
 */
function updateStep(s: UpdateStep): { conflicts: Conflict[]; comparison: Comparison } {
  let comparison = compare(s.live, s.next, s.type);
  if (s.ignored) {
    comparison = {
      added: s.ignored.filter(comparison.added),
      modified: s.ignored.filter(comparison.modified),
      removed: s.ignored.filter(comparison.removed),
    };
  }
  const changed = comparison.modified.union(comparison.added);
  const conflictSets = new Map<string, FieldSet>();
  for (const [id, m] of s.managers) {
    if (id === s.workflowId) continue;
    const c = m.set.intersection(changed);
    if (!c.isEmpty()) conflictSets.set(id, c);
  }
  if (!s.force && conflictSets.size > 0) return { conflicts: conflictsFromManagers(conflictSets), comparison };
  for (const [id, m] of s.managers) {
    if (id === s.workflowId) continue;
    let set = m.set;
    const c = conflictSets.get(id);
    if (c) set = set.difference(c);
    if (!comparison.removed.isEmpty()) set = set.difference(comparison.removed);
    if (set.isEmpty()) s.managers.delete(id);
    else if (set !== m.set) s.managers.set(id, { ...m, set });
  }
  return { conflicts: [], comparison };
}

/**
 * Upstream's Updater.Update under the "current-operation" wrapper: the manager gains the fields this
 * write added or modified (others lose them), every manager loses removed fields, and the manager's
 * time moves to `now` only when it gained something.
 */
function trackUpdate(opts: {
  live: JSONObject;
  next: JSONObject;
  managers: Managers;
  owner: Omit<ManagerFields, 'set' | 'time'>;
  type: ApplyType;
  ignored: FieldFilter | undefined;
  now: Date;
}): void {
  const current = '\u0000current-operation';
  const { comparison } = updateStep({ live: opts.live, next: opts.next, managers: opts.managers, workflowId: current, force: true, type: opts.type, ignored: opts.ignored });
  let gained = comparison.modified.union(comparison.added);
  if (opts.ignored) gained = opts.ignored.filter(gained);
  if (gained.isEmpty()) return;
  const id = managerIdentifier(opts.owner);
  const previous = opts.managers.get(id);
  opts.managers.set(id, { ...opts.owner, set: previous ? gained.union(previous.set) : gained, time: formatTime(opts.now) });
  stripMeta(opts.managers, id);
}

/** Options of a non-apply write (create, update, patch) whose managedFields need an Update entry. */
export interface UpdateManagedFieldsOptions {
  /** The stored object; undefined on create. */
  old: JSONObject | undefined;
  /** The object about to be stored, as the request made it (its managedFields may be client-written). */
  new: JSONObject;
  /** The request's fieldManager, or the User-Agent's program name (`managerFromUserAgent`). */
  manager: string;
  /** The request's group/version, e.g. "apps/v1". */
  apiVersion: string;
  /** "status", "scale", … for writes through a subresource; "" or absent for the main resource. */
  subresource?: string;
  schema: ApplyType;
  now: Date;
  /** Fields the strategy resets for this (sub)resource (e.g. status on the main resource): never owned. */
  ignoredFields?: FieldFilter;
  /**
   * What a create is compared against: the kind's zero value as upstream marshals a new Go object (see
   * zeroObjectFor in src/api/apply-schema.ts); `{}` when absent (custom resources).
   */
  emptyObject?: JSONObject;
}

export interface ManagedFieldsResult {
  /** `new` with metadata.managedFields replaced (absent when no manager owns anything). */
  object: JSONObject;
  managedFields: ManagedFieldsEntry[];
}

/**
 * Records a non-apply write in managedFields, as upstream does for every create, update and patch.
 * The base entries are the request's own managedFields when it sets them (`[]` or `[{}]` resets them;
 * a subresource write cannot set them), otherwise the stored object's; undecodable entries fall back to
 * the stored ones, then to none. An existing object without managedFields is not tracked further.
 */
export function updateManagedFields(opts: UpdateManagedFieldsOptions): ManagedFieldsResult {
  const subresource = opts.subresource ?? '';
  const oldEntries = opts.old ? (metadataOf(opts.old)?.managedFields as ManagedFieldsEntry[] | undefined) : undefined;
  const newEntries = metadataOf(opts.new)?.managedFields as ManagedFieldsEntry[] | undefined;
  const decodeOrEmpty = (entries: ManagedFieldsEntry[] | undefined): Managers => {
    try {
      return decodeManagedFields(Array.isArray(entries) ? entries : undefined);
    } catch {
      return new Map();
    }
  };
  let managers: Managers;
  if (subresource) managers = decodeOrEmpty(oldEntries);
  else if (Array.isArray(newEntries) && (newEntries.length === 0 || (newEntries.length === 1 && Object.keys(newEntries[0] ?? {}).length === 0))) managers = new Map();
  else {
    let decoded: Managers | undefined;
    try {
      decoded = decodeManagedFields(Array.isArray(newEntries) ? newEntries : undefined);
    } catch {
      decoded = undefined;
    }
    managers = decoded && decoded.size > 0 ? decoded : decodeOrEmpty(oldEntries);
  }
  const live = opts.old ? withoutManagedFields(opts.old) : (opts.emptyObject ?? {});
  const next = withoutManagedFields(opts.new);
  const existed = opts.old !== undefined && typeof metadataOf(opts.old)?.uid === 'string' && metadataOf(opts.old)!.uid !== '';
  if (managers.size === 0 && existed) return { object: next, managedFields: [] };
  trackUpdate({
    // Compared as upstream's typed objects are: a kind's non-pointer structs (a Deployment's status, say) exist
    // even when the stored JSON omits them, so filling one in does not create it.
    live: opts.emptyObject ? withZeroStructs(live, opts.emptyObject) : live,
    next: opts.emptyObject ? withZeroStructs(next, opts.emptyObject) : next,
    managers,
    owner: { manager: opts.manager, operation: 'Update', apiVersion: opts.apiVersion, subresource },
    type: opts.schema,
    ignored: opts.ignoredFields,
    now: opts.now,
  });
  capUpdateManagers(managers);
  const managedFields = encodeManagedFields(managers);
  return { object: withManagedFields(next, managedFields), managedFields };
}

/** Options of an apply (PATCH with application/apply-patch+yaml). */
export interface ApplyOptions {
  /** The stored object; undefined when the apply creates it. */
  live: JSONObject | undefined;
  /** The decoded apply configuration (the request body). */
  applied: JSONObject;
  /** The request's fieldManager (required for apply; the handler rejects an empty one). */
  manager: string;
  force: boolean;
  /** The request's group/version, e.g. "apps/v1"; the configuration must say the same. */
  apiVersion: string;
  subresource?: string;
  schema: ApplyType;
  now: Date;
  ignoredFields?: FieldFilter;
  /** The kind's zero value: the base of the "before-first-apply" entry for objects nobody tracked yet. */
  emptyObject?: JSONObject;
}

export interface ApplyResult extends ManagedFieldsResult {
  /** False when the stored object would not change apart from managedFields (a no-op apply). */
  changed: boolean;
}

/** The core apply, without kubectl's last-applied handling. Conflicts are returned, not thrown. */
function applyOnce(opts: ApplyOptions, force: boolean, managers: Managers, live: JSONObject): { conflicts: Conflict[] } | { object: JSONObject; managers: Managers } {
  const subresource = opts.subresource ?? '';
  const type = opts.schema;
  const ignored = opts.ignoredFields;
  managers = new Map(managers);
  if (managers.size === 0 && opts.live !== undefined) {
    trackUpdate({
      live: opts.emptyObject ?? {},
      next: live,
      managers,
      owner: { manager: beforeFirstApplyManager, operation: 'Update', apiVersion: opts.apiVersion, subresource },
      type,
      ignored,
      now: opts.now,
    });
  }
  const id = managerIdentifier({ manager: opts.manager, operation: 'Apply', apiVersion: opts.apiVersion, subresource });
  const lastSet = managers.get(id)?.set;
  let set = fieldSetOf(opts.applied, type);
  if (ignored) set = ignored.filter(set);
  const previous = managers.get(id);
  managers.set(id, { manager: opts.manager, operation: 'Apply', apiVersion: opts.apiVersion, subresource, time: previous?.time, set });
  const merged = merge(live, opts.applied, type);
  // Nothing to prune while the applier still applies everything it owned before (the common case).
  const dropped = lastSet ? lastSet.difference(set) : undefined;
  const pruned = lastSet && dropped && !dropped.isEmpty() ? prune(merged, managers, lastSet, type) : merged;
  const { conflicts } = updateStep({ live, next: pruned, managers, workflowId: id, force, type, ignored });
  if (conflicts.length > 0) return { conflicts };
  return { object: pruned, managers };
}

/**
 * Removes what the applier owned before and no longer applies, unless another manager (or the new
 * configuration) owns it; items the applier did not own are never removed (upstream's prune with
 * addBackOwnedItems and addBackDanglingItems).
 */
function prune(merged: JSONObject, managers: Managers, lastSet: FieldSet, type: ApplyType): JSONObject {
  const named = (s: FieldSet): FieldSet => ensureNamedFieldsAreMembers(s, type);
  const last = named(lastSet);
  let pruned = removeItems(merged, last, type);
  let owned = new FieldSet();
  for (const m of managers.values()) owned = owned.union(m.set);
  const mergedSet = named(fieldSetOf(merged, type));
  const prunedSet = named(fieldSetOf(pruned, type));
  pruned = removeItems(merged, mergedSet.difference(prunedSet.union(named(owned))), type);
  const keptSet = named(fieldSetOf(pruned, type));
  return removeItems(merged, mergedSet.difference(keptSet).intersection(last), type);
}

/**
 * Server-side apply of `applied` onto `live` (or onto nothing: apply creates). The result is the merged
 * object with the applier owning exactly the configuration's fields, fields it stopped applying removed
 * unless someone else owns them, and managedFields updated. Throws a 409 Conflict StatusError (one
 * FieldManagerConflict cause per field) when the configuration changes fields others own and `force` is
 * false; 400 when the configuration carries managedFields or another apiVersion.
 * For the "kubectl" manager, conflicts only with fields the live last-applied annotation still matches
 * are taken over (CSA→SSA upgrade), and an existing last-applied annotation is rewritten to the config.
 */
export function apply(opts: ApplyOptions): ApplyResult {
  const appliedMeta = metadataOf(opts.applied);
  if (appliedMeta && appliedMeta.managedFields !== undefined && appliedMeta.managedFields !== null) {
    throw newBadRequest('metadata.managedFields must be nil');
  }
  if (typeof opts.applied.apiVersion === 'string' && opts.applied.apiVersion !== opts.apiVersion) {
    throw newBadRequest(`Incorrect version specified in apply patch. Specified patch version: ${opts.applied.apiVersion}, expected: ${opts.apiVersion}`);
  }
  const problems = validateListItems(opts.applied, opts.schema);
  if (problems.length > 0) {
    // Upstream reports this as a plain error: 500 without a reason, message verbatim.
    const meta = appliedMeta ?? {};
    const slash = opts.apiVersion.indexOf('/');
    const gvk = `${slash < 0 ? '' : opts.apiVersion.slice(0, slash)}/${opts.apiVersion.slice(slash + 1)}, Kind=${typeof opts.applied.kind === 'string' ? opts.applied.kind : ''}`;
    const detail = problems.length === 1 ? problems[0] : ['errors:', ...problems.map((p) => `  ${p}`)].join('\n');
    const where = `${typeof meta.namespace === 'string' ? meta.namespace : ''}/${typeof meta.name === 'string' ? meta.name : ''}; ${gvk}`;
    throw new StatusError({ code: 500, reason: '', message: `failed to create typed patch object (${where}): ${detail}` });
  }
  let managers: Managers;
  try {
    managers = decodeManagedFields(opts.live ? (metadataOf(opts.live)?.managedFields as ManagedFieldsEntry[] | undefined) : undefined);
  } catch (err) {
    // A plain error upstream: 500 without a reason.
    throw new StatusError({ code: 500, reason: '', message: `failed to decode managed fields: ${(err as Error).message}` });
  }
  const live = opts.live ? withoutManagedFields(opts.live) : {};
  let result = applyOnce(opts, opts.force, managers, live);
  if ('conflicts' in result && opts.manager === 'kubectl') {
    const allowed = allowedFromLastApplied(live, opts.schema);
    if (allowed) {
      const allowedPaths = new Set(allowed.paths().map(pathStringOf));
      const remaining = result.conflicts.filter((c) => !allowedPaths.has(c.path));
      result = remaining.length === 0 ? applyOnce(opts, true, managers, live) : { conflicts: remaining };
    }
  }
  if ('conflicts' in result) throw newApplyConflict(result.conflicts);

  const id = managerIdentifier({ manager: opts.manager, operation: 'Apply', apiVersion: opts.apiVersion, subresource: opts.subresource ?? '' });
  // A no-op apply keeps the stored object (and the applier's time); managedFields may still change.
  const changed = opts.live === undefined || !deepEqual(live, result.object);
  if (changed) {
    const m = result.managers.get(id);
    if (m) result.managers.set(id, { ...m, time: formatTime(opts.now) });
  }
  stripMeta(result.managers, id);
  capUpdateManagers(result.managers);
  let object = changed ? result.object : live;
  if (opts.manager === 'kubectl') object = syncLastApplied(object, opts.applied);
  const managedFields = encodeManagedFields(result.managers);
  return { object: withManagedFields(object, managedFields), managedFields, changed: changed || object !== live };
}

/** The Update manager name upstream derives from a User-Agent when a request has no fieldManager. */
export function managerFromUserAgent(userAgent: string): string {
  return userAgent.split('/')[0] ?? '';
}
