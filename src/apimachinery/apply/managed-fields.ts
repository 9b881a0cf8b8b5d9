// metadata.managedFields: decoding entries into per-manager field sets, encoding them back in upstream's
// order, and the cap that folds the oldest Update entries into "ancient-changes" buckets.
import type { JSONObject } from '../patch/json-value.js';
import { FieldSet } from './field-set.js';

/** metav1.ManagedFieldsEntry as it travels on the wire. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: JSONObject;
  subresource?: string;
}

/** One manager's ownership: who, by which operation, at which version, since when, and which fields. */
export interface ManagerFields {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource: string;
  time: string | undefined;
  set: FieldSet;
}

/** Managers by identifier (see `managerIdentifier`). */
export type Managers = Map<string, ManagerFields>;

/** Entries beyond this many Update managers are folded into buckets (upstream DefaultMaxUpdateManagers). */
export const maxUpdateManagers = 10;

/** Manager name of the buckets that hold folded Update entries, one per API version. */
export const ancientChangesManager = 'ancient-changes';

/**
 * The identity of an entry: manager, operation, subresource and, for Update only, apiVersion (an applier
 * keeps one entry across versions). Spelled as upstream's JSON identifier, which conflict messages decode.
 */
export function managerIdentifier(m: { manager: string; operation: string; apiVersion: string; subresource?: string }): string {
  const id: Record<string, string> = { manager: m.manager, operation: m.operation };
  if (m.operation !== 'Apply' && m.apiVersion) id.apiVersion = m.apiVersion;
  if (m.subresource) id.subresource = m.subresource;
  return JSON.stringify(id);
}

/**
 * Decodes managedFields entries. Throws an Error with upstream's wording when an entry is malformed
 * (unknown operation, missing apiVersion, fieldsType other than FieldsV1, bad FieldsV1); later entries
 * with the same identity replace earlier ones.
 */
export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): Managers {
  const out: Managers = new Map();
  (entries ?? []).forEach((e, i) => {
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (!e.apiVersion) throw new Error('apiVersion must not be empty');
    if (!e.fieldsType) throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (e.fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType ${JSON.stringify(e.fieldsType)} in managed fields entry ${i}`);
    let set: FieldSet;
    try {
      set = FieldSet.fromFieldsV1(e.fieldsV1 ?? {});
    } catch (err) {
      throw new Error(`error decoding versioned set from ${JSON.stringify(e.fieldsV1)}: ${(err as Error).message}`);
    }
    const m: ManagerFields = {
      manager: e.manager ?? '',
      operation: e.operation,
      apiVersion: e.apiVersion,
      subresource: e.subresource ?? '',
      time: e.time,
      set,
    };
    out.set(managerIdentifier(m), m);
  });
  return out;
}

function unixSeconds(time: string | undefined): number {
  if (!time) return 0;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Encodes managers as entries, sorted as upstream: operation, time, manager, apiVersion, subresource. */
export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] {
  const list = [...managers.values()].filter((m) => !m.set.isEmpty());
  list.sort(
    (p, q) =>
      compareStrings(p.operation, q.operation) ||
      unixSeconds(p.time) - unixSeconds(q.time) ||
      compareStrings(p.manager, q.manager) ||
      compareStrings(p.apiVersion, q.apiVersion) ||
      compareStrings(p.subresource, q.subresource),
  );
  return list.map((m) => {
    const e: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion };
    if (m.time) e.time = m.time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = m.set.toFieldsV1();
    if (m.subresource) e.subresource = m.subresource;
    return e;
  });
}

/**
 * Keeps at most `max` Update entries: the oldest ones are folded, per API version, into an
 * "ancient-changes" Update entry (the first old entry of a version becomes the bucket, later ones are
 * merged into it and lend it their time). Mutates and returns `managers`.
 */
export function capUpdateManagers(managers: Managers, max = maxUpdateManagers): Managers {
  const updaters = [...managers.entries()].filter(([, m]) => m.operation === 'Update').map(([id]) => id);
  if (updaters.length <= max) return managers;
  updaters.sort((a, b) => unixSeconds(managers.get(a)!.time) - unixSeconds(managers.get(b)!.time) || compareStrings(a, b));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > max; i++) {
    const id = updaters[i]!;
    const m = managers.get(id)!;
    const bucket = managerIdentifier({ manager: ancientChangesManager, operation: 'Update', apiVersion: m.apiVersion });
    const first = firstOfVersion.get(m.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(m.apiVersion, id);
      continue;
    }
    if (!managers.has(bucket)) {
      const f = managers.get(first)!;
      managers.delete(first);
      managers.set(bucket, { ...f, manager: ancientChangesManager, subresource: '' });
    }
    const b = managers.get(bucket)!;
    managers.set(bucket, { ...b, set: m.set.union(b.set), time: m.time });
    managers.delete(id);
    length--;
  }
  return managers;
}
