// NamespaceAutoProvision (upstream plugin/pkg/admission/namespace/autoprovision): creating an object in a
// namespace that does not exist creates the namespace first.

import { isAlreadyExists } from '../../../apimachinery/errors.js';
import type { Registries } from '../../registry/generic/registries.js';
import type { AdmissionPlugin } from '../interface.js';
import type { ObjectReader } from '../object-reader.js';

export const namespaceAutoProvisionPluginName = 'NamespaceAutoProvision';

export function newNamespaceAutoProvision(opts: { reader: ObjectReader; registries: Registries }): AdmissionPlugin {
  return {
    name: namespaceAutoProvisionPluginName,
    handles: (op) => op === 'CREATE',
    async admit(attrs) {
      // Namespaced objects only; dry runs create nothing.
      if (!attrs.namespace || attrs.subresource !== '' || attrs.dryRun) return;
      if (attrs.resource.group === '' && attrs.resource.resource === 'namespaces') return;
      if (await opts.reader.get({ group: '', resource: 'namespaces' }, '', attrs.namespace)) return;
      try {
        await opts.registries.get('', 'namespaces')?.create({ namespace: '', obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: attrs.namespace } } });
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    },
  };
}
