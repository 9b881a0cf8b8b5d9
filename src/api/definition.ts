// The compact schema-table format: one DefinitionSchema per OpenAPI definition. Built-in definitions carry no
// description texts; custom resources carry their CRD's own.
// Generated into src/api/generated/definitions.ts; read through src/api/schema.ts.

/**
 * Normalised value type. "map" is an object with only additionalProperties (values in `values`);
 * "object" is a definition-like object with named fields, or a free-form object when it has none;
 * "ref" points at another definition by name; "any" is a value the schema leaves untyped (JSON).
 */
export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'map' | 'ref' | 'any';

/** Facts shared by field schemas and definitions: the OpenAPI type plus the x-kubernetes-* extensions. */
export interface SchemaFacts {
  type: FieldType;
  /** The schema's description: only custom resources have one (their CRD author's text), for kubectl explain. */
  description?: string;
  /** OpenAPI format: int32, int64, double, byte, date-time, int-or-string; "quantity" marks resource.Quantity. */
  format?: string;
  /** Allowed values, when the schema restricts them. */
  enum?: string[];
  /** x-kubernetes-list-type: how apply and strategic merge treat the list. */
  listType?: 'atomic' | 'set' | 'map';
  /** x-kubernetes-list-map-keys: the fields identifying an item of a listType "map" list. */
  listMapKeys?: string[];
  /** x-kubernetes-map-type: "atomic" objects are replaced whole by apply and strategic merge. */
  mapType?: 'atomic' | 'granular';
  /** x-kubernetes-patch-strategy, e.g. "merge", "retainKeys", "merge,retainKeys". */
  patchStrategy?: string;
  /** x-kubernetes-patch-merge-key: the item key strategic merge patch matches list items by. */
  patchMergeKey?: string;
  preserveUnknownFields?: boolean;
  embeddedResource?: boolean;
  intOrString?: boolean;
}

export interface FieldSchema extends SchemaFacts {
  /** Definition name when type is "ref", e.g. "io.k8s.api.core.v1.PodSpec". */
  ref?: string;
  /** Element schema when type is "array". */
  items?: FieldSchema;
  /** Value schema when type is "map". */
  values?: FieldSchema;
  /** Named fields of an inline object (CRD schemas nest objects; the generated tables use refs instead). */
  fields?: Record<string, FieldSchema>;
  /** Required fields of an inline object. */
  required?: string[];
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** x-kubernetes-unions: a one-of group of fields, optionally chosen by a discriminator field. */
export interface UnionSchema {
  discriminator?: string;
  /** Member field name → the discriminator value that selects it. */
  fieldsToDiscriminateBy: Record<string, string>;
}

export interface DefinitionSchema extends SchemaFacts {
  /** Fully qualified OpenAPI name, e.g. "io.k8s.api.apps.v1.Deployment". */
  name: string;
  /** Named fields of an object definition, in schema order. */
  fields?: Record<string, FieldSchema>;
  /** Value schema when type is "map". */
  values?: FieldSchema;
  /** Names of the fields that must be present. */
  required?: string[];
  /** Top-level kinds this definition is the body of (x-kubernetes-group-version-kind). */
  gvks?: GroupVersionKind[];
  unions?: UnionSchema[];
}
