// The ResourceStrategy of apiextensions.k8s.io/v1 CustomResourceDefinitions: spec/status split, the
// cleanup finalizer on create, and the spec rules the serving relies on (name, one storage version).

import { invalid, required, type FieldError } from '../../apimachinery/field-error.js';
import { statusStrategy } from '../registry/spec-status.js';
import type { APIObject, ResourceStrategy } from '../registry/strategy.js';
import { validateSchemaRules } from './cel-validation.js';
import { validateVersionSchema } from './structural-schema.js';
import { validateVersionExtras } from './version-validation.js';
import { validateCustomResourceConversion } from './conversion-validation.js';
import { validateSelectableFields } from './selectable-fields.js';
import { hasUnprunedDefaults } from './default-validation.js';
import { deepEqual, type JSONValue } from '../../apimachinery/patch/json-value.js';
import { cleanupFinalizer, type CRDVersion, type CustomResourceDefinition, type JSONSchemaProps } from './crd-types.js';

/** The status a new CRD starts with: no accepted names yet, the storage version recorded. */
function initialStatus(obj: APIObject): unknown {
  const versions = (obj.spec as { versions?: Array<{ name: string; storage?: boolean }> } | undefined)?.versions ?? [];
  const storage = versions.find((v) => v.storage)?.name;
  return { acceptedNames: { plural: '', kind: '' }, storedVersions: storage ? [storage] : [] };
}

/** Which per-version fields are the same in every version (Go's semantic equality: nil and empty lists equal). */
function hoistedFields(versions: CRDVersion[]): { schema: boolean; subresources: boolean; printerColumns: boolean; selectableFields: boolean } {
  const same = (pick: (v: CRDVersion) => unknown) => {
    if (versions.length === 0) return false;
    const norm = (x: unknown) => (Array.isArray(x) && x.length === 0 ? undefined : (x as JSONValue | undefined));
    const first = norm(pick(versions[0]!));
    return versions.every((v) => deepEqual(norm(pick(v)), first));
  };
  const schema = same((v) => v.schema);
  return {
    schema,
    subresources: same((v) => v.subresources),
    printerColumns: same((v) => v.additionalPrinterColumns),
    selectableFields: schema && same((v) => v.selectableFields),
  };
}

/** upstream requirePrunedDefaults, negated: an existing CRD with unpruned defaults may keep them on update. */
function anyUnprunedDefaults(crd: CustomResourceDefinition): boolean {
  return (crd.spec?.versions ?? []).some((v) => hasUnprunedDefaults(v.schema?.openAPIV3Schema as JSONSchemaProps | undefined));
}

/**
 * upstream's CRD validation (ValidateCustomResourceDefinition, or its update form with `old`), with the paths
 * of upstream's internal version.
 */
export function validateCustomResourceDefinition(obj: APIObject, old?: APIObject): FieldError[] {
  const crd = obj as CustomResourceDefinition;
  const spec = crd.spec ?? ({} as CustomResourceDefinition['spec']);
  const errs: FieldError[] = [];
  if (!spec.group) errs.push(required('spec.group'));
  else if (!spec.group.includes('.')) errs.push(invalid('spec.group', spec.group, 'should be a domain with at least one dot'));
  const names = spec.names ?? ({} as CustomResourceDefinition['spec']['names']);
  if (!names.plural) errs.push(required('spec.names.plural'));
  else if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(names.plural)) errs.push(invalid('spec.names.plural', names.plural, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"));
  if (!names.kind) errs.push(required('spec.names.kind'));
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') errs.push({ type: 'FieldValueNotSupported', field: 'spec.scope', detail: `Unsupported value: ${JSON.stringify(spec.scope ?? '')}: supported values: "Cluster", "Namespaced"` });
  const name = crd.metadata?.name ?? '';
  if (names.plural && spec.group && name !== `${names.plural}.${spec.group}`) {
    errs.push(invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  }
  const versions = spec.versions ?? [];
  if (versions.length === 0) errs.push(invalid('spec.versions', versions, 'must have exactly one version marked as storage version'));
  else if (versions.filter((v) => v.storage).length !== 1) errs.push(invalid('spec.versions', versions, 'must have exactly one version marked as storage version'));
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    if (seen.has(v.name)) errs.push({ type: 'FieldValueDuplicate', field: `spec.versions[${i}].name`, detail: `Duplicate value: ${JSON.stringify(v.name)}` });
    seen.add(v.name);
  });
  // As upstream's conversion to its internal version: a schema, subresources, printer columns or selectable
  // fields identical in every version are validated once, at the spec-level path upstream reports them under
  // (`spec.validation.openAPIV3Schema…`, `spec.subresources…`), even for a CRD with a single version.
  const hoisted = hoistedFields(versions);
  const requirePrunedDefaults = !(old && anyUnprunedDefaults(old as CustomResourceDefinition));
  const statusEnabled = versions.some((v) => !!v.subresources?.status);
  const schemaErrors = (schema: JSONSchemaProps, path: string, status: boolean): FieldError[] => {
    const out = validateVersionSchema(schema, path, { statusEnabled: status, requirePrunedDefaults });
    // As upstream: CEL rules are compiled only against a structural, well-formed schema with valid defaults.
    return out.length === 0 ? validateSchemaRules(schema, `${path}.openAPIV3Schema`) : out;
  };
  versions.forEach((v, i) => {
    const at = `spec.versions[${i}]`;
    if (!hoisted.schema) {
      if (v.schema?.openAPIV3Schema) errs.push(...schemaErrors(v.schema.openAPIV3Schema as JSONSchemaProps, `${at}.schema`, !!v.subresources?.status));
      else if (v.served) errs.push(required(`${at}.schema.openAPIV3Schema`, 'schemas are required'));
    }
    errs.push(...validateVersionExtras({ subresources: hoisted.subresources ? undefined : v.subresources, additionalPrinterColumns: hoisted.printerColumns ? undefined : v.additionalPrinterColumns }, at));
    if (!hoisted.selectableFields) errs.push(...validateSelectableFields(v.selectableFields, v.schema?.openAPIV3Schema as JSONSchemaProps | undefined, `${at}.selectableFields`));
  });
  const first = versions[0];
  if (first) {
    const schema = first.schema?.openAPIV3Schema as JSONSchemaProps | undefined;
    if (hoisted.schema) {
      if (schema) errs.push(...schemaErrors(schema, 'spec.validation', statusEnabled));
      else versions.forEach((v, i) => v.served && errs.push(required(`spec.versions[${i}].schema.openAPIV3Schema`, 'schemas are required')));
    }
    errs.push(...validateVersionExtras({ subresources: hoisted.subresources ? first.subresources : undefined, additionalPrinterColumns: hoisted.printerColumns ? first.additionalPrinterColumns : undefined }, 'spec'));
    if (hoisted.selectableFields) errs.push(...validateSelectableFields(first.selectableFields, schema, 'spec.selectableFields'));
  }
  errs.push(...validateCustomResourceConversion(spec));
  return errs;
}

const base = statusStrategy({ hasGeneration: true, initialStatus });

/** CRDs: status kept apart, the cleanup finalizer added on create, spec validated on create and update. */
export const customResourceDefinitionStrategy: ResourceStrategy = {
  ...base,
  prepareForCreate(obj, ctx) {
    base.prepareForCreate?.(obj, ctx);
    const meta = (obj.metadata = obj.metadata ?? {});
    if (!(meta.finalizers ?? []).includes(cleanupFinalizer)) meta.finalizers = [...(meta.finalizers ?? []), cleanupFinalizer];
  },
  validate: (obj) => validateCustomResourceDefinition(obj),
  validateUpdate: (obj, old) => validateCustomResourceDefinition(obj, old),
};
