// RuntimeClass admission (upstream plugin/pkg/admission/runtimeclass): a pod naming a RuntimeClass gets its
// overhead and its scheduling constraints (nodeSelector merged, tolerations added); an unknown class, a
// different overhead or a conflicting nodeSelector is refused.

import type * as corev1 from '../../../api/generated/core/v1.js';
import type * as nodev1 from '../../../api/generated/node/v1.js';
import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import type { ObjectReader } from '../object-reader.js';

export const runtimeClassPluginName = 'RuntimeClass';

const isPodCreate = (attrs: AdmissionAttributes) => attrs.operation === 'CREATE' && attrs.resource.group === '' && attrs.resource.resource === 'pods' && attrs.subresource === '' && !!attrs.object;

export function newRuntimeClass(opts: { reader: ObjectReader }): AdmissionPlugin {
  const lookup = async (attrs: AdmissionAttributes, pod: corev1.Pod): Promise<nodev1.RuntimeClass | undefined> => {
    const name = pod.spec?.runtimeClassName;
    if (!name) return undefined;
    const rc = (await opts.reader.get({ group: 'node.k8s.io', resource: 'runtimeclasses' }, '', name)) as nodev1.RuntimeClass | undefined;
    if (!rc) throw newAdmissionForbidden(attrs, `pod rejected: RuntimeClass "${name}" not found`);
    return rc;
  };
  return {
    name: runtimeClassPluginName,
    handles: (op) => op === 'CREATE',
    async admit(attrs) {
      if (!isPodCreate(attrs)) return;
      const pod = attrs.object as corev1.Pod;
      const rc = await lookup(attrs, pod);
      if (!rc) return;
      const spec = (pod.spec ??= { containers: [] });
      if (rc.overhead?.podFixed) {
        if (spec.overhead && JSON.stringify(spec.overhead) !== JSON.stringify(rc.overhead.podFixed)) {
          throw newAdmissionForbidden(attrs, "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead");
        }
        spec.overhead = { ...rc.overhead.podFixed };
      }
      const scheduling = rc.scheduling;
      if (scheduling?.nodeSelector) {
        const merged = { ...(spec.nodeSelector ?? {}) };
        for (const [k, v] of Object.entries(scheduling.nodeSelector)) {
          if (k in merged && merged[k] !== v) {
            throw newAdmissionForbidden(attrs, `pod rejected: conflict: runtimeClass.scheduling.nodeSelector[${k}] = ${v}; pod.spec.nodeSelector[${k}] = ${merged[k]}`);
          }
          merged[k] = v;
        }
        spec.nodeSelector = merged;
      }
      for (const t of scheduling?.tolerations ?? []) {
        if (!(spec.tolerations ?? []).some((x) => JSON.stringify(x) === JSON.stringify(t))) (spec.tolerations ??= []).push({ ...t });
      }
    },
    async validate(attrs) {
      if (!isPodCreate(attrs)) return;
      const pod = attrs.object as corev1.Pod;
      const rc = await lookup(attrs, pod);
      if (rc?.overhead?.podFixed && JSON.stringify(pod.spec?.overhead ?? null) !== JSON.stringify(rc.overhead.podFixed)) {
        throw newAdmissionForbidden(attrs, "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead");
      }
    },
  };
}
