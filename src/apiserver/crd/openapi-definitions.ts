// A CRD version's openAPIV3Schema in the schema-table form the OpenAPI documents are built from: the
// kind's definition (named as upstream, e.g. com.example.stable.v1.CronTab) and its list, nested objects
// inline as upstream publishes them.

import type { DefinitionSchema, FieldSchema, FieldType } from '../../api/definition.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import type { JSONSchemaProps } from './crd-types.js';

const objectMeta = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

function facts(s: JSONSchemaProps): Partial<FieldSchema> {
  const out: Partial<FieldSchema> = {};
  if (s.description) out.description = s.description;
  if (s.format) out.format = s.format;
  if (s.enum && s.enum.every((e) => typeof e === 'string')) out.enum = s.enum as string[];
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'atomic' || listType === 'set' || listType === 'map') out.listType = listType;
  if (s['x-kubernetes-list-map-keys']) out.listMapKeys = s['x-kubernetes-list-map-keys'];
  const mapType = s['x-kubernetes-map-type'];
  if (mapType === 'atomic' || mapType === 'granular') out.mapType = mapType;
  if (s['x-kubernetes-preserve-unknown-fields']) out.preserveUnknownFields = true;
  if (s['x-kubernetes-embedded-resource']) out.embeddedResource = true;
  if (s['x-kubernetes-int-or-string']) out.intOrString = true;
  return out;
}

/** Converts the schema of one served version into definitions: the kind's, then its list's. */
export function customResourceDefinitions(r: ResourceInfo, schema: JSONSchemaProps | undefined): DefinitionSchema[] {
  const field = (s: JSONSchemaProps, name: string): FieldSchema => {
    if (s['x-kubernetes-int-or-string']) return { type: 'string', format: 'int-or-string', ...facts(s), intOrString: true };
    if (s.type === 'array') return { type: 'array', ...(s.items ? { items: field(s.items, `${name}.items`) } : {}), ...facts(s) };
    if (s.type === 'object' || (!s.type && (s.properties || s.additionalProperties))) {
      if (s.properties && Object.keys(s.properties).length > 0) {
        const fields: Record<string, FieldSchema> = {};
        for (const [k, p] of Object.entries(s.properties)) fields[k] = field(p, `${name}.${k}`);
        return { type: 'object', fields, ...(s.required?.length ? { required: [...s.required] } : {}), ...facts(s) };
      }
      if (typeof s.additionalProperties === 'object') return { type: 'map', values: field(s.additionalProperties, `${name}.values`), ...facts(s) };
      return { type: 'object', ...facts(s) };
    }
    const scalar: FieldType[] = ['string', 'integer', 'number', 'boolean'];
    return { type: scalar.includes(s.type as FieldType) ? (s.type as FieldType) : 'any', ...facts(s) };
  };

  const definition = (s: JSONSchemaProps, name: string): DefinitionSchema => {
    const fields: Record<string, FieldSchema> = {};
    for (const [k, p] of Object.entries(s.properties ?? {})) fields[k] = field(p, `${name}.${k}`);
    const def: DefinitionSchema = { name, type: 'object', fields, ...facts(s) } as DefinitionSchema;
    if (s.required?.length) def.required = [...s.required];
    return def;
  };

  const root = schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const kindDef = definition(root, r.definition);
  // Every custom resource has these, whatever its schema declares.
  kindDef.fields = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'ref', ref: objectMeta }, ...kindDef.fields };
  kindDef.gvks = [{ group: r.group, version: r.version, kind: r.kind }];
  const listDef: DefinitionSchema = {
    name: `${r.definition}List`,
    type: 'object',
    fields: {
      apiVersion: { type: 'string' },
      items: { type: 'array', items: { type: 'ref', ref: r.definition } },
      kind: { type: 'string' },
      metadata: { type: 'ref', ref: 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta' },
    },
    required: ['items'],
    gvks: [{ group: r.group, version: r.version, kind: r.listKind }],
  };
  return [kindDef, listDef];
}
