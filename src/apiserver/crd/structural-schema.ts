// Whether a CRD version's openAPIV3Schema is structural and well formed, as upstream's apiextensions validation
// requires of v1 CRDs (pkg/apiserver/schema/validation.go ValidateStructural and the schema part of
// pkg/apis/apiextensions/validation): every specified field has a type, arrays have items, metadata at the root
// names at most name and generateName, list and map types are consistent, unsupported JSON-schema keywords are
// refused. Messages and paths are upstream's, e.g.
// `spec.validation.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields`.

import { forbidden, invalid, notSupported, required, type FieldError } from '../../apimachinery/field-error.js';
import { re2 } from '../../apimachinery/regexp/re2.js';
import type { JSONSchemaProps } from './crd-types.js';
import { validateDefaults } from './default-validation.js';
import { validateSchemaJunctors } from './schema-junctors.js';

/** A schema as written: the typed keywords plus those k8ts does not otherwise read. */
type RawSchema = JSONSchemaProps & {
  title?: string;
  id?: string;
  $ref?: string;
  definitions?: Record<string, JSONSchemaProps>;
  dependencies?: Record<string, unknown>;
  patternProperties?: Record<string, JSONSchemaProps>;
  additionalItems?: unknown;
  'x-kubernetes-validations'?: unknown[];
};

type Level = 'root' | 'item' | 'field';

const openAPIV3Types = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const metaFields = new Set(['metadata', 'kind', 'apiVersion']);

const asSchema = (s: unknown): RawSchema | undefined => (s && typeof s === 'object' && !Array.isArray(s) ? (s as RawSchema) : undefined);
const additionalSchema = (s: RawSchema): RawSchema | undefined => asSchema(s.additionalProperties);
const propertiesOf = (s: RawSchema): Array<[string, RawSchema]> => Object.entries(s.properties ?? {}).map(([k, v]) => [k, v as RawSchema]);

/** upstream validateStructuralInvariants (junctor contents are checked by schema-junctors.ts). */
function invariants(s: RawSchema, lvl: Level, path: string, errs: FieldError[]): void {
  if (s.type === 'array' && s.items === undefined) errs.push(required(`${path}.items`, 'must be specified'));
  const items = asSchema(s.items);
  if (items) invariants(items, 'item', `${path}.items`, errs);
  for (const [k, v] of propertiesOf(s)) invariants(v, 'field', `${path}.properties[${k}]`, errs);
  if (s.additionalProperties !== undefined && s.additionalProperties !== false) {
    if (lvl === 'root') errs.push(forbidden(`${path}.additionalProperties`, 'must not be used at the root'));
    const ap = additionalSchema(s);
    if (ap) invariants(ap, 'field', `${path}.additionalProperties`, errs);
  }
  const intOrString = !!s['x-kubernetes-int-or-string'];
  const preserve = !!s['x-kubernetes-preserve-unknown-fields'];
  const embedded = !!s['x-kubernetes-embedded-resource'];
  if (intOrString && preserve) errs.push(invalid(`${path}.x-kubernetes-preserve-unknown-fields`, true, 'must be false if x-kubernetes-int-or-string is true'));
  if (intOrString && embedded) errs.push(invalid(`${path}.x-kubernetes-embedded-resource`, true, 'must be false if x-kubernetes-int-or-string is true'));
  if (s.pattern !== undefined) {
    try {
      re2(s.pattern);
    } catch (err) {
      errs.push(invalid(`${path}.pattern`, s.pattern, `must be a valid regular expression, but isn't: ${(err as Error).message}`));
    }
  }
  const checkMetadata = lvl === 'root' || embedded;
  if (embedded && s.type !== 'object') {
    if (!s.type) errs.push(required(`${path}.type`, 'must be object if x-kubernetes-embedded-resource is true'));
    else errs.push(invalid(`${path}.type`, s.type, 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (!s.type && !intOrString && !preserve) {
    const where = lvl === 'root' ? 'at the root' : lvl === 'item' ? 'for specified array items' : 'for specified object fields';
    errs.push(required(`${path}.type`, `must not be empty ${where}`));
  }
  if (embedded && s.additionalProperties !== undefined && s.additionalProperties !== false) {
    errs.push(forbidden(`${path}.additionalProperties`, 'must not be used if x-kubernetes-embedded-resource is set'));
  }
  if (lvl === 'root' && s.type && s.type !== 'object') errs.push(invalid(`${path}.type`, s.type, 'must be object at the root'));
  for (const name of ['kind', 'apiVersion']) {
    const p = asSchema(s.properties?.[name]);
    if (p && checkMetadata && p.type !== 'string') errs.push(invalid(`${path}.properties[${name}].type`, p.type ?? '', 'must be string'));
  }
  const metadata = asSchema(s.properties?.metadata);
  if (metadata) metadataInvariants(metadata, checkMetadata, lvl, `${path}.properties[metadata]`, errs);
  if (embedded && !preserve && Object.keys(s.properties ?? {}).length === 0) {
    errs.push(required(`${path}.properties`, 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  }
}

/** upstream validateStructuralMetadataInvariants: metadata is an object; at the root it may only constrain name and generateName. */
function metadataInvariants(s: RawSchema, checkMetadata: boolean, lvl: Level, path: string, errs: FieldError[]): void {
  if (checkMetadata && s.type !== 'object') errs.push(invalid(`${path}.type`, s.type ?? '', 'must be object'));
  if (lvl !== 'root') return;
  const props = Object.keys(s.properties ?? {});
  const onlyNames = props.every((p) => p === 'name' || p === 'generateName');
  const { type: _type, default: _default, properties: _properties, ...rest } = s;
  const others = Object.entries(rest).filter(([, v]) => v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0));
  if (!onlyNames || others.length > 0) {
    errs.push(forbidden(path, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
  }
}

/**
 * upstream's completeness rule: a property or items schema named inside the root's anyOf/allOf/oneOf/not must
 * also be specified in the structural part, `sPath` the structural node and `vPath` where the junctor names it.
 */
function junctorCompleteness(v: RawSchema, s: RawSchema | undefined, sPath: string, vPath: string, errs: FieldError[]): void {
  if (!s) {
    errs.push(required(sPath, `because it is defined in ${vPath}`));
    return;
  }
  const nested = (n: unknown, at: string) => nestedCompleteness(asSchema(n), s, sPath, at, errs);
  nested(v.not, `${vPath}.not`);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) (v[key] ?? []).forEach((n, i) => nested(n, `${vPath}.${key}[${i}]`));
}

function nestedCompleteness(v: RawSchema | undefined, s: RawSchema | undefined, sPath: string, vPath: string, errs: FieldError[]): void {
  if (!v) return;
  if (!s) {
    errs.push(required(sPath, `because it is defined in ${vPath}`));
    return;
  }
  junctorCompleteness(v, s, sPath, vPath, errs);
  if (v.items !== undefined) nestedCompleteness(asSchema(v.items), asSchema(s.items), `${sPath}.items`, `${vPath}.items`, errs);
  for (const [k, vf] of propertiesOf(v)) {
    const sf = asSchema(s.properties?.[k]);
    if (!sf) errs.push(required(`${sPath}.properties[${k}]`, `because it is defined in ${vPath}.properties[${k}]`));
    else nestedCompleteness(vf, sf, `${sPath}.properties[${k}]`, `${vPath}.properties[${k}]`, errs);
  }
}

/** Go's field.Error.Error(): what upstream sorts structural errors by. */
const errorText = (e: FieldError) => `${e.field}: ${e.detail}`;

/**
 * upstream ValidateStructural: the invariants above plus the junctor rules, sorted as upstream sorts them.
 * `path` is the schema's own path (…schema.openAPIV3Schema).
 */
export function validateStructural(schema: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  invariants(schema as RawSchema, 'root', path, errs);
  errs.push(...validateSchemaJunctors(schema, path));
  junctorCompleteness(schema as RawSchema, schema as RawSchema, path, path, errs);
  return errs.sort((a, b) => (errorText(a) < errorText(b) ? -1 : errorText(a) > errorText(b) ? 1 : 0));
}

/** The keywords upstream refuses anywhere in a CRD schema, and defaults where they may not be (specStandardValidator). */
function standardErrors(s: RawSchema, path: string, defaultsForbiddenReason: string | undefined, insideResourceMeta: boolean, errs: FieldError[]): void {
  if (s.type && !openAPIV3Types.includes(s.type)) errs.push(notSupported(`${path}.type`, s.type, openAPIV3Types));
  if (s.default !== undefined && defaultsForbiddenReason !== undefined) errs.push(forbidden(`${path}.default`, `must not be set ${defaultsForbiddenReason}`));
  if (s.id) errs.push(forbidden(`${path}.id`, 'id is not supported'));
  if (s.additionalItems !== undefined) errs.push(forbidden(`${path}.additionalItems`, 'additionalItems is not supported'));
  if (Object.keys(s.patternProperties ?? {}).length > 0) errs.push(forbidden(`${path}.patternProperties`, 'patternProperties is not supported'));
  if (Object.keys(s.definitions ?? {}).length > 0) errs.push(forbidden(`${path}.definitions`, 'definitions is not supported'));
  if (s.dependencies !== undefined) errs.push(forbidden(`${path}.dependencies`, 'dependencies is not supported'));
  if (s.$ref !== undefined) errs.push(forbidden(`${path}.$ref`, '$ref is not supported'));
  if (s.type === 'null') errs.push(forbidden(`${path}.type`, 'type cannot be set to null, use nullable as an alternative'));
  if (Array.isArray(s.items) && s.items.length > 0) errs.push(forbidden(`${path}.items`, 'items must be a schema object and not an array'));
  if (insideResourceMeta && s['x-kubernetes-embedded-resource']) errs.push(forbidden(`${path}.x-kubernetes-embedded-resource`, 'must not be used inside of resource meta'));
}

/** upstream's list and map type rules, and validateMapListKeysMapSet. */
function listAndMapErrors(s: RawSchema, path: string, errs: FieldError[]): void {
  if (s['x-kubernetes-preserve-unknown-fields'] === false) errs.push(invalid(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'));
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined && s.type !== 'object') {
    if (!s.type) errs.push(required(`${path}.type`, 'must be object if x-kubernetes-map-type is specified'));
    else errs.push(invalid(`${path}.type`, s.type, 'must be object if x-kubernetes-map-type is specified'));
  }
  if (mapType !== undefined && mapType !== 'atomic' && mapType !== 'granular') errs.push(notSupported(`${path}.x-kubernetes-map-type`, mapType, ['atomic', 'granular']));
  const listType = s['x-kubernetes-list-type'];
  const items = asSchema(s.items);
  if (listType !== undefined && s.type !== 'array') {
    if (!s.type) errs.push(required(`${path}.type`, 'must be array if x-kubernetes-list-type is specified'));
    else errs.push(invalid(`${path}.type`, s.type, 'must be array if x-kubernetes-list-type is specified'));
  } else if (listType === 'set' && items) {
    if (items.type === 'array' && items['x-kubernetes-list-type'] !== undefined && items['x-kubernetes-list-type'] !== 'atomic') {
      errs.push(invalid(`${path}.items.x-kubernetes-list-type`, items['x-kubernetes-list-type'], 'must be atomic as item of a list with x-kubernetes-list-type=set'));
    }
    if (items.type === 'object' && items['x-kubernetes-map-type'] !== 'atomic') {
      errs.push(invalid(`${path}.items.x-kubernetes-map-type`, items['x-kubernetes-list-type'] ?? null, 'must be atomic as item of a list with x-kubernetes-list-type=set'));
    }
  }
  if (listType !== undefined && !['atomic', 'set', 'map'].includes(listType)) errs.push(notSupported(`${path}.x-kubernetes-list-type`, listType, ['atomic', 'set', 'map']));
  const keys = s['x-kubernetes-list-map-keys'] ?? [];
  if (keys.length > 0) {
    if (listType === undefined) errs.push(required(`${path}.x-kubernetes-list-type`, 'must be map if x-kubernetes-list-map-keys is non-empty'));
    else if (listType !== 'map') errs.push(invalid(`${path}.x-kubernetes-list-type`, listType, 'must be map if x-kubernetes-list-map-keys is non-empty'));
  }
  if (listType === 'map') {
    if (keys.length === 0) errs.push(required(`${path}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map'));
    if (s.items === undefined) errs.push(required(`${path}.items`, 'must have a schema if x-kubernetes-list-type is map'));
    else if (!items) errs.push(invalid(`${path}.items`, s.items, 'must only have a single schema if x-kubernetes-list-type is map'));
    if (items && items.type !== 'object') errs.push(invalid(`${path}.items.type`, items.type ?? '', "must be object if parent array's x-kubernetes-list-type is map"));
    if (items && items.type === 'object') {
      const seen = new Set<string>();
      for (const k of keys) {
        const prop = asSchema(items.properties?.[k]);
        if (prop) {
          if (prop.type === 'array' || prop.type === 'object') errs.push(invalid(`${path}.items.properties[${k}].type`, items.type, "must be a scalar type if parent array's x-kubernetes-list-type is map"));
        } else {
          errs.push(invalid(`${path}.x-kubernetes-list-map-keys`, keys, 'entries must all be names of item properties'));
        }
        if (seen.has(k)) errs.push(invalid(`${path}.x-kubernetes-list-map-keys`, keys, 'must not contain duplicate entries'));
        seen.add(k);
      }
    }
  }
  if (items && (listType === 'set' || listType === 'map')) {
    if (items.nullable) errs.push(forbidden(`${path}.items.nullable`, `cannot be nullable when x-kubernetes-list-type is ${listType}`));
    if (listType === 'map') {
      const requiredKeys = new Set(items.required ?? []);
      for (const k of keys) {
        const prop = asSchema(items.properties?.[k]);
        if (!prop) continue;
        if (!requiredKeys.has(k) && prop.default === undefined) {
          errs.push(required(`${path}.items.properties[${k}].default`, 'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property'));
        }
        if (prop.nullable) errs.push(forbidden(`${path}.items.properties[${k}].nullable`, 'this property is in x-kubernetes-list-map-keys, so it cannot be nullable'));
      }
    }
  }
}

interface WalkContext {
  /** Why defaults are refused here ("in top-level metadata"), or undefined where they are allowed. */
  defaultsForbidden?: string;
  insideResourceMeta: boolean;
}

/** upstream ValidateCustomResourceDefinitionOpenAPISchema without its CEL part (cel-validation.ts has that). */
function openAPISchemaErrors(s: RawSchema | undefined, path: string, ctx: WalkContext, isRoot: boolean, errs: FieldError[]): void {
  if (!s) return;
  standardErrors(s, path, ctx.defaultsForbidden, ctx.insideResourceMeta, errs);
  if (s.uniqueItems) errs.push(forbidden(`${path}.uniqueItems`, 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  if (s.additionalProperties !== undefined) {
    if (Object.keys(s.properties ?? {}).length > 0 && (s.additionalProperties === false || additionalSchema(s))) {
      errs.push(forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
    }
    const sub = ctx.insideResourceMeta ? { ...ctx, defaultsForbidden: 'inside additionalProperties applying to object metadata' } : ctx;
    openAPISchemaErrors(additionalSchema(s), `${path}.additionalProperties`, sub, false, errs);
  }
  for (const [k, v] of propertiesOf(s)) {
    let sub = ctx;
    if ((isRoot || s['x-kubernetes-embedded-resource']) && metaFields.has(k)) {
      sub = { ...sub, insideResourceMeta: true, ...(isRoot ? { defaultsForbidden: `in top-level ${k}` } : {}) };
    }
    openAPISchemaErrors(v, `${path}.properties[${k}]`, sub, false, errs);
  }
  openAPISchemaErrors(asSchema(s.not), `${path}.not`, ctx, false, errs);
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) (s[key] ?? []).forEach((v, i) => openAPISchemaErrors(v as RawSchema, `${path}.${key}[${i}]`, ctx, false, errs));
  for (const [k, v] of Object.entries(s.definitions ?? {})) openAPISchemaErrors(v as RawSchema, `${path}.definitions[${k}]`, ctx, false, errs);
  if (Array.isArray(s.items)) s.items.forEach((v, i) => openAPISchemaErrors(asSchema(v), `${path}.items[${i}]`, ctx, false, errs));
  else openAPISchemaErrors(asSchema(s.items), `${path}.items`, ctx, false, errs);
  listAndMapErrors(s, path, errs);
}

/** Keywords allowed at the root of a schema whose version has a status subresource (upstream's allowedFieldsAtRootSchema). */
const allowedAtRootWithStatus = new Set([
  'description', 'type', 'format', 'title', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern',
  'maxItems', 'minItems', 'uniqueItems', 'multipleOf', 'required', 'items', 'properties', 'externalDocs', 'example',
  'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-validations',
]);
const allowedAtRootNames =
  '[Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations]';

/**
 * The schema checks of one CRD version (upstream validateCustomResourceDefinitionValidation without CEL):
 * status-subresource root restrictions, nullable root, structural invariants, defaults (default-validation.ts),
 * then the keyword rules.
 * `path` is the version's schema path (spec.versions[i].schema).
 */
export function validateVersionSchema(schema: JSONSchemaProps, path: string, opts: { statusEnabled: boolean; requirePrunedDefaults: boolean }): FieldError[] {
  const s = schema as RawSchema;
  const root = `${path}.openAPIV3Schema`;
  const errs: FieldError[] = [];
  if (opts.statusEnabled) {
    for (const [k, v] of Object.entries(s)) {
      // Go's zero values: a false bool or empty string is unset; additionalProperties is a pointer, so false counts.
      if (v === undefined || (v === false && k !== 'additionalProperties') || v === '' || (Array.isArray(v) && v.length === 0)) continue;
      if (k === 'type') {
        if (v !== 'object') {
          errs.push(invalid(`${root}.type`, v, 'only "object" is allowed as the type at the root of the schema if the status subresource is enabled'));
          break;
        }
        continue;
      }
      if (!allowedAtRootWithStatus.has(k)) {
        errs.push(invalid(root, s, `only ${allowedAtRootNames} fields are allowed at the root of the schema if the status subresource is enabled`));
        break;
      }
    }
  }
  if (s.nullable) errs.push(forbidden(`${root}.nullable`, 'nullable cannot be true at the root'));
  const structuralErrs = validateStructural(schema, root);
  errs.push(...structuralErrs);
  // Defaults are checked against a structural schema only (they are validated and pruned by it).
  if (structuralErrs.length === 0) errs.push(...validateDefaults(schema, root, { requirePruned: opts.requirePrunedDefaults }));
  openAPISchemaErrors(s, root, { insideResourceMeta: false }, true, errs);
  return errs;
}
