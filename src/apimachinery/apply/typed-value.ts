// Schema-directed walks over JSON objects for server-side apply: the field set a value sets, the comparison
// of two values (added / modified / removed paths), the apply merge, and removal of paths.
import { deepCopy, deepEqual, isJSONObject, setMember, type JSONObject, type JSONValue } from '../patch/json-value.js';
import { FieldSet } from './field-set.js';
import { fieldElement, indexElement, keyElement, pathString, valueElement, type PathElement } from './path-element.js';
import { untypedType, type ApplyType } from './schema.js';

/** How a value is walked: as one leaf, key by key, or item by item identified by value or by keys. */
type Shape = 'leaf' | 'object' | 'set' | 'map-list';

/**
 * The shape of `v` at `type`. A null at a granular position walks as an empty container of that position
 * (upstream treats null maps and lists as present but empty); a value of the wrong kind is a leaf.
 */
function shapeOf(type: ApplyType, v: JSONValue): Shape {
  switch (type.kind) {
    case 'untyped':
      return isJSONObject(v) ? 'object' : 'leaf';
    case 'struct':
    case 'map':
      return !type.atomic && (v === null || isJSONObject(v)) ? 'object' : 'leaf';
    case 'list':
      if (v !== null && !Array.isArray(v)) return 'leaf';
      return type.listType === 'set' ? 'set' : type.listType === 'map' ? 'map-list' : 'leaf';
    default:
      return 'leaf';
  }
}

/** The type below `type` at `pe`; positions the schema does not declare are untyped. */
export function childType(type: ApplyType, pe: PathElement): ApplyType {
  switch (type.kind) {
    case 'struct':
      return pe.kind === 'field' ? (type.fieldType(pe.name) ?? untypedType) : untypedType;
    case 'map':
    case 'list':
      return type.elementType();
    default:
      return untypedType;
  }
}

/** A named struct field (as opposed to a map key or a field the schema does not know). */
function isNamedField(type: ApplyType, name: string): boolean {
  return type.kind === 'struct' && type.fieldType(name) !== undefined;
}

/**
 * The path element of a list item: by value in sets, by its key fields in list maps (a missing key field
 * takes its schema default, else is left out). Items with no key field at all, which configurations may not
 * contain (`validateListItems`), fall back to their index.
 */
export function itemElement(type: ApplyType, item: JSONValue, index: number, shape: 'set' | 'map-list'): PathElement {
  if (shape === 'set') return valueElement(item);
  const keys = type.listMapKeys ?? [];
  if (!isJSONObject(item) || keys.length === 0) return indexElement(index);
  const defaults = type.listMapKeyDefaults;
  const key: Array<[string, JSONValue]> = [];
  for (const k of keys) {
    if (Object.hasOwn(item, k)) key.push([k, item[k]!]);
    else if (defaults && Object.hasOwn(defaults, k)) key.push([k, defaults[k]!]);
  }
  return key.length > 0 ? keyElement(key) : indexElement(index);
}

interface IndexedItems {
  readonly order: PathElement[];
  readonly byId: Map<string, JSONValue>;
}

function indexItems(type: ApplyType, list: JSONValue[], shape: 'set' | 'map-list'): IndexedItems {
  const order: PathElement[] = [];
  const byId = new Map<string, JSONValue>();
  list.forEach((item, i) => {
    const pe = itemElement(type, item, i, shape);
    order.push(pe);
    if (!byId.has(pe.id)) byId.set(pe.id, item);
  });
  return { order, byId };
}

// ---------------------------------------------------------------------------------------------------------
// Validation

/**
 * Errors that make a value unusable as an apply configuration, in upstream's wording with the path
 * in front: list-map items without any key field, non-object or null list-map items, set items that are
 * objects, lists or null, and duplicate items (`duplicate entries for key [name="a"]`).
 */
export function validateListItems(value: JSONObject, type: ApplyType): string[] {
  const errs: string[] = [];
  validateAt(value, type, '', errs);
  return errs;
}

function validateAt(v: JSONValue, type: ApplyType, path: string, errs: string[]): void {
  const shape = shapeOf(type, v);
  if (v === null) return;
  if (shape === 'object') {
    for (const [key, child] of Object.entries(v as JSONObject)) validateAt(child, childType(type, fieldElement(key)), `${path}.${key}`, errs);
    return;
  }
  if (shape !== 'set' && shape !== 'map-list') return;
  const seen = new Set<string>();
  const keys = type.listMapKeys ?? [];
  const et = type.elementType();
  const items = v as JSONValue[];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    let problem: string | undefined;
    if (shape === 'map-list') {
      if (item === null) problem = 'associative list with keys may not have a null element';
      else if (!isJSONObject(item)) problem = 'associative list with keys may not have non-map elements';
      else if (keys.length > 0 && !keys.some((k) => Object.hasOwn(item, k) || Object.hasOwn(type.listMapKeyDefaults ?? {}, k))) {
        problem = `associative list with keys has an element that omits all key fields [${keys.map((k) => JSON.stringify(k)).join(' ')}] (and doesn't have default values for any key fields)`;
      }
    } else if (item === null) problem = "associative list without keys has an element that's an explicit null";
    else if (Array.isArray(item)) problem = 'not supported: associative list with lists as elements';
    else if (isJSONObject(item)) problem = "associative list without keys has an element that's a map type";
    if (problem) {
      // Upstream stops at the first bad item of a list: without its path element nothing below can be named.
      errs.push(`${path}: element ${i}: ${problem}`);
      return;
    }
    const pe = itemElement(type, item, i, shape);
    if (seen.has(pe.id)) errs.push(`${path}: duplicate entries for key ${pathString([pe])}`);
    seen.add(pe.id);
    validateAt(item, et, `${path}${pathString([pe])}`, errs);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Field sets

/** The paths `value` sets (upstream's ToFieldSet): leaves, list items and map entries are members. */
export function fieldSetOf(value: JSONObject, type: ApplyType): FieldSet {
  const root = new FieldSet();
  collectChildren(value, type, 'object', root);
  return root.prune();
}

function collectChildren(v: JSONValue, type: ApplyType, shape: Shape, out: FieldSet): void {
  if (shape === 'object') {
    const obj = v as JSONObject;
    for (const key of Object.keys(obj)) {
      const pe = fieldElement(key);
      const child = obj[key]!;
      const ct = childType(type, pe);
      const cs = shapeOf(ct, child);
      if (cs === 'leaf') {
        out.addMember(pe);
        continue;
      }
      if (child !== null) collectChildren(child, ct, cs, out.child(pe));
      const empty = child === null || (isJSONObject(child) && Object.keys(child).length === 0);
      if (empty || !isNamedField(type, key)) out.addMember(pe);
    }
  } else if (shape === 'set' || shape === 'map-list') {
    const et = type.elementType();
    (v as JSONValue[]).forEach((item, i) => {
      const pe = itemElement(type, item, i, shape);
      out.addMember(pe);
      const cs = shapeOf(et, item);
      if (cs !== 'leaf' && item !== null) collectChildren(item, et, cs, out.child(pe));
    });
  }
}

/**
 * Makes every named struct field in `set` a member (upstream's EnsureNamedFieldsAreMembers), so that
 * removing a set's paths also removes the struct fields it only reaches through.
 */
export function ensureNamedFieldsAreMembers(set: FieldSet, type: ApplyType): FieldSet {
  const out = new FieldSet();
  fillNamedMembers(set, type, out);
  return out.prune();
}

function fillNamedMembers(set: FieldSet, type: ApplyType, out: FieldSet): void {
  set.forEachEntry((pe, member, child) => {
    if (member || (pe.kind === 'field' && isNamedField(type, pe.name))) out.addMember(pe);
    if (child) fillNamedMembers(child, childType(type, pe), out.child(pe));
  });
}

// ---------------------------------------------------------------------------------------------------------
// Comparison

/** What changed from one value to another, as paths (upstream's typed Comparison). */
export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/**
 * Compares two objects of `type`. Leaves and atomic values count as modified when unequal; a granular
 * position (struct, map, list item) present on one side only is itself added or removed, as are all its
 * children. Empty or absent containers on both sides compare as leaves, keeping `{}` apart from absent.
 */
export function compare(lhs: JSONObject, rhs: JSONObject, type: ApplyType): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  compareChildren(lhs, rhs, type, 'object', c);
  c.added.prune();
  c.modified.prune();
  c.removed.prune();
  return c;
}

function isEmptyContainer(v: JSONValue | undefined): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isJSONObject(v) && Object.keys(v).length === 0;
}

function compareAt(pe: PathElement, l: JSONValue | undefined, r: JSONValue | undefined, type: ApplyType, c: Comparison): void {
  const ls = l === undefined ? undefined : shapeOf(type, l);
  const rs = r === undefined ? undefined : shapeOf(type, r);
  const shape = ls ?? rs!;
  const leaf = shape === 'leaf' || (ls !== undefined && rs !== undefined && ls !== rs) || (isEmptyContainer(l) && isEmptyContainer(r));
  if (leaf) {
    if (l === undefined) c.added.addMember(pe);
    else if (r === undefined) c.removed.addMember(pe);
    else if (!deepEqual(l, r)) c.modified.addMember(pe);
    return;
  }
  const sub: Comparison = { added: c.added.child(pe), modified: c.modified.child(pe), removed: c.removed.child(pe) };
  compareChildren(l, r, type, shape, sub);
  if (l === undefined) c.added.addMember(pe);
  else if (r === undefined) c.removed.addMember(pe);
}

function compareChildren(l: JSONValue | undefined, r: JSONValue | undefined, type: ApplyType, shape: Shape, c: Comparison): void {
  if (shape === 'object') {
    const lo = isJSONObject(l) ? l : {};
    const ro = isJSONObject(r) ? r : {};
    for (const key of Object.keys(ro)) {
      const pe = fieldElement(key);
      compareAt(pe, Object.hasOwn(lo, key) ? lo[key] : undefined, ro[key], childType(type, pe), c);
    }
    for (const key of Object.keys(lo)) {
      if (Object.hasOwn(ro, key)) continue;
      const pe = fieldElement(key);
      compareAt(pe, lo[key], undefined, childType(type, pe), c);
    }
  } else if (shape === 'set' || shape === 'map-list') {
    const et = type.elementType();
    const li = indexItems(type, Array.isArray(l) ? l : [], shape);
    const ri = indexItems(type, Array.isArray(r) ? r : [], shape);
    const seen = new Set<string>();
    for (const pe of ri.order) {
      if (seen.has(pe.id)) continue;
      seen.add(pe.id);
      compareAt(pe, li.byId.get(pe.id), ri.byId.get(pe.id), et, c);
    }
    for (const pe of li.order) {
      if (seen.has(pe.id)) continue;
      seen.add(pe.id);
      compareAt(pe, li.byId.get(pe.id), undefined, et, c);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Merge

/**
 * Merges `rhs` into `lhs` as apply does: `rhs` wins at leaves and atomic positions; structs and maps
 * merge key by key; set and map lists merge item by item, keeping the order of both sides (items only in
 * `lhs` stay where they were relative to the shared items, which take the order of `rhs`).
 */
export function merge(lhs: JSONObject, rhs: JSONObject, type: ApplyType): JSONObject {
  return mergeValues(lhs, rhs, type) as JSONObject;
}

function mergeValues(l: JSONValue | undefined, r: JSONValue | undefined, type: ApplyType): JSONValue {
  if (l === undefined) return deepCopy(r!);
  if (r === undefined) return deepCopy(l);
  const ls = shapeOf(type, l);
  const rs = shapeOf(type, r);
  if (rs === 'leaf' || ls !== rs || (isEmptyContainer(l) && isEmptyContainer(r))) return deepCopy(r);
  if (rs === 'object') {
    const lo = (l ?? {}) as JSONObject;
    const ro = (r ?? {}) as JSONObject;
    const out: JSONObject = {};
    for (const key of Object.keys(lo)) {
      const v = Object.hasOwn(ro, key) ? mergeValues(lo[key], ro[key], childType(type, fieldElement(key))) : deepCopy(lo[key]!);
      setMember(out, key, v);
    }
    for (const key of Object.keys(ro)) if (!Object.hasOwn(lo, key)) setMember(out, key, deepCopy(ro[key]!));
    return out;
  }
  return mergeLists((l ?? []) as JSONValue[], (r ?? []) as JSONValue[], type, rs);
}

function mergeLists(l: JSONValue[], r: JSONValue[], type: ApplyType, shape: 'set' | 'map-list'): JSONValue[] {
  const et = type.elementType();
  const li = indexItems(type, l, shape);
  const ri = indexItems(type, r, shape);
  // Items on both sides, in rhs order: the next one is where the walk over lhs may resume.
  const shared = ri.order.filter((pe) => li.byId.has(pe.id));
  let nextShared = 0;
  const mergedRight = new Set<string>();
  const out: JSONValue[] = [];
  let lI = 0;
  let rI = 0;
  while (lI < l.length || rI < r.length) {
    if (lI < l.length && rI < r.length) {
      const pe = li.order[lI]!;
      if (pe.id === ri.order[rI]!.id) {
        mergedRight.add(pe.id);
        out.push(mergeValues(li.byId.get(pe.id), ri.byId.get(pe.id), et));
        lI++;
        rI++;
        nextShared++;
        continue;
      }
      // A shared item that rhs wants later: skip it here, it is emitted at its rhs position.
      if (ri.byId.has(pe.id) && nextShared < shared.length && shared[nextShared]!.id !== pe.id) {
        lI++;
        continue;
      }
    }
    if (lI < l.length) {
      const pe = li.order[lI]!;
      if (!ri.byId.has(pe.id)) {
        out.push(deepCopy(l[lI]!));
        lI++;
        continue;
      }
      if (mergedRight.has(pe.id)) lI++;
    }
    if (rI < r.length) {
      const pe = ri.order[rI]!;
      mergedRight.add(pe.id);
      out.push(mergeValues(li.byId.get(pe.id), ri.byId.get(pe.id), et));
      rI++;
      if (nextShared < shared.length && shared[nextShared]!.id === pe.id) nextShared++;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Removal

/**
 * `value` without the paths that are members of `set` (each member removes its whole subtree). Containers
 * on the way are new; untouched subtrees are shared with `value`.
 */
export function removeItems(value: JSONObject, set: FieldSet, type: ApplyType): JSONObject {
  return removeFrom(value, set, type) as JSONObject;
}

function removeFrom(v: JSONValue, set: FieldSet, type: ApplyType): JSONValue {
  if (v === null) return v;
  const shape = shapeOf(type, v);
  if (shape === 'object') {
    const obj = v as JSONObject;
    const out: JSONObject = {};
    for (const key of Object.keys(obj)) {
      const pe = fieldElement(key);
      if (set.hasMember(pe)) continue;
      const child = set.childIfExists(pe);
      setMember(out, key, child ? removeFrom(obj[key]!, child, childType(type, pe)) : obj[key]!);
    }
    return out;
  }
  if (shape === 'set' || shape === 'map-list') {
    const et = type.elementType();
    const out: JSONValue[] = [];
    (v as JSONValue[]).forEach((item, i) => {
      const pe = itemElement(type, item, i, shape);
      if (set.hasMember(pe)) return;
      const child = set.childIfExists(pe);
      out.push(child ? removeFrom(item, child, et) : item);
    });
    return out;
  }
  return v;
}
