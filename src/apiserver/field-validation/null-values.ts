// null inside lists and maps of a built-in kind, as Go's decoder sees it: an element or map value of struct or
// scalar type cannot be nil, so it decodes to the zero value (`{}`, "", 0, false). Applied to decoded bodies and
// patch results before anything else reads them, so admission and validation meet the shapes upstream's do.
import type { DefinitionSchema, FieldSchema, GroupVersionKind } from '../../api/definition.js';
import { eitherSchemaKinds, jsonSchemaPropsDefinition } from './schema-either-types.js';
import { builtinSchemas, type SchemaSource } from './unknown-fields.js';

/** The zero value a null of this schema decodes to; undefined when Go keeps it nil (pointers, free-form values). */
function zeroOf(schema: FieldSchema | DefinitionSchema, schemas: SchemaSource): unknown {
  const def = schema.type === 'ref' ? schemas.definitionNamed((schema as FieldSchema).ref ?? '') : schema;
  if (!def || def.preserveUnknownFields || def.intOrString || def.format === 'quantity' || def.format === 'int-or-string') return undefined;
  switch (def.type) {
    case 'object':
      return 'fields' in def && def.fields ? {} : undefined;
    case 'string':
      return def.format === 'date-time' || def.format === 'byte' ? undefined : '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    default:
      return undefined;
  }
}

/** Replaces, in place, the nulls of `obj`'s lists and maps that Go would decode to zero values. */
export function zeroNullElements(obj: unknown, gvk: GroupVersionKind, schemas: SchemaSource = builtinSchemas): void {
  const root = schemas.definitionFor(gvk);
  if (!root) return;
  const walk = (value: unknown, schema: FieldSchema | DefinitionSchema): void => {
    if (value === null || typeof value !== 'object' || schema.preserveUnknownFields) return;
    if (schema.type === 'ref') {
      const ref = (schema as FieldSchema).ref ?? '';
      const def = schemas.definitionNamed(eitherSchemaKinds[ref] ? jsonSchemaPropsDefinition : ref);
      if (!def) return;
      // A CRD schema's either type: an object is a schema, and so is each item of a list of schemas.
      if (eitherSchemaKinds[ref] === 'array' && Array.isArray(value)) value.forEach((item) => walk(item, def));
      else if (!eitherSchemaKinds[ref] || !Array.isArray(value)) walk(value, def);
      return;
    }
    if (schema.type === 'array' && Array.isArray(value)) {
      const items = (schema as FieldSchema).items;
      if (!items) return;
      value.forEach((item, i) => {
        if (item === null) {
          const zero = zeroOf(items, schemas);
          if (zero !== undefined) value[i] = zero;
        } else walk(item, items);
      });
      return;
    }
    if (Array.isArray(value)) return;
    const record = value as Record<string, unknown>;
    if (schema.type === 'map' && schema.values) {
      for (const [k, v] of Object.entries(record)) {
        if (v === null) {
          const zero = zeroOf(schema.values, schemas);
          if (zero !== undefined) record[k] = zero;
        } else walk(v, schema.values);
      }
      return;
    }
    const fields = 'fields' in schema ? schema.fields : undefined;
    if (!fields) return;
    for (const [k, v] of Object.entries(record)) {
      const field = Object.hasOwn(fields, k) ? fields[k] : undefined;
      if (field) walk(v, field);
    }
  };
  walk(obj, root);
}
