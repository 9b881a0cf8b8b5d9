// Server-side apply types from the generated schema tables: adapts definitions and their x-kubernetes-list-type,
// list-map-keys and map-type extensions to apimachinery's ApplyType, as upstream's schema converter does.
import { applyTypeFromOpenAPIV3, type StructuralSchema } from '../apimachinery/apply/openapi-v3-type.js';
import { untypedType, type ApplyType } from '../apimachinery/apply/schema.js';
import type { JSONObject, JSONValue } from '../apimachinery/patch/json-value.js';
import type { CompiledTable } from '../apimachinery/protobuf/table.js';
import type { DefinitionSchema, FieldSchema } from './definition.js';
import { builtinProtobufTable } from './protobuf.js';
import { definitionFor, definitionNamed } from './schema.js';

/** Definitions that are strings on the wire although the tables describe them otherwise. */
function isScalarLike(def: DefinitionSchema | FieldSchema): boolean {
  return def.intOrString === true || def.format === 'quantity' || def.format === 'date-time' || def.format === 'int-or-string';
}

class ScalarType implements ApplyType {
  readonly kind = 'scalar';
  readonly atomic = true;
  fieldType(): undefined {
    return undefined;
  }
  elementType(): ApplyType {
    return untypedType;
  }
}

const scalarType: ApplyType = new ScalarType();

/** A definition with named fields. Field types are built on first use and kept. */
class StructType implements ApplyType {
  readonly kind = 'struct';
  readonly atomic: boolean;
  private readonly fields = new Map<string, ApplyType>();
  constructor(private readonly definition: DefinitionSchema) {
    this.atomic = definition.mapType === 'atomic';
  }
  fieldType(name: string): ApplyType | undefined {
    let t = this.fields.get(name);
    if (!t) {
      const fields = this.definition.fields!;
      if (!Object.hasOwn(fields, name)) return undefined;
      t = typeOfField(fields[name]!);
      this.fields.set(name, t);
    }
    return t;
  }
  elementType(): ApplyType {
    return untypedType;
  }
}

class MapType implements ApplyType {
  readonly kind = 'map';
  private values: ApplyType | undefined;
  constructor(
    private readonly valueSchema: FieldSchema | undefined,
    readonly atomic: boolean,
  ) {}
  fieldType(): undefined {
    return undefined;
  }
  elementType(): ApplyType {
    this.values ??= this.valueSchema ? typeOfField(this.valueSchema) : untypedType;
    return this.values;
  }
}

/**
 * Defaults of list-map key fields (`+default` in upstream's Go types, published in OpenAPI v3 only; the
 * generated tables come from v2). Upstream's merge engine keys an item that omits such a field by its default.
 */
const keyFieldDefaults: Readonly<Record<string, Readonly<Record<string, JSONValue>>>> = {
  'io.k8s.api.core.v1.ContainerPort': { protocol: 'TCP' },
  'io.k8s.api.core.v1.ServicePort': { protocol: 'TCP' },
};

class ListType implements ApplyType {
  readonly kind = 'list';
  readonly atomic: boolean;
  readonly listType: 'atomic' | 'set' | 'map';
  readonly listMapKeys: readonly string[] | undefined;
  readonly listMapKeyDefaults: Readonly<Record<string, JSONValue>> | undefined;
  private items: ApplyType | undefined;
  constructor(private readonly field: FieldSchema) {
    // Without x-kubernetes-list-type, a "merge" patch strategy makes the list a map keyed by the patch
    // merge key (or a set of scalars); every other list is atomic.
    const merges = (field.patchStrategy ?? '').split(',').includes('merge');
    if (field.listType) this.listType = field.listType;
    else if (merges) this.listType = field.patchMergeKey ? 'map' : 'set';
    else this.listType = 'atomic';
    this.listMapKeys = this.listType === 'map' ? (field.listMapKeys ?? (field.patchMergeKey ? [field.patchMergeKey] : [])) : undefined;
    this.atomic = this.listType === 'atomic';
    const itemRef = field.items?.type === 'ref' ? field.items.ref : undefined;
    this.listMapKeyDefaults = this.listType === 'map' && itemRef && Object.hasOwn(keyFieldDefaults, itemRef) ? keyFieldDefaults[itemRef] : undefined;
  }
  fieldType(): undefined {
    return undefined;
  }
  elementType(): ApplyType {
    this.items ??= this.field.items ? typeOfField(this.field.items) : untypedType;
    return this.items;
  }
}

const byDefinition = new Map<string, ApplyType>();

function typeOfDefinition(def: DefinitionSchema): ApplyType {
  let t = byDefinition.get(def.name);
  if (!t) {
    if (def.preserveUnknownFields || def.type === 'any') t = untypedType;
    else if (isScalarLike(def)) t = scalarType;
    else if (def.type === 'object') t = def.fields && Object.keys(def.fields).length > 0 ? new StructType(def) : untypedType;
    else if (def.type === 'map') t = new MapType(def.values, def.mapType === 'atomic');
    else t = scalarType;
    byDefinition.set(def.name, t);
  }
  return t;
}

function typeOfField(field: FieldSchema): ApplyType {
  if (field.preserveUnknownFields || field.type === 'any') return untypedType;
  if (isScalarLike(field)) return scalarType;
  switch (field.type) {
    case 'ref': {
      const def = definitionNamed(field.ref!);
      if (!def) throw new Error(`schema refers to unknown definition ${field.ref}`);
      return typeOfDefinition(def);
    }
    case 'array':
      return new ListType(field);
    case 'map':
      return new MapType(field.values, field.mapType === 'atomic');
    case 'object':
      return untypedType;
    default:
      return scalarType;
  }
}

/**
 * The apply type of the body of group/version/kind (core group: ""), or undefined when the kind has no
 * built-in schema (custom resources: use their structural schema or `untypedType`).
 */
export function applySchemaFor(group: string, version: string, kind: string): ApplyType | undefined {
  const def = definitionFor(group, version, kind);
  return def ? typeOfDefinition(def) : undefined;
}

/** The apply type of a definition by OpenAPI name (e.g. "io.k8s.api.core.v1.PodSpec"). */
export function applySchemaNamed(name: string): ApplyType | undefined {
  const def = definitionNamed(name);
  return def ? typeOfDefinition(def) : undefined;
}

const zeroObjects = new Map<string, JSONObject | undefined>();

/** The OpenAPI definition of a protobuf message ("k8s.io.api.apps.v1.Deployment" → "io.k8s.api.apps.v1.Deployment"). */
function definitionOfMessage(protoName: string): DefinitionSchema | undefined {
  return protoName.startsWith('k8s.io.') ? definitionNamed(`io.k8s.${protoName.slice('k8s.io.'.length)}`) : undefined;
}

function zeroScalar(type: string): JSONValue {
  if (type === 'string' || type === 'bytes') return '';
  if (type === 'bool') return false;
  return 0;
}

/**
 * A message's zero value as Go's encoding/json writes it: non-pointer structs always appear (recursively);
 * required fields (no omitempty) appear as their zero value, or null for pointers, lists and maps; the
 * rest is omitted. Time marshals as null, Quantity as "0".
 */
function zeroMessage(table: CompiledTable, index: number, depth: number): JSONValue {
  const message = table.messages[index]!;
  switch (message.special) {
    case 'time':
    case 'microtime':
    case 'raw':
      return null;
    case 'quantity':
      return '0';
    case 'intorstring':
      return 0;
    case 'duration':
      return '0s';
    case 'items':
      return null;
  }
  const out: JSONObject = {};
  if (depth > 32) return out;
  const required = new Set(definitionOfMessage(message.name)?.required ?? []);
  for (const f of message.fields) {
    if (f.inline) continue;
    if (f.repeated || f.type.startsWith('map<')) {
      if (required.has(f.name)) out[f.name] = null;
    } else if (f.type === 'message') {
      if (!f.pointer) out[f.name] = zeroMessage(table, f.ref, depth + 1);
      else if (required.has(f.name)) out[f.name] = null;
    } else if (required.has(f.name)) {
      out[f.name] = f.pointer ? null : zeroScalar(f.type);
    }
  }
  return out;
}

/**
 * The zero value of a built-in kind as upstream's field manager sees it (a new Go object turned into JSON),
 * e.g. for Deployments `{metadata: {creationTimestamp: null}, spec: {selector: null, strategy: {},
 * template: {…, spec: {containers: null}}}, status: {}}`. Update entries written on create are computed
 * against it, so non-pointer structs present in it are not themselves owned. Undefined for kinds without a
 * built-in protobuf message (custom resources: use `{}`). Shared: do not modify.
 */
export function zeroObjectFor(group: string, version: string, kind: string): JSONObject | undefined {
  const key = `${group}/${version}/${kind}`;
  if (zeroObjects.has(key)) return zeroObjects.get(key);
  const table = builtinProtobufTable();
  const index = table.kinds.get(key);
  const zero = index === undefined ? undefined : (zeroMessage(table, index, 0) as JSONObject);
  zeroObjects.set(key, zero);
  return zero;
}

/**
 * The apply type of a custom resource from its version's structural schema (CRD `openAPIV3Schema`):
 * metadata is always the built-in ObjectMeta, as upstream serves custom resources.
 */
export function applySchemaForCustomResource(schema: StructuralSchema): ApplyType {
  const objectMeta = applySchemaNamed('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')!;
  return applyTypeFromOpenAPIV3(schema, { rootFields: { apiVersion: scalarType, kind: scalarType, metadata: objectMeta } });
}
