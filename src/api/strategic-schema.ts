// Strategic merge patch metadata from the generated schema tables: adapts definitions (with their
// x-kubernetes-patch-strategy / patch-merge-key) to apimachinery's LookupPatchMeta, as Go struct tags do upstream.
import {
  noPatchMeta,
  opaquePatchMeta,
  parsePatchStrategies,
  type LookupPatchMeta,
  type PatchMeta,
  type PatchMetaLookup,
} from '../apimachinery/patch/strategic/patch-meta.js';
import type { DefinitionSchema, FieldSchema } from './definition.js';
import { definitionFor, definitionNamed } from './schema.js';

/** Go kind names upstream prints for a non-struct position ("… instead is: map"). */
function goKindOf(field: FieldSchema | DefinitionSchema): string {
  switch (field.type) {
    case 'map':
      return 'map';
    case 'array':
      return 'slice';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'integer':
      return field.format === 'int32' ? 'int32' : 'int64';
    case 'number':
      return 'float64';
    default:
      return 'struct';
  }
}

/** A position that is not a struct (map, list, scalar): upstream's struct lookup refuses every key there. */
class NonStructPatchMeta implements LookupPatchMeta {
  private readonly failure: PatchMetaLookup;
  constructor(private readonly kind: string) {
    this.failure = { error: `merging an object in json but data type is not struct, instead is: ${kind}` };
  }
  lookupPatchMetadataForStruct(): PatchMetaLookup {
    return this.failure;
  }
  lookupPatchMetadataForSlice(): PatchMetaLookup {
    return this.failure;
  }
  name(): string {
    return this.kind;
  }
}

/** A definition with named fields: the counterpart of a Go API struct and its patch tags. */
class StructPatchMeta implements LookupPatchMeta {
  private readonly structLookups = new Map<string, PatchMetaLookup>();
  private readonly sliceLookups = new Map<string, PatchMetaLookup>();
  private readonly goName: string;

  constructor(private readonly definition: DefinitionSchema) {
    this.goName = definition.name.slice(definition.name.lastIndexOf('.') + 1);
  }

  lookupPatchMetadataForStruct(key: string): PatchMetaLookup {
    let r = this.structLookups.get(key);
    if (!r) {
      const field = this.field(key);
      r = field ? { schema: patchMetaForField(field), meta: metaOf(field) } : this.unknown(key);
      this.structLookups.set(key, r);
    }
    return r;
  }

  lookupPatchMetadataForSlice(key: string): PatchMetaLookup {
    let r = this.sliceLookups.get(key);
    if (!r) {
      const field = this.field(key);
      if (!field) r = this.unknown(key);
      else if (field.type !== 'array' || !field.items) r = { error: 'expected slice or array type, but got: struct' };
      else r = { schema: patchMetaForField(field.items), meta: metaOf(field) };
      this.sliceLookups.set(key, r);
    }
    return r;
  }

  name(): string {
    return 'struct';
  }

  private field(key: string): FieldSchema | undefined {
    const fields = this.definition.fields!;
    return Object.hasOwn(fields, key) ? fields[key] : undefined;
  }

  private unknown(key: string): PatchMetaLookup {
    return { error: `unable to find api field in struct ${this.goName} for the json field ${JSON.stringify(key)}` };
  }
}

function metaOf(field: FieldSchema): PatchMeta {
  if (!field.patchStrategy && !field.patchMergeKey) return noPatchMeta;
  return { patchStrategies: parsePatchStrategies(field.patchStrategy), patchMergeKey: field.patchMergeKey ?? '' };
}

const byDefinition = new Map<string, LookupPatchMeta>();

/** The patch metadata of a definition; shared per definition name. */
function patchMetaForDefinition(definition: DefinitionSchema): LookupPatchMeta {
  let meta = byDefinition.get(definition.name);
  if (!meta) {
    if (definition.preserveUnknownFields || definition.type === 'any') meta = opaquePatchMeta;
    else if (definition.type === 'object') meta = definition.fields && Object.keys(definition.fields).length > 0 ? new StructPatchMeta(definition) : opaquePatchMeta;
    else meta = new NonStructPatchMeta(goKindOf(definition));
    byDefinition.set(definition.name, meta);
  }
  return meta;
}

function patchMetaForField(field: FieldSchema): LookupPatchMeta {
  if (field.preserveUnknownFields || field.type === 'any' || field.type === 'object') return opaquePatchMeta;
  if (field.type === 'ref') {
    const definition = definitionNamed(field.ref!);
    if (!definition) throw new Error(`schema refers to unknown definition ${field.ref}`);
    return patchMetaForDefinition(definition);
  }
  return new NonStructPatchMeta(goKindOf(field));
}

/**
 * Strategic merge patch metadata for the body of group/version/kind (core group: ""), or undefined when
 * the kind has no built-in schema: custom resources do not support strategic merge patch (the PATCH
 * handler answers 415 for them, as upstream).
 */
export function strategicMergePatchSchema(group: string, version: string, kind: string): LookupPatchMeta | undefined {
  const definition = definitionFor(group, version, kind);
  return definition ? patchMetaForDefinition(definition) : undefined;
}

/** Strategic merge patch metadata for a definition by OpenAPI name (e.g. "io.k8s.api.core.v1.PodSpec"). */
export function strategicMergePatchSchemaNamed(name: string): LookupPatchMeta | undefined {
  const definition = definitionNamed(name);
  return definition ? patchMetaForDefinition(definition) : undefined;
}
