// The CEL type of a kind from the server's OpenAPI v3 components, as upstream's type checker builds it
// (resolver.PopulateRefs, then common.SchemaDeclType with isResourceRoot): references (`$ref`, or the `allOf: [{$ref}]`
// kube-openapi wraps them in) are replaced by the component they name, a reference back to a component being
// expanded is an empty object (upstream's placeholder for cycles), int-or-string (the format built-ins publish,
// or the extension CRDs carry) and untyped data are dyn, date-time strings are timestamps, and the root has
// apiVersion, kind and metadata whatever its schema says.

import { listOf, mapOf, T, type CELType } from '../../../apimachinery/cel/types.js';

/** An OpenAPI v3 schema object, as much of it as typing needs. */
export interface OpenAPISchema {
  type?: string;
  format?: string;
  $ref?: string;
  allOf?: OpenAPISchema[];
  properties?: Record<string, OpenAPISchema>;
  additionalProperties?: OpenAPISchema | boolean;
  items?: OpenAPISchema;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-group-version-kind'?: Array<{ group: string; version: string; kind: string }>;
}

const componentPrefix = '#/components/schemas/';

/** The name a schema refers to, directly or through a one-element allOf. */
function refOf(s: OpenAPISchema): string | undefined {
  if (typeof s.$ref === 'string') return s.$ref.startsWith(componentPrefix) ? s.$ref.slice(componentPrefix.length) : s.$ref;
  for (const a of s.allOf ?? []) {
    const ref = refOf(a);
    if (ref) return ref;
  }
  return undefined;
}

/** What a root object always has (upstream: metadata as name and generateName unless the schema declares both). */
const rootMeta: CELType = { kind: 'object', name: 'ObjectMeta', fields: new Map([['name', T.string], ['generateName', T.string]]), open: false };

/**
 * The CEL type of component `name` of `components` (a kind's definition) for `object`/`oldObject`/`params`,
 * or undefined when the document has no such component (upstream ErrSchemaNotFound).
 */
export function celTypeOfComponent(components: Readonly<Record<string, OpenAPISchema>>, name: string, typeName: string): CELType | undefined {
  const root = components[name];
  if (!root) return undefined;
  const expanding = new Set<string>([name]);

  const convert = (s: OpenAPISchema, path: string, isRoot: boolean): CELType => {
    const ref = refOf(s);
    if (ref !== undefined) {
      // A cycle (JSONSchemaProps inside JSONSchemaProps): an object without fields, as upstream.
      if (expanding.has(ref)) return { kind: 'object', name: path, fields: new Map(), open: false };
      const target = components[ref];
      if (!target) return T.dyn;
      expanding.add(ref);
      try {
        return convert(target, path, isRoot);
      } finally {
        expanding.delete(ref);
      }
    }
    if (s['x-kubernetes-int-or-string'] || s.format === 'int-or-string') return T.dyn;
    const embedded = isRoot || s['x-kubernetes-embedded-resource'] === true;
    switch (s.type) {
      case 'integer':
        return T.int;
      case 'number':
        return T.double;
      case 'boolean':
        return T.bool;
      case 'string':
        if (s.format === 'date-time') return T.timestamp;
        if (s.format === 'duration') return T.duration;
        if (s.format === 'byte') return T.bytes;
        return T.string;
      case 'array':
        return listOf(s.items ? convert(s.items, `${path}.@idx`, false) : T.dyn);
      case 'object':
      case undefined: {
        if (s.type === undefined && !embedded && !s.properties) return T.dyn;
        const additional = s.additionalProperties;
        if (additional !== undefined && additional !== false && !s.properties) {
          return mapOf(T.string, typeof additional === 'object' ? convert(additional, `${path}.@elem`, false) : T.dyn);
        }
        const fields = new Map<string, CELType>();
        if (embedded) {
          fields.set('apiVersion', T.string);
          fields.set('kind', T.string);
          fields.set('metadata', rootMeta);
        }
        for (const [k, v] of Object.entries(s.properties ?? {})) {
          // A declared metadata replaces the root's only when it names both name and generateName (upstream).
          if (embedded && k === 'metadata' && !declaresNames(v, components)) continue;
          fields.set(k, convert(v, `${path}.${k}`, false));
        }
        return { kind: 'object', name: path, fields, open: s['x-kubernetes-preserve-unknown-fields'] === true };
      }
      default:
        return T.dyn;
    }
  };
  return convert(root, typeName, true);
}

/** Whether a metadata schema (possibly a reference) declares both name and generateName. */
function declaresNames(s: OpenAPISchema, components: Readonly<Record<string, OpenAPISchema>>): boolean {
  const ref = refOf(s);
  const target = ref !== undefined ? components[ref] : s;
  return !!target?.properties?.name && !!target.properties.generateName;
}

/** The component of `components` that declares group/version/kind in its x-kubernetes-group-version-kind. */
export function componentForKind(components: Readonly<Record<string, OpenAPISchema>>, gvk: { group: string; version: string; kind: string }): string | undefined {
  for (const [name, s] of Object.entries(components)) {
    if (s['x-kubernetes-group-version-kind']?.some((g) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind)) return name;
  }
  return undefined;
}
