// Unknown-field detection for built-in kinds: walks a decoded object alongside the generated schema tables and
// reports every field the schema does not declare, with the paths upstream's strict JSON decoder prints.
import type { DefinitionSchema, FieldSchema, GroupVersionKind } from '../../api/definition.js';
import { definitionFor, definitionNamed } from '../../api/schema.js';

export interface UnknownField {
  /** Field path as upstream prints it: "spec.foo", "spec.template.spec.containers[0].bogus", "metadata.labelz". */
  path: string;
  kind: 'unknown';
}

/** Where the walk finds definitions; the generated tables by default, CRD schemas can supply their own. */
export interface SchemaSource {
  definitionFor(gvk: GroupVersionKind): DefinitionSchema | undefined;
  definitionNamed(name: string): DefinitionSchema | undefined;
}

export const builtinSchemas: SchemaSource = {
  definitionFor: (gvk) => definitionFor(gvk.group, gvk.version, gvk.kind),
  definitionNamed,
};

const objectMetaDefinition = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function child(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/**
 * Every field of `obj` (a decoded body of kind `gvk`) that the schema does not declare, in document order.
 * Not checked, as upstream: values under x-kubernetes-preserve-unknown-fields, free-form objects
 * (RawExtension, JSON), and int-or-string or other scalar values. Map keys are free; their values are
 * checked. A kind without a schema yields no findings. Values of the wrong JSON type are left to decoding.
 */
export function checkUnknownFields(obj: unknown, gvk: GroupVersionKind, schemas: SchemaSource = builtinSchemas): UnknownField[] {
  const root = schemas.definitionFor(gvk);
  if (!root) return [];
  const found: UnknownField[] = [];

  const walk = (value: unknown, schema: FieldSchema | DefinitionSchema, path: string): void => {
    if (value === null || value === undefined) return;
    if (schema.type === 'ref') {
      if (schema.preserveUnknownFields) return;
      const def = schemas.definitionNamed((schema as FieldSchema).ref ?? '');
      if (!def) return;
      // The field's own x-kubernetes-embedded-resource applies to the definition it points at.
      walk(value, schema.embeddedResource && !def.embeddedResource ? { ...def, embeddedResource: true } : def, path);
      return;
    }
    if (schema.preserveUnknownFields) return;
    switch (schema.type) {
      case 'array': {
        const items = (schema as FieldSchema).items;
        if (!items || !Array.isArray(value)) return;
        value.forEach((item, i) => walk(item, items, `${path}[${i}]`));
        return;
      }
      case 'map': {
        const values = schema.values;
        if (!values || !isPlainObject(value)) return;
        for (const [k, v] of Object.entries(value)) walk(v, values, child(path, k));
        return;
      }
      case 'object': {
        const fields = 'fields' in schema ? schema.fields : undefined;
        if (!isPlainObject(value)) return;
        if (!fields) {
          if (schema.embeddedResource) walkEmbeddedMeta(value, path);
          return; // free-form object
        }
        for (const [k, v] of Object.entries(value)) {
          const field = Object.hasOwn(fields, k) ? fields[k] : undefined;
          if (field) walk(v, field, child(path, k));
          else if (schema.embeddedResource && (k === 'apiVersion' || k === 'kind')) continue;
          else if (schema.embeddedResource && k === 'metadata') walkEmbeddedMeta(value, path);
          else found.push({ path: child(path, k), kind: 'unknown' });
        }
        return;
      }
      default:
        return;
    }
  };

  // An embedded resource (x-kubernetes-embedded-resource) implicitly has apiVersion, kind and an ObjectMeta.
  const walkEmbeddedMeta = (value: Record<string, unknown>, path: string): void => {
    const meta = schemas.definitionNamed(objectMetaDefinition);
    if (meta && value.metadata !== undefined) walk(value.metadata, meta, child(path, 'metadata'));
  };

  walk(obj, root, '');
  return found;
}
