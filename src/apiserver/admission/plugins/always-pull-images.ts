// AlwaysPullImages (upstream plugin/pkg/admission/alwayspullimages): every container of a new or updated pod
// pulls its image (imagePullPolicy Always), so a pod cannot use another tenant's cached private image.

import type * as corev1 from '../../../api/generated/core/v1.js';
import { notSupported } from '../../../apimachinery/field-error.js';
import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';

export const alwaysPullImagesPluginName = 'AlwaysPullImages';

const lists = ['initContainers', 'containers', 'ephemeralContainers'] as const;

function podOf(attrs: AdmissionAttributes): corev1.Pod | undefined {
  if (attrs.resource.group !== '' || attrs.resource.resource !== 'pods' || !attrs.object) return undefined;
  if (attrs.subresource !== '' && attrs.subresource !== 'ephemeralcontainers') return undefined;
  return attrs.object as corev1.Pod;
}

export function newAlwaysPullImages(): AdmissionPlugin {
  return {
    name: alwaysPullImagesPluginName,
    handles: (op) => op === 'CREATE' || op === 'UPDATE',
    async admit(attrs) {
      const pod = podOf(attrs);
      for (const list of lists) for (const c of pod?.spec?.[list] ?? []) c.imagePullPolicy = 'Always';
    },
    async validate(attrs) {
      const pod = podOf(attrs);
      if (!pod) return;
      // The first offending container is the answer, as upstream.
      for (const list of lists) {
        const i = (pod.spec?.[list] ?? []).findIndex((c) => c.imagePullPolicy !== 'Always');
        if (i < 0) continue;
        const e = notSupported(`spec.${list}[${i}].imagePullPolicy`, pod.spec![list]![i].imagePullPolicy ?? '', ['Always']);
        throw newAdmissionForbidden(attrs, `${e.field}: ${e.detail}`);
      }
    },
  };
}
