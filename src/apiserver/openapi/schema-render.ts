// Renders the generated schema tables as OpenAPI schema objects, in the Swagger 2.0 flavour (/openapi/v2,
// refs to #/definitions/) or the OpenAPI 3.0 flavour (/openapi/v3, refs to #/components/schemas/).
import type { DefinitionSchema, FieldSchema, SchemaFacts } from '../../api/definition.js';

export type OpenAPIFlavour = 'v2' | 'v3';

export type SchemaObject = Record<string, unknown>;

/** The JSON-pointer prefix definitions live under in each flavour. */
export function refPrefix(flavour: OpenAPIFlavour): string {
  return flavour === 'v2' ? '#/definitions/' : '#/components/schemas/';
}

/** The x-kubernetes-* extensions of a schema, with upstream's spelling and value shapes. */
function extensions(s: SchemaFacts): SchemaObject {
  const out: SchemaObject = {};
  if (s.embeddedResource) out['x-kubernetes-embedded-resource'] = true;
  // Built-in IntOrString is published as type string, format int-or-string; the extension marks CRD fields.
  if (s.intOrString && s.format !== 'int-or-string') out['x-kubernetes-int-or-string'] = true;
  if (s.listMapKeys) out['x-kubernetes-list-map-keys'] = s.listMapKeys;
  if (s.listType) out['x-kubernetes-list-type'] = s.listType;
  if (s.mapType) out['x-kubernetes-map-type'] = s.mapType;
  if (s.patchMergeKey) out['x-kubernetes-patch-merge-key'] = s.patchMergeKey;
  if (s.patchStrategy) out['x-kubernetes-patch-strategy'] = s.patchStrategy;
  if (s.preserveUnknownFields) out['x-kubernetes-preserve-unknown-fields'] = true;
  return out;
}

/** type/format/enum of a scalar; "quantity" is our internal marker, published (as upstream) as a plain string. */
function scalar(s: SchemaFacts): SchemaObject {
  const out: SchemaObject = { type: s.type };
  if (s.format && s.format !== 'quantity') out.format = s.format;
  if (s.enum) out.enum = s.enum;
  return out;
}

/** A schema with its description first (kube-openapi's field order), when it has one. */
function body(s: FieldSchema | DefinitionSchema, flavour: OpenAPIFlavour): SchemaObject {
  const out = typedBody(s, flavour);
  return s.description ? { description: s.description, ...out } : out;
}

function typedBody(s: FieldSchema | DefinitionSchema, flavour: OpenAPIFlavour): SchemaObject {
  switch (s.type) {
    case 'ref': {
      const ref = { $ref: refPrefix(flavour) + (s as FieldSchema).ref };
      const ext = extensions(s);
      if (Object.keys(ext).length === 0) return ref;
      // OpenAPI 3.0 ignores siblings of $ref, so kube-openapi wraps the ref in allOf there; Swagger 2.0
      // documents keep the extensions next to the ref.
      return flavour === 'v3' ? { allOf: [ref], ...ext } : { ...ref, ...ext };
    }
    case 'array': {
      const items = (s as FieldSchema).items;
      return { type: 'array', ...(items ? { items: render(items, flavour) } : {}), ...extensions(s) };
    }
    case 'map':
      return { type: 'object', ...(s.values ? { additionalProperties: render(s.values, flavour) } : {}), ...extensions(s) };
    case 'object': {
      const fields = 'fields' in s ? s.fields : undefined;
      const out: SchemaObject = { type: 'object' };
      if (fields) {
        const properties: SchemaObject = {};
        for (const [name, f] of Object.entries(fields)) properties[name] = render(f, flavour);
        out.properties = properties;
      }
      const required = 'required' in s ? s.required : undefined;
      if (required?.length) out.required = required;
      return { ...out, ...extensions(s) };
    }
    case 'any':
      return extensions(s);
    default:
      return { ...scalar(s), ...extensions(s) };
  }
}

/** One field's schema. */
export function render(s: FieldSchema, flavour: OpenAPIFlavour): SchemaObject {
  return body(s, flavour);
}

/** A definition's schema, with its top-level kinds and unions as upstream publishes them. */
export function renderDefinition(def: DefinitionSchema, flavour: OpenAPIFlavour): SchemaObject {
  const out = body(def, flavour);
  if (def.gvks?.length) {
    out['x-kubernetes-group-version-kind'] = def.gvks.map((g) => ({ group: g.group, kind: g.kind, version: g.version }));
  }
  if (def.unions?.length) {
    out['x-kubernetes-unions'] = def.unions.map((u) => ({
      ...(u.discriminator ? { discriminator: u.discriminator } : {}),
      'fields-to-discriminateBy': u.fieldsToDiscriminateBy,
    }));
  }
  return out;
}

/** Every definition name `s` refers to directly (not transitively). */
export function directRefs(s: FieldSchema | DefinitionSchema, out: Set<string> = new Set()): Set<string> {
  if (s.type === 'ref' && (s as FieldSchema).ref) out.add((s as FieldSchema).ref!);
  const items = (s as FieldSchema).items;
  if (items) directRefs(items, out);
  if (s.values) directRefs(s.values, out);
  const fields = 'fields' in s ? s.fields : undefined;
  if (fields) for (const f of Object.values(fields)) directRefs(f as FieldSchema, out);
  return out;
}
