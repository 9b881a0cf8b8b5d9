// NamespaceLifecycle: the namespaces a cluster cannot live without (default, kube-system, kube-public) are
// never deleted. Creating in a missing (404) or terminating (403) namespace is refused by the generic
// registry itself (registry/generic/registry.ts checkNamespaceLifecycle), so it holds for every writer.

import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';

export const namespaceLifecyclePluginName = 'NamespaceLifecycle';

/** Upstream's immortal namespaces. */
export const immortalNamespaces: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public']);

export function newNamespaceLifecycle(): AdmissionPlugin {
  return {
    name: namespaceLifecyclePluginName,
    handles: (op) => op === 'DELETE',
    async validate(attrs: AdmissionAttributes) {
      if (attrs.resource.group !== '' || attrs.resource.resource !== 'namespaces' || attrs.subresource !== '') return;
      if (immortalNamespaces.has(attrs.name)) throw newAdmissionForbidden(attrs, 'this namespace may not be deleted');
    },
  };
}
