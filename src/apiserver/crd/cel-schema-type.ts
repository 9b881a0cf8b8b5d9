// The CEL type of a structural schema node, as upstream's SchemaDeclType: objects with their properties, maps from
// additionalProperties, lists, formats as timestamp/duration, int-or-string and untyped data as dyn, and embedded
// resources (and the root) with apiVersion, kind and metadata.name/generateName.

import { listOf, mapOf, T, type CELType } from '../../apimachinery/cel/types.js';
import type { JSONSchemaProps } from './crd-types.js';

const cache = new WeakMap<JSONSchemaProps, CELType>();

/** The largest request body the apiserver accepts (3 MiB): what unbounded strings, lists and maps are sized from. */
export const maxRequestSizeBytes = 3 * 1024 * 1024;

/**
 * The smallest JSON text a value of `s` can be (`true`, `0`, `""`, `[]`, `{}` plus the required properties
 * that have no default), to bound unbounded lists and maps.
 */
function minSizeJSON(s: JSONSchemaProps | undefined): number {
  switch (s?.type) {
    case 'boolean':
      return 4;
    case 'string':
    case 'array':
      return 2;
    case 'object': {
      let size = 2;
      for (const name of s.required ?? []) {
        const prop = s.properties?.[name];
        // `"name":value,` — quotes, colon and comma around the name and value.
        if (prop && prop.default === undefined) size += name.length + minSizeJSON(prop) + 4;
      }
      return size;
    }
    default:
      return 1;
  }
}

/** Bytes a string of `s` can take: 4 per character of maxLength, the longest enum value, else a request. */
function maxStringBytes(s: JSONSchemaProps): number {
  if (s.maxLength !== undefined) return s.maxLength * 4;
  if (Array.isArray(s.enum) && s.enum.length > 0 && s.enum.every((v) => typeof v === 'string')) {
    return Math.max(...(s.enum as string[]).map((v) => Buffer.byteLength(v)));
  }
  return maxRequestSizeBytes - 2;
}

/**
 * How many values of `s` one request can hold at most (one comma each), whatever lists and maps they sit in:
 * the cardinality of a node under an unbounded list or map.
 */
export function unboundedCardinality(s: JSONSchemaProps | undefined): number {
  return Math.floor(maxRequestSizeBytes / (minSizeJSON(s) + 1));
}

/** Most items an unbounded list of `items` can hold in one request (`[` `]`, one comma per item). */
export function unboundedItems(items: JSONSchemaProps | undefined): number {
  return Math.floor((maxRequestSizeBytes - 2) / (minSizeJSON(items) + 1));
}

/** Most entries an unbounded map of `values` can hold in one request (a 2-byte key, quotes, colon, comma each). */
export function unboundedProperties(values: JSONSchemaProps | undefined): number {
  return Math.floor((maxRequestSizeBytes - 2) / (minSizeJSON(values) + 6));
}

const objectMeta: CELType = {
  kind: 'object',
  name: 'kubernetes.ObjectMeta',
  fields: new Map([
    ['name', T.string],
    ['generateName', T.string],
  ]),
  open: false,
};

/**
 * The CEL type rules on `schema` see as `self`. `name` names object types in messages. `root` adds the
 * apiVersion/kind/metadata every custom resource has (upstream WithTypeAndObjectMeta).
 */
export function schemaCELType(schema: JSONSchemaProps | undefined, opts: { name?: string; root?: boolean } = {}): CELType {
  if (!schema || typeof schema !== 'object') return T.dyn;
  if (!opts.root) {
    const cached = cache.get(schema);
    if (cached) return cached;
  }
  const t = convert(schema, opts.name ?? 'Object', opts.root ?? false);
  if (!opts.root) cache.set(schema, t);
  return t;
}

function convert(s: JSONSchemaProps, name: string, root: boolean): CELType {
  if (s['x-kubernetes-int-or-string']) return T.dyn;
  const embedded = root || s['x-kubernetes-embedded-resource'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
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
      return { kind: 'string', maxSize: maxStringBytes(s) };
    case 'array': {
      const items = s.items && !Array.isArray(s.items) ? (s.items as JSONSchemaProps) : undefined;
      return listOf(items ? schemaCELType(items, { name: `${name}.@idx` }) : T.dyn, s.maxItems ?? unboundedItems(items));
    }
    case 'object':
    case undefined: {
      if (s.type === undefined && !embedded && !s.properties) return T.dyn;
      const additional = s.additionalProperties;
      if (additional !== undefined && additional !== false && !s.properties) {
        const values = typeof additional === 'object' ? additional : undefined;
        // Keys have no declared bound; upstream's key type carries no size, so they are costed as empty strings.
        return mapOf({ kind: 'string', maxSize: 0 }, values ? schemaCELType(values, { name: `${name}.@elem` }) : T.dyn, s.maxProperties ?? unboundedProperties(values));
      }
      const fields = new Map<string, CELType>();
      for (const [k, v] of Object.entries(s.properties ?? {})) fields.set(k, schemaCELType(v, { name: `${name}.${k}` }));
      if (embedded) {
        if (!fields.has('apiVersion')) fields.set('apiVersion', T.string);
        if (!fields.has('kind')) fields.set('kind', T.string);
        // Upstream keeps a declared metadata only when it declares both name and generateName.
        const declared = s.properties?.metadata?.properties;
        if (!declared?.name || !declared.generateName) fields.set('metadata', objectMeta);
      }
      return { kind: 'object', name, fields, open: preserve };
    }
    default:
      return T.dyn;
  }
}
