// Wrong JSON types in a request body: upstream's typed JSON decoder refuses a body whose values do not fit the
// Go fields (a string where an int32 is declared), before anything is validated or stored. This walk finds the
// first such value with the schema tables and phrases it as Go's encoding/json does (text formats: api/validation/formats.ts).
import type { DefinitionSchema, FieldSchema, GroupVersionKind } from '../../api/definition.js';
import { decodeFormatError } from '../../api/validation/formats.js';
import { eitherSchemaKinds, jsonSchemaPropsDefinition } from './schema-either-types.js';
import { builtinSchemas, type SchemaSource } from './unknown-fields.js';

export interface TypeError {
  /** Go's wording: `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`. */
  message: string;
}

function jsonTypeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'number';
  return typeof value === 'string' ? 'string' : 'object';
}

const shortName = (definition: string): string => definition.slice(definition.lastIndexOf('.') + 1);


function goTypeOf(schema: FieldSchema | DefinitionSchema, schemas: SchemaSource): string {
  switch (schema.type) {
    case 'integer':
      return schema.format === 'int64' ? 'int64' : 'int32';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'string':
      return schema.format === 'byte' ? '[]uint8' : 'string';
    case 'array':
      return `[]${(schema as FieldSchema).items ? goTypeOf((schema as FieldSchema).items!, schemas) : 'interface {}'}`;
    case 'map':
      return `map[string]${schema.values ? goTypeOf(schema.values, schemas) : 'interface {}'}`;
    case 'ref': {
      const ref = (schema as FieldSchema).ref ?? '';
      const pkg = ref.split('.').at(-2) ?? 'v1';
      return `${pkg}.${shortName(ref)}`;
    }
    default:
      return 'interface {}';
  }
}

/**
 * The first value of `obj` (a decoded body of kind `gvk`) whose JSON type the declared Go field cannot hold,
 * in document order, or undefined. null fits every field (Go leaves the zero value). Not checked: free-form and
 * preserve-unknown-fields values, int-or-string and quantity fields (they take strings and numbers), unknown
 * fields (field validation's job).
 */
export function findTypeError(obj: unknown, gvk: GroupVersionKind, schemas: SchemaSource = builtinSchemas): TypeError | undefined {
  const root = schemas.definitionFor(gvk);
  if (!root) return undefined;

  /** `struct` and `path` name the innermost Go struct and the dotted JSON path from the root, as Go prints them. */
  const walk = (value: unknown, schema: FieldSchema | DefinitionSchema, struct: string, path: string): TypeError | undefined => {
    if (value === null || value === undefined || schema.preserveUnknownFields || schema.intOrString) return undefined;
    const mismatch = (): TypeError => ({
      message: `json: cannot unmarshal ${jsonTypeOf(value)}${typeof value === 'number' && schema.type === 'integer' ? ` ${value}` : ''} into Go struct field ${struct}.${path} of type ${goTypeOf(schema, schemas)}`,
    });
    switch (schema.type) {
      case 'ref': {
        const either = schemaOrOther((schema as FieldSchema).ref ?? '', value);
        if (either) return either;
        const def = schemas.definitionNamed((schema as FieldSchema).ref ?? '');
        const formatError = def && decodeFormatError(value, { definition: def.name });
        if (formatError) return { message: formatError };
        if (!def || def.preserveUnknownFields || def.intOrString || def.format === 'quantity' || def.format === 'int-or-string') return undefined;
        if (def.type === 'object' && def.fields) {
          if (typeof value !== 'object' || Array.isArray(value)) return mismatch();
          return walkFields(value as Record<string, unknown>, def, shortName(def.name), path);
        }
        return walk(value, def, struct, path);
      }
      case 'string': {
        if (typeof value !== 'string') return mismatch();
        const formatError = decodeFormatError(value, { format: schema.format });
        return formatError ? { message: formatError } : undefined;
      }
      case 'boolean':
        return typeof value === 'boolean' ? undefined : mismatch();
      case 'number':
        return typeof value === 'number' ? undefined : mismatch();
      case 'integer': {
        // Go refuses numbers its int32/int64 field cannot hold, with the same message as a wrong type.
        const bits = schema.format === 'int64' ? 63 : 31;
        return typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** bits) && value < 2 ** bits ? undefined : mismatch();
      }
      case 'array': {
        if (!Array.isArray(value)) return mismatch();
        const items = (schema as FieldSchema).items;
        if (!items) return undefined;
        for (const item of value) {
          const err = walk(item, items, struct, path);
          if (err) return err;
        }
        return undefined;
      }
      case 'map': {
        if (typeof value !== 'object' || Array.isArray(value)) return mismatch();
        if (!schema.values) return undefined;
        for (const v of Object.values(value as Record<string, unknown>)) {
          const err = walk(v, schema.values, struct, path);
          if (err) return err;
        }
        return undefined;
      }
      case 'object': {
        const fields = 'fields' in schema ? schema.fields : undefined;
        if (!fields) return undefined; // free-form
        if (typeof value !== 'object' || Array.isArray(value)) return mismatch();
        return walkFields(value as Record<string, unknown>, schema, struct, path);
      }
      default:
        return undefined;
    }
  };

  /**
   * The CRD schema's "either" types (JSONSchemaPropsOrArray, …OrBool, …OrStringArray) decode with their own
   * UnmarshalJSON, which decodes an object as a fresh JSONSchemaProps: its errors name fields from there. Returns
   * the problem, `null` when `value` is fine, undefined for other definitions.
   */
  const schemaOrOther = (ref: string, value: unknown): TypeError | null | undefined => {
    const kind = eitherSchemaKinds[ref];
    if (!kind) return undefined;
    const props = schemas.definitionNamed(jsonSchemaPropsDefinition);
    if (!props) return null;
    const asSchema = (v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (walkFields(v as Record<string, unknown>, props, 'JSONSchemaProps', '') ?? null) : null);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return asSchema(value);
    if (kind === 'bool') return typeof value === 'boolean' ? null : { message: 'boolean or JSON schema expected' };
    if (!Array.isArray(value)) return null; // any other JSON value decodes to nothing, as upstream's UnmarshalJSON does
    if (kind === 'array') {
      for (const item of value) {
        if (item === null) continue;
        if (typeof item !== 'object' || Array.isArray(item)) return { message: `json: cannot unmarshal ${jsonTypeOf(item)} into Go value of type v1.JSONSchemaProps` };
        const err = asSchema(item);
        if (err) return err;
      }
      return null;
    }
    const nonString = value.find((item) => item !== null && typeof item !== 'string');
    return nonString === undefined ? null : { message: `json: cannot unmarshal ${jsonTypeOf(nonString)} into Go value of type string` };
  };

  const walkFields = (value: Record<string, unknown>, def: FieldSchema | DefinitionSchema, struct: string, path: string): TypeError | undefined => {
    const fields = ('fields' in def ? def.fields : undefined) ?? {};
    for (const [k, v] of Object.entries(value)) {
      const field = Object.hasOwn(fields, k) ? fields[k] : undefined;
      if (!field) continue;
      const err = walk(v, field, struct, path === '' ? k : `${path}.${k}`);
      if (err) return err;
    }
    return undefined;
  };

  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return undefined;
  return walkFields(obj as Record<string, unknown>, root, shortName(root.name), '');
}
