// DenyServiceExternalIPs (upstream plugin/pkg/admission/network/denyserviceexternalips): no new external IPs
// on Services (a known way to intercept other tenants' traffic); existing ones may stay or be removed.

import type * as corev1 from '../../../api/generated/core/v1.js';
import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionPlugin } from '../interface.js';

export const denyServiceExternalIPsPluginName = 'DenyServiceExternalIPs';

export function newDenyServiceExternalIPs(): AdmissionPlugin {
  return {
    name: denyServiceExternalIPsPluginName,
    handles: (op) => op === 'CREATE' || op === 'UPDATE',
    async validate(attrs) {
      if (attrs.resource.group !== '' || attrs.resource.resource !== 'services' || attrs.subresource !== '') return;
      const next = (attrs.object as corev1.Service | undefined)?.spec?.externalIPs ?? [];
      const old = new Set((attrs.oldObject as corev1.Service | undefined)?.spec?.externalIPs ?? []);
      if (next.every((ip) => old.has(ip))) return;
      throw newAdmissionForbidden(attrs, 'use of external IPs is denied by admission control');
    },
  };
}
