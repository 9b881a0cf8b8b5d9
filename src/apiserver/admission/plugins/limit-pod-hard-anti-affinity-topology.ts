// LimitPodHardAntiAffinityTopology (upstream plugin/pkg/admission/antiaffinity): required pod anti-affinity
// may only spread across nodes (topologyKey kubernetes.io/hostname), so one pod cannot block a whole zone.

import type * as corev1 from '../../../api/generated/core/v1.js';
import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionPlugin } from '../interface.js';

export const limitPodHardAntiAffinityTopologyPluginName = 'LimitPodHardAntiAffinityTopology';
const hostname = 'kubernetes.io/hostname';

export function newLimitPodHardAntiAffinityTopology(): AdmissionPlugin {
  return {
    name: limitPodHardAntiAffinityTopologyPluginName,
    handles: (op) => op === 'CREATE' || op === 'UPDATE',
    async validate(attrs) {
      if (attrs.resource.group !== '' || attrs.resource.resource !== 'pods' || attrs.subresource !== '' || !attrs.object) return;
      const terms = (attrs.object as corev1.Pod).spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
      for (const t of terms) {
        if (t.topologyKey !== hostname) {
          throw newAdmissionForbidden(attrs, `affinity.PodAntiAffinity.RequiredDuringScheduling has TopologyKey ${t.topologyKey} but only key ${hostname} is allowed`);
        }
      }
    },
  };
}
