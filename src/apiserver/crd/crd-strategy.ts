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
import { cleanupFinalizer, type CustomResourceDefinition, type JSONSchemaProps } from './crd-types.js';

/** The status a new CRD starts with: no accepted names yet, the storage version recorded. */
function initialStatus(obj: APIObject): unknown {
  const versions = (obj.spec as { versions?: Array<{ name: string; storage?: boolean }> } | undefined)?.versions ?? [];
  const storage = versions.find((v) => v.storage)?.name;
  return { acceptedNames: { plural: '', kind: '' }, storedVersions: storage ? [storage] : [] };
}

/** The subset of upstream's CRD validation the apiserver depends on to serve a CRD. */
export function validateCustomResourceDefinition(obj: APIObject): FieldError[] {
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
    if (!v.schema?.openAPIV3Schema) errs.push(required(`spec.versions[${i}].schema.openAPIV3Schema`, 'schemas are required'));
    else {
      const schema = v.schema.openAPIV3Schema as JSONSchemaProps;
      const schemaErrs = validateVersionSchema(schema, `spec.versions[${i}].schema`, { statusEnabled: !!v.subresources?.status });
      errs.push(...schemaErrs);
      // As upstream: CEL rules are compiled only against a structural, well-formed schema.
      if (schemaErrs.length === 0) errs.push(...validateSchemaRules(schema, `spec.versions[${i}].schema.openAPIV3Schema`));
    }
    errs.push(...validateVersionExtras(v, `spec.versions[${i}]`));
    errs.push(...validateSelectableFields(v.selectableFields, v.schema?.openAPIV3Schema as JSONSchemaProps | undefined, `spec.versions[${i}].selectableFields`));
  });
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
  validateUpdate: (obj) => validateCustomResourceDefinition(obj),
};
