// Defaulters of apiextensions.k8s.io/v1 CustomResourceDefinitions (upstream apiextensions-apiserver
// pkg/apis/apiextensions/v1/defaults.go). Defaults inside the CRD's schemas apply to custom resources,
// not to the CRD, and belong to the CRD handler.
import { defaultNil, defaultZero, ensureObject, isEmpty, objectAt, objectField, objectItems, type JSONObject } from './fields.js';

/**
 * Singular name and list kind from the kind, conversion strategy None, port 443 for a conversion
 * webhook's service, and status.storedVersions starting with the storage version.
 */
export function defaultCustomResourceDefinition(obj: JSONObject): void {
  const spec = ensureObject(obj, 'spec');
  const names = ensureObject(spec, 'names');
  const kind = typeof names.kind === 'string' ? names.kind : '';
  if (kind !== '') {
    defaultZero(names, 'singular', kind.toLowerCase());
    defaultZero(names, 'listKind', `${kind}List`);
  }
  defaultNil(spec, 'conversion', { strategy: 'None' });
  const service = objectAt(spec, 'conversion', 'webhook', 'clientConfig', 'service');
  if (service) defaultNil(service, 'port', 443);
  const storage = objectItems(spec, 'versions').find((version) => version.storage === true);
  if (storage && typeof storage.name === 'string' && isEmpty(objectField(obj, 'status')?.storedVersions)) {
    ensureObject(obj, 'status').storedVersions = [storage.name];
  }
}

