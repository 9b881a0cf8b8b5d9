// A set of field paths in tree form, as managedFields stores ownership: members at each level plus child
// sets, with set algebra and conversion to and from the FieldsV1 JSON form (`f:`, `k:`, `v:`, `i:`, ".").
import { isJSONObject, type JSONObject, type JSONValue } from '../patch/json-value.js';
import { comparePathElements, parsePathElement, type PathElement } from './path-element.js';

interface Child {
  readonly pe: PathElement;
  readonly set: FieldSet;
}

/**
 * Field paths as a tree. A path is in the set when its last element is a member of the set reached by
 * the elements before it. Children that become empty are dropped, so an empty set has no nodes at all.
 * Mutators (`insert`, `addMember`, `child`) are for building a set; once a set takes part in the algebra
 * it must not change, because results share unchanged subtrees with their inputs.
 */
// Read-only stand-ins until a set gets its first member or child: most nodes are leaves.
const noMembers: ReadonlyMap<string, PathElement> = new Map();
const noChildren: ReadonlyMap<string, Child> = new Map();

export class FieldSet {
  private members = noMembers as Map<string, PathElement>;
  private children = noChildren as Map<string, Child>;

  private putMember(id: string, pe: PathElement): void {
    if (this.members === noMembers) this.members = new Map();
    this.members.set(id, pe);
  }

  private putChild(id: string, c: Child): void {
    if (this.children === noChildren) this.children = new Map();
    this.children.set(id, c);
  }

  /** True when the set holds no path. */
  isEmpty(): boolean {
    return this.members.size === 0 && this.children.size === 0;
  }

  /** Adds `pe` as a member at this level. */
  addMember(pe: PathElement): void {
    this.putMember(pe.id, pe);
  }

  hasMember(pe: PathElement): boolean {
    return this.members.has(pe.id);
  }

  /** The child set under `pe`, created when absent. Callers must not leave it empty (use `prune`). */
  child(pe: PathElement): FieldSet {
    let c = this.children.get(pe.id);
    if (!c) {
      c = { pe, set: new FieldSet() };
      this.putChild(pe.id, c);
    }
    return c.set;
  }

  /** The child set under `pe`, or undefined. */
  childIfExists(pe: PathElement): FieldSet | undefined {
    return this.children.get(pe.id)?.set;
  }

  /** Adds the path. An empty path is ignored (the root itself is never a member). */
  insert(path: readonly PathElement[]): void {
    if (path.length === 0) return;
    let s: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) s = s.child(path[i]!);
    s.addMember(path[path.length - 1]!);
  }

  /** True when the set holds the path. */
  has(path: readonly PathElement[]): boolean {
    if (path.length === 0) return false;
    let s: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && s; i++) s = s.childIfExists(path[i]!);
    return s !== undefined && s.hasMember(path[path.length - 1]!);
  }

  /** Drops empty child sets below this one; returns this. */
  prune(): FieldSet {
    for (const [id, c] of this.children) {
      c.set.prune();
      if (c.set.isEmpty()) this.children.delete(id);
    }
    return this;
  }

  union(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) out.putMember(id, pe);
    for (const [id, pe] of other.members) out.putMember(id, pe);
    for (const [id, c] of this.children) {
      const o = other.children.get(id);
      out.putChild(id, o ? { pe: c.pe, set: c.set.union(o.set) } : c);
    }
    for (const [id, c] of other.children) if (!this.children.has(id)) out.putChild(id, c);
    return out;
  }

  /** Paths in this set and not in `other` (a member of `other` removes only that path, not its children). */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) if (!other.members.has(id)) out.putMember(id, pe);
    for (const [id, c] of this.children) {
      const o = other.children.get(id);
      if (!o) {
        out.putChild(id, c);
        continue;
      }
      const set = c.set.difference(o.set);
      if (!set.isEmpty()) out.putChild(id, { pe: c.pe, set });
    }
    return out;
  }

  /** Paths in this set that are neither in `other` nor below a member of `other`. */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) if (!other.members.has(id)) out.putMember(id, pe);
    for (const [id, c] of this.children) {
      if (other.members.has(id)) continue;
      const o = other.children.get(id);
      if (!o) {
        out.putChild(id, c);
        continue;
      }
      const set = c.set.recursiveDifference(o.set);
      if (!set.isEmpty()) out.putChild(id, { pe: c.pe, set });
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) if (other.members.has(id)) out.putMember(id, pe);
    for (const [id, c] of this.children) {
      const o = other.children.get(id);
      if (!o) continue;
      const set = c.set.intersection(o.set);
      if (!set.isEmpty()) out.putChild(id, { pe: c.pe, set });
    }
    return out;
  }

  copy(): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) out.putMember(id, pe);
    for (const [id, c] of this.children) out.putChild(id, { pe: c.pe, set: c.set.copy() });
    return out;
  }

  equals(other: FieldSet): boolean {
    if (this.members.size !== other.members.size || this.children.size !== other.children.size) return false;
    for (const id of this.members.keys()) if (!other.members.has(id)) return false;
    for (const [id, c] of this.children) {
      const o = other.children.get(id);
      if (!o || !c.set.equals(o.set)) return false;
    }
    return true;
  }

  /** Every path in the set, in upstream's order: this level's members first, then each child set. */
  paths(): PathElement[][] {
    const out: PathElement[][] = [];
    this.collect([], out);
    return out;
  }

  private collect(prefix: PathElement[], out: PathElement[][]): void {
    for (const pe of [...this.members.values()].sort(comparePathElements)) out.push([...prefix, pe]);
    for (const c of [...this.children.values()].sort((a, b) => comparePathElements(a.pe, b.pe))) {
      c.set.collect([...prefix, c.pe], out);
    }
  }

  /** Visits every member and child, in no particular order (a member with children is visited once). */
  forEachEntry(fn: (pe: PathElement, member: boolean, set: FieldSet | undefined) => void): void {
    for (const [id, pe] of this.members) fn(pe, true, this.children.get(id)?.set);
    for (const [id, c] of this.children) if (!this.members.has(id)) fn(c.pe, false, c.set);
  }

  /** Members and children in path-element order (used by the serializer). */
  entries(): Array<{ pe: PathElement; member: boolean; set: FieldSet | undefined }> {
    const ids = new Set([...this.members.keys(), ...this.children.keys()]);
    const out: Array<{ pe: PathElement; member: boolean; set: FieldSet | undefined }> = [];
    for (const id of ids) {
      const c = this.children.get(id);
      out.push({ pe: c?.pe ?? this.members.get(id)!, member: this.members.has(id), set: c?.set });
    }
    return out.sort((a, b) => comparePathElements(a.pe, b.pe));
  }

  /** The FieldsV1 JSON form (the `fieldsV1` member of a managedFields entry). */
  toFieldsV1(): JSONObject {
    const out: JSONObject = {};
    for (const { pe, member, set } of this.entries()) {
      const node: JSONObject = set ? set.toFieldsV1() : {};
      out[pe.id] = member && set ? { '.': {}, ...node } : node;
    }
    return out;
  }

  /**
   * Parses the FieldsV1 JSON form. Throws an Error naming the bad element when the input is not FieldsV1
   * (the caller turns it into the status error its request needs).
   */
  static fromFieldsV1(json: JSONValue): FieldSet {
    if (!isJSONObject(json)) throw new Error('FieldsV1 must be a JSON object');
    const out = new FieldSet();
    for (const [id, value] of Object.entries(json)) {
      if (id === '.') continue;
      if (!isJSONObject(value)) throw new Error(`FieldsV1 node ${JSON.stringify(id)} must be an object`);
      const pe = parsePathElement(id);
      const keys = Object.keys(value);
      const hasSelf = Object.hasOwn(value, '.');
      if (keys.length === 0 || hasSelf) out.addMember(pe);
      if (keys.length > (hasSelf ? 1 : 0)) {
        const child = FieldSet.fromFieldsV1(value);
        if (!child.isEmpty()) out.putChild(pe.id, { pe, set: child });
      }
    }
    return out;
  }

  /** Builds a set from explicit paths (tests and fixed sets such as the metadata fields apply never owns). */
  static of(paths: ReadonlyArray<readonly PathElement[]>): FieldSet {
    const out = new FieldSet();
    for (const p of paths) out.insert(p);
    return out;
  }
}
