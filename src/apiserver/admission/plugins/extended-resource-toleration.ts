// ExtendedResourceToleration (upstream plugin/pkg/admission/extendedresourcetoleration): a pod requesting an
// extended resource (e.g. example.com/gpu) tolerates the NoSchedule taint of that name, the taint that
// reserves nodes with such devices for pods that need them.

import type * as corev1 from '../../../api/generated/core/v1.js';
import type { AdmissionPlugin } from '../interface.js';

export const extendedResourceTolerationPluginName = 'ExtendedResourceToleration';

/** Extended resources: fully qualified names outside the kubernetes.io domain, other than hugepages and the like. */
function isExtendedResourceName(name: string): boolean {
  if (!name.includes('/') || name.startsWith('requests.')) return false;
  const domain = name.slice(0, name.indexOf('/'));
  return domain !== 'kubernetes.io' && !domain.endsWith('.kubernetes.io');
}

export function newExtendedResourceToleration(): AdmissionPlugin {
  return {
    name: extendedResourceTolerationPluginName,
    handles: (op) => op === 'CREATE' || op === 'UPDATE',
    async admit(attrs) {
      if (attrs.resource.group !== '' || attrs.resource.resource !== 'pods' || attrs.subresource !== '' || !attrs.object) return;
      const spec = (attrs.object as corev1.Pod).spec;
      if (!spec) return;
      const names = new Set<string>();
      for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
        for (const k of Object.keys(c.resources?.requests ?? {})) if (isExtendedResourceName(k)) names.add(k);
      }
      for (const key of [...names].sort()) {
        const t: corev1.Toleration = { key, operator: 'Exists', effect: 'NoSchedule' };
        if (!(spec.tolerations ?? []).some((x) => x.key === key && x.operator === 'Exists' && x.effect === 'NoSchedule')) (spec.tolerations ??= []).push(t);
      }
    },
  };
}
