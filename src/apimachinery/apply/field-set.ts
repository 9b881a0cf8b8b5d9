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
 * Mutators (`insert`, `addMember`, `child`) are for building; the algebra returns new sets.
 */
export class FieldSet {
  private readonly members = new Map<string, PathElement>();
  private readonly children = new Map<string, Child>();

  /** True when the set holds no path. */
  isEmpty(): boolean {
    return this.members.size === 0 && this.children.size === 0;
  }

  /** Adds `pe` as a member at this level. */
  addMember(pe: PathElement): void {
    this.members.set(pe.id, pe);
  }

  hasMember(pe: PathElement): boolean {
    return this.members.has(pe.id);
  }

  /** The child set under `pe`, created when absent. Callers must not leave it empty (use `prune`). */
  child(pe: PathElement): FieldSet {
    let c = this.children.get(pe.id);
    if (!c) {
      c = { pe, set: new FieldSet() };
      this.children.set(pe.id, c);
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
    for (const [id, pe] of this.members) out.members.set(id, pe);
    for (const [id, pe] of other.members) out.members.set(id, pe);
    for (const [id, c] of this.children) {
      const o = other.children.get(id);
      out.children.set(id, { pe: c.pe, set: o ? c.set.union(o.set) : c.set.copy() });
    }
    for (const [id, c] of other.children) if (!this.children.has(id)) out.children.set(id, { pe: c.pe, set: c.set.copy() });
    return out;
  }

  /** Paths in this set and not in `other` (a member of `other` removes only that path, not its children). */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) if (!other.members.has(id)) out.members.set(id, pe);
    for (const [id, c] of this.children) {
      const o = other.children.get(id);
      const set = o ? c.set.difference(o.set) : c.set.copy();
      if (!set.isEmpty()) out.children.set(id, { pe: c.pe, set });
    }
    return out;
  }

  /** Paths in this set that are neither in `other` nor below a member of `other`. */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) if (!other.members.has(id)) out.members.set(id, pe);
    for (const [id, c] of this.children) {
      if (other.members.has(id)) continue;
      const o = other.children.get(id);
      const set = o ? c.set.recursiveDifference(o.set) : c.set.copy();
      if (!set.isEmpty()) out.children.set(id, { pe: c.pe, set });
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) if (other.members.has(id)) out.members.set(id, pe);
    for (const [id, c] of this.children) {
      const o = other.children.get(id);
      if (!o) continue;
      const set = c.set.intersection(o.set);
      if (!set.isEmpty()) out.children.set(id, { pe: c.pe, set });
    }
    return out;
  }

  copy(): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) out.members.set(id, pe);
    for (const [id, c] of this.children) out.children.set(id, { pe: c.pe, set: c.set.copy() });
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

  /** Visits members and children in path-element order (used by the serializer and typed walks). */
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
        if (!child.isEmpty()) out.children.set(pe.id, { pe, set: child });
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
