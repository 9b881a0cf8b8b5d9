// Runtime accessors for the generated schema tables: find a kind's definition, its fields, and the
// schema at a field path. Used by strict field validation, OpenAPI publishing and the patch engines.
import type { DefinitionSchema, FieldSchema } from './definition.js';
import { definitions } from './generated/definitions.js';

export type { DefinitionSchema, FieldSchema, GroupVersionKind, UnionSchema } from './definition.js';

const byGVK = new Map<string, DefinitionSchema>();
for (const def of Object.values(definitions)) {
  for (const gvk of def.gvks ?? []) {
    const key = `${gvk.group}/${gvk.version}/${gvk.kind}`;
    // Shared meta kinds (DeleteOptions, WatchEvent, Status) are claimed once per group-version by one
    // definition; a kind never has two definitions, but keep the first if the document says otherwise.
    if (!byGVK.has(key)) byGVK.set(key, def);
  }
}

const noFields: Readonly<Record<string, FieldSchema>> = Object.freeze({});

/** Every served definition by its OpenAPI name. */
export function allDefinitions(): Readonly<Record<string, DefinitionSchema>> {
  return definitions;
}

/** The definition named `name` (e.g. "io.k8s.api.core.v1.PodSpec"), or undefined. */
export function definitionNamed(name: string): DefinitionSchema | undefined {
  return Object.hasOwn(definitions, name) ? definitions[name] : undefined;
}

/** The definition of the body of group/version/kind (core group: ""), or undefined when it is not served. */
export function definitionFor(group: string, version: string, kind: string): DefinitionSchema | undefined {
  return byGVK.get(`${group}/${version}/${kind}`);
}

/** Named fields of a definition, in schema order; empty for scalars, maps and free-form objects. */
export function fieldsOf(definition: DefinitionSchema): Readonly<Record<string, FieldSchema>> {
  return definition.fields ?? noFields;
}

/** The definition a ref field points at, or undefined when `field` is not a ref. Throws on a dangling ref. */
export function referencedDefinition(field: FieldSchema): DefinitionSchema | undefined {
  if (field.type !== 'ref') return undefined;
  const def = definitionNamed(field.ref!);
  if (!def) throw new Error(`schema refers to unknown definition ${field.ref}`);
  return def;
}

/**
 * The schema of the value at `path` below `definition`, following refs. Lists are transparent (a
 * segment names a field of the list's items, as in "spec.containers.name"); a map consumes one
 * segment as its key. Returns undefined when some segment is not a field.
 */
export function fieldAt(definition: DefinitionSchema, path: readonly string[]): FieldSchema | undefined {
  let current: FieldSchema | DefinitionSchema = definition;
  for (const segment of path) {
    for (;;) {
      if (current.type === 'ref') current = referencedDefinition(current)!;
      else if ('items' in current && current.items) current = current.items;
      else break;
    }
    if (current.type === 'map') {
      if (!current.values) return undefined;
      current = current.values;
      continue;
    }
    const fields = 'fields' in current ? current.fields : undefined;
    if (!fields || !Object.hasOwn(fields, segment)) return undefined;
    current = fields[segment]!;
  }
  return current;
}
