// Apply types from an OpenAPI v3 (structural) schema, as custom resources declare them: properties,
// additionalProperties, items and the x-kubernetes-list-type / list-map-keys / map-type extensions.
import type { JSONValue } from '../patch/json-value.js';
import { untypedType, type ApplyType } from './schema.js';

/** The members of a structural schema apply looks at (apiextensions.k8s.io/v1 JSONSchemaProps). */
export interface StructuralSchema {
  type?: string;
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: boolean | StructuralSchema;
  items?: StructuralSchema;
  default?: JSONValue;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
}

export interface OpenAPIV3TypeOptions {
  /**
   * Types that replace the schema at named top-level properties, e.g. `{ metadata: <ObjectMeta type> }`:
   * upstream serves custom resources with the real ObjectMeta whatever their schema says.
   */
  rootFields?: Readonly<Record<string, ApplyType>>;
}

const scalar: ApplyType = { kind: 'scalar', atomic: true, fieldType: () => undefined, elementType: () => untypedType };

function typeOf(s: StructuralSchema | undefined, rootFields?: Readonly<Record<string, ApplyType>>): ApplyType {
  if (!s) return untypedType;
  if (s['x-kubernetes-int-or-string']) return scalar;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  switch (s.type) {
    case 'object': {
      const props = s.properties ?? {};
      const extra = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
      const atomic = s['x-kubernetes-map-type'] === 'atomic';
      const hasProps = Object.keys(props).length > 0 || rootFields !== undefined;
      if (!hasProps && !extra) return preserve || s.additionalProperties === true || !s.properties ? untypedType : structOf({}, atomic, untypedType, rootFields);
      if (!hasProps) return { kind: 'map', atomic, fieldType: () => undefined, elementType: lazy(() => typeOf(extra)) };
      return structOf(props, atomic, preserve ? untypedType : extra ? typeOf(extra) : undefined, rootFields);
    }
    case 'array': {
      const lt = s['x-kubernetes-list-type'];
      const listType = lt === 'set' || lt === 'map' ? lt : 'atomic';
      const keys = listType === 'map' ? (s['x-kubernetes-list-map-keys'] ?? []) : undefined;
      const itemProps = s.items?.properties ?? {};
      const defaults: Record<string, JSONValue> = {};
      for (const k of keys ?? []) {
        const d = itemProps[k]?.default;
        if (d !== undefined) defaults[k] = d;
      }
      return {
        kind: 'list',
        atomic: listType === 'atomic',
        listType,
        listMapKeys: keys,
        listMapKeyDefaults: Object.keys(defaults).length > 0 ? defaults : undefined,
        fieldType: () => undefined,
        elementType: lazy(() => typeOf(s.items)),
      };
    }
    case undefined:
      return untypedType;
    default:
      return scalar;
  }
}

function lazy(make: () => ApplyType): () => ApplyType {
  let t: ApplyType | undefined;
  return () => (t ??= make());
}

function structOf(props: Record<string, StructuralSchema>, atomic: boolean, rest: ApplyType | undefined, rootFields?: Readonly<Record<string, ApplyType>>): ApplyType {
  const fields = new Map<string, ApplyType>();
  return {
    kind: 'struct',
    atomic,
    fieldType(name) {
      let t = fields.get(name);
      if (!t) {
        if (rootFields && Object.hasOwn(rootFields, name)) t = rootFields[name]!;
        else if (Object.hasOwn(props, name)) t = typeOf(props[name]);
        else return rest;
        fields.set(name, t);
      }
      return t;
    },
    elementType: () => rest ?? untypedType,
  };
}

/**
 * The apply type of an object described by a structural schema. Objects with properties are structs
 * (atomic with x-kubernetes-map-type: atomic), objects with only additionalProperties are maps, arrays are
 * lists (atomic unless x-kubernetes-list-type says set or map; list-map key defaults come from the item
 * properties' `default`), int-or-string is a scalar, and preserve-unknown-fields positions are untyped.
 */
export function applyTypeFromOpenAPIV3(schema: StructuralSchema, opts: OpenAPIV3TypeOptions = {}): ApplyType {
  return typeOf({ ...schema, type: schema.type ?? 'object' }, opts.rootFields);
}
