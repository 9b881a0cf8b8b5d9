// The ResourceHandler steps for custom resources: field validation from pruning (unknown fields are those
// the CRD schema does not declare), schema defaults, and Table printers from additionalPrinterColumns.
// Built-in resources fall through to the built-in steps.

import { applyFieldValidation, warningHeaderValue } from '../field-validation/field-validation.js';
import { builtinSchemas, checkUnknownFields, type SchemaSource } from '../field-validation/unknown-fields.js';
import { pruneField } from '../endpoints/builtin-plumbing.js';
import type { FieldValidator } from '../endpoints/resource-handler.js';
import type { TablePrinter } from '../printers/table.js';
import type { GenericRegistry } from '../registry/generic/registry.js';
import type { APIObject } from '../registry/strategy.js';
import type { CustomResourceDefinitions } from './crd-controller.js';

type Defaulter = (registry: GenericRegistry, obj: APIObject) => void;

const metadataOnly = { group: '', version: '', kind: '' };
/** A schema source whose only kind is an object with an ObjectMeta `metadata`, for a CR's metadata. */
const metadataOnlySchemas: SchemaSource = {
  definitionFor: () => ({ name: 'metadata-only', type: 'object', fields: { metadata: { type: 'ref', ref: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' } } }),
  definitionNamed: (name) => builtinSchemas.definitionNamed(name),
};

/**
 * Strict/Warn/Ignore for custom resources: the body is pruned (always, as upstream's decoder does) and each
 * pruned field is an unknown field; Strict answers 400 `strict decoding error: unknown field "spec.x"`.
 */
export function customResourceFieldValidator(crds: CustomResourceDefinitions, builtin: FieldValidator): FieldValidator {
  return (req) => {
    const served = crds.versionOf(req.registry.resource);
    if (!served) return builtin(req);
    const r = req.registry.resource;
    // metadata is ObjectMeta whatever the CRD says: its unknown fields come from the built-in schema.
    const metadataUnknown = checkUnknownFields({ metadata: req.obj.metadata }, metadataOnly, metadataOnlySchemas).map((u) => u.path);
    for (const p of metadataUnknown) pruneField(req.obj, p);
    const unknown = [...metadataUnknown, ...served.schema.prune(req.obj)];
    const decoderErrors = [...(req.decoderErrors ?? []), ...unknown.map((p) => `unknown field "${p}"`)];
    // The CR's gvk has no built-in schema, so only the messages passed in are reported.
    // Strict failures on create and update name the kind, as upstream's decoder does (applyFieldValidation).
    const { warnings } = applyFieldValidation({ object: {}, gvk: { group: r.group, version: r.version, kind: r.kind }, fieldValidation: req.query.get('fieldValidation'), optionsKind: req.optionsKind, decoderErrors });
    return { warnings: warnings.map(warningHeaderValue) };
  };
}

/** Schema `default:` values for custom resources; the built-in defaulter for everything else. */
export function customResourceDefaulter(crds: CustomResourceDefinitions, builtin: Defaulter): Defaulter {
  return (registry, obj) => {
    const served = crds.versionOf(registry.resource);
    if (!served) {
      builtin(registry, obj);
      return;
    }
    if (obj.apiVersion !== undefined && obj.apiVersion !== registry.apiVersion) return;
    served.schema.applyDefaults(obj);
  };
}

/** The additionalPrinterColumns printer of a custom resource version, if `r` is one. */
export function customResourcePrinterFor(crds: CustomResourceDefinitions): (r: { group: string; version: string; kind: string }) => TablePrinter | undefined {
  return (r) => crds.printerFor(r);
}
