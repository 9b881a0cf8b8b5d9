// Selects the definitions a default apiserver serves and normalises them into the schema-table format
// (src/api/definition.ts). Description texts are dropped here, before any generator sees a schema.
import type { DefinitionSchema, FieldSchema, SchemaFacts, UnionSchema } from '../../src/api/definition.js';
import { enumValues } from './enums.js';
import { gvksOf, isGAVersion, type OpenAPIDocument, type SchemaObject } from './openapi.js';

/** Where a definition's TypeScript lives: file under src/api/generated/ and the alias other files import it as. */
export interface PackageInfo {
  /** e.g. "core/v1", "meta/v1", "apimachinery/resource". */
  path: string;
  /** Namespace alias for imports, e.g. "corev1", "metav1", "resource". */
  alias: string;
  /** API version string of the package when it is a served group-version ("apps/v1", "v1"). */
  groupVersion?: string;
}

export const quantityDefinition = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/** Package of a definition name, or undefined when the definition is not part of a served GA package. */
export function packageOf(definitionName: string): PackageInfo | undefined {
  const pkg = definitionName.slice(0, definitionName.lastIndexOf('.'));
  let m = /^io\.k8s\.api\.([a-z0-9]+)\.(v[a-z0-9]+)$/.exec(pkg);
  if (m) return gaPackage(m[1]!, m[2]!);
  m = /^io\.k8s\.[a-z-]+\.pkg\.apis\.([a-z0-9]+)\.(v[a-z0-9]+)$/.exec(pkg);
  if (m) return gaPackage(m[1]!, m[2]!);
  m = /^io\.k8s\.apimachinery\.pkg\.(?:api|util|runtime|version)(?:\.([a-z0-9]+))?$/.exec(pkg);
  if (m) {
    const name = m[1] ?? pkg.slice(pkg.lastIndexOf('.') + 1);
    return { path: `apimachinery/${name}`, alias: name };
  }
  return undefined;
}

function gaPackage(group: string, version: string): PackageInfo | undefined {
  if (!isGAVersion(version)) return undefined;
  const alias = `${group.replace(/[^a-z0-9]/g, '')}${version}`;
  if (group === 'meta') return { path: `meta/${version}`, alias };
  return { path: `${group}/${version}`, alias, groupVersion: group === 'core' ? version : undefined };
}

function refName(ref: string): string {
  const prefix = '#/definitions/';
  if (!ref.startsWith(prefix)) throw new Error(`unsupported $ref ${ref}`);
  return ref.slice(prefix.length);
}

function facts(s: SchemaObject, type: SchemaFacts['type']): SchemaFacts {
  const f: SchemaFacts = { type };
  if (typeof s.format === 'string') f.format = s.format;
  if (Array.isArray(s.enum)) f.enum = s.enum.map(String);
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'atomic' || listType === 'set' || listType === 'map') f.listType = listType;
  const keys = s['x-kubernetes-list-map-keys'];
  if (Array.isArray(keys)) f.listMapKeys = keys.map(String);
  const mapType = s['x-kubernetes-map-type'];
  if (mapType === 'atomic' || mapType === 'granular') f.mapType = mapType;
  if (typeof s['x-kubernetes-patch-strategy'] === 'string') f.patchStrategy = s['x-kubernetes-patch-strategy'];
  if (typeof s['x-kubernetes-patch-merge-key'] === 'string') f.patchMergeKey = s['x-kubernetes-patch-merge-key'];
  if (s['x-kubernetes-preserve-unknown-fields'] === true) f.preserveUnknownFields = true;
  if (s['x-kubernetes-embedded-resource'] === true) f.embeddedResource = true;
  if (s['x-kubernetes-int-or-string'] === true || s.format === 'int-or-string') f.intOrString = true;
  return f;
}

/** The normalised type of a schema object (see FieldType). */
function typeOf(s: SchemaObject): SchemaFacts['type'] {
  if (s.$ref) return 'ref';
  switch (s.type) {
    case undefined:
      return 'any';
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
    case 'array':
      return s.type;
    case 'object':
      return s.additionalProperties && typeof s.additionalProperties === 'object' && !s.properties ? 'map' : 'object';
    default:
      throw new Error(`unsupported schema type ${s.type}`);
  }
}

/** Converts a property schema; an `allOf: [{$ref}]` wrapper counts as the ref itself. */
export function toFieldSchema(s: SchemaObject): FieldSchema {
  if (s.allOf && s.allOf.length === 1 && s.allOf[0]!.$ref) s = { ...s, $ref: s.allOf[0]!.$ref, allOf: undefined };
  const type = typeOf(s);
  const field: FieldSchema = facts(s, type);
  if (type === 'ref') field.ref = refName(s.$ref!);
  if (type === 'array') {
    if (!s.items) throw new Error('array without items');
    field.items = toFieldSchema(s.items);
  }
  if (type === 'map') field.values = toFieldSchema(s.additionalProperties as SchemaObject);
  return field;
}

function toUnions(v: unknown): UnionSchema[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.map((u: { discriminator?: string; 'fields-to-discriminateBy'?: Record<string, string> }) => {
    const union: UnionSchema = { fieldsToDiscriminateBy: { ...(u['fields-to-discriminateBy'] ?? {}) } };
    if (u.discriminator) union.discriminator = u.discriminator;
    return union;
  });
}

export function toDefinitionSchema(name: string, s: SchemaObject): DefinitionSchema {
  const def: DefinitionSchema = { name, ...facts(s, typeOf(s)) };
  if (name === quantityDefinition) def.format = 'quantity';
  if (s.properties) {
    def.fields = {};
    for (const [field, schema] of Object.entries(s.properties)) def.fields[field] = toFieldSchema(schema);
  }
  if (s.additionalProperties && typeof s.additionalProperties === 'object' && !s.properties) {
    def.values = toFieldSchema(s.additionalProperties);
  }
  if (s.required?.length) def.required = [...s.required];
  for (const [field, values] of Object.entries(enumValues[name] ?? {})) {
    let target = def.fields?.[field];
    if (target?.type === 'array') target = target.items;
    if (target?.type !== 'string') throw new Error(`enum for ${name}.${field}: not a string field`);
    target.enum = [...values];
  }
  const gvks = gvksOf(s);
  if (gvks.length) def.gvks = gvks.map((g) => ({ group: g.group, version: g.version, kind: g.kind }));
  const unions = toUnions(s['x-kubernetes-unions']);
  if (unions) def.unions = unions;
  return def;
}

/** Every definition of a served GA package, normalised, sorted by name; fails if one refers outside the set. */
export function servedDefinitions(doc: OpenAPIDocument): DefinitionSchema[] {
  const names = Object.keys(doc.definitions).filter((n) => packageOf(n)).sort();
  const defs = names.map((n) => toDefinitionSchema(n, doc.definitions[n]!));
  const known = new Set(names);
  const check = (owner: string, f: FieldSchema | undefined): void => {
    if (!f) return;
    if (f.ref && !known.has(f.ref)) throw new Error(`${owner} refers to ${f.ref}, which is not in a served package`);
    check(owner, f.items);
    check(owner, f.values);
  };
  for (const d of defs) for (const f of Object.values(d.fields ?? {})) check(d.name, f);
  return defs;
}
