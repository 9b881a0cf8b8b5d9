// --allow-privileged (default false, as upstream): privileged containers in pods and workload templates are
// refused with upstream's validation error. Upstream checks this in pod validation; k8ts checks it here,
// always on and before the plugins, so the registries' validation stays free of apiserver flags.

import type * as corev1 from '../../api/generated/core/v1.js';
import { newInvalid } from '../../apimachinery/errors.js';
import { forbidden, type FieldError } from '../../apimachinery/field-error.js';
import type { AdmissionPlugin } from './interface.js';
import { podTemplateOf, type PodSpecAt } from './pod-templates.js';

const lists = ['initContainers', 'containers', 'ephemeralContainers'] as const;

function privilegedErrors(at: PodSpecAt): FieldError[] {
  const errs: FieldError[] = [];
  for (const list of lists) {
    (at.spec[list] ?? []).forEach((c: corev1.Container | corev1.EphemeralContainer, i: number) => {
      if (c.securityContext?.privileged) errs.push(forbidden(`${at.path}.${list}[${i}].securityContext.privileged`, 'disallowed by cluster policy'));
    });
  }
  return errs;
}

/** The check as a validating step; `allow` is --allow-privileged. */
export function newAllowPrivileged(allow: boolean): AdmissionPlugin {
  return {
    name: 'AllowPrivileged',
    handles: (op) => !allow && (op === 'CREATE' || op === 'UPDATE'),
    async validate(attrs) {
      if (!attrs.object) return;
      const { group, resource } = attrs.resource;
      let at: PodSpecAt | undefined;
      if (group === '' && resource === 'pods' && (attrs.subresource === '' || attrs.subresource === 'ephemeralcontainers')) {
        const pod = attrs.object as corev1.Pod;
        at = { path: 'spec', metadata: pod.metadata ?? {}, spec: pod.spec ?? { containers: [] } };
      } else if (attrs.subresource === '') {
        at = podTemplateOf(attrs.resource, attrs.object);
      }
      if (!at) return;
      const errs = privilegedErrors(at);
      if (errs.length) throw newInvalid({ group: attrs.kind.group, kind: attrs.kind.kind }, attrs.name, errs);
    },
  };
}
